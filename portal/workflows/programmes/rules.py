"""A mentoring programme's rules on plain data: defaults, dates, goals, what is due, risk, results."""

from __future__ import annotations

import calendar
import math
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from statistics import mean
from typing import Any

from portal.dates import day
from portal.db import utcnow
from portal.enums import PairingState
from portal.workflows.refusals import Refused
from portal.workflows.texts import Localised, Text, read_text, read_texts

DEFAULTS_PATH = Path(__file__).with_name("programmes.toml")


@dataclass(frozen=True)
class CheckpointDefault:
    month: int
    title_text: Text | str
    description_text: Text | str
    # In the current language: a new programme's checkpoints start in its coordinator's language.
    title = Localised("title_text")
    description = Localised("description_text")


@dataclass(frozen=True)
class Question:
    key: str
    about: str  # "partner" or "programme"
    text_in: Text | str
    text = Localised("text_in")  # the question in the current language


@dataclass(frozen=True)
class MeetingExpectations:
    minimum_per_year: int
    recommended_min_per_year: int
    recommended_max_per_year: int
    face_to_face_per_year: int


@dataclass(frozen=True)
class ProgrammeDefaults:
    term_months: int
    goals_required: int
    confidentiality_text: Text
    meetings: MeetingExpectations
    checkpoints: tuple[CheckpointDefault, ...]
    reminder_days_before: int
    risk_days_without_meeting: int
    risk_goals_by_month: int
    supervision_link_days: int
    results_minimum_responses: int
    scale_texts: tuple[Text, ...]
    questions: tuple[Question, ...]

    # The confidentiality terms in the current language (a new programme's default).
    confidentiality = Localised("confidentiality_text")

    @property
    def scale(self) -> tuple[str, ...]:
        """The rating scale's words, from 1 to 5, in the current language."""
        return tuple(str(label) for label in self.scale_texts)

    def questions_about(self, about: str) -> tuple[Question, ...]:
        return tuple(question for question in self.questions if question.about == about)


def load_defaults(path: Path = DEFAULTS_PATH) -> ProgrammeDefaults:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    meetings = raw["meetings"]
    defaults = ProgrammeDefaults(
        term_months=int(raw["term_months"]),
        goals_required=int(raw["goals_required"]),
        confidentiality_text=read_text(raw, "confidentiality"),
        meetings=MeetingExpectations(
            **{key: int(meetings[key]) for key in MeetingExpectations.__dataclass_fields__}
        ),
        checkpoints=tuple(
            CheckpointDefault(int(c["month"]), read_text(c, "title"), read_text(c, "description", default=""))
            for c in raw["checkpoints"]
        ),
        reminder_days_before=int(raw["reminders"]["days_before_checkpoint"]),
        risk_days_without_meeting=int(raw["risk"]["days_without_meeting"]),
        risk_goals_by_month=int(raw["risk"]["goals_by_month"]),
        supervision_link_days=int(raw["supervision"]["link_valid_days"]),
        results_minimum_responses=int(raw["evaluation"]["minimum_responses"]),
        scale_texts=read_texts(raw["evaluation"], "scale"),
        questions=tuple(
            Question(str(q["key"]), str(q["about"]), read_text(q, "text"))
            for q in raw["evaluation"]["questions"]
        ),
    )
    if any(not 0 < c.month <= defaults.term_months for c in defaults.checkpoints):
        raise ValueError(
            f"{path}: every checkpoint's month must fall inside the {defaults.term_months}-month term"
        )
    if {q.about for q in defaults.questions} - {"partner", "programme"}:
        raise ValueError(f"{path}: evaluation questions are about the partner or the programme")
    return defaults


