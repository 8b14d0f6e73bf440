"""A page cache shared by every web process, for public pages read far more often than they change: the home
page, the verification form and each credential's verification page, as a signed-out visitor sees them.

Entries live in Redis (by default the broker's). Each cached page has a version token; every committed change
to what the page shows replaces the token (``invalidate``), and a page is stored with the token it was
rendered under and served only while that token is current. So a change shows on the next request, even
when a slow request rendered the old state and stores it after the change: its store is refused.

A page is also tied to the day it was rendered on, because the date alone can change what a page says (a
credential turns "expiring soon"). When Redis cannot be reached the cache stands aside for a while and pages
are rendered as if it were not there.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import date
from functools import wraps

import redis
from flask import Flask, Response, current_app, make_response, request, session
from flask_login import current_user

from portal.i18n import current_language
from portal.redis_clients import Circuit, connect

log = logging.getLogger(__name__)
_PREFIX = "page:"
# Stored only if the version token has not changed since the page was rendered.
_STORE = """
local current = redis.call('GET', KEYS[2]) or '-'
if current == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end
return 0
"""
_PAUSE_AFTER_ERROR = 30.0


class PageCache:
    """Pages by key (``verify:CPM-…``), each with the version token it was rendered under."""

    def __init__(self, url: str, seconds: int, timeout: float = 0.25):
        self.seconds = seconds
        self._client = connect(url, timeout)
        self._store = self._client.register_script(_STORE)
        self.circuit = Circuit("page cache", _PAUSE_AFTER_ERROR)

    def lookup(self, key: str, language: str) -> tuple[bytes | None, str]:
        """The page stored for ``key`` in ``language`` if still current, and the version token to store a fresh
        one under (one token for every language of a page: a change makes them all stale at once)."""
        if self.circuit.is_open():
            return None, ""
        try:
            entry, version = self._client.mget(f"{_PREFIX}{key}@{language}", _PREFIX + key + ":v")
        except redis.RedisError as error:
            self.circuit.failed(error)
            return None, ""
        version = (version or b"-").decode()
        if entry is None:
            return None, version
        header, _, body = entry.partition(b"\n")
        return (body if header.decode() == f"{version}|{date.today().isoformat()}" else None), version

    def store(self, key: str, language: str, version: str, body: bytes) -> None:
        if not version or self.circuit.is_open():
            return
        entry = f"{version}|{date.today().isoformat()}\n".encode() + body
        try:
            self._store(
                keys=[f"{_PREFIX}{key}@{language}", _PREFIX + key + ":v"], args=[version, entry, self.seconds]
            )
        except redis.RedisError as error:
            self.circuit.failed(error)

    def invalidate(self, keys: list[str]) -> None:
        """Give each key a new version token, so pages rendered before now are never served again."""
        if not keys:
            return
        try:
            with self._client.pipeline(transaction=False) as pipe:
                for key in keys:
                    # Outlives any page stored under the old token, so an expired token cannot come back.
                    pipe.set(_PREFIX + key + ":v", secrets.token_hex(8), ex=max(4 * self.seconds, 86_400))
                pipe.execute()
        except redis.RedisError as error:
            # The pages live at most ``seconds`` more; say so, since a revocation may show late.
            log.error("page cache: could not invalidate %s: %s", ", ".join(keys), error)


class CachedPages:
    """WSGI middleware answering a GET for a cached public page before Flask handles the request.

    Only for requests without a cookie or a query string, so no session, sign-in, flashed message or chosen
    language can be involved; everything else, and every miss, goes to the app, whose view renders the page and
    stores it (:func:`shared_page`). ``key_for`` turns the path into the cache key (None: not a cached page);
    ``language_for`` the browser's ``Accept-Language`` into the language the app would answer in.
    """

    def __init__(
        self,
        wsgi_app: Callable,
        cache: PageCache,
        key_for: Callable[[str], str | None],
        language_for: Callable[[str | None], str],
        headers: list[tuple[str, str]],
    ):
        self.wsgi_app, self.cache, self.key_for, self.language_for = wsgi_app, cache, key_for, language_for
        self.headers = headers

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") == "GET"
            and not environ.get("HTTP_COOKIE")
            and not environ.get("QUERY_STRING")
        ):
            key = self.key_for(environ.get("PATH_INFO", ""))
            language = self.language_for(environ.get("HTTP_ACCEPT_LANGUAGE")) if key else ""
            body = self.cache.lookup(key, language)[0] if key else None
            if body is not None:
                start_response(
                    "200 OK",
                    [*self.headers, ("Content-Language", language), ("Content-Length", str(len(body)))],
                )
                return [body]
        return self.wsgi_app(environ, start_response)


def shared_page(key_for: Callable[..., str | None]) -> Callable:
    """Decorates a view whose page is the same for every signed-out visitor: such a visitor's page is served
    from the cache under ``key_for(**view_args)`` when there, else rendered and stored.

    Stored only when nothing about the visitor can be in it: a GET without a query string from someone
    signed out with nothing in their session, answered 200 with an HTML page, and with the session untouched
    by the rendering (a flashed message shown, a form's CSRF token issued, anything remembered), and no
    cookie set. Anyone else gets the page rendered for them, and it is not stored.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def shared(**view_args):
            cache = page_cache()
            key = key_for(**view_args) if cache is not None and _anonymous_plain_get() else None
            version, language = "", current_language()
            if key:
                body, version = cache.lookup(key, language)
                if body is not None:
                    return shared_response(body, language)
            response = make_response(view(**view_args))
            if key and _shareable(response):
                cache.store(key, language, version, response.get_data())
                response.headers["Cache-Control"] = "no-cache"
            return response

        return shared

    return decorate


def shared_response(body: bytes, language: str) -> Response:
    response = Response(body, mimetype="text/html")
    response.headers["Content-Language"] = language
    response.headers["Cache-Control"] = "no-cache"  # browsers ask each time: a change must show at once
    return response


def _anonymous_plain_get() -> bool:
    return request.method == "GET" and not request.query_string and current_user.is_anonymous and not session


def _shareable(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not session.modified
        and not session
        and "Set-Cookie" not in response.headers
        and not response.direct_passthrough
    )


def init_app(app: Flask) -> None:
    url, seconds = app.config["PAGE_CACHE_URL"], app.config["PAGE_CACHE_SECONDS"]
    timeout = min(0.25, app.config["REDIS_TIMEOUT_SECONDS"])  # a cache slower than rendering is no cache
    app.extensions["page_cache"] = PageCache(url, seconds, timeout) if url and seconds > 0 else None


def page_cache() -> PageCache | None:
    """The app's cache, or None when it is turned off (``PAGE_CACHE_SECONDS=0`` or no Redis to keep it in)."""
    return current_app.extensions.get("page_cache")
