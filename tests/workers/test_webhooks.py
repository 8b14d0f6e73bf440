"""Webhook deliveries with a real broker, a real worker and a real HTTP receiver on 127.0.0.1, each signature
checked by an independent Standard Webhooks implementation (the ``standardwebhooks`` package)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from portal.db import db
from portal.enums import DeliveryStatus, WebhookEventType
from portal.models.webhooks import WebhookDelivery, WebhookEndpoint
from tests.factories import applications as data
from tests.factories import review as flow
from tests.helpers import client_for, page
from tests.http_servers import Server, json_body, serving


@pytest.fixture
def app_config(app_config):
    app_config.update(WEBHOOK_ALLOW_LOCAL=True, WEBHOOK_RETRY_SECONDS=0.05, WEBHOOK_MAX_ATTEMPTS=3)
    return app_config


@pytest.fixture
def receiver():
    with serving(Server()) as server:
        yield server


def register(app, admin, url: str, events=(WebhookEventType.APPLICATION_SUBMITTED,), enabled=True) -> str:
    """Register an endpoint through the admin's page; returns the secret the page shows once."""
    form = {"url": url, "description": "Registry", "event_types": [event.value for event in events]}
    if enabled:
        form["is_enabled"] = "y"
    response = client_for(app, admin).post("/admin/webhooks/new", data=form)
    assert response.status_code == 200, page(response)
    return re.search(r"whsec_[A-Za-z0-9+/=]+", page(response)).group(0)


def deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_submitted_application_reaches_the_endpoint_signed(
    app, worker, receiver, applicant, admin, tmp_path
):
    secret = register(app, admin, f"{receiver.url}/hooks")
    application = data.submit(client_for(app, applicant), tmp_path)
    worker.drain()

    [request] = receiver.requests("/hooks")
    assert request.method == "POST" and request.headers["content-type"] == "application/json"
    payload = Webhook(secret).verify(request.body, request.headers)  # raises unless the signature is valid
    assert payload["type"] == "application.submitted"
    assert payload["data"]["application"]["reference"] == application.reference
    assert request.headers["webhook-signature"].startswith("v1,")
    # Any other secret fails: the signature is the endpoint's own.
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 44).verify(request.body, request.headers)

    [delivery] = deliveries()
    assert delivery.event.message_id == request.headers["webhook-id"]
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
    )
    log = page(client_for(app, admin).get("/admin/webhooks/deliveries"))
    assert "application.submitted" in log and "HTTP 200" in log and "Delivered" in log


def test_a_500_is_retried_with_the_same_id_until_a_200(app, worker, receiver, applicant, admin, tmp_path):
    secret = register(app, admin, f"{receiver.url}/hooks")
    receiver.answer(500, b"database down")
    data.submit(client_for(app, applicant), tmp_path)
    worker.drain()

    first, second = receiver.requests("/hooks")
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    Webhook(secret).verify(second.body, second.headers)
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert [attempt.status_code for attempt in delivery.attempt_log] == [500, 200]
    assert delivery.attempt_log[0].response_snippet == "database down"


def test_an_endpoint_that_keeps_failing_is_recorded_failed_and_can_be_redelivered(
    app, worker, receiver, applicant, admin, tmp_path
):
    receiver.default = (503, {}, b"busy")
    register(app, admin, f"{receiver.url}/hooks")
    data.submit(client_for(app, applicant), tmp_path)
    worker.drain()

    assert len(receiver.requests()) == 3  # WEBHOOK_MAX_ATTEMPTS
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code == 503
    staff = client_for(app, admin)
    log = page(staff.get("/admin/webhooks/deliveries"))
    assert "Failed" in log and "HTTP 503" in log and "Redeliver" in log

    receiver.default = (200, {}, b"ok")
    assert staff.post(f"/admin/webhooks/deliveries/{delivery.id}/redeliver").status_code == 302
    worker.drain()
    first, again = deliveries()
    assert again.status == DeliveryStatus.DELIVERED and again.event_id == first.event_id
    assert again.redelivered_by_id == admin.id
    assert receiver.requests()[-1].headers["webhook-id"] == receiver.requests()[0].headers["webhook-id"]


