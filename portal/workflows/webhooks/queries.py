"""Webhook reads: the endpoints, and the delivery log admins read (status, attempts, answers)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.db import db
from portal.models.webhooks import WebhookDelivery, WebhookEndpoint


def endpoints() -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def deliveries(endpoint_id: int | None = None, limit: int = 200) -> list[WebhookDelivery]:
    """The latest deliveries, newest first, with their events, endpoints and attempts."""
    query = (
        select(WebhookDelivery)
        .options(
            selectinload(WebhookDelivery.event),
            selectinload(WebhookDelivery.endpoint),
            selectinload(WebhookDelivery.attempt_log),
        )
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    if endpoint_id is not None:
        query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
    return list(db.session.scalars(query))