@cache
def defaults() -> ProgrammeDefaults:
    return load_defaults()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when shorter (31 January + 1: 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(start: date, term_months: int) -> date:
    """The last day of a term of ``term_months`` starting on ``start``."""
    return add_months(start, term_months) - timedelta(days=1)


def checkpoint_due(start: date, month: int) -> date:
    """A checkpoint of month N is due by the end of the term's Nth month."""
    return term_end(start, month)


def months_elapsed(start: date, today: date) -> int:
    """Whole months of the term completed by ``today``."""
    months = (today.year - start.year) * 12 + today.month - start.month
    if add_months(start, months) > today:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class GoalInput:
    description: str
    metric: str
    deadline: date | None


def agreement_problems(
    start: date | None, end: date | None, goals: Sequence[GoalInput], required: int
) -> dict[str, str]:
    """What stops the agreement being saved, keyed by field (``term_start``, ``goals-0-metric``, ...)."""
    problems: dict[str, str] = {}
    if start is None or end is None:
        problems["term_start"] = "Enter the date the term starts."
    goals = [*goals, *[GoalInput("", "", None)] * (required - len(goals))]
    for index, goal in enumerate(goals):
        number = index + 1
        if not goal.description:
            problems[f"goals-{index}-description"] = (
                f"Describe goal {number}: what specifically will be achieved."
            )
        if not goal.metric:
            problems[f"goals-{index}-metric"] = f"Say how goal {number} will be measured."
        if goal.deadline is None:
            problems[f"goals-{index}-deadline"] = f"Enter a deadline for goal {number}."
        elif start is not None and end is not None and not start <= goal.deadline <= end:
            problems[f"goals-{index}-deadline"] = (
                f"The deadline of goal {number} must fall inside the term, "
                f"between {day(start)} and {day(end)}."
            )
    return problems


def names_match(typed: str, account_name: str) -> bool:
    """A signature is the signer's own name as their account spells it, ignoring case and spacing."""
    return " ".join(typed.split()).casefold() == " ".join(account_name.split()).casefold()


class Progress(StrEnum):
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def checkpoint_progress(due_on: date, completed_on: date | None, today: date, days_before: int) -> Progress:
    if completed_on is not None:
        return Progress.DONE
    if today > due_on:
        return Progress.OVERDUE
    return Progress.DUE if today >= due_on - timedelta(days=days_before) else Progress.UPCOMING


def reminder_due(due_on: date, today: date, days_before: int) -> bool:
    """Remind in the days before a checkpoint; a checkpoint already past gets no "coming up" email."""
    return due_on - timedelta(days=days_before) <= today <= due_on


def term_start_problem(
    term_start: date, accepted_on: date | None, today: date, grace_days: int, allowed_from: date | None = None
) -> str | None:
    """Why an agreement's term cannot start on ``term_start``: before the pairing was accepted, or further in
    the past than the grace allows (a term that "started 400 days ago" would complete at once), unless a
    coordinator allowed this agreement to start from ``allowed_from``."""
    if accepted_on is not None and term_start < accepted_on:
        return f"The term cannot start before the pairing was accepted ({day(accepted_on)})."
    earliest = today - timedelta(days=grace_days)
    if allowed_from is not None and allowed_from < earliest:
        if term_start < allowed_from:
            return f"The term cannot start before {day(allowed_from)}, the earliest the coordinator allowed."
        return None
    if term_start < earliest:
        return f"The term cannot start more than {grace_days} days in the past (the earliest is {day(earliest)})."
    return None


def early_start_problem(earliest: date, accepted_on: date | None, today: date, grace_days: int) -> str | None:
    """Why a coordinator cannot let an agreement start from ``earliest``: no permission is needed within the
    grace, and none can let a term start before the pairing was accepted."""
    if earliest >= today - timedelta(days=grace_days):
        return f"A term may start up to {grace_days} days in the past without permission."
    if accepted_on is None:
        return "The mentor has not accepted this pairing yet."
    if earliest < accepted_on:
        return f"The term cannot start before the pairing was accepted ({day(accepted_on)})."
    return None


@dataclass(frozen=True)
class PairingEvidence:
    """What shows a completed pairing was real: the reviewer sees it, and a coordinator weighs it."""

    term_start: date | None
    term_end: date | None
    meetings: int
    meetings_required: int
    checkpoints_done: int
    checkpoints: int
    completed: bool
    party_ids: tuple[int, int]  # mentor, mentee


def verification_problems(evidence: PairingEvidence, coordinator_id: int) -> list[str]:
    """Why a coordinator cannot confirm the pairing as real (none when it holds)."""
    problems = []
    if coordinator_id in evidence.party_ids:
        problems.append("You are a party to this pairing: another coordinator must confirm it.")
    if not evidence.completed:
        problems.append("Only a completed pairing (its term run, both evaluations in) can be confirmed.")
    if evidence.meetings < evidence.meetings_required:
        problems.append(
            f"{evidence.meetings} of the programme's minimum {evidence.meetings_required} meetings were logged "
            f"during the term."
        )
    if evidence.checkpoints_done < evidence.checkpoints:
        problems.append(f"{evidence.checkpoints_done} of {evidence.checkpoints} checkpoints were met.")
    return problems


@dataclass(frozen=True)
class Person:
    """An account as the pairing flags compare it."""

    email: str
    created_at: datetime
    last_login_ip: str | None = None
    last_login_user_agent: str | None = None
    signup_address: str | None = None  # keyed digests, compared only for equality
    signup_device: str | None = None


ACCOUNTS_CREATED_CLOSE = timedelta(days=7)


def pairing_flags(mentor: Person, mentee: Person, free_mail_domains: frozenset[str]) -> list[str]:
    """Why a pairing may be one person on both sides: told to the coordinator, never a decision by itself."""
    flags = []
    domain = mentor.email.strip().lower().rpartition("@")[2]
    if domain == mentee.email.strip().lower().rpartition("@")[2] and domain not in free_mail_domains:
        flags.append(f"Both accounts use the same email domain ({domain}).")
    if mentor.last_login_ip and mentor.last_login_ip == mentee.last_login_ip:
        device = mentor.last_login_user_agent and mentor.last_login_user_agent == mentee.last_login_user_agent
        flags.append(
            "Both last signed in from the same network address" + (" and browser." if device else ".")
        )
    if mentor.signup_address and mentor.signup_address == mentee.signup_address:
        flags.append("Both accounts were signed up from the same network address.")
    if mentor.signup_device and mentor.signup_device == mentee.signup_device:
        flags.append("Both accounts were signed up from the same browser on the same kind of device.")
    if abs(mentor.created_at - mentee.created_at) <= ACCOUNTS_CREATED_CLOSE:
        flags.append("The two accounts were created within a week of each other.")
    return flags


@dataclass(frozen=True)
class MeetingRecord:
    held_on: date
    is_face_to_face: bool


@dataclass(frozen=True)
class Expectation:
    label: str
    required: int
    actual: int
    progress: Progress
    detail: str


def expected_count(per_year: int, term_months: int) -> int:
    """How many a term of ``term_months`` needs at ``per_year`` (rounded up: half a meeting is a meeting)."""
    return math.ceil(per_year * term_months / 12)


def meeting_expectations(
    meetings: Iterable[MeetingRecord],
    start: date,
    end: date,
    term_months: int,
    expectations: MeetingExpectations,
    today: date,
) -> list[Expectation]:
    """Meetings held so far against the programme's expectations, pro rata for the months gone by."""
    held = [meeting for meeting in meetings if start <= meeting.held_on <= min(today, end)]
    face_to_face = sum(1 for meeting in held if meeting.is_face_to_face)
    elapsed = min(months_elapsed(start, today), term_months)
    finished = today > end

    def expectation(label: str, per_year: int, actual: int, what: str) -> Expectation:
        required = expected_count(per_year, term_months)
        by_now = required if finished else math.floor(per_year * elapsed / 12)
        if actual >= required:
            progress = Progress.DONE
        elif actual < by_now:
            progress = Progress.OVERDUE
        else:
            progress = Progress.DUE
        detail = f"{actual} of at least {required} {what} by {day(end)}"
        return Expectation(label, required, actual, progress, detail)

    recommended = (
        f"{expected_count(expectations.recommended_min_per_year, term_months)} to "
        f"{expected_count(expectations.recommended_max_per_year, term_months)} recommended"
    )
    minimum = expectation("Meetings", expectations.minimum_per_year, len(held), "meetings")
    return [
        Expectation(
            minimum.label,
            minimum.required,
            minimum.actual,
            minimum.progress,
            f"{minimum.detail} ({recommended})",
        ),
        expectation(
            "Face-to-face meetings", expectations.face_to_face_per_year, face_to_face, "face-to-face meetings"
        ),
    ]


@dataclass(frozen=True)
class PairFacts:
    """What the risk rules look at for one active or forming pair."""

    matched_on: date
    term_start: date | None
    last_meeting_on: date | None
    goals: int
    overdue_checkpoints: int


def risks(facts: PairFacts, today: date, settings: ProgrammeDefaults | None = None) -> list[str]:
    """Why a pair needs the coordinator's attention; empty when it does not."""
    settings = settings or defaults()
    reasons = []
    since = facts.last_meeting_on or facts.term_start or facts.matched_on
    days = settings.risk_days_without_meeting
    if (today - since).days > days:
        reasons.append(
            f"No meeting in {days} days"
            if facts.last_meeting_on
            else f"No meeting yet, {(today - since).days} days in"
        )
    if facts.overdue_checkpoints:
        plural = "s" if facts.overdue_checkpoints != 1 else ""
        reasons.append(f"{facts.overdue_checkpoints} checkpoint{plural} overdue")
    goals_by = add_months(facts.term_start or facts.matched_on, settings.risk_goals_by_month)
    if facts.goals < settings.goals_required and today >= goals_by:
        reasons.append(f"No goals agreed by month {settings.risk_goals_by_month}")
    return reasons


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    responses: int
    average: float | None
    distribution: tuple[int, ...]  # how many answered 1, 2, ... on the scale


def question_results(
    ratings: Iterable[dict], questions: Sequence[Question], scale_size: int
) -> list[QuestionResult]:
    """Per-question counts and averages: no answer is traceable to a person or a pair."""
    ratings = list(ratings)
    results = []
    for question in questions:
        answers = [
            value
            for r in ratings
            if isinstance(value := r.get(question.key), int) and 1 <= value <= scale_size
        ]
        distribution = tuple(answers.count(value) for value in range(1, scale_size + 1))
        results.append(
            QuestionResult(question, len(answers), round(mean(answers), 1) if answers else None, distribution)
        )
    return results


S = PairingState


def both_signed(pairing, actor) -> list[str]:
    """The activate guard: the agreement carries both signatures."""
    return [] if pairing.is_signed else ["Both of you sign the agreement before it starts."]


class ProgrammeError(Refused):
    """The operation is not allowed now; the message says why."""


class ProblemsFound(ProgrammeError):
    """Submitted data breaks a rule; ``problems`` maps a form field's name to its message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(fields=problems)


def today() -> date:
    return utcnow().date()


PROGRAMME_FIELDS = (
    "name",
    "description",
    "term_months",
    "minimum_meetings_per_year",
    "recommended_meetings_min",
    "recommended_meetings_max",
    "face_to_face_per_year",
    "confidentiality_terms",
    "is_open",
)


def _programme_problems(data: dict[str, Any]) -> dict[str, str]:
    problems = {}
    if data["recommended_meetings_max"] < data["recommended_meetings_min"]:
        problems["recommended_meetings_max"] = "The recommended range must run from the lower number up."
    if data["minimum_meetings_per_year"] > data["recommended_meetings_max"]:
        problems["minimum_meetings_per_year"] = "The minimum cannot be above the recommended meetings."
    outside = [month for month, _, _ in data["checkpoints"] if not 0 < month <= data["term_months"]]
    if outside:
        problems["checkpoints"] = (
            f"Checkpoint months must fall inside the {data['term_months']}-month term "
            f"(not {', '.join(map(str, outside))})."
        )
    return problems


PROFILE_FIELDS = ("expertise", "sector", "region", "bio", "capacity", "is_published")


CONFLICT_LABELS = {
    "is_manager_or_subordinate": "manager and subordinate",
    "is_direct_competitor": "direct competitors",
    "is_same_reporting_line": "in the same reporting line",
}


MEETING_FIELDS = ("held_on", "starts_at", "mode", "duration_minutes", "notes")


ACTION_LABELS = {
    "verify": "Confirmed as real by a coordinator",
    "request": "Mentor requested",
    "pair": "Paired by the coordinator",
    "renew": "Renewed for a new term",
    "accept": "Request accepted",
    "decline": "Request declined",
    "withdraw": "Pairing withdrawn",
    "declare": "Conflicts of interest declared",
    "block": "Stopped by a conflict of interest",
    "clear": "No conflicts of interest: agreement next",
    "write_agreement": "Agreement written",
    "sign": "Agreement signed",
    "activate": "Agreement in force",
    "log_meeting": "Meeting logged",
    "complete_checkpoint": "Checkpoint done",
    "note_goal": "Goal progress noted",
    "remind_checkpoint": "Checkpoint reminder sent",
    "evaluate": "Final evaluation submitted",
    "confirm_engagement": "Engagement confirmed by the protégé",
    "complete": "Completed",
    "propose_renewal": "Renewal proposed",
    "agree_renewal": "Renewal agreed",
    "write_career_plan": "Career plan written",
    "change_career_plan": "Career plan changed",
    "review_career_plan": "Career plan reviewed",
    "log_experience": "Experience logged",
    "acknowledge_experience": "Experience acknowledged by the mentor",
    "close_out": "Close-out recorded",
    "join_chapter": "Chapter chosen",
}


SUPERVISION_FIELDS = ("supervisor_name", "supervisor_email", "held_on", "duration_minutes", "focus")
