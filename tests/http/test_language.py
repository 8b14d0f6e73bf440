"""The language a person reads the portal in: their browser's, the one picked in the footer (signed out too),
or their account's; dates and times in their language and time zone; emails in the recipient's language."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from portal.db import db
from portal.models.audit import AuditEntry
from portal.notifications import send_email
from portal.page_cache import page_cache
from portal.workflows.payments.rules import HOME_PAGE_KEY
from tests.helpers import client_for, page


def _lang(response) -> str:
    text = page(response)
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_browser_asking_for_french_gets_french_pages_and_an_unknown_language_gets_english(app):
    visitor = client_for(app)
    assert _lang(visitor.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})) == "fr"
    assert _lang(visitor.get("/", headers={"Accept-Language": "ja,de;q=0.8"})) == "en"
    assert _lang(visitor.get("/")) == "en"


def test_the_cache_never_serves_one_language_to_a_browser_asking_for_another(app):
    english = client_for(app).get("/")
    assert page_cache().lookup(HOME_PAGE_KEY, "en")[0] == english.data
    french = client_for(app).get("/", headers={"Accept-Language": "fr"})
    assert _lang(french) == "fr" and french.headers["Content-Language"] == "fr"
    assert page_cache().lookup(HOME_PAGE_KEY, "fr")[0] == french.data
    assert _lang(client_for(app).get("/", headers={"Accept-Language": "en-GB"})) == "en"
    page_cache().invalidate([HOME_PAGE_KEY])  # one change makes every language's copy stale
    assert page_cache().lookup(HOME_PAGE_KEY, "fr")[0] is None
    assert page_cache().lookup(HOME_PAGE_KEY, "en")[0] is None


def test_the_footer_switch_works_signed_out_and_comes_back_to_the_same_page(app):
    visitor = client_for(app)
    home = page(visitor.get("/"))
    assert 'href="/account/language/fr?next=/"' in home and "Français" in home
    switched = visitor.get("/account/language/fr?next=/verify")
    assert switched.status_code == 302 and switched.headers["Location"] == "/verify"
    assert (
        _lang(visitor.get("/verify", headers={"Accept-Language": "en"})) == "fr"
    )  # the choice beats the browser
    assert visitor.get("/account/language/en?next=https://evil.example/").headers["Location"] == "/"
    assert _lang(visitor.get("/")) == "en"
    assert visitor.get("/account/language/xx").status_code == 404


def test_a_signed_in_person_keeps_their_language_and_time_zone_on_every_device(app, applicant):
    browser = client_for(app, applicant)
    form = page(browser.get("/account/preferences"))
    assert 'value="Europe/Paris"' in form and "Language and time zone" in form
    refused = browser.post("/account/preferences", data={"locale": "fr", "timezone": "Mars/Olympus"})
    assert refused.status_code == 200 and "Not a valid choice" in page(refused)
    saved = browser.post(
        "/account/preferences", data={"locale": "fr", "timezone": "Europe/Paris"}, follow_redirects=True
    )
    assert "Vos préférences ont été enregistrées." in page(saved) and _lang(saved) == "fr"
    assert _lang(client_for(app, applicant).get("/", headers={"Accept-Language": "en"})) == "fr"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "preferences_changed"))
    assert entry.actor_id == applicant.id and "fr" in entry.reason and "Europe/Paris" in entry.reason


def test_the_footer_switch_of_a_signed_in_person_changes_their_account_only_when_sent_as_a_form(
    app, applicant
):
    browser = client_for(app, applicant)
    assert 'action="/account/language/fr?next=' in page(browser.get("/account/preferences"))
    browser.get("/account/language/fr")  # a link anyone could send: the browser's cookie only
    db.session.refresh(applicant)
    assert applicant.locale is None
    browser.post("/account/language/fr")
    db.session.refresh(applicant)
    assert applicant.locale == "fr"


def test_dates_times_and_money_read_as_the_persons_language_writes_them(app, applicant):
    from flask_babel import force_locale

    from portal.dates import day, moment, money

    with app.test_request_context():
        assert day(date(2026, 12, 2)) == "2 December 2026"
        assert money(Decimal("250"), "USD") == "US$250" and money(Decimal("12.5"), "USD") == "US$12.50"
        with force_locale("fr"):
            assert day(date(2026, 12, 2)) == "2 décembre 2026"
            assert money(Decimal("1398"), "USD").replace("\u202f", " ").replace("\xa0", " ") == "1 398 $US"
        # A moment in the person's zone: 23:30 UTC on 1 July is already 2 July in Paris.
        applicant.timezone = "Europe/Paris"
        from flask_login import login_user

        login_user(applicant)
        assert moment(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == "2 July 2026, 01:30 CEST"


def test_an_email_is_written_in_its_recipients_language(app, applicant):
    with app.test_request_context():
        email = send_email(
            "confirm_email", "someone@example.com", language="fr", user=applicant, token="x", hours=24
        )
    assert '<html lang="fr">' in email.html_body
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        english = send_email("confirm_email", "someone@example.com", user=applicant, token="x", hours=24)
    assert '<html lang="en">' in english.html_body  # not the language of whoever's request sent it
