"""What machines hear: an event recorded as a row, and a webhook delivery queued for each endpoint subscribed.

The one call is :func:`emit`, made from where each event happens (the transition table names an
application's events; the credentials' operations name theirs). The deliveries leave through the outbox
after commit, so a rolled-back change tells no one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import select

from portal import jobs, outbox
from portal.db import db, utcnow
from portal.enums import WebhookEventType
from portal.models.applications import Application
from portal.models.credentials import IssuedCredential
from portal.models.webhooks import WebhookDelivery, WebhookEndpoint, WebhookEvent


def emit(event_type: WebhookEventType, subject: Any, **extra: Any) -> WebhookEvent:
    """Record ``event_type`` about ``subject`` and queue its delivery to every enabled endpoint subscribed."""
    data = {**PAYLOADS[event_type](subject), **extra}
    now = utcnow()
    event = WebhookEvent(
        message_id=f"msg_{secrets.token_hex(12)}",
        type=event_type.value,
        payload={"type": event_type.value, "timestamp": _json(now), "data": _jsonable(data)},
        created_at=now,
    )
    db.session.add(event)
    endpoints = db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.is_enabled.is_(True)))
    subscribed = [endpoint for endpoint in endpoints if event_type.value in (endpoint.event_types or [])]
    db.session.flush()
    for endpoint in subscribed:
        queue_delivery(event, endpoint)
    return event


def queue_delivery(event: WebhookEvent, endpoint: WebhookEndpoint, **values: Any) -> WebhookDelivery:
    """A new delivery of ``event`` to ``endpoint``, sent by the webhook actor once the transaction commits."""
    delivery = WebhookDelivery(event_id=event.id, endpoint_id=endpoint.id, **values)
    db.session.add(delivery)
    db.session.flush()
    outbox.enqueue(jobs.DELIVER_WEBHOOK, delivery.id)
    return delivery


def _base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def application_payload(application: Application) -> dict[str, Any]:
    return {
        "application": {
            "reference": application.reference,
            "credential": application.credential_code,
            "kind": application.kind.value,
            "state": application.state.value,
            "submitted_at": application.submitted_at,
            "decided_at": application.decided_at,
        }
    }


def credential_payload(credential: IssuedCredential) -> dict[str, Any]:
    return {
        "credential": {
            "number": credential.number,
            "credential": credential.credential_code,
            "holder_name": credential.holder_name,
            "issued_on": credential.issued_on,
            "expires_on": credential.expires_on,
            "revoked_at": credential.revoked_at,
            "verification_url": f"{_base_url()}/verify/{credential.number}",
        }
    }


def payment_payload(application: Application) -> dict[str, Any]:
    payment = application.payment
    return {
        **application_payload(application),
        "payment": {
            "receipt_number": payment.receipt_number,
            "provider": payment.provider,
            "method": payment.method.value,
            "amount": payment.amount,
            "currency": payment.currency,
            "received_on": payment.received_on,
        },
    }


PAYLOADS: dict[WebhookEventType, Callable[[Any], dict[str, Any]]] = {
    WebhookEventType.APPLICATION_SUBMITTED: application_payload,
    WebhookEventType.APPLICATION_DECIDED: application_payload,
    WebhookEventType.CREDENTIAL_ISSUED: credential_payload,
    WebhookEventType.CREDENTIAL_REVOKED: credential_payload,
    WebhookEventType.CREDENTIAL_EXPIRING: credential_payload,
    WebhookEventType.PAYMENT_RECORDED: payment_payload,
}


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return _json(value)
