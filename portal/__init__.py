"""The mentoring credential portal: ``create_app`` builds config, extensions, broker, blueprints and CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, has_request_context, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup

from portal.config import PROJECT_ROOT, load_config


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the portal. ``config`` overrides environment variables and defaults (tests use it)."""
    settings = load_config(config)
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings)
    from portal.logs import configure_logging

    configure_logging(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])

    if app.config["TRUSTED_PROXIES"] > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The client's address and scheme as the trusted proxies saw them; any more hops are the client's word.
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0)
    _init_extensions(app)
    from portal.tasks.broker import setup_broker

    setup_broker(app)
    _register_blueprints(app)
    _register_pages(app)
    from portal.cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from portal import (
        i18n,
        models,  # noqa: F401  (every table known to metadata and migrations)
        page_cache,
    )
    from portal.documents.storage import LocalStorage
    from portal.extensions import csrf, db, limiter, login_manager, migrate
    from portal.redis_clients import Circuit, connection_options
    from portal.workflows.catalogue import load_catalogue

    if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        # Sign-ins ask the limiter first: a hung Redis costs one timeout, then the limiter's local fallback.
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", connection_options(app.config["REDIS_TIMEOUT_SECONDS"])
        )

    db.init_app(app)
    i18n.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    page_cache.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Sign in to continue.")
    login_manager.localize_callback = (
        str  # the flash is stored in the session: a plain string, in their language
    )
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load_user(session_token: str):
        from portal.models.users import User

        return db.session.scalar(db.select(User).where(User.session_token == session_token))

    app.extensions["broker_circuit"] = Circuit("broker", app.config["REDIS_PAUSE_SECONDS"])
    app.extensions["catalogue"] = load_catalogue(app.config["CATALOGUE_PATH"])
    app.extensions["storage"] = LocalStorage(app.config["UPLOAD_DIR"])


def _register_blueprints(app: Flask) -> None:
    from portal.views import (
        admin,
        api,
        api_tokens,
        apply,
        auth,
        card_payments,
        career_plans,
        chapters,
        closeouts,
        credentials,
        data_rights,
        experience,
        payments,
        programme_guides,
        programmes,
        public,
        referee,
        references,
        renewal,
        review,
        supervisor,
        webhooks,
    )

    for module in (
        public,
        auth,
        apply,
        referee,
        supervisor,
        references,
        programmes,
        programme_guides,
        career_plans,
        experience,
        closeouts,
        chapters,
        review,
        payments,
        card_payments,
        credentials,
        renewal,
        admin,
        api_tokens,
        api,
        data_rights,
        webhooks,
    ):
        app.register_blueprint(module.bp)


def _nav_items() -> list[NavItem]:
    items: list[tuple[str, str]] = []
    if not has_request_context():  # emails rendered by workers have no navigation
        return []
    if current_user.is_authenticated:
        items.append((_("Your applications"), url_for("apply.dashboard")))
        items.append((_("Mentoring programmes"), url_for("programmes.index")))
        items.append((_("Your credentials"), url_for("credentials.mine")))
        if current_user.is_reviewer:
            items.append((_("Review queue"), url_for("review.queue")))
        if current_user.is_admin:
            items.append((_("Administration"), url_for("admin.index")))
    path = request.path
    return [NavItem(label, url, path.startswith(url) and url != "/") for label, url in items]


