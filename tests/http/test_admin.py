"""Administration through HTTP: reviewers, standard reasons, exports and an application's dossier."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

from sqlalchemy import select

from portal.db import db
from portal.enums import ReasonKind, Role
from portal.models.audit import AuditEntry
from portal.models.review import StandardReason
from portal.models.users import User
from tests.factories import review as flow
from tests.helpers import client_for, page


def test_an_admin_promotes_an_account_to_reviewer_and_back(app, applicant, admin):
    staff = client_for(app, admin)
    text = page(staff.get("/admin/reviewers", query_string={"email": "ADA.applicant@example.com"}))
    assert "Ada Lovelace (ada.applicant@example.com) is an applicant" in text and "Make reviewer" in text
    assert staff.post(f"/admin/users/{applicant.id}/role", data={"role": "reviewer"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, applicant.id).role == Role.REVIEWER
    # The new reviewer is asked to set up two-factor sign-in before the queue: staff see personal data.
    response = client_for(app, applicant).get("/review/")
    assert response.status_code == 302 and response.location.endswith("/account/two-factor")
    staff.post(f"/admin/users/{applicant.id}/role", data={"role": "applicant"})
    db.session.expire_all()
    assert db.session.get(User, applicant.id).role == Role.APPLICANT
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "role_changed").order_by(AuditEntry.id)
    ).all()
    assert [(e.from_state, e.to_state, e.actor_id) for e in entries] == [
        ("applicant", "reviewer", admin.id),
        ("reviewer", "applicant", admin.id),
    ]
    # Admins are not demoted from here, and no one is made admin from here.
    response = staff.post(f"/admin/users/{admin.id}/role", data={"role": "applicant"}, follow_redirects=True)
    assert "An administrator's role cannot be changed here." in page(response)
    assert staff.post(f"/admin/users/{applicant.id}/role", data={"role": "admin"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, applicant.id).role == Role.APPLICANT
    assert "No account has this email address" in page(staff.get("/admin/reviewers?email=nobody@example.com"))


def test_an_admin_keeps_the_standard_reasons(app, admin):
    staff = client_for(app, admin)
    response = staff.post("/admin/reasons", data={"kind": "return", "title": "", "text": ""})
    assert response.status_code == 422 and "Enter a short name." in page(response)
    assert (
        staff.post(
            "/admin/reasons",
            data={
                "kind": "return",
                "title": "Certificate unreadable",
                "text": "Upload a clearer copy of your certificate.",
                "is_active": "y",
            },
        ).status_code
        == 302
    )
    reason = db.session.scalar(select(StandardReason))
    assert (reason.kind, reason.is_active) == (ReasonKind.RETURN, True)
    assert "Certificate unreadable" in page(staff.get("/admin/reasons"))
    assert (
        staff.post(
            f"/admin/reasons/{reason.id}",
            data={"kind": "return", "title": "Certificate unreadable", "text": "Upload a clearer copy."},
        ).status_code
        == 302
    )
    db.session.expire_all()
    reason = db.session.get(StandardReason, reason.id)
    assert reason.text == "Upload a clearer copy." and reason.is_active is False
    saved = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "standard_reason_saved"))
    assert [(entry.actor_id, entry.subject_id) for entry in saved] == [(admin.id, reason.id)] * 2


def test_credentials_and_applications_export_as_csv(app, applicant, admin):
    credential = flow.issued(applicant, date(2024, 1, 15))
    applicant.full_name = '=HYPERLINK("http://evil")'
    db.session.commit()
    staff = client_for(app, admin)
    response = staff.get("/admin/exports/credentials.csv")
    assert response.headers["Content-Disposition"] == "attachment; filename=credentials.csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["number"], r["holder_email"], r["issued_on"], r["expires_on"]) for r in rows] == [
        (credential.number, "ada.applicant@example.com", "2024-01-15", "2026-01-15")
    ]
    response = staff.get("/admin/exports/applications.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["reference"] == credential.application.reference and rows[0]["state"] == "approved"
    applicant_cells = [r["applicant"] for r in rows]
    assert all(not cell.startswith("=") for cell in applicant_cells)  # no spreadsheet formulas


def test_an_admin_downloads_an_applications_dossier(app, applicant, reviewer, admin, tmp_path):
    client = client_for(app, applicant)
    application = flow.ready_to_approve(client, tmp_path, admin)
    staff = client_for(app, reviewer)
    staff.post(f"/review/{application.id}/notes", data={"note_fee_paid": "Seen."})
    staff.post(f"/review/{application.id}/questions", data={"body": "Which year was the course?"})
    client.post(f"/applications/{application.id}/answer", data={"body": "2023."})
    staff.post(f"/review/{application.id}/approve")
    staff = client_for(app, admin)
    assert "Download the dossier" in page(staff.get(f"/review/{application.id}"))
    with staff.get(f"/admin/applications/{application.id}/dossier.zip") as response:
        assert response.status_code == 200 and response.mimetype == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    for name in (
        "application.json",
        "documents.json",
        "references.json",
        "payment.json",
        "credential.json",
        "review_notes.json",
        "messages.json",
        "emails.csv",
        "audit.csv",
    ):
        assert name in names, name
    assert any(name.startswith("documents/") and name.endswith("certificate.pdf") for name in names)
    answers = json.loads(archive.read("application.json"))
    assert answers["application"]["full_name"] == "Ada Lovelace"
    assert len(answers["engagements"]) == 3 and answers["training_records"][0]["hours"] == "35.0"
    assert json.loads(archive.read("payment.json"))["amount"] == "250.00"
    references = json.loads(archive.read("references.json"))
    assert {r["status"] for r in references} == {"confirmed"}
    assert all("token_hash" not in r for r in references)
    audit = archive.read("audit.csv").decode()
    for action in ("submit", "record_payment", "approve", "issue"):
        assert f",{action}," in audit
    assert json.loads(archive.read("review_notes.json"))[0]["text"] == "Seen."
    assert [(m["role"], m["body"]) for m in json.loads(archive.read("messages.json"))] == [
        ("reviewer", "Which year was the course?"),
        ("applicant", "2023."),
    ]
    for action in ("request_information", "answer_information"):
        assert f",{action}," in audit
    assert (
        client_for(app, reviewer).get(f"/admin/applications/{application.id}/dossier.zip").status_code == 403
    )
