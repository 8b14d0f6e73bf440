"""The quarterly chapter report: a daily sweep queues a job per chapter through the outbox, and a real worker
emails the chapter's coordinators once per quarter, however often the jobs run."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from portal.db import db
from portal.models.chapters import ChapterReport
from portal.tasks.broker import current_broker
from portal.tasks.scheduler import PERIODIC
from portal.workflows.programmes.chapters import operations as chapter_ops
from portal.workflows.programmes.chapters.rules import quarter_of
from tests.factories import programmes as data
from tests.helpers import at, make_user

START = date(2025, 8, 4)


def reports(smtp_server, address: str) -> list[str]:
    return [m["Subject"] for m in smtp_server.to(address) if "progress report" in m["Subject"]]


def test_the_sweep_is_scheduled_daily(app):
    assert PERIODIC["queue_chapter_reports"] == 86_400


def test_each_chapter_coordinator_receives_one_report_per_quarter(smtp_server, app, worker, admin):
    with at(START - timedelta(days=3)):
        lead = make_user("carla.chapter@example.com", name="Carla Chapter")
        mentor = make_user("maya.mentor@example.com", name="Maya Mentor")
        mentee = make_user("pat.protege@example.com", name="Pat Protege")
        chapter = chapter_ops.save_chapter(admin, "Ontario chapter", "Ontario", [lead.email])
        db.session.commit()
        pairing = data.active_pairing(admin, mentor, mentee, START)
        chapter_ops.set_pair_chapter(pairing, mentee, chapter)
        db.session.commit()

    with at(date(2025, 10, 2)):
        for _ in range(2):  # the daily sweep twice, as a redelivered message would
            current_broker().get_actor("queue_chapter_reports").send()
            worker.drain()
        # A report job run again by hand sends nothing either.
        current_broker().get_actor("send_chapter_report").send(chapter.id, "2025-Q3")
        worker.drain()
    assert reports(smtp_server, lead.email) == ["Ontario chapter: mentoring progress report for 2025-Q3"]
    [message] = [m for m in smtp_server.to(lead.email) if "progress report" in m["Subject"]]
    body = message.get_body(("plain",)).get_content()
    assert "Maya Mentor (mentor) and Pat Protege (protégé), CMIT Mentor Programme: Active" in body
    assert "1 of 5 checkpoints met" not in body and "0 of 5 checkpoints met" in body
    assert db.session.scalar(select(func.count()).select_from(ChapterReport)) == 1

    with at(date(2026, 1, 5)):
        current_broker().get_actor("queue_chapter_reports").send()
        worker.drain()
    assert reports(smtp_server, lead.email)[-1] == "Ontario chapter: mentoring progress report for 2025-Q4"
    assert quarter_of(date(2026, 1, 5)) == "2026-Q1"
