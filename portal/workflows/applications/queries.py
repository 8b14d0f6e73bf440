"""Mentoring programme operations: programmes, the mentor directory, pairings and their agreement, meetings,
checkpoints and reminders, evaluations, the hand-over to credential applications, and supervision sessions.

Operations flush, never commit; they raise :class:`ProgrammeError` with a sentence a person can read.
Every state change is audited. The rules on plain data live in ``programme_rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.db import db
from portal.enums import ApplicationState
from portal.models.applications import Application, Engagement
from portal.models.audit import AuditEntry
from portal.models.programmes import Pairing
from portal.models.users import User
from portal.workflows.credentials.rules import cycle_years
from portal.workflows.programmes.queries import confirmed_supervision_sessions
from portal.workflows.programmes.rules import S
from portal.workflows.references.queries import confirmed_reference_count, confirmed_references_column
from portal.workflows.registry import catalogue


def importable_pairings(application: Application) -> list[Pairing]:
    """The applicant's completed pairings as a mentor, confirmed by a coordinator, not yet in ``application``."""
    imported = select(Engagement.pairing_id).where(
        Engagement.application_id == application.id, Engagement.pairing_id.is_not(None)
    )
    return list(
        db.session.scalars(
            select(Pairing)
            .where(
                Pairing.mentor_id == application.applicant_id,
                Pairing.state == S.COMPLETED,
                Pairing.verified_at.is_not(None),
                Pairing.id.not_in(imported),
            )
            .order_by(Pairing.term_start)
        )
    )


def confirmed_sessions(application: Application) -> dict[int, int]:
    """For a renewal: the supervision sessions the holder logged in the portal and their supervisor confirmed,
    by year of the cycle. Evidence beside the numbers declared; empty for a first application."""
    if not application.is_renewal or application.renews_credential is None:
        return {}

    return {
        year.number: confirmed_supervision_sessions(application.applicant, year.starts_on, year.ends_on)
        for year in cycle_years(application.renews_credential)
    }


@dataclass(frozen=True)
class ReturnNote:
    """Why a reviewer returned the application, as the applicant reads it at the top of the task list."""

    returned_at: datetime
    message: str | None


def return_note(application: Application) -> ReturnNote | None:
    """The reviewer's message of the latest return, while the application waits for the applicant's changes."""
    if application.state != ApplicationState.RETURNED:
        return None
    entry = db.session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.subject_type == Application.__tablename__,
            AuditEntry.subject_id == application.id,
            AuditEntry.to_state == ApplicationState.RETURNED.value,
        )
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(1)
    ).first()
    if entry is None:
        return None
    return ReturnNote(entry.created_at, entry.reason)


@dataclass(frozen=True)
class ApplicantStatus:
    """The one status vocabulary applicants read: a plain label, what happens next, and who acts."""

    label: str
    next_step: str
    kind: str  # the tag's colour, by the state it stands for


_S = ApplicationState

# Each state in the applicant's words: the label, then what happens next and who acts (translated when shown).
APPLICANT_STATUSES: dict[ApplicationState, tuple[str, str]] = {
    _S.DRAFT: (
        _l("Not submitted yet"),
        _l("You complete the sections, then submit. Nothing is sent until you do."),
    ),
    _S.SUBMITTED: (_l("Submitted"), _l("We work out your fee and email you how to pay it.")),
    _S.AWAITING_PAYMENT: (
        _l("Waiting for payment"),
        _l("You pay the fee, quoting your reference. The review starts when your payment arrives."),
    ),
    _S.IN_REVIEW: (
        _l("In review"),
        _l("A reviewer checks your application and decides. We email you the decision."),
    ),
    _S.INFORMATION_REQUESTED: (
        _l("Waiting for your answer"),
        _l(
            "A reviewer has asked you a question (below). Answer it on this page, with a file if it helps. "
            "The review waits for your answer, and the time it waits is added to your expected decision date."
        ),
    ),
    _S.AWAITING_SECOND_REVIEW: (
        _l("In review"),
        _l("A second reviewer checks your application and decides. We email you the decision."),
    ),
    _S.RETURNED: (
        _l("Needs your changes"),
        _l("You make the changes the reviewer asked for, then resubmit. The review waits for you."),
    ),
    _S.RESUBMITTED: (
        _l("Changes sent"),
        _l("A reviewer looks at your changes and takes your application back into review."),
    ),
    _S.APPROVED: (
        _l("Approved"),
        _l("Nothing more to do: your credential is issued and its certificate is ready to download."),
    ),
    _S.REJECTED: (
        _l("Not approved"),
        _l("The reviewer's reason is in the history below. You may start a new application at any time."),
    ),
    _S.WITHDRAWN: (
        _l("Withdrawn"),
        _l("Nothing more happens. You may start a new application at any time."),
    ),
}
WAITING_FOR_REFEREES = (
    _l("Waiting for referees"),
    _l(
        "Your referees confirm your engagements through the link we emailed them; we remind them for you. "
        "A reviewer decides once enough have answered."
    ),
)


def applicant_status(application: Application, confirmed: int | None = None) -> ApplicantStatus:
    """Where the application stands, in the words an applicant would use, on every page that shows it.
    ``confirmed``: its confirmed references, when a list has read them already."""
    state = application.state
    if (
        state == _S.IN_REVIEW
        and not application.is_renewal
        and (confirmed if confirmed is not None else confirmed_reference_count(application))
        < catalogue()[application.credential_code].references
    ):
        label, next_step = WAITING_FOR_REFEREES
        return ApplicantStatus(str(label), str(next_step), "pending")
    label, next_step = APPLICANT_STATUSES[state]
    return ApplicantStatus(str(label), str(next_step), state)


def dashboard(applicant: User) -> list[tuple[Application, ApplicantStatus]]:
    """The applicant's applications, newest first, each with its status: one query however many there are."""
    rows = db.session.execute(
        select(Application, confirmed_references_column())
        .where(Application.applicant_id == applicant.id)
        .order_by(Application.created_at.desc())
    ).all()
    return [(application, applicant_status(application, confirmed)) for application, confirmed in rows]