def test_a_disabled_or_unsubscribed_endpoint_is_sent_nothing(app, worker, applicant, admin, tmp_path):
    with serving(Server()) as disabled, serving(Server()) as other_events, serving(Server()) as listening:
        register(app, admin, disabled.url, enabled=False)
        register(app, admin, other_events.url, events=(WebhookEventType.CREDENTIAL_REVOKED,))
        register(app, admin, listening.url)
        data.submit(client_for(app, applicant), tmp_path)
        worker.drain()
        assert disabled.requests() == [] and other_events.requests() == []
        assert len(listening.requests()) == 1


def test_a_delivery_queued_before_its_endpoint_was_disabled_is_not_sent(
    request, app, receiver, applicant, admin, tmp_path
):
    register(app, admin, receiver.url)
    endpoint = db.session.scalar(select(WebhookEndpoint))
    data.submit(client_for(app, applicant), tmp_path)  # queued: no worker is running yet
    staff = client_for(app, admin)
    assert staff.post(f"/admin/webhooks/{endpoint.id}/enabled", data={"enabled": "no"}).status_code == 302
    request.getfixturevalue("worker").drain()
    assert receiver.requests() == []
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.FAILED and "disabled" in delivery.last_error


def test_redirects_are_not_followed(app, worker, receiver, applicant, admin, tmp_path):
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 1
    receiver.default = (302, {"Location": f"{receiver.url}/elsewhere"}, b"")
    register(app, admin, f"{receiver.url}/hooks")
    data.submit(client_for(app, applicant), tmp_path)
    worker.drain()
    assert receiver.requests("/elsewhere") == [] and len(receiver.requests("/hooks")) == 1
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code == 302


def test_loopback_addresses_are_refused_unless_allowed(app, worker, receiver, applicant, admin, tmp_path):
    register(app, admin, receiver.url)
    app.config["WEBHOOK_ALLOW_LOCAL"] = False  # as in production: the endpoint now points at this machine
    data.submit(client_for(app, applicant), tmp_path)
    worker.drain()
    assert receiver.requests() == []
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1  # not worth retrying
    assert "may not reach" in delivery.attempt_log[0].error


def test_payment_decision_and_credential_events_reach_their_endpoints(
    app, worker, receiver, applicant, admin, tmp_path
):
    secret = register(
        app,
        admin,
        receiver.url,
        events=(
            WebhookEventType.PAYMENT_RECORDED,
            WebhookEventType.APPLICATION_DECIDED,
            WebhookEventType.CREDENTIAL_ISSUED,
        ),
    )
    application = flow.ready_to_approve(client_for(app, applicant), tmp_path, admin)
    response = client_for(app, admin).post(f"/review/{application.id}/approve", data={})
    assert response.status_code in (200, 302)
    worker.drain()
    payloads = [Webhook(secret).verify(request.body, request.headers) for request in receiver.requests()]
    types = [payload["type"] for payload in payloads]
    assert types[0] == "payment.recorded" and set(types) == {
        "payment.recorded",
        "application.decided",
        "credential.issued",
    }
    by_type = {payload["type"]: payload["data"] for payload in payloads}
    assert by_type["payment.recorded"]["payment"]["amount"] == f"{application.fee_amount:.2f}"
    assert by_type["application.decided"]["application"]["state"] == "approved"
    assert by_type["credential.issued"]["credential"]["verification_url"].endswith(
        by_type["credential.issued"]["credential"]["number"]
    )
    assert [json_body(request)["type"] for request in receiver.requests()] == types


def test_a_delivery_whose_retry_was_lost_is_picked_up_by_the_sweep(
    request, app, receiver, applicant, admin, tmp_path
):
    from portal.tasks.webhooks import send_delivery  # actors are declared once the app is
    from portal.workflows.webhooks.operations import STALLED_AFTER, sweep_stalled

    register(app, admin, receiver.url)
    receiver.answer(500)
    app.config["WEBHOOK_RETRY_SECONDS"] = 3600
    data.submit(client_for(app, applicant), tmp_path)
    [delivery] = deliveries()
    # The first attempt fails; its delayed retry never reaches the broker.
    assert send_delivery(delivery.id) == 3600
    worker = request.getfixturevalue("worker")
    worker.drain()  # the first job, arriving late: the delivery is not due again for an hour
    assert len(receiver.requests()) == 1
    assert sweep_stalled() == 0
    db.session.rollback()

    [delivery] = deliveries()
    delivery.next_attempt_at -= timedelta(hours=1) + STALLED_AFTER
    db.session.commit()
    assert sweep_stalled() == 1
    db.session.commit()
    worker.drain()
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.DELIVERED and len(receiver.requests()) == 2