def _register_pages(app: Flask) -> None:
    from portal import access, i18n, outages

    @app.context_processor
    def _globals():
        return {"nav_items": _nav_items(), "max_upload_mb": app.config["MAX_UPLOAD_MB"]}

    @app.template_filter("lines")
    def _lines(text: str | None):
        """A text typed on several lines (an address) shown on as many, each line escaped."""
        return Markup("<br>").join(text.splitlines()) if text else text

    @app.template_filter("selecting")
    def _selecting(options: Markup, value) -> Markup:
        """``<option>`` elements rendered once for a page, with the one whose value is ``value`` selected:
        a page of 25 rows, each with the same choices, renders them once instead of 25 times."""
        if value is None:
            return options
        marker = Markup('<option value="{}"').format(value)
        return options.replace(marker + Markup(">"), marker + Markup(" selected>"), 1)

    from portal import dates

    for name in ("day", "clock", "moment", "money", "number"):
        app.add_template_filter(getattr(dates, name), name)
    app.add_template_global(dates.money, "format_money")

    @app.template_filter("fact")
    def _fact(value, name: str) -> str:
        """A fact a document reader found, as a reviewer reads it: "50" hours, "3 March 2024"."""
        from portal.fact_display import format_fact

        return format_fact(name, value)

    headers = security_headers(app.config)

    @app.after_request
    def _security_headers(response):
        for name, value in headers:
            response.headers.setdefault(name, value)
        response.vary.add("Accept-Language")  # pages are written in the language the browser asks for
        if _is_private(response) and not response.cache_control.private:
            # Nothing a signed-in person sees, and no download, stays in a shared or browser cache (an API
            # answer for a token says ``private``: the integration may keep it and revalidate by its ETag).
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response

    cache = app.extensions["page_cache"]
    if cache is not None:
        from portal.page_cache import CachedPages
        from portal.workflows.credentials.rules import LOOKUP_PAGE_KEY, verification_page_key_for
        from portal.workflows.payments.rules import HOME_PAGE_KEY

        pages = {"/": HOME_PAGE_KEY, "/verify": LOOKUP_PAGE_KEY}

        def shared_page_key(path: str) -> str | None:
            """The cache key of the public page at ``path`` (a WSGI path) as its view stores it, or None."""
            if path.startswith("/verify/"):
                return verification_page_key_for(path.removeprefix("/verify/"))
            return pages.get(path)

        default_language = i18n.supported(app.config["DEFAULT_LOCALE"]) or "en"
        app.wsgi_app = CachedPages(
            app.wsgi_app,
            cache,
            shared_page_key,
            lambda accept: i18n.negotiate(accept, default_language),
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Cache-Control", "no-cache"),
                *headers,
                ("Vary", "Accept-Language, Cookie"),
            ],
        )

    for code in (400, 403, 404, 413, 429):
        app.register_error_handler(code, _error_page(code))
    app.register_error_handler(500, _server_error_page)
    app.register_error_handler(CSRFError, lambda error: (render_template("errors/400.html", csrf=True), 400))
    app.register_error_handler(
        access.ConflictOfInterest,
        lambda error: (render_template("errors/conflict.html", problems=error.problems), 403),
    )
    outages.register(app)


def security_headers(config) -> list[tuple[str, str]]:
    """What every response carries: a strict Content-Security-Policy, no framing, no sniffing."""
    headers = [
        (
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'",
        ),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]
    if config["SESSION_COOKIE_SECURE"]:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return headers


def _is_private(response) -> bool:
    """A response for a signed-in person (whose user this request loaded) or a file to download."""
    from flask import g

    user = g.get("_login_user")
    # Not ``user.is_authenticated``: after a commit that reads the user's row again, and this runs where a
    # database gone meanwhile could no longer turn into the 503 page.
    signed_in = user is not None and not user.is_anonymous
    return signed_in or response.headers.get("Content-Disposition", "").startswith("attachment")


_BARE_500 = (
    "<!DOCTYPE html><html lang=en><title>Something went wrong</title><h1>Something went wrong</h1>"
    "<p>The error has been recorded. Please try again in a moment.</p></html>"
)


def _server_error_page(error):
    """The 500 page, even when what failed was the database session the page would use."""
    from portal.extensions import db, login_manager

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (a lost connection: the page below needs no database)
        login_manager._update_request_context_with_user()
    try:
        return render_template("errors/500.html"), 500
    except Exception:  # noqa: BLE001  (the page itself failed: a bare one, still with the security headers)
        return _BARE_500, 500


def _error_page(code: int):
    def handler(error):
        if request.path.startswith("/api/"):
            # The JSON API answers in problem details even where no route of it matched (/api/v1/nope).
            from portal.views.api import problem

            return problem(error)
        return render_template(f"errors/{code}.html"), code

    return handler
