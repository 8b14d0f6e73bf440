"""Reviewing: the queue (filters, waiting time against the catalogue's target, assignment), conflicts of
interest, the reviewer's checklist and notes, and the decisions: approve, return for changes, reject."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from portal.dates import day
from portal.db import db, utcnow
from portal.enums import ApplicationState, DocumentStatus
from portal.models.applications import Application
from portal.models.references import ReferenceRequest
from portal.models.users import User
from portal.workflows.refusals import Refused

S = ApplicationState


OPEN = (
    S.SUBMITTED,
    S.AWAITING_PAYMENT,
    S.IN_REVIEW,
    S.AWAITING_SECOND_REVIEW,
    S.INFORMATION_REQUESTED,
    S.RETURNED,
    S.RESUBMITTED,
)


# The review clock runs while the portal, not the applicant, has the next move.
CLOCK_RUNNING = (S.IN_REVIEW, S.AWAITING_SECOND_REVIEW, S.RESUBMITTED)
# It stands still while the applicant owes an answer to a reviewer's question.
CLOCK_PAUSED = (S.INFORMATION_REQUESTED,)
# A reviewer works on the evidence (verification contacts, disputes, the prior credential) meanwhile too.
UNDER_REVIEW = CLOCK_RUNNING + CLOCK_PAUSED


STATE_FILTERS = {"active": CLOCK_RUNNING, "open": OPEN, "all": tuple(S)}


@dataclass(frozen=True)
class QueueFilters:
    state: str = "active"  # "active", "open", "all" or one state's value
    credential: str = ""
    centre_status: str = ""
    reviewer: str = ""  # "" anyone, "me", "none" (unassigned), or a reviewer's id
    overdue: bool = False
    sort: str = "oldest"  # longest waiting first, or "newest"


def _states(value: str) -> tuple[ApplicationState, ...]:
    if value in STATE_FILTERS:
        return STATE_FILTERS[value]
    try:
        return (ApplicationState(value),)
    except ValueError:
        return CLOCK_RUNNING


@dataclass(frozen=True)
class ReviewClock:
    """Time waited since payment against the catalogue's review target, less the days it stood still."""

    started_at: datetime | None
    due_at: datetime | None
    target_weeks: int | None
    waited_days: int
    overdue: bool
    paused_since: datetime | None = None  # the applicant owes an answer: no expected date meanwhile

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

    @property
    def days_left(self) -> int | None:
        return None if self.target_weeks is None else self.target_weeks * 7 - self.waited_days

    @property
    def summary(self) -> str:
        if self.started_at is None:
            return _("Not started (waiting for payment)")
        days, waited = self.target_weeks * 7, self.waited_days
        if self.paused:
            return ngettext(
                "%(waited)s of %(num)d day – paused, waiting for the applicant",
                "%(waited)s of %(num)d days – paused, waiting for the applicant",
                days,
                waited=waited,
            )
        if self.overdue:
            return ngettext(
                "%(waited)s of %(num)d day – overdue",
                "%(waited)s of %(num)d days – overdue",
                days,
                waited=waited,
            )
        return ngettext("%(waited)s of %(num)d day", "%(waited)s of %(num)d days", days, waited=waited)


def paused_days(paused_at: datetime, resumed_at: datetime) -> int:
    """The whole days the clock stood still: from the day of the question to the day of the answer, so a
    question answered the same day costs none and one answered a week later moves the date a week."""
    return max((resumed_at.date() - paused_at.date()).days, 0)


def clock_moved(days: int, due: date | datetime) -> str:
    """What an answered or closed question did to the review clock, as the timeline says it."""
    return ngettext(
        "The review clock stood still for %(num)d day: the expected decision date is now %(day)s.",
        "The review clock stood still for %(num)d days: the expected decision date is now %(day)s.",
        days,
        day=day(due),
    )


