"""Referee verification: requests, answers, reminders, expiry, trust signals, and the counts the guards use.

A referee answers by link, through the mechanism every request answered by link shares
(``portal.workflows.external_requests``: tokens, link state, reminder timing, shared trust signals, re-exported
here for the referee's code). Operations flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from portal.dates import moment
from portal.db import utcnow
from portal.enums import ApplicationState, DisputeOutcome, ReferenceStatus
from portal.models.applications import Engagement
from portal.models.references import ReferenceRequest
from portal.models.users import User
from portal.workflows.external_requests.rules import (
    AddressFacts,
    AnswerFacts,
    Level,
    LinkState,
    Signal,
    Trust,
    answer_signals,
)
from portal.workflows.external_requests.rules import link_state as shared_link_state
from portal.workflows.refusals import Refused

if TYPE_CHECKING:
    from portal.models.supervisors import SupervisorDeclaration


S = ReferenceStatus


OPEN = (S.PENDING, S.SENT, S.REMINDED)


# Referees are asked, reminded and answer only while the application is under way.
ACTIVE_STATES = frozenset(
    {
        ApplicationState.SUBMITTED,
        ApplicationState.AWAITING_PAYMENT,
        ApplicationState.IN_REVIEW,
        ApplicationState.INFORMATION_REQUESTED,
        ApplicationState.AWAITING_SECOND_REVIEW,
        ApplicationState.RETURNED,
        ApplicationState.RESUBMITTED,
    }
)


# Applicants may not turn resending into a way of pestering a referee; staff may resend at any time.
APPLICANT_RESEND_INTERVAL = timedelta(days=1)


TELL_APPLICANT_AFTER_REMINDERS = 2


class ReferenceActionRefused(Refused):
    """A resend or replacement is not possible now; the message says why."""


def link_state(
    reference: ReferenceRequest | SupervisorDeclaration | None, now: datetime | None = None
) -> LinkState:
    """Where an emailed request about an application stands (a referee's, or a supervisor's declaration):
    usable while it is the current one and the application still takes answers."""
    return shared_link_state(
        found=reference is not None,
        usable=reference is not None
        and reference.is_current
        and reference.application.state in ACTIVE_STATES,
        answered=reference is not None and reference.status.is_answer,
        waiting=reference is not None and reference.status.is_open,
        expires_at=reference.expires_at if reference is not None else None,
        now=now,
    )


def _wants_reference(engagement: Engagement, today: date) -> bool:
    return engagement.has_referee and engagement.is_completed(today) and not engagement.is_pre_verified


def _matches(reference: ReferenceRequest, engagement: Engagement) -> bool:
    """Whether the request still asks about the engagement as declared now."""
    return (
        reference.referee_email.lower() == (engagement.referee_email or "").strip().lower()
        and reference.declared_mentee_name == engagement.mentee_name
        and reference.declared_start_date == engagement.start_date
        and reference.declared_end_date == engagement.end_date
        and reference.declared_setting == engagement.setting
    )


@dataclass(frozen=True)
class Referee:
    name: str
    email: str
    relationship: str


def _referee_of(engagement: Engagement) -> Referee:
    return Referee(
        engagement.referee_name or "",
        engagement.referee_email or "",
        str(engagement.referee_relationship or ""),
    )


def _is_staff(actor: User) -> bool:
    return actor.is_reviewer


def resend_problem(reference: ReferenceRequest, actor: User, now: datetime | None = None) -> str | None:
    """Why ``actor`` cannot resend this request now, or None."""
    now = now or utcnow()
    if actor.id != reference.application.applicant_id and not _is_staff(actor):
        return _("You cannot change the references of this application.")
    if reference.application.state not in ACTIVE_STATES:
        return _("The references of this application can no longer be changed.")
    if not reference.is_current:
        return _("This request has already been resent or replaced.")
    if reference.status.is_answer:
        return _("The referee has answered: there is nothing to resend.")
    if not _is_staff(actor) and reference.status.is_open and reference.last_message_at is not None:
        allowed_at = reference.last_message_at + APPLICANT_RESEND_INTERVAL
        if now < allowed_at:
            return _(
                "We emailed this referee less than a day ago. You can resend from %(moment)s.",
                moment=moment(allowed_at),
            )
    return None


def replace_problem(reference: ReferenceRequest, actor: User) -> str | None:
    """Why ``actor`` cannot name another referee in place of this one now, or None."""
    if actor.id != reference.application.applicant_id:
        return _("Only the applicant can name another referee.")
    if reference.application.state not in ACTIVE_STATES:
        return _("The references of this application can no longer be changed.")
    if not reference.is_current:
        return _("This request has already been resent or replaced.")
    if reference.status == S.CONFIRMED:
        return _("The referee has confirmed this engagement: there is no need for another referee.")
    return None


# A referee who declines an engagement, or confirms it only with corrections, puts it in dispute.
DISPUTING = (S.DECLINED, S.CORRECTED)


class Standing(StrEnum):
    """Whether an engagement counts toward engagements and references, after what its referees said."""

    UNDISPUTED = "undisputed"
    DISPUTED = "disputed"  # a referee declined or corrected it, and no reviewer has decided since
    ACCEPTED = "accepted"  # disputed, then accepted by a reviewer with a written reason
    EXCLUDED = "excluded"  # a reviewer decided it does not count

    @property
    def counts(self) -> bool:
        return self in (Standing.UNDISPUTED, Standing.ACCEPTED)

    @property
    def label(self) -> str:
        return {
            "undisputed": "Not disputed",
            "disputed": "Disputed by its referee: waiting for the reviewer",
            "accepted": "Disputed, accepted by the reviewer",
            "excluded": "Excluded by the reviewer",
        }[self.value]


def standing(engagement: Engagement, references: list[ReferenceRequest]) -> Standing:
    """The engagement's standing from its referees' answers and the reviewer's decision on them.

    Every answer that disputes it counts, the replaced ones too: naming another referee does not wipe out a
    refusal; only a reviewer's decision taken after the last disputing answer does.
    """
    if engagement.dispute_outcome == DisputeOutcome.EXCLUDED:
        return Standing.EXCLUDED
    disputed_at = _disputed_at(engagement, references)
    if not disputed_at:
        return Standing.UNDISPUTED
    resolved_at = engagement.dispute_resolved_at
    if (
        engagement.dispute_outcome == DisputeOutcome.ACCEPTED
        and resolved_at
        and resolved_at >= max(disputed_at)
    ):
        return Standing.ACCEPTED
    return Standing.DISPUTED


def _disputed_at(engagement: Engagement, references: list[ReferenceRequest]) -> list:
    return [
        reference.answered_at
        for reference in references
        if reference.engagement_id == engagement.id
        and reference.status in DISPUTING
        and reference.answered_at is not None
    ]


def reconfirmed(engagement: Engagement, references: list[ReferenceRequest]) -> bool:
    """A referee named after the last dispute has confirmed the engagement: it counts toward the engagements
    again (a returned application can then be resubmitted), while the dispute still waits for a reviewer."""
    disputed_at = _disputed_at(engagement, references)
    return bool(disputed_at) and any(
        reference.engagement_id == engagement.id
        and reference.is_current
        and reference.status == S.CONFIRMED
        and reference.answered_at is not None
        and reference.answered_at > max(disputed_at)
        for reference in references
    )


def set_aside_reason(engagement: Engagement, standing_: Standing, references: list[ReferenceRequest]) -> str:
    """Why an engagement does not count, in the applicant's words, with what they can do about it."""
    name = engagement.mentee_name
    if standing_ == Standing.EXCLUDED:
        if engagement.dispute_reason:
            return _(
                "The engagement with %(name)s does not count: the reviewer excluded it (%(reason)s).",
                name=name,
                reason=engagement.dispute_reason,
            )
        return _("The engagement with %(name)s does not count: the reviewer excluded it.", name=name)
    last = max(
        (
            r
            for r in references
            if r.engagement_id == engagement.id and r.status in DISPUTING and r.answered_at
        ),
        key=lambda reference: reference.answered_at,
    )
    said = (last.comment or "").strip()
    values = {"name": name, "referee": last.referee_name, "said": said}
    declined = last.status == S.DECLINED
    if declined and said:
        why = _("%(referee)s declined to confirm it (“%(said)s”)", **values)
    elif declined:
        why = _("%(referee)s declined to confirm it", **values)
    elif said:
        why = _("%(referee)s confirmed it only with corrections (“%(said)s”)", **values)
    else:
        why = _("%(referee)s confirmed it only with corrections", **values)
    return _(
        "The engagement with %(name)s does not count while it is disputed: %(why)s. Name another referee for "
        "it: once they confirm it, it counts again, and the reviewer decides on the dispute.",
        name=name,
        why=why,
    )


