"""Paying the fee by card through Stripe Checkout: the official ``stripe`` library talks to a local stand-in for
Stripe's API (the one part that cannot run here), and the webhook's signature is made with Stripe's documented
scheme so that the library's own verification runs."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import parse_qs

import pytest
from sqlalchemy import func, select

from portal.db import db
from portal.enums import ApplicationState, CardEventOutcome, PaymentMethod
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.card_payments import CardEvent, Refund
from portal.models.payments import Payment
from portal.models.webhooks import WebhookEvent
from tests.factories import applications as data
from tests.helpers import client_for, emails, page
from tests.http_servers import Server, serving

WEBHOOK_SECRET = "whsec_test_0123456789abcdef"
SESSION = {
    "id": "cs_test_a1",
    "object": "checkout.session",
    "url": "https://checkout.stripe.test/c/pay/cs_test_a1",
}


@pytest.fixture
def stripe_api():
    """The stand-in for Stripe's API: answers POST /v1/checkout/sessions as Stripe does, with a session."""
    with serving(
        Server(default=(200, {"Content-Type": "application/json"}, json.dumps(SESSION).encode()))
    ) as api:
        yield api


@pytest.fixture
def app_config(app_config, stripe_api):
    app_config.update(
        PAYMENT_PROVIDER="stripe",
        STRIPE_SECRET_KEY="sk_test_portal",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_API_BASE=stripe_api.url,
        BASE_URL="https://credentials.example.org",
    )
    return app_config


def signed(event: dict, secret: str = WEBHOOK_SECRET, at: int | None = None) -> tuple[bytes, dict]:
    """The body and Stripe-Signature header Stripe sends: t=<time>,v1=<hex HMAC-SHA256 of "t.body">."""
    body = json.dumps(event).encode()
    timestamp = at or int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={timestamp},v1={digest}", "Content-Type": "application/json"}


def event(event_type: str, obj: dict, event_id: str = "evt_1") -> dict:
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2025-01-01",
        "created": int(time.time()),
        "type": event_type,
        "data": {"object": obj},
    }


def completed(application: Application, event_id: str = "evt_1", **overrides) -> dict:
    session = {
        "id": "cs_test_a1",
        "object": "checkout.session",
        "client_reference_id": str(application.id),
        "amount_total": int(application.fee_amount * 100),
        "currency": application.fee_currency.lower(),
        "payment_status": "paid",
        "payment_intent": "pi_test_1",
        **overrides,
    }
    return event("checkout.session.completed", session, event_id)


def post_event(client, body_and_headers):
    body, headers = body_and_headers
    return client.post("/payments/stripe/webhook", data=body, headers=headers)


def reload(application: Application) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application.id)


def test_the_manual_provider_stays_the_default_and_offers_no_card(app, applicant, tmp_path):
    app.config["PAYMENT_PROVIDER"] = "manual"
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)
    assert "Pay by card" not in page(client.get(f"/applications/{application.id}/payment"))
    assert client.post(f"/applications/{application.id}/payment/card").status_code == 404


def test_pay_by_card_opens_a_checkout_session_for_the_fee(
    app, stripe_api, applicant, other_applicant, tmp_path
):
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)
    assert "Pay by card" in page(client.get(f"/applications/{application.id}/payment"))
    response = client.post(f"/applications/{application.id}/payment/card")
    assert response.status_code == 303 and response.headers["Location"] == SESSION["url"]

    [request] = stripe_api.requests("/v1/checkout/sessions")
    assert request.headers["authorization"] == "Bearer sk_test_portal"
    params = {key: values[0] for key, values in parse_qs(request.body.decode()).items()}
    assert params["mode"] == "payment" and params["client_reference_id"] == str(application.id)
    assert params["line_items[0][price_data][unit_amount]"] == str(int(application.fee_amount * 100))
    assert params["line_items[0][price_data][currency]"] == application.fee_currency.lower()
    assert params["success_url"] == (
        f"https://credentials.example.org/applications/{application.id}/payment/card/done"
    )
    assert params["cancel_url"] == f"https://credentials.example.org/applications/{application.id}/payment"
    assert "Payment being confirmed" in page(client.get(f"/applications/{application.id}/payment/card/done"))
    # Only the applicant pays their own fee.
    assert (
        client_for(app, other_applicant).post(f"/applications/{application.id}/payment/card").status_code
        == 404
    )


def test_a_failing_card_processor_sends_the_applicant_back_with_a_reason(
    app, stripe_api, applicant, tmp_path
):
    stripe_api.default = (500, {"Content-Type": "application/json"}, b'{"error": {"message": "down"}}')
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)
    response = client.post(f"/applications/{application.id}/payment/card", follow_redirects=True)
    assert "Card payments are unavailable just now" in page(response)


