"""Webhook changes: registering, editing, disabling an endpoint and rotating its secret (each audited),
recording a delivery's attempt, and redelivering. Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from portal import jobs, outbox
from portal.db import db, utcnow
from portal.enums import DeliveryStatus, WebhookEventType
from portal.events import queue_delivery
from portal.models.users import User
from portal.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from portal.workflows.audit import record
from portal.workflows.refusals import Refused
from portal.workflows.webhooks.rules import is_success, new_secret, retry_delay, url_problems


class WebhookRefused(Refused):
    """The endpoint cannot be saved as asked; ``problems`` say why."""


@dataclass(frozen=True)
class EndpointData:
    url: str
    description: str
    event_types: list[str]
    is_enabled: bool = True


def _check(data: EndpointData) -> None:
    fields = {}
    problems = url_problems(data.url, current_app.config["WEBHOOK_ALLOW_LOCAL"])
    if problems:
        fields["url"] = problems[0]
    known = {event.value for event in WebhookEventType}
    if not data.event_types or not set(data.event_types) <= known:
        fields["event_types"] = _("Choose at least one event.")
    if fields:
        raise WebhookRefused(list(fields.values()), fields=fields)


def _summary(endpoint: WebhookEndpoint) -> str:
    state = "enabled" if endpoint.is_enabled else "disabled"
    return f"{endpoint.url} ({state}): {', '.join(endpoint.event_types)}"


def create_endpoint(data: EndpointData, actor: User) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its secret, which is shown to the admin this once."""
    _check(data)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        url=data.url,
        description=data.description,
        event_types=sorted(set(data.event_types)),
        is_enabled=data.is_enabled,
        secret=secret,
    )
    db.session.add(endpoint)
    db.session.flush()
    record(actor, endpoint, "webhook_endpoint_added", reason=_summary(endpoint))
    return endpoint, secret


def update_endpoint(endpoint: WebhookEndpoint, data: EndpointData, actor: User) -> None:
    _check(data)
    before = _summary(endpoint)
    endpoint.url, endpoint.description = data.url, data.description
    endpoint.event_types, endpoint.is_enabled = sorted(set(data.event_types)), data.is_enabled
    db.session.flush()
    record(actor, endpoint, "webhook_endpoint_changed", reason=f"{before} → {_summary(endpoint)}")


def set_enabled(endpoint: WebhookEndpoint, enabled: bool, actor: User) -> None:
    """Enable or disable ``endpoint``; a disabled one is sent nothing, queued deliveries included."""
    endpoint.is_enabled = enabled
    db.session.flush()
    record(actor, endpoint, "webhook_endpoint_enabled" if enabled else "webhook_endpoint_disabled")


def rotate_secret(endpoint: WebhookEndpoint, actor: User) -> str:
    """A new secret for ``endpoint``, used from the next attempt on; returned to be shown this once."""
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = utcnow()
    db.session.flush()
    record(actor, endpoint, "webhook_secret_rotated")
    return endpoint.secret


def redeliver(delivery: WebhookDelivery, actor: User) -> WebhookDelivery:
    """Send ``delivery``'s event to its endpoint again, as a new delivery with the same ``webhook-id``."""
    if not delivery.endpoint.is_enabled:
        raise WebhookRefused([_("The endpoint is disabled: enable it before redelivering.")])
    again = queue_delivery(delivery.event, delivery.endpoint, redelivered_by_id=actor.id)
    record(actor, delivery.endpoint, "webhook_redelivered", reason=f"event {delivery.event.message_id}")
    return again


@dataclass(frozen=True)
class Answer:
    """What one POST got back: a status code, or an error before any answer."""

    status_code: int | None
    duration_ms: int
    snippet: str = ""
    error: str | None = None
    final: bool = False  # trying again cannot help (the address is refused)


def record_attempt(delivery: WebhookDelivery, answer: Answer) -> float | None:
    """Log ``answer`` and settle the delivery: delivered, failed for good after the last allowed attempt, or
    retrying. Returns the seconds to wait before the next attempt, or None when there is none."""
    delivery.attempt_log.append(
        WebhookAttempt(
            status_code=answer.status_code,
            duration_ms=answer.duration_ms,
            response_snippet=answer.snippet,
            error=answer.error,
        )
    )
    delivery.last_status_code, delivery.last_error = answer.status_code, answer.error
    delivery.claimed_by = delivery.claimed_at = None
    if is_success(answer.status_code):
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.DELIVERED,
            utcnow(),
            None,
        )
        return None
    if answer.final or delivery.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        return None
    delay = retry_delay(delivery.attempts, current_app.config["WEBHOOK_RETRY_SECONDS"])
    delivery.status, delivery.next_attempt_at = DeliveryStatus.RETRYING, utcnow() + timedelta(seconds=delay)
    return delay


def give_up(delivery: WebhookDelivery, reason: str) -> None:
    """Record ``delivery`` as failed without an attempt (its endpoint was disabled or removed)."""
    delivery.status, delivery.last_error = DeliveryStatus.FAILED, reason
    delivery.claimed_by = delivery.claimed_at = delivery.next_attempt_at = None


# A delivery left retrying this long past its time, or held this long by a job, lost its job (the broker
# lost the delayed message, the worker died): the sweep queues it again. The claim keeps it from being sent
# twice at once.
STALLED_AFTER = timedelta(minutes=5)


def sweep_stalled() -> int:
    """Queue again every delivery whose job was lost. Returns how many. Flushes only."""
    cutoff = utcnow() - STALLED_AFTER
    stalled = list(
        db.session.scalars(
            select(WebhookDelivery.id).where(
                or_(
                    and_(
                        WebhookDelivery.status == DeliveryStatus.RETRYING,
                        WebhookDelivery.next_attempt_at < cutoff,
                    ),
                    and_(
                        WebhookDelivery.status == DeliveryStatus.SENDING, WebhookDelivery.claimed_at < cutoff
                    ),
                )
            )
        )
    )
    for delivery_id in stalled:
        outbox.enqueue(jobs.DELIVER_WEBHOOK, delivery_id)
    return len(stalled)
