"""What the portal does when its database is unavailable (a restart, a failover): a 503 page, nothing lost.

Kept out of ``portal/__init__.py``: the document reader's children import that package under a memory limit,
and SQLAlchemy is a large import.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template
from sqlalchemy.exc import DBAPIError, InvalidRequestError, OperationalError

from portal.extensions import db, login_manager


def register(app: Flask) -> None:
    app.register_error_handler(DBAPIError, _database_unavailable)
    app.teardown_appcontext(_close_session)


def _database_unavailable(error: DBAPIError):
    """A lost, refused or busy database (a restart, a failover): a 503 page to retry, not a traceback."""
    if not is_unavailable(error):
        raise error  # a mistake in the code: Flask's 500 path logs it with its traceback

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

    try:
        db.session.remove()
    except DBAPIError as lost:
        if not is_unavailable(lost):
            raise
        current_app.logger.warning("database connection lost at the end of a request: %s", lost.orig)
        db.session.remove()  # the lost connection is invalidated now: closing again sends nothing


def is_unavailable(error: DBAPIError) -> bool:
    """Whether ``error`` says the database cannot serve right now, rather than that the SQL is wrong."""
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    # sqlite3 raises OperationalError for mistakes too ("no such table"): only these mean "try again".
    if type(error.orig).__module__ == "sqlite3":
        return any(text in str(error.orig) for text in ("locked", "unable to open", "disk I/O"))
    return True
