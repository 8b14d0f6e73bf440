"""Applies the transition table to any stateful subject: checks source state, actor, reason and guards; moves
the state with a conditional UPDATE; audits; queues the notifications the table names."""

from __future__ import annotations

from functools import cache
from operator import attrgetter
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from portal.db import db, utcnow
from portal.enums import ApplicationState
from portal.events import emit
from portal.models.applications import Application
from portal.models.users import User
from portal.notifications import notify_applicant
from portal.workflows.audit import record
from portal.workflows.refusals import Refused
from portal.workflows.transitions import MACHINES, OWNER, SYSTEM, Machine, Transition, resolve

DECIDED = (ApplicationState.APPROVED, ApplicationState.REJECTED)

# The machines' refusals as whole sentences in the reader's language; the English is the table's own wording
# (portal/workflows/transitions.py), which a machine missing here falls back to.
_WRONG_STATE = {
    "applications": _l("An application that is %(state)s cannot be %(past)s."),
    "documents": _l("A document that is %(state)s cannot be %(past)s."),
    "reference_requests": _l("A reference request that is %(state)s cannot be %(past)s."),
    "pairings": _l("This pairing is %(state)s: that cannot be done now."),
    "supervision_sessions": _l("This session has already been answered."),
}
_CHANGED = {
    "applications": _l("Someone else changed this application a moment ago. Reload the page and try again."),
    "documents": _l("Someone changed this document a moment ago. Reload the page and try again."),
    "reference_requests": _l(
        "Someone changed this reference request a moment ago. Reload the page and try again."
    ),
    "pairings": _l("Someone changed this pairing a moment ago. Reload the page and try again."),
    "supervision_sessions": _l("This session has already been answered."),
}
_NOT_ALLOWED = {
    "applications": _l("You are not allowed to %(action)s this application."),
    "documents": _l("You are not allowed to %(action)s this document."),
    "reference_requests": _l("You are not allowed to %(action)s this reference request."),
    "pairings": _l("You are not allowed to %(action)s this pairing."),
    "supervision_sessions": _l("You are not allowed to %(action)s this supervision session."),
}
_REASON_NEEDED = {
    "applications": _l("Give a reason to %(action)s this application."),
    "documents": _l("Give a reason to %(action)s this document."),
    "reference_requests": _l("Give a reason to %(action)s this reference request."),
    "pairings": _l("Give a reason to %(action)s this pairing."),
    "supervision_sessions": _l("Give a reason to %(action)s this supervision session."),
}


def _sentence(table: dict, machine: Machine, english: str, **values: str) -> str:
    """The machine's sentence from ``table`` in the reader's language, else the table's English."""
    sentence = table.get(machine.table)
    return str(sentence) % values if sentence is not None else english


class TransitionRefused(Refused):
    """The move is not allowed now."""


@cache
def _refusal(path: str | None) -> type[TransitionRefused]:
    """The exception a machine raises: a :class:`TransitionRefused` that is also its aggregate's own refusal,
    so the views that catch the aggregate's type keep working."""
    if path is None:
        return TransitionRefused
    base = resolve(path)
    return type(base.__name__, (TransitionRefused, base), {"__module__": __name__, "__doc__": base.__doc__})


def machine_of(subject: Any) -> Machine:
    try:
        return MACHINES[type(subject).__tablename__]
    except (AttributeError, KeyError):
        raise TypeError(f"{type(subject).__name__} has no state machine in the transition table.") from None


def state_of(subject: Any, machine: Machine | None = None) -> Any:
    machine = machine or machine_of(subject)
    return machine.states(getattr(subject, machine.column))


def actor_kinds(subject: Any, actor: User | None) -> set[str]:
    """What ``actor`` counts as for ``subject``: the system, a role, the owner, and the machine's own kinds."""
    if actor is None:
        return {SYSTEM}
    machine = machine_of(subject)
    kinds = {actor.role.value if hasattr(actor.role, "value") else str(actor.role)}
    if machine.owner is not None and actor.id == attrgetter(machine.owner)(subject):
        kinds.add(OWNER)
    if machine.kinds is not None:
        kinds |= set(resolve(machine.kinds)(subject, actor))
    return kinds


