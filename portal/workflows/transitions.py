"""THE transition table: every move an application can make, who may make it, and what must hold first.

Data only. ``portal.workflows.engine.apply_transition`` is the one function that applies it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING

from portal.enums import ApplicationState as S
from portal.enums import Role

if TYPE_CHECKING:
    from portal.models.applications import Application

Guard = Callable[["Application"], list[str]]

APPLICANT = "owner"  # the application's own applicant (not any account with the applicant role)
SYSTEM = "system"  # the portal itself (a job or an operation's follow-up step)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    past: str  # completes "An application that is draft cannot be ..."
    sources: frozenset[S]
    target: S
    actors: frozenset[str]
    reason_required: bool = False
    guards: tuple[Guard, ...] = field(default=())
    notify: str | None = None  # email template sent to the applicant


def guard(path: str) -> Guard:
    """The guard at ``"module:function"``, imported when first run.

    The table names guards by path because it sits below the aggregates whose rules it names: importing
    them here would make every aggregate's operations import each other through the engine.
    """
    module_name, _, function_name = path.partition(":")

    def run(application: Application) -> list[str]:
        return getattr(import_module(module_name), function_name)(application)

    run.__name__ = function_name
    run.path = path  # type: ignore[attr-defined]
    return run


_eligible_to_submit = guard("portal.workflows.applications.eligibility:submit_problems")
_fee_paid = guard("portal.workflows.review.guards:fee_paid")
_APPROVAL = tuple(
    guard(f"portal.workflows.review.guards:{name}")
    for name in ("fee_paid", "references_confirmed", "documents_settled", "prerequisite_held")
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
        frozenset({Role.ADMIN.value, SYSTEM}),
        guards=(_fee_paid,),
        notify="review_started",
    ),
    Transition(
        "approve",
        "Approve",
        "approved",
        frozenset({S.IN_REVIEW}),
        S.APPROVED,
        frozenset({Role.REVIEWER.value, Role.ADMIN.value}),
        guards=_APPROVAL,
        notify="application_decided",
    ),
    Transition(
        "return",
        "Return for changes",
        "returned for changes",
        frozenset({S.IN_REVIEW}),
        S.RETURNED,
        frozenset({Role.REVIEWER.value, Role.ADMIN.value}),
        reason_required=True,
        guards=(guard("portal.workflows.review.guards:sections_reopened"),),
        notify="application_returned",
    ),
    Transition(
        "reject",
        "Reject",
        "rejected",
        frozenset({S.IN_REVIEW}),
        S.REJECTED,
        frozenset({Role.REVIEWER.value, Role.ADMIN.value}),
        reason_required=True,
        notify="application_decided",
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
    ),
    Transition(
        "resume_review",
        "Resume review",
        "taken back into review",
        frozenset({S.RESUBMITTED}),
        S.IN_REVIEW,
        frozenset({Role.REVIEWER.value, Role.ADMIN.value, SYSTEM}),
        notify="review_resumed",
    ),
    Transition(
        "withdraw",
        "Withdraw",
        "withdrawn",
        frozenset({S.DRAFT, S.SUBMITTED, S.AWAITING_PAYMENT, S.IN_REVIEW, S.RETURNED, S.RESUBMITTED}),
        S.WITHDRAWN,
        frozenset({APPLICANT}),
        notify="application_withdrawn",
    ),
)

BY_ACTION: dict[str, Transition] = {transition.action: transition for transition in TRANSITIONS}
