"""Referee emails with a real worker and a real SMTP server: the link, reminders, expiry, resend, bounces."""

from __future__ import annotations

import smtplib
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.db import db, utcnow
from portal.enums import EmailStatus, ReferenceStatus
from portal.models.outbox import EmailMessage
from portal.tasks.mail import send_recorded_email
from portal.workflows.external_requests.rules import REDACTED_LINK
from portal.workflows.references.queries import confirmed_reference_count
from tests.factories import applications as data
from tests.factories.applications import submit
from tests.factories.references import link_in, request_to
from tests.helpers import MailSink, emails, serving_smtp, sign_in

REFEREES = ("referee1@example.net", "referee2@example.net")
APPLICANT = "ada.applicant@example.com"


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def subjects_to(smtp_server, address: str) -> list[str]:
    return [message["Subject"] for message in smtp_server.to(address)]


def sweep(worker) -> None:
    from portal.tasks.broker import current_broker

    current_broker().get_actor("sweep_references").send()
    worker.drain()
    worker.drain()  # the emails the sweep wrote


def test_the_referee_receives_the_request_and_its_link_works_once(
    smtp_server, app, applicant_client, worker, tmp_path
):
    submit(applicant_client, tmp_path)
    worker.drain()
    [message] = smtp_server.to("referee1@example.net")
    assert message["Subject"] == "Please confirm Ada Lovelace's mentoring engagement"
    assert message.is_multipart() and message["Message-ID"]
    text = text_of(message)
    declared = data.engagement(1)
    start, end = (
        f"{day.day} {day:%B %Y}"  # the one date format people read: "2 December 2026"
        for day in (date.fromisoformat(declared[key]) for key in ("start_date", "end_date"))
    )
    for fact in (
        "Mentor:   Ada Lovelace",
        "Mentee:   Mentee Number1",
        f"{start} to {end}",
        "Setting:  External",
    ):
        assert fact in text

    reference = request_to("referee1@example.net")
    assert reference.status == ReferenceStatus.SENT and reference.sent_at is not None
    link = link_in(text)
    [stored] = emails(recipient="referee1@example.net")
    # The record keeps no working link.
    assert link.rsplit("/", 1)[1] not in stored.text_body + stored.html_body
    assert REDACTED_LINK in stored.text_body

    referee = app.test_client()
    assert referee.get(link).status_code == 200
    assert referee.post(link, data={"answer": "confirm"}).status_code == 302
    assert "This reference has been answered" in referee.get(link).get_data(as_text=True)
    referee.post(link, data={"answer": "decline"})
    assert request_to("referee1@example.net").status == ReferenceStatus.CONFIRMED
    worker.drain()
    assert any(s.startswith("A referee has answered") for s in subjects_to(smtp_server, APPLICANT))


def test_reminders_follow_the_schedule_stop_when_answered_and_expiry_tells_the_applicant(
    smtp_server, app, applicant_client, worker, tmp_path, time_machine
):
    start = utcnow()
    submit(applicant_client, tmp_path)
    worker.drain()
    first_links = {address: link_in(text_of(smtp_server.to(address)[0])) for address in REFEREES}

    time_machine.move_to(start + timedelta(days=6, hours=23))
    sweep(worker)
    assert [len(smtp_server.to(address)) for address in REFEREES] == [1, 1]

    time_machine.move_to(start + timedelta(days=7, hours=1))
    sweep(worker)
    sweep(worker)  # a second run finds nothing more to do
    assert [len(smtp_server.to(address)) for address in REFEREES] == [2, 2]
    reminder = smtp_server.to("referee1@example.net")[1]
    assert reminder["Subject"].startswith("Reminder: please confirm Ada Lovelace")
    reminder_link = link_in(text_of(reminder))
    assert reminder_link != first_links["referee1@example.net"]
    referee = app.test_client()
    assert referee.get(first_links["referee1@example.net"]).status_code == 200  # the first link still works
    assert referee.post(reminder_link, data={"answer": "confirm"}).status_code == 302
    assert referee.post(first_links["referee1@example.net"], data={"answer": "decline"}).status_code == 200
    assert request_to("referee1@example.net").status == ReferenceStatus.CONFIRMED

    time_machine.move_to(start + timedelta(days=14, hours=2))
    sweep(worker)
    # The referee who answered is left alone.
    assert [len(smtp_server.to(address)) for address in REFEREES] == [2, 3]
    assert request_to("referee2@example.net").reminders_sent == 2
    told = subjects_to(smtp_server, APPLICANT)
    assert sum(s.startswith("A referee has not answered yet") for s in told) == 1

    time_machine.move_to(start + timedelta(days=20))
    sweep(worker)
    assert len(smtp_server.to("referee2@example.net")) == 3

    time_machine.move_to(start + timedelta(days=21, hours=1))
    sweep(worker)
    sweep(worker)
    assert request_to("referee2@example.net").status == ReferenceStatus.EXPIRED
    assert request_to("referee1@example.net").status == ReferenceStatus.CONFIRMED
    told = subjects_to(smtp_server, APPLICANT)
    assert sum(s.startswith("A referee did not answer in time") for s in told) == 1
    assert referee.get(first_links["referee2@example.net"]).status_code == 404
    application_id = request_to("referee2@example.net").application_id
    status_page = applicant_client.get(f"/applications/{application_id}/status")
    assert "Expired" in status_page.get_data(as_text=True)