def allowed_actions(subject: Any, actor: User | None) -> list[Transition]:
    """The transitions ``actor`` may attempt from the subject's current state (guards not yet run)."""
    machine = machine_of(subject)
    state, kinds = state_of(subject, machine), actor_kinds(subject, actor)
    return [
        transition
        for transition in machine.transitions
        if state in transition.sources and transition.actors & kinds
    ]


def refusal_for(subject: Any, action: str, actor: User | None, reason: str | None = None) -> list[str]:
    """Why ``actor`` may not take ``action`` on ``subject`` now (none when they may), guards included."""
    machine = machine_of(subject)
    transition = machine.by_action.get(action)
    if transition is None:
        return [_("Unknown action “%(action)s”.", action=action)]
    source = state_of(subject, machine)
    if source not in transition.sources:
        state, past = source.label.lower(), transition.past
        english = machine.wrong_state.format(
            noun=machine.noun, state=state, past=past, label=transition.label
        )
        return [_sentence(_WRONG_STATE, machine, english, state=state, past=past)]
    if not transition.actors & actor_kinds(subject, actor):
        action_words = transition.label.lower()
        english = f"You are not allowed to {action_words} this {machine.noun}."
        return [_sentence(_NOT_ALLOWED, machine, english, action=action_words)]
    if transition.reason_required and not (reason or "").strip():
        action_words = transition.label.lower()
        english = f"Give a reason to {action_words} this {machine.noun}."
        return [_sentence(_REASON_NEEDED, machine, english, action=action_words)]
    return [problem for guard in transition.guards for problem in guard(subject, actor)]


def apply_transition(
    subject: Any,
    action: str,
    actor: User | None,
    reason: str | None = None,
    *,
    where: tuple = (),
    actor_label: str | None = None,
    **values: Any,
) -> Transition:
    """Move ``subject`` by ``action`` or raise :class:`TransitionRefused`.

    ``values`` are columns set in the same UPDATE; ``where`` adds conditions to it (say, "not replaced");
    ``actor_label`` names, in the audit entry, someone acting without an account (a referee's link).
    The state changes through a conditional UPDATE, so of two people acting on the same state at once
    only one succeeds. Flushes, never commits.
    """
    machine = machine_of(subject)
    refused = _refusal(machine.refusal)
    problems = refusal_for(subject, action, actor, reason)
    if problems:
        raise refused(problems)
    transition = machine.by_action[action]
    source = state_of(subject, machine)
    reason = (reason or "").strip() or None

    model = type(subject)
    column = getattr(model, machine.column)
    now = utcnow()
    values = {machine.column: transition.target, **values}
    if hasattr(model, "updated_at"):
        values.setdefault("updated_at", now)
    for stamp in transition.stamps:
        if getattr(subject, stamp) is None:
            values.setdefault(stamp, now)
    db.session.flush()
    result = db.session.execute(
        update(model)
        .where(model.id == subject.id, column == source, *where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise refused([_sentence(_CHANGED, machine, machine.changed.format(noun=machine.noun))])
    db.session.refresh(subject)
    entry = record(actor, subject, transition.action, source.value, transition.target.value, reason)
    if actor_label:
        entry.actor_label = actor_label[:254]
    if transition.notify and machine.notifier:
        resolve(machine.notifier)(subject, transition, actor, reason)
    if transition.event:
        emit(transition.event, subject)
    return transition


def notify_applicant_of(application: Application, transition: Transition, actor: User | None, reason):
    """The applications machine's notifier: the applicant hears of every move the table says to tell."""
    notify_applicant(application, transition.notify, action=transition.action, reason=reason)
