"""The supervisor's declaration with a real worker and a real SMTP server: the link from the email works
once, declining, reminders, expiry, naming another supervisor, and approval waiting for the declaration."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from portal.db import db, utcnow
from portal.enums import ApplicationState, DeclarationStatus, ReferenceStatus
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.references import ReferenceRequest
from portal.models.supervisors import SupervisorDeclaration
from portal.workflows.external_requests.rules import REDACTED_LINK
from tests.factories import members
from tests.factories import review as flow
from tests.factories.applications import submit
from tests.helpers import client_for, emails, page

SUPERVISOR = "sam@supervision.example"
APPLICANT = "ada.applicant@example.com"
LINK = re.compile(r"https?://[^/\s]+(/supervisors/[A-Za-z0-9_-]+)")

DECLARATION = {
    "answer": "confirm",
    "supervising_since": "2024-09-01",
    "focus": "both",
    "practising_mentor": "y",
    "knows_imc_standards": "y",
    "sessions_last_year": "6",
}


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_to(smtp_server, address: str, number: int = 0) -> str:
    return LINK.search(text_of(smtp_server.to(address)[number])).group(1)


def declaration_to(address: str) -> SupervisorDeclaration:
    db.session.expire_all()
    return db.session.scalars(
        select(SupervisorDeclaration)
        .where(SupervisorDeclaration.supervisor_email == address)
        .order_by(SupervisorDeclaration.id.desc())
    ).first()


def sweep(worker) -> None:
    from portal.tasks.broker import current_broker

    current_broker().get_actor("sweep_references").send()
    worker.drain()
    worker.drain()  # the emails the sweep wrote


def subjects_to(smtp_server, address: str) -> list[str]:
    return [message["Subject"] for message in smtp_server.to(address)]


def test_the_supervisor_receives_the_request_and_its_link_works_once(
    smtp_server, app, applicant_client, worker, tmp_path
):
    submit(applicant_client, tmp_path)
    worker.drain()
    [message] = smtp_server.to(SUPERVISOR)
    assert message["Subject"] == "Please confirm that you supervise Ada Lovelace"
    assert "practising mentor familiar with IMC's Mentoring Definition" in text_of(message)
    declaration = declaration_to(SUPERVISOR)
    assert declaration.status == DeclarationStatus.SENT and declaration.sent_at is not None
    link = link_to(smtp_server, SUPERVISOR)
    [stored] = emails(recipient=SUPERVISOR)
    assert (
        link.rsplit("/", 1)[1] not in stored.text_body + stored.html_body
    )  # the record keeps no working link
    assert REDACTED_LINK in stored.text_body

    supervisor = app.test_client()
    shown = page(supervisor.get(link))
    assert "Do you supervise Ada Lovelace?" in shown and "Sign in" not in shown
    assert declaration_to(SUPERVISOR).status == DeclarationStatus.SENT  # opening the link changes nothing
    missing = supervisor.post(link, data={**DECLARATION, "knows_imc_standards": "", "sessions_last_year": ""})
    assert missing.status_code == 422
    text = page(missing)
    assert "Confirm that you know IMC's Mentoring Definition, Core Competencies and Code of Ethics" in text
    assert 'value="2024-09-01"' in missing.get_data(as_text=True)  # what was typed is kept
    assert (
        supervisor.post(link, data=DECLARATION, environ_base={"REMOTE_ADDR": "198.51.100.9"}).status_code
        == 302
    )
    assert "This declaration has been answered" in page(supervisor.get(link))
    again = supervisor.post(link, data={"answer": "decline", "comment": "Changed my mind."})
    assert "That first answer stands" in page(again)

    declaration = declaration_to(SUPERVISOR)
    assert declaration.status == DeclarationStatus.CONFIRMED
    assert (declaration.sessions_last_year, str(declaration.focus), declaration.answer_ip) == (
        6,
        "both",
        "198.51.100.9",
    )
    entry = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.subject_type == "supervisor_declarations", AuditEntry.action == "confirm"
        )
    ).one()
    assert entry.actor_label == f"Supervisor {SUPERVISOR}" and entry.from_state == "sent"
    worker.drain()
    assert "Your supervisor has confirmed their declaration" in " ".join(subjects_to(smtp_server, APPLICANT))


def test_declining_needs_a_reason_and_the_applicant_can_name_another_supervisor(
    smtp_server, app, applicant_client, worker, tmp_path
):
    application = submit(applicant_client, tmp_path)
    worker.drain()
    link = link_to(smtp_server, SUPERVISOR)
    supervisor = app.test_client()
    refused = supervisor.post(link, data={"answer": "decline", "comment": ""})
    assert refused.status_code == 422 and "Say why you decline" in page(refused)
    response = supervisor.post(link, data={"answer": "decline", "comment": "I have never supervised Ada."})
    assert response.status_code == 302
    declaration = declaration_to(SUPERVISOR)
    assert (
        declaration.status == DeclarationStatus.DECLINED
        and declaration.comment == "I have never supervised Ada."
    )
    worker.drain()
    assert "Your supervisor has declined the declaration" in " ".join(subjects_to(smtp_server, APPLICANT))

    status = page(applicant_client.get(f"/applications/{application.id}/status"))
    assert "Your supervisor's declaration" in status and "Declined" in status
    replace = f"/applications/{application.id}/supervisor/{declaration.id}/replace"
    bad = applicant_client.post(
        replace, data={"supervisor_name": "Rita Supervisor", "supervisor_email": "rita@"}
    )
    assert bad.status_code == 422 and 'value="Rita Supervisor"' in bad.get_data(as_text=True)
    data = {"supervisor_name": "Rita Supervisor", "supervisor_email": "rita@supervision.example"}
    assert applicant_client.post(replace, data=data).status_code == 302
    worker.drain()
    assert len(smtp_server.to("rita@supervision.example")) == 1
    assert declaration_to(SUPERVISOR).status == DeclarationStatus.SUPERSEDED
    named = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.subject_type == "applications", AuditEntry.action == "name_supervisor"
        )
    ).one()
    assert "rita@supervision.example" in named.reason and named.actor_id == application.applicant_id
    assert (
        app.test_client().post(link_to(smtp_server, "rita@supervision.example"), data=DECLARATION).status_code
        == 302
    )
    assert declaration_to("rita@supervision.example").status == DeclarationStatus.CONFIRMED


def test_reminders_follow_the_schedule_and_expiry_ends_the_link(
    smtp_server, app, applicant_client, worker, tmp_path, time_machine
):
    start = utcnow()
    submit(applicant_client, tmp_path)
    worker.drain()
    first = link_to(smtp_server, SUPERVISOR)

    time_machine.move_to(start + timedelta(days=6, hours=23))
    sweep(worker)
    assert len(smtp_server.to(SUPERVISOR)) == 1
    time_machine.move_to(start + timedelta(days=7, hours=1))
    sweep(worker)
    sweep(worker)  # a second run finds nothing more to do
    assert (
        subjects_to(smtp_server, SUPERVISOR)[1] == "Reminder: please confirm that you supervise Ada Lovelace"
    )
    reminder = link_to(smtp_server, SUPERVISOR, 1)
    assert reminder != first
    supervisor = app.test_client()
    assert supervisor.get(first).status_code == 200 and supervisor.get(reminder).status_code == 200
    assert declaration_to(SUPERVISOR).reminders_sent == 1

    time_machine.move_to(start + timedelta(days=14, hours=2))
    sweep(worker)
    assert len(smtp_server.to(SUPERVISOR)) == 3

    time_machine.move_to(start + timedelta(days=21, hours=1))
    sweep(worker)
    sweep(worker)
    assert declaration_to(SUPERVISOR).status == DeclarationStatus.EXPIRED
    assert supervisor.get(first).status_code == 404 and supervisor.get(reminder).status_code == 404
    assert "This link cannot be used" in page(supervisor.post(reminder, data=DECLARATION))
    told = subjects_to(smtp_server, APPLICANT)
    assert sum(s.startswith("Your supervisor did not answer in time") for s in told) == 1


def test_a_resend_makes_the_old_link_unusable(smtp_server, app, applicant, reviewer, worker, tmp_path):
    applicant_client = client_for(app, applicant)
    application = submit(applicant_client, tmp_path)
    worker.drain()
    old = link_to(smtp_server, SUPERVISOR)
    declaration = declaration_to(SUPERVISOR)
    resend = f"/applications/{application.id}/supervisor/{declaration.id}/resend"
    # The applicant waits a day between emails to their supervisor; a reviewer may resend at once.
    applicant_client.post(resend)
    assert declaration_to(SUPERVISOR).id == declaration.id
    assert client_for(app, reviewer).post(resend).status_code == 302
    worker.drain()
    new = link_to(smtp_server, SUPERVISOR, 1)
    supervisor = app.test_client()
    assert supervisor.get(old).status_code == 404
    assert supervisor.post(old, data=DECLARATION).status_code == 404
    assert supervisor.post(new, data=DECLARATION).status_code == 302


def test_approval_waits_for_the_supervisors_confirmation(
    smtp_server, app, applicant, reviewer, admin, worker, tmp_path
):
    members.member()  # the member rate the application claims is in the register
    application = submit(client_for(app, applicant), tmp_path)
    worker.drain()
    flow.pay(application, admin)
    flow.settle_documents(application)
    db.session.execute(
        update(ReferenceRequest)
        .where(ReferenceRequest.application_id == application.id)
        .values(status=ReferenceStatus.CONFIRMED)
    )
    db.session.commit()
    staff = client_for(app, reviewer)
    refused = staff.post(f"/review/{application.id}/approve")
    assert refused.status_code == 409
    assert (
        "Sam Supervisor has not confirmed the supervisor's declaration yet: approval waits until the "
        "supervisor confirms it." in page(refused)
    )
    desk = page(staff.get(f"/review/{application.id}"))
    assert "Supervisor's declaration" in desk and "No answer yet" in desk

    assert app.test_client().post(link_to(smtp_server, SUPERVISOR), data=DECLARATION).status_code == 302
    approved = staff.post(f"/review/{application.id}/approve")
    assert approved.status_code == 302, page(approved)
    db.session.expire_all()
    assert db.session.get(Application, application.id).state in (
        ApplicationState.APPROVED,
        ApplicationState.AWAITING_SECOND_REVIEW,
    )
