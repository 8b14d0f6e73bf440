"""THE transition table: for every stateful thing, every move it can make, who may make it, what must hold.

Data only: one :class:`Machine` per subject (applications, mentoring pairings, reference requests, documents,
supervision sessions, supervisor declarations). ``portal.workflows.engine.apply_transition`` is the one function that applies it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from importlib import import_module
from typing import Any

from portal.enums import (
    ApplicationState,
    DeclarationStatus,
    DocumentStatus,
    ExperienceState,
    PairingState,
    ReferenceStatus,
    Role,
    SupervisionStatus,
    WebhookEventType,
)

Guard = Callable[[Any, Any], list[str]]  # (subject, actor: User | None) -> problems, none when it holds

# Who may take a move: kinds of actor, worked out by the engine for each subject and person.
APPLICANT = "owner"  # the subject's own applicant (not any account with the applicant role)
OWNER = APPLICANT
SYSTEM = "system"  # the portal itself (a job, an operation's follow-up step, a token link's holder)
REVIEWER = Role.REVIEWER.value
ADMIN = Role.ADMIN.value
MENTOR = "mentor"  # of this pairing
MENTEE = "mentee"  # of this pairing
COORDINATOR = "coordinator"  # of mentoring programmes
STAFF = frozenset({REVIEWER, ADMIN})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    past: str  # completes "An application that is draft cannot be ..."
    sources: frozenset[StrEnum]
    target: StrEnum
    actors: frozenset[str]
    reason_required: bool = False
    guards: tuple[Guard, ...] = field(default=())
    notify: str | None = None  # email template; the machine's notifier knows who receives it
    stamps: tuple[str, ...] = ()  # timestamp columns set to now by this move, when not set yet
    event: WebhookEventType | None = None  # what webhook endpoints hear of this move


@dataclass(frozen=True)
class Machine:
    """The moves of one kind of subject. Functions are named by ``"module:name"`` paths (see :func:`guard`)."""

    table: str  # the subject model's ``__tablename__``: how the engine finds the machine of a subject
    noun: str  # "application", used in refusals
    states: type[StrEnum]
    transitions: tuple[Transition, ...]
    column: str = "state"  # the model's state column
    owner: str | None = None  # dotted attribute path to the id of the subject's owner (kind OWNER)
    kinds: str | None = None  # (subject, actor) -> further kinds the actor counts as, e.g. MENTOR
    refusal: str | None = None  # the aggregate's own Refused subclass, also raised (its views catch it)
    notifier: str | None = None  # (subject, transition, actor, reason) -> None: sends ``transition.notify``
    wrong_state: str = "A {noun} that is {state} cannot be {past}."
    changed: str = "Someone changed this {noun} a moment ago. Reload the page and try again."

    @cached_property
    def by_action(self) -> dict[str, Transition]:
        return {transition.action: transition for transition in self.transitions}


def resolve(path: str) -> Any:
    """The object at ``"module:name"``."""
    module_name, _, name = path.partition(":")
    return getattr(import_module(module_name), name)


def guard(path: str) -> Guard:
    """The guard at ``"module:function"``, imported when first run; it receives ``(subject, actor)``.

    The table names guards by path because it sits below the aggregates whose rules it names: importing
    them here would make every aggregate's operations import each other through the engine.
    """

    def run(subject: Any, actor: Any) -> list[str]:
        return resolve(path)(subject, actor)

    run.__name__ = path.partition(":")[2]
    run.path = path  # type: ignore[attr-defined]
    return run


# --- Applications ---------------------------------------------------------------------------------------

S = ApplicationState
_eligible_to_submit = guard("portal.workflows.applications.eligibility:submit_problems")
_not_conflicted = guard("portal.workflows.review.guards:not_conflicted")
_fee_paid = guard("portal.workflows.review.guards:fee_paid")
_APPROVAL = tuple(
    guard(f"portal.workflows.review.guards:{name}")
    for name in (
        "fee_paid",
        "membership_settled",
        "disputes_resolved",
        "references_confirmed",
        "supervisor_confirmed",
        "supervision_confirmed",
        "documents_settled",
        "prerequisite_held",
    )
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        "Submit",
        "submitted",
        frozenset({S.DRAFT}),
        S.SUBMITTED,
        frozenset({APPLICANT}),
        guards=(_eligible_to_submit,),
        notify="application_received",
        stamps=("submitted_at",),
        event=WebhookEventType.APPLICATION_SUBMITTED,
    ),
    Transition(
        "request_payment",
        "Request payment",
        "sent for payment",
        frozenset({S.SUBMITTED}),
        S.AWAITING_PAYMENT,
        frozenset({SYSTEM}),
        notify="payment_requested",
    ),
    Transition(
        "record_payment",
        "Record payment",
        "marked as paid",
        frozenset({S.AWAITING_PAYMENT}),
        S.IN_REVIEW,
        frozenset({ADMIN, SYSTEM}),
        guards=(_not_conflicted, _fee_paid),
        notify="review_started",
        event=WebhookEventType.PAYMENT_RECORDED,
    ),
    # Where the catalogue asks for two approvals, the first moves the application to wait for a second,
    # different reviewer; the guards choose which of the two moves an approval is.
    Transition(
        "approve_first",
        "Approve (first of two)",
        "approved for a second review",
        frozenset({S.IN_REVIEW}),
        S.AWAITING_SECOND_REVIEW,
        STAFF,
        guards=(_not_conflicted, guard("portal.workflows.review.guards:another_approval_needed"), *_APPROVAL),
    ),
    Transition(
        "approve",
        "Approve",
        "approved",
        frozenset({S.IN_REVIEW, S.AWAITING_SECOND_REVIEW}),
        S.APPROVED,
        STAFF,
        guards=(
            _not_conflicted,
            guard("portal.workflows.review.guards:approvals_complete"),
            guard("portal.workflows.review.guards:not_the_first_approver"),
            *_APPROVAL,
        ),
        notify="application_decided",
        stamps=("decided_at",),
        event=WebhookEventType.APPLICATION_DECIDED,
    ),
    Transition(
        "return",
        "Return for changes",
        "returned for changes",
        frozenset({S.IN_REVIEW, S.AWAITING_SECOND_REVIEW}),
        S.RETURNED,
        STAFF,
        reason_required=True,
        guards=(_not_conflicted, guard("portal.workflows.review.guards:sections_reopened")),
        notify="application_returned",
    ),
    Transition(
        "reject",
        "Reject",
        "rejected",
        frozenset({S.IN_REVIEW, S.AWAITING_SECOND_REVIEW}),
        S.REJECTED,
        STAFF,
        reason_required=True,
        guards=(_not_conflicted,),
        notify="application_decided",
        stamps=("decided_at",),
        event=WebhookEventType.APPLICATION_DECIDED,
    ),
    Transition(
        "request_information",
        "Request information",
        "asked a question",
        frozenset({S.IN_REVIEW}),
        S.INFORMATION_REQUESTED,
        STAFF,
        reason_required=True,  # the question itself
        guards=(_not_conflicted,),
        notify="information_requested",
    ),
    Transition(
        "answer_information",
        "Answer the question",
        "answered",
        frozenset({S.INFORMATION_REQUESTED}),
        S.IN_REVIEW,
        frozenset({APPLICANT}),
        notify="answer_received",
    ),
    Transition(
        "close_question",
        "Close the question",
        "taken back into review without an answer",
        frozenset({S.INFORMATION_REQUESTED}),
        S.IN_REVIEW,
        STAFF,
        reason_required=True,
        guards=(_not_conflicted,),
        notify="question_closed",
    ),
    Transition(
        "resubmit",
        "Resubmit",
        "resubmitted",
        frozenset({S.RETURNED}),
        S.RESUBMITTED,
        frozenset({APPLICANT}),
        guards=(_eligible_to_submit,),
        notify="application_resubmitted",
        event=WebhookEventType.APPLICATION_SUBMITTED,
    ),
    Transition(
        "resume_review",
        "Resume review",
        "taken back into review",
        frozenset({S.RESUBMITTED}),
        S.IN_REVIEW,
        STAFF | {SYSTEM},
        guards=(_not_conflicted,),
        notify="review_resumed",
    ),
    Transition(
        "withdraw",
        "Withdraw",
        "withdrawn",
        frozenset(
            {
                S.DRAFT,
                S.SUBMITTED,
                S.AWAITING_PAYMENT,
                S.IN_REVIEW,
                S.INFORMATION_REQUESTED,
                S.AWAITING_SECOND_REVIEW,
                S.RETURNED,
                S.RESUBMITTED,
            }
        ),
        S.WITHDRAWN,
        frozenset({APPLICANT}),
        notify="application_withdrawn",
        stamps=("submitted_at",),  # a draft withdrawn counts as handed in, then withdrawn
    ),
)

BY_ACTION: dict[str, Transition] = {transition.action: transition for transition in TRANSITIONS}

APPLICATIONS = Machine(
    table="applications",
    noun="application",
    states=ApplicationState,
    transitions=TRANSITIONS,
    owner="applicant_id",
    notifier="portal.workflows.engine:notify_applicant_of",
    wrong_state="An application that is {state} cannot be {past}.",
    changed="Someone else changed this application a moment ago. Reload the page and try again.",
)


# --- Mentoring pairings ---------------------------------------------------------------------------------

P = PairingState
PAIRINGS = Machine(
    table="pairings",
    noun="pairing",
    states=PairingState,
    transitions=(
        Transition(
            "accept",
            "Accept",
            "accepted",
            frozenset({P.REQUESTED}),
            P.DECLARING,
            frozenset({MENTOR}),
            guards=(guard("portal.workflows.programmes.queries:has_places"),),
            notify="mentor_request_answered",
            stamps=("matched_at",),
        ),
        Transition(
            "decline",
            "Decline",
            "declined",
            frozenset({P.REQUESTED}),
            P.DECLINED,
            frozenset({MENTOR}),
            notify="mentor_request_answered",
        ),
        Transition(
            "withdraw",
            "Withdraw",
            "withdrawn",
            frozenset({P.REQUESTED, P.DECLARING, P.AGREEING}),
            P.WITHDRAWN,
            frozenset({MENTOR, MENTEE}),
            notify="pairing_withdrawn",
        ),
        Transition(
            "block",
            "Declare a conflict",
            "blocked",
            frozenset({P.DECLARING}),
            P.BLOCKED,
            frozenset({MENTOR, MENTEE}),
            reason_required=True,
            notify="conflict_declared",
        ),
        Transition(
            "clear",
            "Open the agreement",
            "cleared",
            frozenset({P.DECLARING}),
            P.AGREEING,
            frozenset({SYSTEM}),
            notify="agreement_ready",
        ),
        Transition(
            "activate",
            "Start",
            "started",
            frozenset({P.AGREEING}),
            P.ACTIVE,
            frozenset({SYSTEM}),
            guards=(guard("portal.workflows.programmes.rules:both_signed"),),
            notify="agreement_signed",
        ),
        Transition(
            "complete",
            "Complete",
            "completed",
            frozenset({P.ACTIVE}),
            P.COMPLETED,
            frozenset({SYSTEM}),
            stamps=("completed_at",),
        ),
    ),
    kinds="portal.workflows.programmes.queries:pairing_kinds",
    refusal="portal.workflows.programmes.rules:ProgrammeError",
    notifier="portal.workflows.programmes.operations:notify_pairing",
    wrong_state="This pairing is {state}: that cannot be done now.",
)


# --- Reference requests ---------------------------------------------------------------------------------

R = ReferenceStatus
_OPEN = frozenset({R.PENDING, R.SENT, R.REMINDED})
_REFERENCE_ANSWERS = tuple(
    Transition(
        action,
        label,
        past,
        _OPEN,
        target,
        frozenset({SYSTEM}),  # the referee, through their link: not an account
        notify="reference_answered",
        stamps=("answered_at",),
    )
    for action, label, past, target in (
        ("confirm", "Confirm", "confirmed", R.CONFIRMED),
        ("correct", "Correct", "corrected", R.CORRECTED),
        ("decline", "Decline", "declined", R.DECLINED),
    )
)
REFERENCE_REQUESTS = Machine(
    table="reference_requests",
    noun="reference request",
    states=ReferenceStatus,
    column="status",
    transitions=(
        Transition("send", "Send", "sent", frozenset({R.PENDING}), R.SENT, frozenset({SYSTEM})),
        Transition(
            "remind", "Remind", "reminded", frozenset({R.SENT, R.REMINDED}), R.REMINDED, frozenset({SYSTEM})
        ),
        *_REFERENCE_ANSWERS,
        Transition(
            "expire", "Expire", "expired", _OPEN, R.EXPIRED, frozenset({SYSTEM}), notify="reference_expired"
        ),
        Transition(
            "bounce", "Bounce", "bounced", _OPEN, R.BOUNCED, frozenset({SYSTEM}), notify="reference_bounced"
        ),
        Transition(
            "supersede",
            "Replace",
            "replaced",
            _OPEN | {R.EXPIRED, R.BOUNCED},
            R.SUPERSEDED,
            STAFF | {OWNER, SYSTEM},
            guards=(guard("portal.workflows.review.guards:reference_not_conflicted"),),
        ),
    ),
    owner="application.applicant_id",
    notifier="portal.workflows.references.operations:notify_reference",
)
ANSWER_ACTIONS = {"confirm": R.CONFIRMED, "correct": R.CORRECTED, "decline": R.DECLINED}


# --- Documents ------------------------------------------------------------------------------------------

D = DocumentStatus
_document_not_conflicted = guard("portal.workflows.review.guards:document_not_conflicted")
DOCUMENTS = Machine(
    table="documents",
    noun="document",
    states=DocumentStatus,
    column="status",
    transitions=(
        Transition("read", "Read", "read", frozenset({D.QUEUED}), D.READ, frozenset({SYSTEM})),
        Transition(
            "flag",
            "Flag",
            "flagged for attention",
            frozenset({D.QUEUED}),
            D.NEEDS_ATTENTION,
            frozenset({SYSTEM}),
        ),
        Transition(
            "hand_over",
            "Hand over to a person",
            "handed over to a person",
            frozenset({D.QUEUED}),
            D.MANUAL,
            frozenset({SYSTEM}),
        ),
        Transition(
            "reprocess",
            "Read again",
            "sent to be read again",
            frozenset(D),
            D.QUEUED,
            STAFF | {SYSTEM},  # the portal, when the applicant changes what the document is checked against
            guards=(_document_not_conflicted,),
        ),
        Transition(
            "check_by_hand",
            "Check by hand",
            "checked by hand",
            frozenset(D) - {D.CHECKED_BY_HAND},
            D.CHECKED_BY_HAND,
            STAFF,
            guards=(_document_not_conflicted,),
        ),
    ),
)


# --- Supervision sessions -------------------------------------------------------------------------------

V = SupervisionStatus
SUPERVISION_SESSIONS = Machine(
    table="supervision_sessions",
    noun="supervision session",
    states=SupervisionStatus,
    column="status",
    transitions=(
        Transition(
            "confirm_supervision",
            "Confirm",
            "confirmed",
            frozenset({V.PENDING}),
            V.CONFIRMED,
            frozenset({SYSTEM}),  # the supervisor, through their link
            stamps=("answered_at",),
        ),
        Transition(
            "decline_supervision",
            "Decline",
            "declined",
            frozenset({V.PENDING}),
            V.DECLINED,
            frozenset({SYSTEM}),
            stamps=("answered_at",),
        ),
        # The one sweep of requests answered by link: a reminder keeps the session waiting; expiry ends it.
        Transition("remind", "Remind", "reminded", frozenset({V.PENDING}), V.PENDING, frozenset({SYSTEM})),
        Transition("expire", "Expire", "expired", frozenset({V.PENDING}), V.EXPIRED, frozenset({SYSTEM})),
    ),
    owner="mentor_id",
    refusal="portal.workflows.programmes.rules:ProgrammeError",
    wrong_state="This session has already been answered.",
    changed="This session has already been answered.",
)


# --- Supervisor declarations ----------------------------------------------------------------------------

SD = DeclarationStatus
_WAITING = frozenset({SD.PENDING, SD.SENT, SD.REMINDED})
SUPERVISOR_DECLARATIONS = Machine(
    table="supervisor_declarations",
    noun="supervisor declaration",
    states=DeclarationStatus,
    column="status",
    transitions=(
        Transition("send", "Send", "sent", frozenset({SD.PENDING}), SD.SENT, frozenset({SYSTEM})),
        Transition(
            "remind",
            "Remind",
            "reminded",
            frozenset({SD.SENT, SD.REMINDED}),
            SD.REMINDED,
            frozenset({SYSTEM}),
        ),
        Transition(
            "confirm",
            "Confirm",
            "confirmed",
            _WAITING,
            SD.CONFIRMED,
            frozenset({SYSTEM}),  # the supervisor, through their link: not an account
            notify="supervisor_answered",
            stamps=("answered_at",),
        ),
        Transition(
            "decline",
            "Decline",
            "declined",
            _WAITING,
            SD.DECLINED,
            frozenset({SYSTEM}),
            reason_required=True,
            notify="supervisor_answered",
            stamps=("answered_at",),
        ),
        Transition(
            "expire",
            "Expire",
            "expired",
            _WAITING,
            SD.EXPIRED,
            frozenset({SYSTEM}),
            notify="supervisor_expired",
        ),
        Transition(
            "supersede",
            "Replace",
            "replaced",
            frozenset(SD) - {SD.SUPERSEDED},
            SD.SUPERSEDED,
            STAFF | {OWNER, SYSTEM},
        ),
    ),
    owner="application.applicant_id",
    refusal="portal.workflows.supervisors.rules:DeclarationRefused",
    notifier="portal.workflows.supervisors.operations:notify_declaration",
)


# --- Experience entries ---------------------------------------------------------------------------------

X = ExperienceState
EXPERIENCE_ENTRIES = Machine(
    table="experience_entries",
    noun="experience entry",
    states=ExperienceState,
    transitions=(
        Transition(
            "acknowledge_experience",
            "Acknowledge",
            "acknowledged",
            frozenset({X.LOGGED}),
            X.ACKNOWLEDGED,
            frozenset({MENTOR}),  # the pair's mentor; the mentee logged it
            stamps=("acknowledged_at",),
        ),
    ),
    kinds="portal.workflows.programmes.experience.queries:experience_kinds",
    refusal="portal.workflows.programmes.rules:ProgrammeError",
    wrong_state="This experience has already been acknowledged.",
)


MACHINES: dict[str, Machine] = {
    machine.table: machine
    for machine in (
        APPLICATIONS,
        PAIRINGS,
        REFERENCE_REQUESTS,
        DOCUMENTS,
        SUPERVISION_SESSIONS,
        SUPERVISOR_DECLARATIONS,
        EXPERIENCE_ENTRIES,
    )
}