def test_a_resend_invalidates_the_old_link_and_the_new_one_works(
    smtp_server, app, client, applicant, reviewer, worker, tmp_path
):
    sign_in(client, applicant)
    application = submit(client, tmp_path)
    worker.drain()
    old = link_in(text_of(smtp_server.to("referee2@example.net")[0]))
    client.post("/account/sign-out")
    sign_in(client, reviewer)
    reference = request_to("referee2@example.net")
    assert client.post(f"/applications/{application.id}/references/{reference.id}/resend").status_code == 302
    worker.drain()
    new = link_in(text_of(smtp_server.to("referee2@example.net")[1]))
    referee = app.test_client()
    assert referee.get(old).status_code == 404
    assert referee.post(old, data={"answer": "confirm"}).status_code == 404
    assert referee.post(new, data={"answer": "confirm"}).status_code == 302
    assert confirmed_reference_count(application) == 1


def test_a_message_the_server_took_is_not_sent_again_when_the_goodbye_fails(
    smtp_server, app, applicant_client, worker, tmp_path, monkeypatch
):
    docmd = smtplib.SMTP.docmd

    def dropped_at_quit(self, cmd, args=""):
        if cmd.lower() == "quit":
            raise ConnectionResetError("connection reset after the message was accepted")
        return docmd(self, cmd, args)

    monkeypatch.setattr(smtplib.SMTP, "docmd", dropped_at_quit)
    submit(applicant_client, tmp_path)
    worker.drain()
    assert [len(smtp_server.to(address)) for address in REFEREES] == [1, 1]
    emails = db.session.scalars(select(EmailMessage)).all()
    assert emails and {(email.status, email.attempts) for email in emails} == {(EmailStatus.SENT, 1)}


def test_duplicate_jobs_for_the_same_email_send_it_once(smtp_server, app, applicant_client, worker, tmp_path):
    from portal.tasks.broker import current_broker

    submit(applicant_client, tmp_path)
    actor = current_broker().get_actor("deliver_email")
    for email in emails(recipient="referee1@example.net") + emails(recipient="referee2@example.net"):
        for _ in range(3):
            actor.send(email.id)
    worker.drain()
    assert [len(smtp_server.to(address)) for address in REFEREES] == [1, 1]


def test_a_claim_held_by_another_job_is_left_alone_until_it_lapses(
    smtp_server, app, applicant_client, tmp_path, time_machine
):
    submit(applicant_client, tmp_path)
    email = emails(recipient="referee1@example.net")[0]
    # A job took the email and its worker died before it was sent.
    email.status, email.claimed_by, email.claimed_at = EmailStatus.SENDING, "job-a", utcnow()
    db.session.commit()
    send_recorded_email(email.id, job_id="job-b")
    assert smtp_server.to("referee1@example.net") == []
    send_recorded_email(email.id, job_id="job-a")  # the dead worker's job, redelivered
    assert len(smtp_server.to("referee1@example.net")) == 1

    other = emails(recipient="referee2@example.net")[0]
    other.status, other.claimed_by, other.claimed_at = EmailStatus.SENDING, "job-c", utcnow()
    db.session.commit()
    time_machine.move_to(utcnow() + timedelta(minutes=6))
    send_recorded_email(other.id, job_id="job-d")
    assert len(smtp_server.to("referee2@example.net")) == 1


class RefusingSink(MailSink):
    """Refuses mail for some recipients, as a server does for an address that does not exist."""

    refused = {"referee1@example.net"}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp_server(app_config):
    with serving_smtp(RefusingSink(), app_config) as sink:
        yield sink


def test_an_undeliverable_referee_address_is_marked_bounced_and_the_applicant_told(
    refusing_smtp_server, app, applicant_client, worker, tmp_path
):
    application = submit(applicant_client, tmp_path)
    worker.drain()
    worker.drain()
    reference = request_to("referee1@example.net")
    assert reference.status == ReferenceStatus.BOUNCED
    assert emails(recipient="referee1@example.net")[0].status == EmailStatus.FAILED
    assert request_to("referee2@example.net").status == ReferenceStatus.SENT
    told = subjects_to(refusing_smtp_server, APPLICANT)
    assert any(s.startswith("We could not reach a referee") for s in told)
    text = applicant_client.get(f"/applications/{application.id}/status").get_data(as_text=True)
    assert "Email not delivered" in text and "Name another referee" in text


def test_a_message_that_cannot_be_built_is_recorded_failed_and_the_applicant_told(
    smtp_server, app, applicant_client, tmp_path, request
):
    # A recipient written before the forms refused line breaks: no retry can build this header. The worker
    # starts only once the row is changed: a broker that delivers at once (RabbitMQ) would send it first.
    application = submit(applicant_client, tmp_path)
    [stored] = emails(recipient="referee1@example.net")
    stored.recipient = "referee1@example.net\nBcc: someone@example.org"
    db.session.commit()
    worker = request.getfixturevalue("worker")
    worker.drain()
    worker.drain()
    db.session.expire_all()
    email = db.session.get(EmailMessage, stored.id)
    assert email.status == EmailStatus.FAILED and email.attempts == 1
    assert email.last_error.startswith("the message could not be built")
    assert request_to("referee1@example.net").status == ReferenceStatus.BOUNCED
    assert smtp_server.to("someone@example.org") == []
    assert any(s.startswith("We could not reach a referee") for s in subjects_to(smtp_server, APPLICANT))
    text = applicant_client.get(f"/applications/{application.id}/status").get_data(as_text=True)
    assert "Email not delivered" in text and "Name another referee" in text
