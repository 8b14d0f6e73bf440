"""Changes to chapters: records and coordinators (by a programme coordinator), a pair's chapter, and the
quarterly report (queued through the outbox, sent once per chapter and quarter). Audited; flush only."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import jobs, outbox
from portal.db import db
from portal.enums import PairingState
from portal.models.chapters import Chapter, ChapterCoordinator, ChapterReport
from portal.models.programmes import Pairing
from portal.models.users import User
from portal.notifications import send_email
from portal.workflows.accounts.queries import find_user
from portal.workflows.audit import record
from portal.workflows.programmes.chapters import rules
from portal.workflows.programmes.chapters.queries import chapter_health, chapters, report_of
from portal.workflows.programmes.queries import is_coordinator
from portal.workflows.programmes.rules import ProblemsFound, ProgrammeError, today


def save_chapter(
    actor: User, name: str, region: str, coordinator_emails: list[str], chapter: Chapter | None = None
) -> Chapter:
    """Create or change a chapter and who coordinates it (people with accounts; they need not be staff)."""
    if not is_coordinator(actor):
        raise ProgrammeError(_("Only a programme coordinator can set up chapters."))
    people, unknown = [], []
    for email in coordinator_emails:
        user = find_user(email)
        if user is not None and user.is_active_account:
            people.append(user)
        else:
            unknown.append(email)
    if unknown:
        raise ProblemsFound(
            {"coordinators": _("There is no account for %(emails)s.", emails=", ".join(unknown))}
        )
    clash = select(Chapter.id).where(Chapter.name == name.strip())
    if chapter is not None:
        clash = clash.where(Chapter.id != chapter.id)
    if db.session.scalar(clash) is not None:
        raise ProblemsFound({"name": _("There is already a chapter of that name.")})
    created = chapter is None
    if chapter is None:
        chapter = Chapter()
        db.session.add(chapter)
    chapter.name, chapter.region = name.strip(), region.strip()
    wanted = {user.id for user in people}
    for existing in list(chapter.coordinators):
        if existing.user_id not in wanted:
            chapter.coordinators.remove(existing)
    have = {c.user_id for c in chapter.coordinators}
    for user in people:
        if user.id not in have:
            chapter.coordinators.append(ChapterCoordinator(user_id=user.id))
    db.session.flush()
    record(
        actor,
        chapter,
        "create_chapter" if created else "update_chapter",
        reason="Coordinators: " + (", ".join(sorted(u.email for u in people)) or "none"),
    )
    return chapter


def set_pair_chapter(pairing: Pairing, actor: User, chapter: Chapter | None) -> None:
    """A member of the pair (or a programme coordinator) names the local chapter the pair keeps informed."""
    if pairing.role_of(actor) is None and not is_coordinator(actor):
        raise ProgrammeError(_("Only the members of this pairing can do that."))
    if pairing.state not in (PairingState.DECLARING, PairingState.AGREEING, PairingState.ACTIVE):
        raise ProgrammeError(_("The chapter is chosen while the pairing runs."))
    pairing.chapter_id = chapter.id if chapter else None
    db.session.flush()
    record(actor, pairing, "join_chapter", reason=chapter.name if chapter else "No chapter")


def queue_chapter_reports(on: date | None = None) -> int:
    """The quarterly sweep: a report job, through the outbox, for each chapter not yet reported on for the
    quarter that has just ended. Returns how many were queued."""
    quarter = rules.report_quarter(on or today())
    queued = 0
    for chapter in chapters():
        if chapter.coordinators and report_of(chapter, quarter) is None:
            outbox.enqueue(jobs.SEND_CHAPTER_REPORT, chapter.id, quarter)
            queued += 1
    return queued


def send_chapter_report(chapter_id: int, quarter: str) -> bool:
    """Email a chapter's coordinators its report for ``quarter``, once: the report row is claimed first (a
    unique chapter and quarter), so a job run twice, or two at once, sends one report. Returns whether sent."""
    chapter = db.session.get(Chapter, chapter_id)
    if chapter is None or not chapter.coordinators:
        return False
    start, end = rules.quarter_bounds(quarter)
    health = chapter_health(chapter, on=min(end, today()), since=start)
    try:
        with db.session.begin_nested():
            db.session.add(ChapterReport(chapter_id=chapter.id, quarter=quarter, pairs=len(health)))
            db.session.flush()
    except IntegrityError:
        return False
    for coordinator in chapter.coordinators:
        person = coordinator.user
        send_email(
            "chapter_report",
            person.email,
            related=chapter,
            language=person.locale,
            person=person,
            chapter=chapter,
            quarter=quarter,
            start=start,
            end=end,
            health=health,
        )
    record(None, chapter, "send_chapter_report", reason=f"{quarter}: {len(health)} pairs")
    return True
