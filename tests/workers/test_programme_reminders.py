"""Checkpoint reminders: the periodic sweep with a real broker, worker and SMTP server, and time travel."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.db import db
from portal.models.programmes import PairCheckpoint
from portal.tasks.broker import current_broker
from portal.tasks.scheduler import PERIODIC
from portal.workflows.programmes import operations as ops
from portal.workflows.programmes import rules
from tests.factories import programmes as data
from tests.helpers import at, make_user

START = date(2025, 3, 10)


@pytest.fixture
def pair(app, admin):
    with at(START - timedelta(days=5)):
        mentor = make_user("maya.mentor@example.com", name="Maya Mentor")
        mentee = make_user("pat.protege@example.com", name="Pat Protege")
        return data.active_pairing(admin, mentor, mentee, START)


def sweep(worker) -> None:
    current_broker().get_actor("remind_checkpoints").send()
    worker.drain()


def reminders(smtp_server, address: str) -> list[str]:
    """The subjects of the checkpoint reminders ``address`` received (the pairing's other emails aside)."""
    return [
        message["Subject"]
        for message in smtp_server.to(address)
        if message["Subject"].startswith("Coming up")
    ]


def test_the_sweep_is_scheduled(app):
    assert PERIODIC["remind_checkpoints"] == 3600


def test_both_members_are_reminded_once_in_the_week_before_each_checkpoint(smtp_server, app, worker, pair):
    first_due = rules.checkpoint_due(START, 1)
    with at(first_due - timedelta(days=8)):
        sweep(worker)
    assert reminders(smtp_server, "pat.protege@example.com") == []  # too early

    with at(first_due - timedelta(days=7)):
        sweep(worker)
        sweep(worker)  # a second sweep, or a redelivered message, sends nothing more
    expected = f"Coming up by {first_due.day} {first_due:%B %Y}: Get to know each other"
    assert reminders(smtp_server, "pat.protege@example.com") == [expected]
    assert reminders(smtp_server, "maya.mentor@example.com") == [expected]
    [message] = [m for m in smtp_server.to("pat.protege@example.com") if m["Subject"] == expected]
    body = message.get_body(("plain",)).get_content()
    assert "share and discuss career goals" in body and f"/programmes/pairings/{pair.id}" in body

    third_due = rules.checkpoint_due(START, 3)
    with at(third_due - timedelta(days=2)):
        sweep(worker)
    assert reminders(smtp_server, "pat.protege@example.com")[-1] == (
        f"Coming up by {third_due.day} {third_due:%B %Y}: Write down career goals"
    )
    assert len(reminders(smtp_server, "maya.mentor@example.com")) == 2


def test_no_reminder_for_a_checkpoint_done_or_already_past(smtp_server, app, worker, pair):
    checkpoints = db.session.scalars(select(PairCheckpoint).order_by(PairCheckpoint.due_on)).all()
    with at(START + timedelta(days=10)):
        ops.complete_checkpoint(pair, checkpoints[0], pair.mentee)
        db.session.commit()
    with at(checkpoints[0].due_on - timedelta(days=3)):
        sweep(worker)
    # The scheduler was down through the month-3 reminder window: a late sweep sends no "coming up" email.
    with at(checkpoints[1].due_on + timedelta(days=1)):
        sweep(worker)
    assert reminders(smtp_server, "pat.protege@example.com") == []
    db.session.expire_all()
    assert all(
        checkpoint.reminder_sent_at is None for checkpoint in db.session.scalars(select(PairCheckpoint))
    )


def test_a_missed_run_is_caught_up_by_the_next_sweep(smtp_server, app, worker, pair):
    due = rules.checkpoint_due(START, 6)
    # No sweep ran in the first days of the window; the one that runs the day before still reminds.
    with at(due - timedelta(days=1)):
        assert ops.send_checkpoint_reminders() == 1
        db.session.commit()
        worker.drain()
        assert ops.send_checkpoint_reminders() == 0
    assert reminders(smtp_server, "maya.mentor@example.com") == [
        f"Coming up by {due.day} {due:%B %Y}: Review workload and experience"
    ]


def test_pairs_not_active_get_no_reminders(smtp_server, app, worker, admin):
    with at(START - timedelta(days=5)):
        data.agreeing_pairing(
            admin, make_user("ann.agreeing@example.com"), make_user("ben.agreeing@example.com")
        )
    with at(rules.checkpoint_due(START, 1) - timedelta(days=1)):
        sweep(worker)
    assert reminders(smtp_server, "ann.agreeing@example.com") == []