def is_confirmed(
    engagement: Engagement,
    references: list[ReferenceRequest],
    standing_: Standing,
    staff_confirmed: frozenset[int] = frozenset(),
) -> bool:
    """Whether the engagement counts as a confirmed reference: it counts, and its current referee confirmed
    it (a correction counts once a reviewer accepted it), a programme pairing verified it, or staff reached
    someone who confirmed it (``staff_confirmed``: the ids of such engagements)."""
    if not standing_.counts:
        return False
    if engagement.is_pre_verified or engagement.id in staff_confirmed:
        return True
    return any(
        reference.engagement_id == engagement.id and reference.is_current and reference.status.is_confirmation
        for reference in references
    )


def dispute_problem(standing_: Standing, outcome: DisputeOutcome, reason: str | None) -> str | None:
    """Why a reviewer cannot record ``outcome`` for an engagement of this standing now, or None."""
    if standing_ == Standing.UNDISPUTED:
        return _("No referee has disputed this engagement: there is nothing to resolve.")
    if standing_ == Standing.EXCLUDED:
        return _("This engagement has already been excluded.")
    if standing_ == Standing.ACCEPTED and outcome == DisputeOutcome.ACCEPTED:
        return _("This engagement has already been accepted.")
    if not (reason or "").strip():
        return _("Say why: the reason is kept on the application's timeline.")
    return None


