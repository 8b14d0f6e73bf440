"""Reads: a programme's categories, a pair's experience log, and its progress against each target."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.db import db
from portal.enums import ExperienceState, PairingRole
from portal.models.experience import ExperienceCategory, ExperienceEntry
from portal.models.programmes import Pairing, Programme
from portal.models.users import User
from portal.workflows.programmes import rules as programme_rules
from portal.workflows.programmes.experience import rules


def categories_of(programme: Programme) -> list[ExperienceCategory]:
    return list(
        db.session.scalars(
            select(ExperienceCategory)
            .where(ExperienceCategory.programme_id == programme.id)
            .order_by(ExperienceCategory.position, ExperienceCategory.id)
        )
    )


def category_inputs(programme: Programme) -> list[rules.CategoryInput]:
    """The programme's categories as its editor shows them: its own, else the defaults."""
    stored = categories_of(programme)
    if not stored:
        return list(rules.defaults().categories)
    return [rules.CategoryInput(c.name, c.target_hours, c.description) for c in stored]


def entries_of(pairing: Pairing) -> list[ExperienceEntry]:
    return list(
        db.session.scalars(
            select(ExperienceEntry)
            .where(ExperienceEntry.pairing_id == pairing.id)
            .order_by(ExperienceEntry.started_on.desc(), ExperienceEntry.id.desc())
        )
    )


def progress_of(pairing: Pairing, on: date | None = None) -> list[rules.CategoryProgress]:
    on = on or programme_rules.today()
    elapsed = programme_rules.months_elapsed(pairing.term_start, on) if pairing.term_start else 0
    return rules.category_progress(
        [(c.id, c.name, c.target_hours) for c in categories_of(pairing.programme)],
        [
            rules.EntryFacts(e.category_id, e.hours, e.state == ExperienceState.ACKNOWLEDGED)
            for e in entries_of(pairing)
        ],
        elapsed,
        pairing.programme.term_months,
    )


def review_months() -> tuple[int, ...]:
    """The checkpoints that review experience against the targets (the CMAA's sixth and ninth months)."""
    return rules.defaults().review_months


def experience_kinds(entry: ExperienceEntry, actor: User) -> set[str]:
    """What ``actor`` counts as for an entry in the transition table: the pair's mentor or mentee."""
    role = entry.pairing.role_of(actor) if actor is not None else None
    return {role.value} if role is not None else set()


def is_mentee(pairing: Pairing, user: User) -> bool:
    return pairing.role_of(user) == PairingRole.MENTEE