def test_a_signed_completed_checkout_records_the_payment_and_starts_review_once(
    app, applicant, admin, tmp_path
):
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)
    response = post_event(client_for(app), signed(completed(application)))
    assert response.status_code == 200

    application = reload(application)
    assert application.state == ApplicationState.IN_REVIEW
    assert application.paid_at is not None and application.review_due_at is not None
    payment = application.payment
    assert (payment.provider, payment.method, payment.amount, payment.transaction_reference) == (
        "stripe",
        PaymentMethod.CARD,
        application.fee_amount,
        "pi_test_1",
    )
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "record_payment"))
    assert entry.actor_id is None and "Card" in entry.reason
    assert len(emails("review_started")) == 1
    assert db.session.scalar(select(WebhookEvent.type).where(WebhookEvent.type == "payment.recorded"))
    assert "Payment confirmed" in page(client.get(f"/applications/{application.id}/payment/card/done"))

    # The processor sends the same event again: answered, and nothing changes.
    again = post_event(client_for(app), signed(completed(application)))
    assert again.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(CardEvent)) == 1
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 1
    assert len(emails("review_started")) == 1


def test_an_event_without_a_valid_signature_is_refused(app, applicant, tmp_path):
    application = data.submit(client_for(app, applicant), tmp_path)
    anonymous = client_for(app)
    assert (
        post_event(anonymous, signed(completed(application), secret="whsec_someone_else")).status_code == 400
    )
    stale = signed(completed(application), at=int(time.time()) - 3600)  # outside Stripe's 5-minute tolerance
    assert post_event(anonymous, stale).status_code == 400
    body, _ = signed(completed(application))
    assert anonymous.post("/payments/stripe/webhook", data=body).status_code == 400
    assert db.session.scalar(select(CardEvent)) is None
    assert reload(application).state == ApplicationState.AWAITING_PAYMENT


def test_an_unknown_application_or_a_wrong_amount_is_kept_for_an_admin(app, applicant, admin, tmp_path):
    application = data.submit(client_for(app, applicant), tmp_path)
    anonymous = client_for(app)
    assert post_event(anonymous, signed(completed(application, "evt_unknown", client_reference_id="999999")))
    short = completed(application, "evt_short", amount_total=int(application.fee_amount * 100) - 100)
    assert post_event(anonymous, signed(short)).status_code == 200

    assert reload(application).state == ApplicationState.AWAITING_PAYMENT
    rows = {row.event_id: row for row in db.session.scalars(select(CardEvent))}
    assert {row.outcome for row in rows.values()} == {CardEventOutcome.NEEDS_ATTENTION}
    assert "999999" in rows["evt_unknown"].note and "does not match the fee" in rows["evt_short"].note
    listing = page(client_for(app, admin).get("/admin/payments/card"))
    assert "Needs an admin" in listing and "does not match the fee" in listing
    assert client_for(app, applicant).get("/admin/payments/card").status_code == 403


def test_a_refund_is_recorded_once_audited_and_shown_to_admins(app, applicant, admin, tmp_path):
    application = data.submit(client_for(app, applicant), tmp_path)
    anonymous = client_for(app)
    post_event(anonymous, signed(completed(application)))
    charge = {
        "id": "ch_test_1",
        "object": "charge",
        "payment_intent": "pi_test_1",
        "amount_refunded": 5000,
        "currency": "usd",
    }
    refunded = signed(event("charge.refunded", charge, "evt_refund"))
    assert post_event(anonymous, refunded).status_code == 200
    assert post_event(anonymous, refunded).status_code == 200  # a replay
    [refund] = db.session.scalars(select(Refund))
    assert (refund.amount, refund.currency, refund.transaction_reference) == (50, "USD", "ch_test_1")
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "payment_refunded"))
    assert entry.subject_id == application.id and "50.00 USD" in entry.reason
    assert "ch_test_1" in page(client_for(app, admin).get("/admin/payments/card"))


def test_the_webhook_needs_no_form_token_and_ignores_other_events(request, app_config):
    app_config["WTF_CSRF_ENABLED"] = True  # as in production: every other POST needs the form's token
    app = request.getfixturevalue("app")
    body, headers = signed(event("customer.created", {"id": "cus_1", "object": "customer"}, "evt_other"))
    assert app.test_client().post("/payments/stripe/webhook", data=body, headers=headers).status_code == 200
    assert db.session.scalar(select(CardEvent)).outcome == CardEventOutcome.IGNORED