_DAY = r"\d{1,2} [A-Z][a-z]+ \d{4}"  # a date as the house English writes it: "3 January 2027"
_CLOCK_MOVED = re.compile(
    rf"The review clock stood still for (?P<days>\d+) days?: the expected decision date is now (?P<day>{_DAY})\.$"
)
_ASSIGNED = re.compile(r"^Assigned to (?P<person>.+)$", re.S)
_VERIFIED = re.compile(
    rf"^(?P<mentee>[^\n]+?): (?P<contact>[^\n]+?), (?P<method>[^\n]+?) on (?P<day>{_DAY}), "
    r"(?P<outcome>confirmed|did not confirm)\. (?P<note>.*)$",
    re.S,
)
_NOTHING_BY_HAND = "Nothing was accepted by hand: every document was read and every check made by the portal."
_BY_HAND = re.compile(r"^Accepted by hand: (?P<lines>.+)$", re.S)


def _stored_day(text: str) -> date:
    return datetime.strptime(text, "%d %B %Y").date()


def reason_shown(reason: str | None) -> str | None:
    """A timeline reason as stored (in the house English) in the reader's language, where the portal wrote it:
    an assignment, a verification contact, what an approval accepted by hand, the review clock moved by a
    question (:func:`clock_moved`). What a person wrote stays as they wrote it."""
    if not reason:
        return reason
    if reason == _NOTHING_BY_HAND:
        return _("Nothing was accepted by hand: every document was read and every check made by the portal.")
    if found := _BY_HAND.match(reason):
        return _("Accepted by hand: %(lines)s", lines=found["lines"])
    if found := _ASSIGNED.match(reason):
        return _("Assigned to %(person)s", person=found["person"])
    if found := _VERIFIED.match(reason):
        values = {**found.groupdict(), "day": day(_stored_day(found["day"]))}
        if found["outcome"] == "confirmed":
            return _("%(mentee)s: %(contact)s, %(method)s on %(day)s, confirmed. %(note)s", **values)
        return _("%(mentee)s: %(contact)s, %(method)s on %(day)s, did not confirm. %(note)s", **values)
    if found := _CLOCK_MOVED.search(reason):
        return reason[: found.start()] + clock_moved(int(found["days"]), _stored_day(found["day"]))
    return reason


