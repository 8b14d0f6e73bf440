"""The mentoring credential portal: ``create_app`` builds config, extensions, broker, blueprints and CLI."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_request_context, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InvalidRequestError, OperationalError

from portal.config import PROJECT_ROOT, load_config
from portal.page_cache import CachedPages


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

    _init_extensions(app)
    from portal.tasks.broker import setup_broker

    setup_broker(app)
    _register_blueprints(app)
    _register_pages(app)
    from portal.cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from portal import models  # noqa: F401  (every table known to metadata and migrations)
    from portal import page_cache
    from portal.documents.storage import LocalStorage
    from portal.extensions import csrf, db, limiter, login_manager, migrate
    from portal.workflows.catalogue import load_catalogue

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    page_cache.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load_user(session_token: str):
        from portal.models.users import User

        return db.session.scalar(db.select(User).where(User.session_token == session_token))

    app.extensions["catalogue"] = load_catalogue(app.config["CATALOGUE_PATH"])
    app.extensions["storage"] = LocalStorage(app.config["UPLOAD_DIR"])


def _register_blueprints(app: Flask) -> None:
    from portal.views import (admin, apply, auth, credentials, payments, programmes, public, referee, references,
                              renewal, review)

    for module in (public, auth, apply, referee, references, programmes,
                   review, payments, credentials, renewal, admin):
        app.register_blueprint(module.bp)


def _nav_items() -> list[NavItem]:
    items: list[tuple[str, str]] = []
    if not has_request_context():  # emails rendered by workers have no navigation
        return []
    if current_user.is_authenticated:
        items.append(("Your applications", url_for("apply.dashboard")))
        items.append(("Mentoring programmes", url_for("programmes.index")))
        items.append(("Your credentials", url_for("credentials.mine")))
        if current_user.is_reviewer:
            items.append(("Review queue", url_for("review.queue")))
        if current_user.is_admin:
            items.append(("Administration", url_for("admin.index")))
    path = request.path
    return [NavItem(label, url, path.startswith(url) and url != "/") for label, url in items]


def _register_pages(app: Flask) -> None:
    @app.context_processor
    def _globals():
        return {"nav_items": _nav_items(), "max_upload_mb": app.config["MAX_UPLOAD_MB"]}

    headers = security_headers(app.config)

    @app.after_request
    def _security_headers(response):
        for name, value in headers:
            response.headers.setdefault(name, value)
        return response

    cache = app.extensions["page_cache"]
    if cache is not None:
        from portal.workflows.credentials import verification_page_key_for

        app.wsgi_app = CachedPages(app.wsgi_app, cache, "/verify/", verification_page_key_for, [
            ("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-cache"), *headers,
            ("Vary", "Cookie")])

    for code in (400, 403, 404, 413, 429, 500):
        app.register_error_handler(code, _error_page(code))
    app.register_error_handler(CSRFError, lambda error: (render_template("errors/400.html", csrf=True), 400))
    app.register_error_handler(DBAPIError, _database_unavailable)
    app.teardown_appcontext(_close_session)


def security_headers(config) -> list[tuple[str, str]]:
    """What every response carries: a strict Content-Security-Policy, no framing, no sniffing."""
    headers = [
        ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
                                    "form-action 'self'; frame-ancestors 'none'"),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]
    if config["SESSION_COOKIE_SECURE"]:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return headers


def _error_page(code: int):
    def handler(error):
        return render_template(f"errors/{code}.html"), code

    return handler


def _database_unavailable(error: DBAPIError):
    """A lost, refused or busy database (a restart, a failover): a 503 page to retry, not a traceback."""
    if not _is_unavailable(error):
        raise error  # a mistake in the code: Flask's 500 path logs it with its traceback
    from portal.extensions import db, login_manager

    current_app.logger.warning("database unavailable: %s: %s", type(error.orig).__name__, error.orig)
    # The page must render without the database: the user cannot be loaded now (nor refreshed after the
    # rollback), so it is shown as to a visitor. Set first, so even a failing rollback ends on a page.
    login_manager._update_request_context_with_user()
    try:
        db.session.rollback()  # runs the rollback hooks now (uploaded bytes without their row are removed)
    except InvalidRequestError:
        pass  # the error came from an after-commit hook: the data is committed, there is nothing to undo
    return render_template("errors/503.html"), 503, {"Retry-After": "30"}


def _close_session(error: BaseException | None) -> None:
    """End the request's session before Flask-SQLAlchemy's teardown does, surviving a database gone just now.

    Closing sends a ROLLBACK; if the connection was lost meanwhile, that raises out of Flask after the
    response was made, where no error page can follow (the server drops the reply).
    """
    from portal.extensions import db

    try:
        db.session.remove()
    except DBAPIError as lost:
        if not _is_unavailable(lost):
            raise
        current_app.logger.warning("database connection lost at the end of a request: %s", lost.orig)
        db.session.remove()  # the lost connection is invalidated now: closing again sends nothing


def _is_unavailable(error: DBAPIError) -> bool:
    """Whether ``error`` says the database cannot serve right now, rather than that the SQL is wrong."""
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    # sqlite3 raises OperationalError for mistakes too ("no such table"): only these mean "try again".
    if type(error.orig).__module__ == "sqlite3":
        return any(text in str(error.orig) for text in ("locked", "unable to open", "disk I/O"))
    return True
