"""Applies the transition table: checks actor, source state, reason and guards; moves the state; audits."""

from __future__ import annotations

from sqlalchemy import update

from portal.db import db, utcnow
from portal.enums import ApplicationState
from portal.models.applications import Application
from portal.models.users import User
from portal.notifications import notify_applicant
from portal.workflows.audit import record
from portal.workflows.refusals import Refused
from portal.workflows.transitions import APPLICANT, BY_ACTION, SYSTEM, Transition

DECIDED = (ApplicationState.APPROVED, ApplicationState.REJECTED)


class TransitionRefused(Refused):
    """The move is not allowed now."""


def actor_kinds(application: Application, actor: User | None) -> set[str]:
    """What ``actor`` counts as for this application: its applicant, a role, or the system."""
    if actor is None:
        return {SYSTEM}
    kinds = {actor.role.value if hasattr(actor.role, "value") else str(actor.role)}
    if actor.id == application.applicant_id:
        kinds.add(APPLICANT)
    return kinds


def allowed_actions(application: Application, actor: User | None) -> list[Transition]:
    """The transitions ``actor`` may attempt from the application's current state (guards not yet run)."""
    kinds = actor_kinds(application, actor)
    return [
        transition
        for transition in BY_ACTION.values()
        if application.state in transition.sources and transition.actors & kinds
    ]


def apply_transition(
    application: Application, action: str, actor: User | None, reason: str | None = None
) -> Transition:
    """Move ``application`` by ``action`` or raise :class:`TransitionRefused`.

    The state changes through a conditional UPDATE, so of two people acting on the same state at once
    only one succeeds. Flushes, never commits.
    """
    transition = BY_ACTION.get(action)
    if transition is None:
        raise TransitionRefused([f"Unknown action “{action}”."])
    source = ApplicationState(application.state)
    if source not in transition.sources:
        raise TransitionRefused(
            [f"An application that is {source.label.lower()} cannot be {transition.past}."]
        )
    if not transition.actors & actor_kinds(application, actor):
        raise TransitionRefused([f"You are not allowed to {transition.label.lower()} this application."])
    reason = (reason or "").strip() or None
    if transition.reason_required and not reason:
        raise TransitionRefused([f"Give a reason to {transition.label.lower()} this application."])
    problems = [problem for guard in transition.guards for problem in guard(application)]
    if problems:
        raise TransitionRefused(problems)

    now = utcnow()
    values: dict = {"state": transition.target, "updated_at": now}
    if source == ApplicationState.DRAFT:
        values["submitted_at"] = now
    if transition.target in DECIDED:
        values["decided_at"] = now
    db.session.flush()
    result = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.state == source)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise TransitionRefused(
            ["Someone else changed this application a moment ago. Reload the page and try again."]
        )
    db.session.refresh(application)
    record(actor, application, transition.action, source.value, transition.target.value, reason)
    if transition.notify:
        notify_applicant(application, transition.notify, action=transition.action, reason=reason)
    return transition
