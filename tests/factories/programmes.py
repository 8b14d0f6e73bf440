"""Form data for the mentoring programmes' pages, and pairings brought to a given stage by the operations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import time_machine

from portal.db import db, utcnow
from portal.models.programmes import Pairing, Programme
from portal.models.users import User
from portal.workflows.programmes import operations as programme_ops
from portal.workflows.programmes import queries as programme_queries
from portal.workflows.programmes import rules


def programme(coordinator: User, **overrides) -> Programme:
    data = {
        **programme_queries.programme_defaults(),
        "name": "CMIT Mentor Programme",
        "description": "A year of mentoring toward certification.",
        **overrides,
    }
    created = programme_ops.save_programme(data, coordinator)
    db.session.commit()
    return created


def profile(**overrides) -> dict:
    return {
        "expertise": "Construction management, contract claims, site safety",
        "sector": "Construction",
        "region": "Ontario chapter",
        "bio": "Twenty years on site and in the office.",
        "capacity": "2",
        "is_published": "y",
        **overrides,
    }


def goals(start: date) -> list[rules.GoalInput]:
    return [
        rules.GoalInput(f"Goal number {n}", f"Metric number {n}", rules.add_months(start, 3 * n))
        for n in (1, 2, 3)
    ]


def agreement(start: date, **overrides) -> dict:
    """The agreement form's data: the term's start and three SMART goals."""
    data = {"term_start": start.isoformat()}
    for index, goal in enumerate(goals(start)):
        data.update(
            {
                f"goals-{index}-description": goal.description,
                f"goals-{index}-metric": goal.metric,
                f"goals-{index}-deadline": goal.deadline.isoformat(),
            }
        )
    return {**data, **overrides}


NO_CONFLICT = {
    "is_manager_or_subordinate": "no",
    "is_direct_competitor": "no",
    "is_same_reporting_line": "no",
}


def meeting(held_on: date, **overrides) -> dict:
    return {
        "held_on": held_on.isoformat(),
        "starts_at": "14:30",
        "mode": "in_person",
        "duration_minutes": "60",
        "notes": "Talked through the claims backlog and the CCM application.",
        **overrides,
    }


def matched_pairing(
    coordinator: User, mentor: User, mentee: User, in_programme: Programme | None = None
) -> Pairing:
    pairing = programme_ops.pair_people(coordinator, in_programme or programme(coordinator), mentor, mentee)
    db.session.commit()
    return pairing


def agreeing_pairing(coordinator: User, mentor: User, mentee: User, **kwargs) -> Pairing:
    pairing = matched_pairing(coordinator, mentor, mentee, **kwargs)
    for member in (mentor, mentee):
        programme_ops.declare_conflicts(pairing, member, {name: False for name in rules.CONFLICT_LABELS})
    db.session.commit()
    return pairing


def active_pairing(coordinator: User, mentor: User, mentee: User, start: date, **kwargs) -> Pairing:
    """A pairing whose agreement both have signed, with its term starting on ``start``.

    A term may not start in the past, so a pairing with an earlier start is made on that day.
    """
    with time_machine.travel(datetime.combine(min(start, rules.today()), time(9), tzinfo=UTC)):
        pairing = agreeing_pairing(coordinator, mentor, mentee, **kwargs)
        programme_ops.save_agreement(pairing, mentor, start, goals(start))
        programme_ops.sign_agreement(pairing, mentor, mentor.full_name)
        programme_ops.sign_agreement(pairing, mentee, mentee.full_name)
        db.session.commit()
    return pairing


def ratings(value: int = 4) -> dict[str, int]:
    return {question.key: value for question in rules.defaults().questions}


def completed_pairing(coordinator: User, mentor: User, mentee: User, **kwargs) -> Pairing:
    """A pairing whose twelve-month term ended yesterday, with both evaluations and the confirmation."""
    start = rules.add_months(rules.today(), -12)
    pairing = active_pairing(coordinator, mentor, mentee, start, **kwargs)
    programme_ops.submit_evaluation(pairing, mentor, ratings(5), "A committed protégé.", "Well run.")
    programme_ops.submit_evaluation(pairing, mentee, ratings(4), "A generous mentor.", "Useful checkpoints.")
    programme_ops.confirm_engagement(pairing, mentee)
    # Its coordinator confirmed it was real (the meetings and checkpoints are not made here).
    pairing.verified_at, pairing.verified_by_id = utcnow(), coordinator.id
    db.session.commit()
    return pairing
