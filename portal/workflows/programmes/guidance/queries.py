"""Reads: a programme's guide (its own, or the defaults) and whether a person has acknowledged it."""

from __future__ import annotations

from sqlalchemy import select

from portal.db import db
from portal.models.programme_guides import GuideAcknowledgement, ProgrammeGuide
from portal.models.programmes import Programme
from portal.models.users import User
from portal.workflows.programmes.guidance import rules


def guide_of(programme: Programme) -> ProgrammeGuide | None:
    return db.session.scalar(select(ProgrammeGuide).where(ProgrammeGuide.programme_id == programme.id))


def guide_texts(programme: Programme) -> dict[str, str]:
    """The text of each section: the programme's own guide, else the defaults and its confidentiality terms."""
    guide = guide_of(programme)
    if guide is not None:
        return {key: getattr(guide, key) for key in rules.SECTIONS}
    return {**rules.default_texts(), "confidentiality": programme.confidentiality_terms}


def guide_sections(programme: Programme) -> list[rules.GuideSection]:
    return rules.sections(guide_texts(programme))


def acknowledgement_of(programme: Programme, user: User) -> GuideAcknowledgement | None:
    return db.session.scalar(
        select(GuideAcknowledgement).where(
            GuideAcknowledgement.programme_id == programme.id, GuideAcknowledgement.user_id == user.id
        )
    )


def has_acknowledged(programme: Programme, user: User) -> bool:
    return acknowledgement_of(programme, user) is not None
