"""Writes audit entries and reads an object's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.db import db
from portal.models.audit import AuditEntry
from portal.models.users import User
from portal.workflows.transitions import BY_ACTION

SYSTEM_LABEL = "The portal"
STAFF_LABEL = "The credentialing team"

# Readable names for the actions that are not transitions (those take their label from the table).
ACTION_LABELS = {
    "start": "Application started",
    "assign": "Reviewer assigned",
    "unassign": "Reviewer unassigned",
    "review_notes": "Review notes saved",
    "prerequisite_checked": "Prior credential checked",
    "issue": "Credential issued",
    "revoke": "Credential revoked",
    "expire": "Credential expired",
    "renewal_started": "Renewal started",
    "reprocess": "Document sent to be read again",
    "check_by_hand": "Document checked by hand",
    "read": "Document read",
    "flag": "Document flagged: it does not match what was declared",
    "hand_over": "Document left for a person to check",
    "dispute_accepted": "Disputed engagement accepted",
    "dispute_excluded": "Disputed engagement excluded",
    "reference_verified_by_staff": "Engagement verified by staff contact",
    "membership_verified": "Membership verified automatically",
    "membership_unverified": "Membership not verified by the member register",
    "membership_confirmed": "Membership confirmed by a reviewer",
    "membership_false": "Membership claim found false",
    "fee_difference_requested": "Non-member fee difference asked for",
    "fee_difference_paid": "Non-member fee difference paid",
    "member_added": "Member added to the register",
    "member_changed": "Member changed in the register",
    "member_register_imported": "Member register imported",
    "reference_verified_from_letter": "Engagement verified from the referee's letter",
}

# Actions that change no state but that the applicant must see on their own timeline.
APPLICANT_VISIBLE = frozenset({"fee_difference_requested", "fee_difference_paid"})


# Moves the applicant does not see on their timeline: their status page says what comes next instead.
STAFF_ONLY_MOVES = frozenset({"approve_first"})


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


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a timeline, as the ``timeline`` macro shows it."""

    created_at: datetime
    actor_label: str
    action_label: str
    from_state: str | None
    to_state: str | None
    reason: str | None


def action_label(action: str) -> str:

    if action in BY_ACTION:
        return BY_ACTION[action].past[:1].upper() + BY_ACTION[action].past[1:]
    return ACTION_LABELS.get(action) or action.replace("_", " ").capitalize()


def staff_timeline(subject, related=()) -> list[TimelineEntry]:
    """Everything that happened to ``subject`` and the ``related`` objects (its documents, say), oldest first,
    with who did it (reviewers' and admins' pages)."""
    entries = timeline(subject)
    if related:
        entries += list(
            db.session.scalars(
                db.select(AuditEntry).where(
                    db.or_(
                        *[
                            (AuditEntry.subject_type == item.__tablename__)
                            & (AuditEntry.subject_id == item.id)
                            for item in related
                        ]
                    )
                )
            )
        )
        entries.sort(key=lambda entry: (entry.created_at, entry.id))
    return [_entry(entry, entry.actor_label) for entry in entries]


def applicant_timeline(application) -> list[TimelineEntry]:
    """The moves of the applicant's own application; staff appear as the team, not by name."""
    entries = []
    for entry in timeline(application):
        if (
            entry.to_state is None and entry.action not in APPLICANT_VISIBLE
        ) or entry.action in STAFF_ONLY_MOVES:
            continue  # internal bookkeeping: assignment, notes, a first approval and what it accepted
        if entry.actor_id == application.applicant_id:
            who = "You"
        elif entry.actor_id is None:
            who = SYSTEM_LABEL
        else:
            who = STAFF_LABEL
        entries.append(_entry(entry, who))
    return entries


def _entry(entry: AuditEntry, who: str) -> TimelineEntry:
    return TimelineEntry(
        entry.created_at, who, action_label(entry.action), entry.from_state, entry.to_state, entry.reason
    )
