"""Changes to experience: a coordinator's categories, the mentee's log, the mentor's acknowledgement.
Audited; flush only; the acknowledgement is a move in the transition table."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal.db import db
from portal.enums import PairingRole, PairingState
from portal.models.experience import ExperienceCategory, ExperienceEntry
from portal.models.programmes import Pairing, Programme
from portal.models.users import User
from portal.workflows.audit import record
from portal.workflows.engine import apply_transition
from portal.workflows.programmes.experience import rules
from portal.workflows.programmes.experience.queries import categories_of
from portal.workflows.programmes.queries import is_coordinator
from portal.workflows.programmes.rules import ProblemsFound, ProgrammeError, today


def save_categories(programme: Programme, coordinator: User, categories: list[rules.CategoryInput]) -> None:
    """Replace the programme's categories; entries keep theirs when a category of the same name stays."""
    if not is_coordinator(coordinator):
        raise ProgrammeError(_("Only a coordinator can change a programme's experience categories."))
    if not categories:
        raise ProblemsFound({"categories": _("Keep at least one category.")})
    existing = {c.name: c for c in categories_of(programme)}
    kept = set()
    for position, given in enumerate(categories, start=1):
        category = existing.get(given.name)
        if category is None:
            category = ExperienceCategory(programme_id=programme.id, name=given.name)
            db.session.add(category)
        category.position, category.target_hours, category.description = (
            position,
            given.target_hours,
            given.description,
        )
        kept.add(given.name)
    for name, category in existing.items():
        if name not in kept:
            db.session.delete(category)
    db.session.flush()
    record(coordinator, programme, "update_experience_categories", reason=", ".join(sorted(kept)))


def save_category_lines(programme: Programme, coordinator: User, text: str) -> None:
    """The categories as a coordinator types them, one a line (see ``rules.parse_category_lines``)."""
    parsed, problems = rules.parse_category_lines(text)
    if problems:
        raise ProblemsFound({"categories": " ".join(problems.values())})
    save_categories(programme, coordinator, parsed)


def ensure_categories(programme: Programme) -> list[ExperienceCategory]:
    """The programme's categories, written from the defaults the first time a pair needs them."""
    categories = categories_of(programme)
    if categories:
        return categories
    for position, given in enumerate(rules.defaults().categories, start=1):
        db.session.add(
            ExperienceCategory(
                programme_id=programme.id,
                position=position,
                name=given.name,
                target_hours=given.target_hours,
                description=given.description,
            )
        )
    db.session.flush()
    return categories_of(programme)


def log_experience(pairing: Pairing, actor: User, data: dict[str, Any]) -> ExperienceEntry:
    """The mentee records experience gained, in one of the programme's categories; the mentor acknowledges."""
    if pairing.role_of(actor) != PairingRole.MENTEE:
        raise ProgrammeError(_("The protégé logs their experience; the mentor acknowledges it."))
    if pairing.state != PairingState.ACTIVE:
        raise ProgrammeError(_("Experience is logged while the pairing is active."))
    category = next((c for c in ensure_categories(pairing.programme) if c.id == data["category_id"]), None)
    if category is None:
        raise ProblemsFound({"category_id": _("Choose one of the programme's categories.")})
    if problems := rules.entry_problems(data["started_on"], data["ended_on"], data["hours"], today()):
        raise ProblemsFound(problems)
    entry = ExperienceEntry(
        pairing_id=pairing.id,
        category_id=category.id,
        started_on=data["started_on"],
        ended_on=data["ended_on"],
        hours=data["hours"],
        description=data["description"].strip(),
        logged_by_id=actor.id,
    )
    db.session.add(entry)
    db.session.flush()
    record(actor, entry, "log_experience", to_state=entry.state.value, reason=category.name)
    record(actor, pairing, "log_experience", reason=f"{entry.hours} h, {category.name}")
    return entry


def acknowledge_experience(entry: ExperienceEntry, actor: User) -> None:
    """The mentor acknowledges an entry: its hours then count toward the category's target."""
    apply_transition(entry, "acknowledge_experience", actor)
    record(actor, entry.pairing, "acknowledge_experience", reason=f"{entry.hours} h, {entry.category.name}")
