"""Which language and time zone a page or an email is written in, and the switch between languages.

A signed-in person's own choice (their account's preferences) comes first, then the language picked with the
footer switch (a cookie, so it works signed out), then the browser's ``Accept-Language`` among the languages
the portal speaks, then ``DEFAULT_LOCALE``. Emails are rendered in their recipient's language by the caller
(``portal.notifications.send_email``), wherever they are rendered.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale, get_timezone
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

# Language code -> its own name, shown in the switch. Adding one is a catalogue under portal/translations/.
LANGUAGES = {"en": "English", "fr": "Français"}
LANGUAGE_COOKIE = "language"
# British English is the body's house style: "2 December 2026", not "December 2, 2026".
_FORMAT_LOCALES = {"en": "en_GB"}

babel = Babel()


def supported(code: str | None) -> str | None:
    """``code`` if the portal speaks it (any case, ``fr-CA`` taken as ``fr``), else None."""
    if not code:
        return None
    language = code.replace("_", "-").split("-")[0].lower()
    return language if language in LANGUAGES else None


def negotiate(accept_language: str | None, default: str) -> str:
    """The best language the portal speaks for a browser's ``Accept-Language`` header, else ``default``."""
    if accept_language:
        accepted = parse_accept_header(accept_language, LanguageAccept)
        best = accepted.best_match(list(LANGUAGES))
        if best:
            return best
    return default


def chosen_language(default: str) -> str:
    """The language of the current request (see the module's docstring)."""
    user_choice = getattr(current_user, "locale", None) if current_user else None
    return (
        supported(user_choice)
        or supported(request.cookies.get(LANGUAGE_COOKIE))
        or negotiate(request.headers.get("Accept-Language"), default)
    )


def format_locale(language: str) -> str:
    """The Babel locale dates, numbers and money are written in for ``language``."""
    return _FORMAT_LOCALES.get(language, language)


def current_language() -> str:
    """The language code ("en", "fr") the current page or email is being written in."""
    return str(get_locale().language) if get_locale() else "en"


def current_timezone() -> str:
    """The IANA name of the time zone the current page or email shows dates and times in."""
    return str(get_timezone())


def init_app(app: Flask) -> None:
    default = supported(app.config["DEFAULT_LOCALE"]) or "en"
    app.config["BABEL_DEFAULT_LOCALE"] = format_locale(default)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["DEFAULT_TIMEZONE"]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(app.root_path + "/translations")

    def locale_selector() -> str:
        if not has_request_context():
            return format_locale(default)
        return format_locale(chosen_language(default))

    def timezone_selector() -> str:
        zone = getattr(current_user, "timezone", None) if has_request_context() and current_user else None
        return zone or app.config["DEFAULT_TIMEZONE"]

    babel.init_app(app, locale_selector=locale_selector, timezone_selector=timezone_selector)

    @app.context_processor
    def _languages():
        return {"languages": LANGUAGES, "page_language": current_language()}
