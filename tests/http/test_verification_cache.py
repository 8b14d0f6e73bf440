"""The shared cache of the public verification page: served without the database, never stale after a change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine

from portal.db import db
from portal.models.credentials import IssuedCredential
from portal.page_cache import PageCache, page_cache
from portal.workflows.credentials.rules import verification_page_key
from tests.factories import review as flow
from tests.helpers import client_for, page, statements


def _headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in ("Date", "Server")}


def test_a_second_visit_is_served_from_the_cache_without_a_query_and_with_the_same_headers(app, applicant):
    credential = flow.issued(applicant, date.today())
    number, visitor = credential.number, client_for(app)
    with statements() as first_visit:
        rendered = visitor.get(f"/verify/{number}")
    with statements() as second_visit:
        cached = visitor.get(f"/verify/{number.lower()}")  # the same page, however typed
    assert len(first_visit) == 1 and second_visit == []
    assert cached.data == rendered.data and "This credential is valid." in page(cached)
    assert _headers(cached) == _headers(rendered)
    assert "default-src 'self'" in cached.headers["Content-Security-Policy"]


def test_a_revocation_shows_on_the_very_next_visit(app, applicant, admin):
    credential = flow.issued(applicant, date.today())
    visitor = client_for(app)
    assert "This credential is valid." in page(visitor.get(f"/verify/{credential.number}"))
    response = client_for(app, admin).post(
        f"/admin/credentials/{credential.id}/revoke", data={"reason": "Certificate forged."}
    )
    assert response.status_code == 302
    assert "It is no longer valid." in page(visitor.get(f"/verify/{credential.number}"))


def test_a_renewal_shows_on_the_old_credentials_page(app, applicant):
    first = flow.issued(applicant, date.today() - timedelta(days=700))
    visitor = client_for(app)
    assert "Renewed" not in page(visitor.get(f"/verify/{first.number}"))
    renewed = flow.issued(applicant, date.today())
    renewed.previous_id = first.id
    db.session.commit()
    assert renewed.number in page(visitor.get(f"/verify/{first.number}"))


def test_a_page_cached_yesterday_is_not_served_today(app, applicant):
    credential = flow.issued(applicant, date(2024, 1, 15))  # expires 15 January 2026
    visitor = client_for(app)
    with time_machine.travel(datetime(2026, 1, 15, 23, 59, tzinfo=UTC), tick=False):
        assert "expires on 15 January 2026" in page(visitor.get(f"/verify/{credential.number}"))
    with time_machine.travel(datetime(2026, 1, 16, 0, 1, tzinfo=UTC), tick=False):
        assert "This credential expired on 15 January 2026." in page(
            visitor.get(f"/verify/{credential.number}")
        )


def test_a_page_rendered_before_a_change_and_stored_after_it_is_refused(app, applicant):
    credential = flow.issued(applicant, date.today())
    cache, key = page_cache(), verification_page_key(credential.number)
    _, version = cache.lookup(key, "en")  # a slow request starts rendering the old state
    cache.invalidate([key])  # meanwhile the credential changes
    cache.store(key, "en", version, b"the old page")
    assert cache.lookup(key, "en")[0] is None


def test_signed_in_visitors_get_their_own_page_with_their_navigation(app, applicant, reviewer):
    credential = flow.issued(applicant, date.today())
    client_for(app).get(f"/verify/{credential.number}")  # cached for signed-out visitors
    text = page(client_for(app, reviewer).get(f"/verify/{credential.number}"))
    assert "Review queue" in text and "This credential is valid." in text
    # The reviewer's page was not shared: a signed-out visitor still sees no staff navigation.
    assert "Review queue" not in page(client_for(app).get(f"/verify/{credential.number}"))


def test_the_page_is_still_served_when_the_cache_cannot_be_reached(app, applicant):
    credential = flow.issued(applicant, date.today())
    app.extensions["page_cache"] = PageCache("redis://127.0.0.1:1/0", 300)  # nothing listens on port 1
    try:
        visitor = client_for(app)
        for _ in range(2):
            response = visitor.get(f"/verify/{credential.number}")
            assert response.status_code == 200 and "This credential is valid." in page(response)
    finally:
        app.extensions["page_cache"] = None


def test_unknown_numbers_are_not_cached(app, applicant):
    visitor = client_for(app)
    for _ in range(2):
        assert visitor.get("/verify/CPM-AAAA-BBBB-CCCC").status_code == 404
    assert page_cache().lookup(verification_page_key("CPM-AAAA-BBBB-CCCC"), "en")[0] is None
    assert db.session.scalar(db.select(db.func.count()).select_from(IssuedCredential)) == 0
