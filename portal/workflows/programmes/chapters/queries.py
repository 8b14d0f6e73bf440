"""Reads: chapters, who coordinates them, and the health of their pairs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.db import db
from portal.enums import PairingState
from portal.models.chapters import Chapter, ChapterCoordinator, ChapterReport
from portal.models.programmes import Pairing
from portal.models.users import User
from portal.workflows.programmes import rules as programme_rules
from portal.workflows.programmes.chapters import rules
from portal.workflows.programmes.queries import is_coordinator

S = PairingState
# A chapter hears of its pairs from the moment they are paired until they complete.
FOLLOWED = (S.DECLARING, S.AGREEING, S.ACTIVE, S.COMPLETED)


def chapters() -> list[Chapter]:
    return list(db.session.scalars(select(Chapter).order_by(Chapter.name)))


def chapters_coordinated_by(user: User) -> list[Chapter]:
    return list(
        db.session.scalars(
            select(Chapter)
            .join(ChapterCoordinator)
            .where(ChapterCoordinator.user_id == user.id)
            .order_by(Chapter.name)
        )
    )


def may_see_chapter(user: User, chapter: Chapter) -> bool:
    """A chapter's coordinators and the programmes' coordinators see its pairs; nobody else does."""
    return is_coordinator(user) or any(c.user_id == user.id for c in chapter.coordinators)


def pairs_of(chapter: Chapter) -> list[Pairing]:
    return list(
        db.session.scalars(
            select(Pairing)
            .where(Pairing.chapter_id == chapter.id, Pairing.state.in_(FOLLOWED))
            .order_by(Pairing.id)
        )
    )


def health_of(pairing: Pairing, on: date, since: date | None = None) -> rules.PairHealth:
    """A pair's progress at ``on``: meetings held since ``since`` (the whole term when None), checkpoints met,
    and the programme's risk rules for a pair still running."""
    held = [m.held_on for m in pairing.meetings if m.held_on <= on and (since is None or m.held_on >= since)]
    all_held = [m.held_on for m in pairing.meetings if m.held_on <= on]
    overdue = sum(1 for c in pairing.checkpoints if c.completed_on is None and c.due_on < on)
    risks: list[str] = []
    if pairing.state in (S.DECLARING, S.AGREEING, S.ACTIVE):
        risks = programme_rules.risks(
            programme_rules.PairFacts(
                matched_on=(pairing.matched_at or pairing.created_at).date(),
                term_start=pairing.term_start if pairing.state == S.ACTIVE else None,
                last_meeting_on=max(all_held, default=None),
                goals=len(pairing.goals) if pairing.state == S.ACTIVE else 0,
                overdue_checkpoints=overdue,
            ),
            on,
        )
    return rules.PairHealth(
        pairing_id=pairing.id,
        mentor=pairing.mentor.full_name,
        mentee=pairing.mentee.full_name,
        programme=pairing.programme.name,
        state_label=pairing.state.label,
        term_start=pairing.term_start,
        term_end=pairing.term_end,
        meetings=len(held),
        last_meeting_on=max(all_held, default=None),
        checkpoints_done=sum(1 for c in pairing.checkpoints if c.completed_on is not None),
        checkpoints=len(pairing.checkpoints),
        risks=tuple(risks),
    )


def chapter_health(
    chapter: Chapter, on: date | None = None, since: date | None = None
) -> list[rules.PairHealth]:
    on = on or programme_rules.today()
    return [health_of(pairing, on, since) for pairing in pairs_of(chapter)]


def reports_of(chapter: Chapter) -> list[ChapterReport]:
    return list(
        db.session.scalars(
            select(ChapterReport)
            .where(ChapterReport.chapter_id == chapter.id)
            .order_by(ChapterReport.quarter.desc())
        )
    )


def report_of(chapter: Chapter, quarter: str) -> ChapterReport | None:
    return db.session.scalar(
        select(ChapterReport).where(ChapterReport.chapter_id == chapter.id, ChapterReport.quarter == quarter)
    )
