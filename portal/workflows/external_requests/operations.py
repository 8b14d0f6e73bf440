"""Issuing links, and the one sweep that reminds and expires every kind of request answered by link.

Each kind registers a :class:`LinkRequests` (its model, when it is under way, how its reminder reads); the
moves themselves ("remind", "expire") are rows of the kind's machine in the transition table, so every
change is a conditional UPDATE, audited. Operations flush, never commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from portal.db import db, utcnow
from portal.enums import LinkKind
from portal.models.external_requests import ExternalLink
from portal.workflows.engine import TransitionRefused, apply_transition
from portal.workflows.external_requests.rules import (
    hash_token,
    new_token,
    reminder_days,
    reminder_due,
    shortest_gap,
)


def issue_link(kind: LinkKind, request_id: int, now: datetime | None = None) -> str:
    """A new link to the request: returns the token for the email; only its SHA-256 is stored."""
    token = new_token()
    db.session.add(
        ExternalLink(
            kind=kind, request_id=request_id, token_hash=hash_token(token), created_at=now or utcnow()
        )
    )
    return token


@dataclass(frozen=True)
class LinkRequests:
    """What one kind of request answered by link adds to the shared mechanism."""

    kind: LinkKind
    model: type
    waiting: tuple  # the states that wait for an answer (and expire)
    remindable: tuple  # the states a reminder may be sent from
    # (request, token, reminder_number) -> None: writes the reminder email with the new link
    send_reminder: Callable[[Any, str, int], None]
    # (request) -> bool: whether the person may still be asked (its application is still under way, say)
    under_way: Callable[[Any], bool] = field(default=lambda request: True)


KINDS: dict[LinkKind, LinkRequests] = {}


def register(kinds: LinkRequests) -> LinkRequests:
    """Make a kind known to the sweep; called once by the kind's operations module when it is imported."""
    KINDS[kinds.kind] = kinds
    return kinds


@dataclass
class SweepResult:
    reminded: int = 0
    expired: int = 0


def sweep_kind(kinds: LinkRequests, now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Expire what has run out and remind what is due, for one kind. Idempotent: every change is a
    conditional UPDATE, so a second sweep (or two at once) finds nothing left to do."""
    now = now or utcnow()
    model = kinds.model
    result = SweepResult()
    expiring = db.session.scalars(
        select(model)
        .where(model.status.in_(kinds.waiting), model.expires_at <= now)
        .order_by(model.id)
        .limit(batch)
    ).all()
    result.expired = sum(1 for request in expiring if _expire(request, now))

    days = reminder_days()
    if not days:
        return result
    current = (model.replaced_by_id.is_(None),) if hasattr(model, "replaced_by_id") else ()
    candidates = db.session.scalars(
        select(model)
        .where(
            model.status.in_(kinds.remindable),
            *current,
            model.reminders_sent < len(days),
            model.expires_at > now,
            model.last_message_at <= now - timedelta(days=shortest_gap(days)),
        )
        .order_by(model.id)
        .limit(batch)
    ).all()
    for request in candidates:
        if kinds.under_way(request) and reminder_due(
            last_message_at=request.last_message_at,
            reminders_sent=request.reminders_sent,
            expires_at=request.expires_at,
            now=now,
            days=days,
        ):
            result.reminded += _remind(kinds, request, now)
    return result


def sweep_all(now: datetime | None = None) -> dict[LinkKind, SweepResult]:
    """The one sweep: every registered kind, reminded and expired."""
    now = now or utcnow()
    return {kind: sweep_kind(kinds, now) for kind, kinds in KINDS.items()}


def _expire(request: Any, now: datetime) -> bool:
    try:  # a second sweep (or two at once) finds it expired already
        apply_transition(request, "expire", None, where=(type(request).expires_at <= now,))
    except TransitionRefused:
        return False
    return True


def _remind(kinds: LinkRequests, request: Any, now: datetime) -> int:
    sent = request.reminders_sent
    try:  # claimed before sending, so two sweeps at once send one reminder
        apply_transition(
            request,
            "remind",
            None,
            where=(type(request).reminders_sent == sent,),
            reminders_sent=sent + 1,
            last_message_at=now,
        )
    except TransitionRefused:
        return 0
    # The first link cannot be rebuilt from its hash: the reminder carries a new one, and both work.
    token = issue_link(kinds.kind, request.id, now)
    kinds.send_reminder(request, token, sent + 1)
    return 1
