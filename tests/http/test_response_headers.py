"""What every response carries: no-store for signed-in pages and downloads, security headers on 500 pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.db import db
from portal.models.users import User
from tests.helpers import client_for, running_app, sign_in


def _assert_security_headers(response) -> None:
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_and_downloads_are_not_stored_and_public_pages_may_be(app, client, applicant, admin):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    sign_in(client, applicant)
    assert client.get("/applications/").headers["Cache-Control"] == "no-store"
    assert client.get("/").headers["Cache-Control"] == "no-store"  # the page shows who is signed in
    export = client_for(app, admin).get("/admin/exports/applications.csv")
    assert export.status_code == 200 and export.headers["Cache-Control"] == "no-store"


@pytest.fixture
def failing_app(app_config, _schema):
    """The app with routes that fail as code can: an error, and an error after a failed flush."""
    with running_app(app_config) as app:
        app.config["PROPAGATE_EXCEPTIONS"] = False  # serve the 500 page as in production

        def fails():
            raise RuntimeError("a mistake in the code")

        def fails_after_a_failed_flush():
            existing = db.session.scalar(select(User))
            db.session.add(User(email=existing.email, full_name="Twin", password_hash="x"))
            db.session.flush()  # IntegrityError: the session can load nothing until rolled back

        app.add_url_rule("/boom", "boom", fails)
        app.add_url_rule("/boom/flush", "boom_flush", fails_after_a_failed_flush)
        yield app


def test_every_500_page_keeps_its_security_headers(failing_app, applicant, monkeypatch):
    client = failing_app.test_client()
    sign_in(client, applicant)
    for path in ("/boom", "/boom/flush"):
        response = client.get(path)
        assert response.status_code == 500 and "Sorry, something went wrong" in response.get_data(
            as_text=True
        )
        _assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store"
    # Even when the error page itself cannot be rendered: a bare page, with the same headers.
    import portal

    def broken(*args, **kwargs):
        raise RuntimeError("the template is broken too")

    monkeypatch.setattr(portal, "render_template", broken)
    response = client.get("/boom")
    assert response.status_code == 500 and "Something went wrong" in response.get_data(as_text=True)
    _assert_security_headers(response)