ANSWERS = {"confirm": S.CONFIRMED, "correct": S.CORRECTED, "decline": S.DECLINED}


@dataclass(frozen=True)
class RefereeAnswer:
    kind: str  # a key of ANSWERS
    corrected_start_date: date | None = None
    corrected_end_date: date | None = None
    corrected_role: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class TrustFacts:
    """Plain data the signals are drawn from, so the rules are tested without a database."""

    referee_email: str
    applicant_emails: tuple[str, ...]
    setting: str
    engagements_named_for: int = 1
    requested_at: datetime | None = None
    answered_at: datetime | None = None
    answer_ip: str | None = None
    answer_user_agent: str | None = None
    applicant_ip: str | None = None
    applicant_user_agent: str | None = None

    @property
    def answer(self) -> AnswerFacts:
        return AnswerFacts(
            requested_at=self.requested_at,
            answered_at=self.answered_at,
            answer_ip=self.answer_ip,
            answer_user_agent=self.answer_user_agent,
            applicant_ip=self.applicant_ip,
            applicant_user_agent=self.applicant_user_agent,
        )


def assess_trust(facts: TrustFacts) -> Trust:
    address = AddressFacts(facts.referee_email, facts.applicant_emails)
    domain = address.domain
    signals: list[Signal] = []
    if address.own:
        signals.append(Signal(Level.RED, "The referee's email address is the applicant's own."))
    elif address.same_domain and facts.setting != "internal":
        signals.append(
            Signal(
                Level.RED,
                f"The referee's address is on the applicant's own email domain "
                f"({domain}), for an external engagement.",
            )
        )
    if address.free_mail and facts.setting == "internal":
        signals.append(
            Signal(
                Level.AMBER,
                f"A free email address ({domain}) for an internal engagement, "
                f"where an address at the organisation would be usual.",
            )
        )
    if facts.engagements_named_for > 1:
        signals.append(
            Signal(Level.AMBER, f"The same referee is named for {facts.engagements_named_for} engagements.")
        )
    signals.extend(answer_signals(facts.answer))
    return Trust(tuple(signals))


@dataclass(frozen=True)
class Actions:
    """What ``actor`` may do with a request now, with the reason when not."""

    resend_problem: str | None
    replace_problem: str | None

    @property
    def can_resend(self) -> bool:
        return self.resend_problem is None

    @property
    def can_replace(self) -> bool:
        return self.replace_problem is None
