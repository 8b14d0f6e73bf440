"""Signed-out pages served from the shared page cache: the home page and the verification form, as a visitor
with nothing in their session sees them. Nothing personal is ever served from the cache or stored in it:
not a signed-in person's page, not a flashed message, not a form's CSRF token."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, render_template_string

from portal.page_cache import page_cache, shared_page
from portal.workflows.credentials.rules import LOOKUP_PAGE_KEY
from portal.workflows.payments.rules import HOME_PAGE_KEY
from tests.helpers import client_for, page, statements


def _stored(key: str, language: str = "en") -> bytes | None:
    return page_cache().lookup(key, language)[0]


def test_the_home_page_is_served_to_signed_out_visitors_from_the_cache(app):
    visitor = client_for(app)
    first = visitor.get("/")
    assert first.status_code == 200 and _stored(HOME_PAGE_KEY) == first.data
    with statements() as second_visit:
        second = visitor.get("/")
    assert second_visit == [] and second.data == first.data
    assert second.headers["Cache-Control"] == "no-cache" and "Set-Cookie" not in second.headers
    assert "default-src 'self'" in second.headers["Content-Security-Policy"]


def test_the_verification_form_is_shared_but_a_lookup_is_not(app):
    visitor = client_for(app)
    assert visitor.get("/verify").status_code == 200
    shared = _stored(LOOKUP_PAGE_KEY)
    assert shared is not None
    for query in ("number=", "number=nonsense"):  # a typed query: answered for it, never stored
        assert visitor.get(f"/verify?{query}").status_code in (200, 302)
        assert _stored(LOOKUP_PAGE_KEY) == shared


def test_a_signed_in_person_gets_their_own_home_page_and_it_is_not_stored(app, applicant):
    client_for(app).get("/")  # cached for signed-out visitors
    shared = _stored(HOME_PAGE_KEY)
    mine = page(client_for(app, applicant).get("/"))
    assert "You are signed in" in mine and "Your applications" in mine
    assert _stored(HOME_PAGE_KEY) == shared and b"You are signed in" not in shared
    page_cache().invalidate([HOME_PAGE_KEY])
    client_for(app, applicant).get("/")  # nothing cached: a signed-in person's page is not stored
    assert _stored(HOME_PAGE_KEY) is None


def test_a_visitor_with_a_flashed_message_sees_it_and_it_is_never_shared(app, applicant):
    leaving = client_for(app, applicant)
    assert leaving.post("/account/sign-out").status_code == 302
    assert "You have signed out." in page(leaving.get("/"))  # signed out, a message in the session
    assert _stored(HOME_PAGE_KEY) is None
    assert "You have signed out." not in page(leaving.get("/"))  # shown once
    assert "You have signed out." not in page(client_for(app).get("/"))
    assert _stored(HOME_PAGE_KEY) is not None and b"You have signed out." not in _stored(HOME_PAGE_KEY)


def test_a_page_that_issues_a_form_token_or_flashes_is_not_stored(app):
    @app.get("/test-shared/<kind>")
    @shared_page(lambda kind: f"test:{kind}")
    def _page(kind: str):
        if kind == "form":
            return render_template_string('<form method="post">{{ csrf_token() }}</form>')
        if kind == "flash":
            flash("A message for this visitor only.")
            return "<p>flashed</p>"
        return "<p>the same for everyone</p>"

    for kind in ("form", "flash", "plain"):
        assert client_for(app).get(f"/test-shared/{kind}").status_code == 200
    assert _stored("test:form") is None and _stored("test:flash") is None
    assert _stored("test:plain") == b"<p>the same for everyone</p>"


def test_a_fee_change_shows_on_the_home_page_at_once(app, admin):
    from portal.db import db
    from portal.workflows.payments.operations import set_fee

    visitor = client_for(app)
    assert "250" in page(visitor.get("/"))
    set_fee("CPM", True, Decimal("275"), admin)
    db.session.commit()
    assert _stored(HOME_PAGE_KEY) is None
    assert "275" in page(visitor.get("/"))


def test_pages_render_as_before_when_the_cache_is_off(app_config, _schema):
    from tests.helpers import running_app

    app_config["PAGE_CACHE_SECONDS"] = 0
    with running_app(app_config) as app:
        assert page_cache() is None
        assert client_for(app).get("/").status_code == 200
