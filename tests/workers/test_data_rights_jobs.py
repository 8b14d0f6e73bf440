"""Data-rights jobs on a real broker and worker: a copy that cannot be built is retried, then recorded failed
and the person told; the periodic sweep warns about a stale draft, then erases it with its files, once; the
confirmation of an account's erasure reaches the address over SMTP, and then the address is gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from portal import jobs
from portal.db import db
from portal.documents.storage import current_storage
from portal.enums import DataRequestStatus, EmailStatus
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.data_rights import DataRequest, DraftWarning
from portal.models.documents import Document
from portal.models.outbox import EmailMessage
from tests.factories import applications as data
from tests.helpers import PASSWORD, client_for, emails, page


def test_a_copy_that_cannot_be_built_is_retried_then_recorded_failed_and_the_person_told(
    app, applicant, worker, monkeypatch
):
    from portal.tasks.data_rights import MAX_RETRIES, build_data_export
    from portal.workflows.data_rights import operations

    attempts: list[int] = []

    def broken(user):
        attempts.append(user.id)
        raise OSError("storage is full")

    monkeypatch.setattr(operations, "export_zip", broken)
    # Retry quickly here; production backs off from seconds to minutes.
    monkeypatch.setitem(build_data_export.options, "min_backoff", 20)
    monkeypatch.setitem(build_data_export.options, "max_backoff", 100)
    ada = client_for(app, applicant)
    assert ada.post("/account/data/export").status_code == 302
    worker.drain()
    db.session.expire_all()
    request = db.session.scalar(select(DataRequest))
    assert len(attempts) == MAX_RETRIES + 1
    assert request.status == DataRequestStatus.FAILED and "storage is full" in request.failure_reason
    assert len(emails("data_export_failed", applicant.email)) == 1
    assert "We could not prepare it" in page(ada.get("/account/data"))
    # A redelivered job finds the request settled and does nothing.
    from portal.tasks.broker import current_broker

    current_broker().get_actor(jobs.BUILD_DATA_EXPORT).send(request.id)
    worker.drain()
    assert len(attempts) == MAX_RETRIES + 1


def test_the_sweep_warns_about_a_stale_draft_then_erases_it_with_its_files_once(
    smtp_server, app, applicant, other_applicant, worker, tmp_path
):
    from portal.tasks.broker import current_broker
    from portal.tasks.scheduler import PERIODIC

    assert PERIODIC[jobs.SWEEP_DATA_RIGHTS] == 3600
    start = datetime.now(UTC)
    ada = client_for(app, applicant)
    stale = data.start_application(ada)
    ada.post(
        f"/applications/{stale}/training/new",
        data={**data.training(), "certificate": data.certificate_upload(tmp_path)},
        content_type="multipart/form-data",
    )
    [key] = db.session.scalars(select(Document.storage_key).where(Document.application_id == stale))
    retention, warning = app.config["DRAFT_RETENTION_DAYS"], app.config["DRAFT_WARNING_DAYS"]

    def sweep_on(day: int) -> None:
        with time_machine.travel(start + timedelta(days=day), tick=False):
            current_broker().get_actor(jobs.SWEEP_DATA_RIGHTS).send()
            worker.drain()
        db.session.expire_all()

    with time_machine.travel(start + timedelta(days=200), tick=False):
        fresh = data.start_application(client_for(app, other_applicant))  # Bob's, changed later

    sweep_on(retention - warning - 1)
    assert emails("draft_erasure_warning") == []
    sweep_on(retention - warning + 1)
    sweep_on(retention - warning + 2)  # again: nothing twice
    [sent] = smtp_server.to(applicant.email)
    assert "will be erased on" in sent["Subject"]
    assert db.session.scalar(select(DraftWarning)).application_id == stale

    sweep_on(retention)  # the retention has passed, but the warning promised a full notice period
    assert db.session.get(Application, stale) is not None
    sweep_on(retention + 2)
    assert db.session.get(Application, stale) is None
    assert not current_storage().path(key).exists()
    assert db.session.get(Application, fresh) is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "draft_erased"))
    assert entry.subject_id == stale and "files erased: 1" in entry.reason
    assert "Ada" not in entry.reason and entry.actor_label == "The portal"
    sweep_on(retention + 3)
    assert len(smtp_server.to(applicant.email)) == 1


def test_the_erasure_confirmation_is_sent_to_the_address_and_then_forgotten(
    smtp_server, app, applicant, worker
):
    ada = client_for(app, applicant)
    assert ada.post("/account/delete", data={"password": PASSWORD, "confirm": "y"}).status_code == 302
    worker.drain()
    [received] = smtp_server.to("ada.applicant@example.com")
    assert received["Subject"] == "Your account has been deleted"
    db.session.expire_all()
    [email] = emails("account_erased")
    assert email.status == EmailStatus.SENT
    assert email.recipient == f"deleted-{applicant.id}@erased.invalid" and "Ada" not in email.text_body
    assert (
        db.session.scalars(select(EmailMessage).where(EmailMessage.recipient.like("%ada.applicant%"))).all()
        == []
    )
