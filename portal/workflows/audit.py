"""Writes audit entries and reads an object's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.db import db
from portal.models.audit import AuditEntry
from portal.models.users import User
from portal.workflows.transitions import BY_ACTION

SYSTEM_LABEL = "The portal"  # stored as the actor of the portal's own entries; shown translated

# The application's moves as a timeline names them: the table's ``past``, capitalised, in the reader's language.
MOVE_LABELS = {
    "submit": _l("Submitted"),
    "request_payment": _l("Sent for payment"),
    "record_payment": _l("Marked as paid"),
    "approve_first": _l("Approved for a second review"),
    "approve": _l("Approved"),
    "return": _l("Returned for changes"),
    "reject": _l("Rejected"),
    "request_information": _l("Asked a question"),
    "answer_information": _l("Answered"),
    "close_question": _l("Taken back into review without an answer"),
    "resubmit": _l("Resubmitted"),
    "resume_review": _l("Taken back into review"),
    "withdraw": _l("Withdrawn"),
}

# Readable names for the actions that are not transitions.
ACTION_LABELS = {
    "start": _l("Application started"),
    "assign": _l("Reviewer assigned"),
    "unassign": _l("Reviewer unassigned"),
    "review_notes": _l("Review notes saved"),
    "prerequisite_checked": _l("Prior credential checked"),
    "issue": _l("Credential issued"),
    "revoke": _l("Credential revoked"),
    "expire": _l("Credential expired"),
    "renewal_started": _l("Renewal started"),
    "reprocess": _l("Document sent to be read again"),
    "check_by_hand": _l("Document checked by hand"),
    "read": _l("Document read"),
    "flag": _l("Document flagged: it does not match what was declared"),
    "hand_over": _l("Document left for a person to check"),
    "dispute_accepted": _l("Disputed engagement accepted"),
    "dispute_excluded": _l("Disputed engagement excluded"),
    "reference_verified_by_staff": _l("Engagement verified by staff contact"),
    "membership_verified": _l("Membership verified automatically"),
    "membership_unverified": _l("Membership not verified by the member register"),
    "membership_confirmed": _l("Membership confirmed by a reviewer"),
    "membership_false": _l("Membership claim found false"),
    "fee_difference_requested": _l("Non-member fee difference asked for"),
    "fee_difference_paid": _l("Non-member fee difference paid"),
    "member_added": _l("Member added to the register"),
    "member_changed": _l("Member changed in the register"),
    "member_register_imported": _l("Member register imported"),
    "reference_verified_from_letter": _l("Engagement verified from the referee's letter"),
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
    """What an audit entry's action reads as on a timeline, in the reader's language."""
    label = MOVE_LABELS.get(action) or ACTION_LABELS.get(action)
    if label is not None:
        return str(label)
    if action in BY_ACTION:
        return BY_ACTION[action].past[:1].upper() + BY_ACTION[action].past[1:]
    return action.replace("_", " ").capitalize()


def actor_shown(label: str | None) -> str | None:
    """An audit entry's stored actor label as a timeline shows it: the portal's own name translated."""
    return _("The portal") if label == SYSTEM_LABEL else label


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
    return [_entry(entry, actor_shown(entry.actor_label)) for entry in entries]


def applicant_timeline(application) -> list[TimelineEntry]:
    """The moves of the applicant's own application; staff appear as the team, not by name."""
    entries = []
    for entry in timeline(application):
        if (
            entry.to_state is None and entry.action not in APPLICANT_VISIBLE
        ) or entry.action in STAFF_ONLY_MOVES:
            continue  # internal bookkeeping: assignment, notes, a first approval and what it accepted
        if entry.actor_id == application.applicant_id:
            who = _("You")
        elif entry.actor_id is None:
            who = _("The portal")
        else:
            who = _("The credentialing team")
        entries.append(_entry(entry, who))
    return entries


def _entry(entry: AuditEntry, who: str) -> TimelineEntry:
    return TimelineEntry(
        entry.created_at, who, action_label(entry.action), entry.from_state, entry.to_state, entry.reason
    )
