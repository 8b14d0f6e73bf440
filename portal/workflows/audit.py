"""Writes audit entries and reads an object's timeline."""
from __future__ import annotations

from portal.db import db
from portal.models.audit import AuditEntry
from portal.models.users import User

SYSTEM_LABEL = "The portal"


def record(
    actor: User | None,
    subject,
    action: str,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Add an audit entry about ``subject`` (any model with an ``id``) to the session."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        actor_label=actor.email if actor else SYSTEM_LABEL,
        subject_type=subject.__tablename__,
        subject_id=subject.id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    db.session.add(entry)
    return entry


def timeline(subject) -> list[AuditEntry]:
    """Every audit entry about ``subject``, oldest first."""
    return list(
        db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.subject_type == subject.__tablename__, AuditEntry.subject_id == subject.id)
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
    )
