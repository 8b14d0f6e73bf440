"""Uploaded documents are read by a real worker and cross-checked against what the applicant declared."""

from __future__ import annotations

import html
import io

from sqlalchemy import select

from portal.db import db
from portal.enums import DocumentStatus
from portal.models.documents import Document
from tests.factories import applications as data
from tests.factories.documents import make_pdf, make_random_bytes


def _upload(client, application_id: int, path, **training) -> None:
    response = client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(**training), "certificate": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data


def test_a_certificate_is_read_and_its_facts_confirmed(applicant_client, worker, tmp_path):
    application_id = data.start_application(applicant_client)
    applicant_client.post(f"/applications/{application_id}/about", data=data.about())
    path = make_pdf(
        tmp_path / "cert.pdf",
        [
            "Northwind Mentoring Academy",
            "Certificate of Completion",
            "This is to certify that Ada Lovelace",
            "has successfully completed",
            "Foundations of Professional Mentoring",
            "a total of 35 contact hours",
            "from 1 March 2024 to 31 May 2024",
            "Instructor: Grace Hopper",
        ],
    )
    _upload(applicant_client, application_id, path)
    worker.drain()
    db.session.expire_all()
    document = db.session.scalar(select(Document))
    assert document.status == DocumentStatus.READ, document.status_reason
    assert document.facts["hours"] == 35 and document.facts["start_date"] == "2024-03-01"
    outcomes = {check["field"]: check["outcome"] for check in document.checks}
    assert outcomes["participant_name"] == "confirmed" and outcomes["hours"] == "confirmed"
    text = html.unescape(
        applicant_client.get(f"/applications/{application_id}/training").get_data(as_text=True)
    )
    assert "Read" in text


def test_a_certificate_showing_fewer_hours_than_declared_needs_attention(applicant_client, worker, tmp_path):
    application_id = data.start_application(applicant_client)
    path = make_pdf(
        tmp_path / "short.pdf",
        [
            "Certificate of Completion",
            "This is to certify that Ada Lovelace",
            "completed Foundations of Professional Mentoring",
            "20 hours",
        ],
    )
    _upload(applicant_client, application_id, path, hours="35")
    worker.drain()
    db.session.expire_all()
    document = db.session.scalar(select(Document))
    assert document.status == DocumentStatus.NEEDS_ATTENTION
    assert "hours" in document.status_reason.lower()


def test_an_unreadable_upload_ends_as_needs_manual_check_with_the_reason(applicant_client, worker, tmp_path):
    application_id = data.start_application(applicant_client)
    path = make_pdf(tmp_path / "broken.pdf", ["Certificate"])
    path.write_bytes(path.read_bytes()[:200])  # a truncated PDF still starts with %PDF- and is accepted
    _upload(applicant_client, application_id, path)
    worker.drain()
    db.session.expire_all()
    document = db.session.scalar(select(Document))
    assert document.status == DocumentStatus.MANUAL and document.status_reason
    text = html.unescape(
        applicant_client.get(f"/applications/{application_id}/training").get_data(as_text=True)
    )
    assert "Needs manual check" in text


def test_a_redelivered_job_does_not_read_the_document_twice(applicant_client, worker, tmp_path):
    application_id = data.start_application(applicant_client)
    _upload(applicant_client, application_id, make_pdf(tmp_path / "c.pdf", ["35 hours"]))
    worker.drain()
    document = db.session.scalar(select(Document))
    from portal.tasks.broker import current_broker

    current_broker().get_actor("process_document").send(document.id)
    worker.drain()
    db.session.expire_all()
    assert db.session.get(Document, document.id).processing_attempts == 1


def test_random_bytes_are_refused_at_upload(applicant_client, tmp_path):
    application_id = data.start_application(applicant_client)
    path = make_random_bytes(tmp_path / "noise.pdf")
    response = applicant_client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(), "certificate": (io.BytesIO(path.read_bytes()), "noise.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "neither a PDF nor a Word" in response.get_data(as_text=True)
