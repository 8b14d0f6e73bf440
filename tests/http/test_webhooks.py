"""Webhook endpoints through HTTP: admins only, https only, the secret shown once, every change audited; and
the events the portal records where each happens."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.db import db
from portal.enums import DeliveryStatus
from portal.models.audit import AuditEntry
from portal.models.outbox import OutboxMessage
from portal.models.webhooks import WebhookDelivery, WebhookEndpoint, WebhookEvent
from portal.workflows.credentials.operations import revoke, sweep_expiry
from portal.workflows.webhooks.rules import signature, url_problems
from tests.factories import review as flow
from tests.helpers import client_for, page

SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")


def endpoint_form(**overrides) -> dict:
    return {
        "url": "https://registry.example.org/hooks",
        "description": "Registry",
        "event_types": ["credential.issued", "credential.revoked"],
        "is_enabled": "y",
        **overrides,
    }


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_only_admins_reach_the_webhook_pages(app, applicant, reviewer, admin):
    for person in (applicant, reviewer):
        client = client_for(app, person)
        assert client.get("/admin/webhooks/").status_code == 403
        assert client.post("/admin/webhooks/new", data=endpoint_form()).status_code == 403
    anonymous = client_for(app).get("/admin/webhooks/deliveries")
    assert anonymous.status_code == 302 and "/account/sign-in" in anonymous.headers["Location"]
    assert db.session.scalar(select(WebhookEndpoint)) is None
    assert client_for(app, admin).get("/admin/webhooks/").status_code == 200


def test_an_endpoint_is_added_with_its_secret_shown_once_and_audited(app, admin):
    staff = client_for(app, admin)
    response = staff.post("/admin/webhooks/new", data=endpoint_form())
    assert response.status_code == 200
    secret = SECRET.search(page(response)).group(0)
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint.secret == secret and endpoint.event_types == ["credential.issued", "credential.revoked"]
    for url in ("/admin/webhooks/", f"/admin/webhooks/{endpoint.id}"):
        assert secret not in page(staff.get(url))
    [entry] = audit("webhook_endpoint_added")
    assert (
        entry.actor_id == admin.id and "registry.example.org" in entry.reason and secret not in entry.reason
    )

    rotated = staff.post(f"/admin/webhooks/{endpoint.id}/secret")
    new_secret = SECRET.search(page(rotated)).group(0)
    db.session.expire_all()
    assert new_secret != secret and db.session.get(WebhookEndpoint, endpoint.id).secret == new_secret
    assert len(audit("webhook_secret_rotated")) == 1

    changed = staff.post(
        f"/admin/webhooks/{endpoint.id}", data=endpoint_form(event_types=["application.submitted"])
    )
    assert changed.status_code == 302
    assert staff.post(f"/admin/webhooks/{endpoint.id}/enabled", data={"enabled": "no"}).status_code == 302
    db.session.expire_all()
    endpoint = db.session.get(WebhookEndpoint, endpoint.id)
    assert endpoint.event_types == ["application.submitted"] and not endpoint.is_enabled
    [change] = audit("webhook_endpoint_changed")
    assert "credential.issued" in change.reason and "→" in change.reason
    assert len(audit("webhook_endpoint_disabled")) == 1


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://registry.example.org/hooks", "must start with https://"),
        ("https://127.0.0.1:9000/hooks", "not on this machine"),
        ("https://localhost/hooks", "not on this machine"),
        ("https://10.0.0.5/hooks", "not on a private network"),
        ("https://[::1]/hooks", "not on this machine"),
        ("ftp://registry.example.org", "Enter a full address"),
        ("https://user:pw@registry.example.org/", "user name and password"),
    ],
)
def test_an_endpoint_must_be_https_and_public(app, admin, url, problem):
    response = client_for(app, admin).post("/admin/webhooks/new", data=endpoint_form(url=url))
    assert response.status_code == 422 and problem in page(response)
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_an_endpoint_needs_an_event(app, admin):
    response = client_for(app, admin).post("/admin/webhooks/new", data=endpoint_form(event_types=[]))
    assert response.status_code == 422 and "Choose at least one event" in page(response)


def test_http_to_this_machine_is_allowed_only_when_configured():
    assert url_problems("http://127.0.0.1:8000/hooks", allow_local=True) == []
    assert url_problems("http://localhost/hooks", allow_local=True) == []
    assert url_problems("http://registry.example.org/hooks", allow_local=True) != []
    assert url_problems("http://127.0.0.1:8000/hooks", allow_local=False) != []


def test_the_signature_follows_the_standard_webhooks_example():
    # The example in the Standard Webhooks specification (its secret, id, timestamp, body and signature).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_revoking_and_expiry_reminders_are_events_delivered_after_commit(app, applicant, admin):
    staff = client_for(app, admin)
    staff.post(
        "/admin/webhooks/new",
        data=endpoint_form(event_types=["credential.revoked", "credential.expiring"]),
    )
    credential = flow.issued(applicant, date.today() - timedelta(days=365 * 2 - 20))
    revoke(credential, admin, "Found to have plagiarised a certificate.")
    db.session.rollback()
    assert db.session.scalar(select(WebhookEvent).where(WebhookEvent.type == "credential.revoked")) is None

    sweep_expiry()
    db.session.commit()
    revoke(credential, admin, "Found to have plagiarised a certificate.")
    db.session.commit()
    events = {event.type: event for event in db.session.scalars(select(WebhookEvent))}
    assert {"credential.expiring", "credential.revoked"} <= set(events)
    assert events["credential.revoked"].payload["data"]["credential"]["number"] == credential.number
    assert "plagiarised" not in str(events["credential.revoked"].payload)  # the reason stays private
    assert events["credential.expiring"].payload["data"]["days_left"] <= 30
    deliveries = list(db.session.scalars(select(WebhookDelivery)))
    assert len(deliveries) == 2 and {d.status for d in deliveries} == {DeliveryStatus.PENDING}
    queued = [
        row.args for row in db.session.scalars(select(OutboxMessage)) if row.actor_name == "deliver_webhook"
    ]
    assert sorted(queued) == sorted([[delivery.id] for delivery in deliveries])
