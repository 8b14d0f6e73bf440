"""A phone photo of a certificate, uploaded through the wizard, is read by a real worker and cross-checked."""

from __future__ import annotations

import io
import random

from sqlalchemy import select

from bench.corpus.render import draw_page, photo_effect
from portal.db import db
from portal.models.documents import Document, DocumentStatus
from tests.factories import applications as data
from tests.factories.tools import require_programs

LINES = [
    ("NORTHWIND MENTORING", 20),
    ("ACADEMY", 20),
    ("Certificate of Completion", 24),
    ("This is to certify that", 12),
    ("Ada Lovelace", 20),
    ("has successfully completed", 12),
    ("Foundations of Professional Mentoring", 15),
    ("a total of 35 contact hours", 12),
    ("from 1 March 2024 to 31 May 2024", 12),
    ("Instructor: Grace Hopper", 12),
]


def _upload_photo(client, application_id: int, seed: int, **training) -> None:
    buffer = io.BytesIO()
    photo_effect(draw_page(LINES, dpi=200), random.Random(seed)).save(buffer, "JPEG", quality=80)
    response = client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(**training), "certificate": (io.BytesIO(buffer.getvalue()), "IMG_4127.JPG")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data


def test_a_photo_of_a_certificate_is_read_and_its_facts_confirmed(applicant_client, worker):
    require_programs("tesseract", purpose="photos cannot be read")
    application_id = data.start_application(applicant_client)
    applicant_client.post(f"/applications/{application_id}/about", data=data.about())
    _upload_photo(applicant_client, application_id, seed=11)
    worker.drain()
    db.session.expire_all()
    document = db.session.scalar(select(Document))
    assert document.file_type == "jpeg"
    assert document.status == DocumentStatus.READ, document.status_reason
    assert document.facts["hours"] == 35 and document.facts["end_date"] == "2024-05-31"
    outcomes = {check["field"]: check["outcome"] for check in document.checks}
    assert outcomes["participant_name"] == outcomes["hours"] == outcomes["start_date"] == "confirmed"


def test_a_photo_showing_fewer_hours_than_declared_needs_attention(applicant_client, worker):
    require_programs("tesseract", purpose="photos cannot be read")
    application_id = data.start_application(applicant_client)
    _upload_photo(applicant_client, application_id, seed=12, hours="50")
    worker.drain()
    db.session.expire_all()
    document = db.session.scalar(select(Document))
    assert document.status == DocumentStatus.NEEDS_ATTENTION, document.status_reason
    hours = next(check for check in document.checks if check["field"] == "hours")
    assert hours["outcome"] == "contradicted" and hours["found"] == "35"