def resumed_due(due_at: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
    """The expected decision date once the clock runs again: later by the days it stood still."""
    return due_at + timedelta(days=paused_days(paused_at, resumed_at))


def clock(application: Application, now: datetime | None = None) -> ReviewClock:
    now = now or utcnow()
    if application.paid_at is None or application.review_due_at is None:
        return ReviewClock(None, None, None, 0, False)
    end = application.decided_at or now
    stood_still = application.clock_paused_days or 0
    paused_since = application.clock_paused_at if application.state in CLOCK_PAUSED else None
    if paused_since is not None:
        stood_still += paused_days(paused_since, end)
    # review_due_at has moved by the pauses already over: the target is what is left once they are taken off.
    weeks = round(
        ((application.review_due_at - application.paid_at).days - (application.clock_paused_days or 0)) / 7
    )
    overdue = application.state in CLOCK_RUNNING and now > application.review_due_at
    return ReviewClock(
        application.paid_at,
        application.review_due_at,
        weeks,
        max((end - application.paid_at).days - stood_still, 0),
        overdue,
        paused_since,
    )


def _email(value: str | None) -> str:
    return (value or "").strip().lower()


# Each way a member of staff can appear on an application, as the whole sentence that says so.
_CONFLICTS = {
    "applicant": _l("%(person)s appears on %(reference)s as the applicant, so cannot review it."),
    "referee": _l("%(person)s appears on %(reference)s as a referee, so cannot review it."),
    "supervisor": _l("%(person)s appears on %(reference)s as the supervisor, so cannot review it."),
    "mentee": _l("%(person)s appears on %(reference)s as a mentee, so cannot review it."),
    "partner": _l(
        "%(person)s appears on %(reference)s as a partner in one of its programme pairings, so cannot review it."
    ),
}


def conflicts(application: Application, reviewer: User) -> list[str]:
    """Why ``reviewer`` (any member of staff) may not act on ``application``: they appear on it as the
    applicant (the account or the same email), a referee, the supervisor, a mentee, or the other party of a
    programme pairing it counts. The one conflict rule: the loaders, the guards and the operations ask it."""
    email = _email(reviewer.email)
    roles: list[str] = []
    if application.applicant_id == reviewer.id or email in {
        _email(application.applicant.email),
        _email(application.contact_email),
    }:
        roles.append("applicant")
    referees = {_email(e.referee_email) for e in application.engagements} | set(
        db.session.scalars(
            select(func.lower(ReferenceRequest.referee_email)).where(
                ReferenceRequest.application_id == application.id
            )
        )
    )
    if email in referees:
        roles.append("referee")
    supervisors = {_email(application.supervisor_email)} | {
        _email(y.supervisor_email) for y in application.supervision_years
    }
    if email in supervisors:
        roles.append("supervisor")
    if email in {_email(e.mentee_email) for e in application.engagements}:
        roles.append("mentee")
    partners = {
        person_id
        for e in application.engagements
        if e.pairing is not None
        for person_id in (e.pairing.mentor_id, e.pairing.mentee_id)
    }
    if reviewer.id in partners and "applicant" not in roles:
        roles.append("partner")
    return [
        str(_CONFLICTS[role]) % {"person": reviewer.full_name, "reference": application.reference}
        for role in roles
    ]


def _outcome_counts(outcomes: list[str]) -> str:
    """ "2 confirmed, 1 not found": how many fields the cross-check confirmed, contradicted or did not find."""
    counted = {outcome: outcomes.count(outcome) for outcome in ("confirmed", "contradicted", "not_found")}
    return ", ".join(
        text
        for outcome, text in (
            ("confirmed", ngettext("%(num)d confirmed", "%(num)d confirmed", counted["confirmed"])),
            (
                "contradicted",
                ngettext("%(num)d contradicted", "%(num)d contradicted", counted["contradicted"]),
            ),
            ("not_found", ngettext("%(num)d not found", "%(num)d not found", counted["not_found"])),
        )
        if counted[outcome]
    )


def _summary(how: str, counts: str) -> str:
    if not counts:
        return _("%(how)s: nothing to compare in the cross-check", how=how)
    return _("%(how)s: %(counts)s in the cross-check", how=how, counts=counts)


def cross_check_summary(status: DocumentStatus, outcomes: list[str]) -> str:
    """What the document worker made of a letter, in words: its status and its cross-check's outcomes."""
    if status in (DocumentStatus.QUEUED, DocumentStatus.MANUAL):
        return _("not read by the portal (%(status)s)", status=status.label.lower())
    how = _("checked by hand") if status == DocumentStatus.CHECKED_BY_HAND else status.label.lower()
    return _summary(how, _outcome_counts(outcomes))


_NOT_READ = re.compile(r"^not read by the portal \((?P<status>.+)\)$")
_SUMMARY = re.compile(r"^(?P<how>.+?): (?P<counts>.+) in the cross-check$")
_COUNT = re.compile(r"^(?P<num>\d+) (?P<outcome>confirmed|contradicted|not found)$")


def cross_check_shown(stored: str | None) -> str:
    """A :func:`cross_check_summary` stored in English (on a verification) in the reader's language; anything
    else as stored."""
    if not stored:
        return ""
    if found := _NOT_READ.match(stored):
        return _("not read by the portal (%(status)s)", status=found["status"])
    found = _SUMMARY.match(stored)
    if found is None:
        return stored
    how = _("checked by hand") if found["how"] == "checked by hand" else found["how"]
    if found["counts"] == "nothing to compare":
        return _summary(how, "")
    outcomes: list[str] = []
    for part in found["counts"].split(", "):
        count = _COUNT.match(part)
        if count is None:
            return stored
        outcomes += [count["outcome"].replace(" ", "_")] * int(count["num"])
    return _summary(how, _outcome_counts(outcomes))


def cross_check_passed(status: DocumentStatus, outcomes: list[str]) -> bool:
    """Read by the portal, with something confirmed and nothing contradicted."""
    return status == DocumentStatus.READ and "confirmed" in outcomes and "contradicted" not in outcomes


def letter_acceptance_problem(status: DocumentStatus, outcomes: list[str], reason: str | None) -> str | None:
    """A letter the portal could not read, or whose cross-check did not pass, is accepted only with a reason."""
    if cross_check_passed(status, outcomes) or (reason or "").strip():
        return None
    return _(
        "The letter's cross-check did not pass (%(cross_check)s): say why you accept it.",
        cross_check=cross_check_summary(status, outcomes),
    )


class AssignmentRefused(Refused):
    """The application cannot go to that reviewer now."""
