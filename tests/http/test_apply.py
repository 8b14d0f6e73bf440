"""The applicant's journey through the HTTP interface: sections, validation, eligibility, drafts, submit."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from portal.db import db
from portal.enums import ApplicationState
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.documents import Document
from portal.models.outbox import EmailMessage, OutboxMessage
from tests.factories import applications as data
from tests.factories.catalogue import third_credential_catalogue
from tests.factories.documents import make_docx, make_pdf
from tests.helpers import make_user, page, running_app, sign_in


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/applications/")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_starting_an_application_offers_every_catalogue_credential(applicant_client):
    text = page(applicant_client.get("/applications/new"))
    assert "Certified Professional Mentor (CPM)" in text and "Certified Master Mentor (CMM)" in text
    assert "35 hours of mentoring training" in text and "US$598 for non-members" in text
    response = applicant_client.post("/applications/new", data={})
    assert response.status_code == 200 and "Choose a credential." in page(response)


def test_a_new_draft_shows_the_task_list_and_an_unmet_eligibility_panel(applicant_client):
    application_id = data.start_application(applicant_client)
    text = page(applicant_client.get(f"/applications/{application_id}"))
    for title in (
        "About you",
        "Mentoring training",
        "Mentoring engagements and references",
        "Mentoring supervision",
        "Declaration of continuous learning",
        "Check your answers",
    ):
        assert title in text
    assert "Prerequisite credential" not in text  # CPM has none
    assert "Not started" in text and "Cannot submit yet" in text
    # A first visit says what to prepare, as a checklist rather than a wall of failures.
    assert "What to prepare" in text and "Not met" not in text
    assert "Certificates for at least 35 hours of mentoring training." in text
    assert "0 of 5 sections done." in text


def test_about_you_errors_sit_by_their_fields_and_keep_what_was_typed(applicant_client):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(
        f"/applications/{application_id}/about",
        data=data.about(contact_email="not-an-email", member_number=""),
    )
    text = page(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Enter an email address like name@example.com." in text
    assert "Enter your membership number." in text
    assert 'value="not-an-email"' in text and "St James" in text
    application = db.session.get(Application, application_id)
    assert application.postal_address is None  # nothing half-saved


def test_about_you_saves_and_the_section_shows_completed(applicant_client):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(f"/applications/{application_id}/about", data=data.about())
    assert response.status_code == 302
    application = db.session.get(Application, application_id)
    assert application.is_member is True and application.member_number == "IMC-4471"
    text = page(applicant_client.get(f"/applications/{application_id}"))
    assert "Completed" in text


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"hours": "0"}, "between 0.5 and 2000"),
        ({"hours": "lots"}, "Enter the number of training hours"),
        ({"start_date": "2024-02-30"}, "Enter the start date as a real date."),
        ({"end_date": "2024-01-01"}, "The end date must be on or after the start date."),
        ({"end_date": "2999-01-01"}, "The date must be today or in the past."),
        ({"hours": "900", "start_date": "2024-03-01", "end_date": "2024-03-02"}, "more than the programme"),
        ({"instructor_email": "grace@"}, "Enter an email address like name@example.com."),
        ({"centre_status": ""}, "Choose the centre's status."),
    ],
)
def test_training_record_validation(applicant_client, overrides, message):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(
        f"/applications/{application_id}/training/new", data=data.training(**overrides)
    )
    assert response.status_code == 200 and message in page(response)
    assert db.session.get(Application, application_id).training_records == []


def test_a_training_record_with_its_certificate_is_stored_and_queued_for_reading(applicant_client, tmp_path):
    application_id = data.start_application(applicant_client)
    stream, name = data.certificate_upload(tmp_path)
    response = applicant_client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(), "certificate": (stream, name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db.session.scalar(select(Document))
    assert document.original_name == "certificate.pdf" and document.file_type == "pdf"
    assert len(document.sha256) == 64 and document.storage_key != name
    queued = db.session.scalars(select(OutboxMessage).where(OutboxMessage.actor_name == "process_document"))
    assert [message.args for message in queued] == [[document.id]]
    text = page(applicant_client.get(f"/applications/{application_id}/training"))
    assert "certificate.pdf" in text and "Queued for reading" in text


def test_a_docx_named_pdf_is_taken_as_a_docx(applicant_client, tmp_path):
    application_id = data.start_application(applicant_client)
    path = make_docx(tmp_path / "c.docx", ["Certificate"])
    response = applicant_client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(), "certificate": (io.BytesIO(path.read_bytes()), "c.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Document)).file_type == "docx"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "The file is empty."),
        (b"GIF89a not a certificate", "neither a PDF nor a Word"),
        (b"PK\x03\x04 broken zip", "damaged"),
    ],
)
def test_a_bad_upload_is_refused_with_the_reason_and_nothing_is_saved(applicant_client, content, reason):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(), "certificate": (io.BytesIO(content), "x.pdf")},
        content_type="multipart/form-data",
    )
    text = page(response)
    assert response.status_code == 200 and reason in text
    assert "Northwind Mentoring Academy" in text  # what was typed is kept
    assert db.session.scalar(select(Document)) is None
    assert db.session.get(Application, application_id).training_records == []


def test_an_upload_over_the_size_cap_is_refused(app, applicant_client):
    app.config["MAX_UPLOAD_BYTES"] = 256 * 1024
    application_id = data.start_application(applicant_client)
    big = b"%PDF-1.4\n" + b"0" * (256 * 1024 + 10)
    response = applicant_client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(), "certificate": (io.BytesIO(big), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "larger than 0.25 MB" in page(response)


def test_records_can_be_edited_and_removed(applicant_client):
    application_id = data.start_application(applicant_client)
    applicant_client.post(f"/applications/{application_id}/engagements/new", data=data.engagement(1))
    engagement = db.session.get(Application, application_id).engagements[0]
    response = applicant_client.post(
        f"/applications/{application_id}/engagements/{engagement.id}",
        data=data.engagement(1, mentee_name="Renamed Mentee"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application_id).engagements[0].mentee_name == "Renamed Mentee"
    applicant_client.post(f"/applications/{application_id}/engagements/{engagement.id}/remove")
    db.session.expire_all()
    assert db.session.get(Application, application_id).engagements == []


def test_a_half_named_referee_is_refused(applicant_client):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(
        f"/applications/{application_id}/engagements/new", data=data.engagement(1, referee_email="")
    )
    assert response.status_code == 200
    assert "Enter the referee's email address" in page(response)


def test_eligibility_panel_follows_the_declared_hours(applicant_client, tmp_path):
    application_id = data.start_application(applicant_client)
    stream, name = data.certificate_upload(tmp_path)
    applicant_client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(hours="20"), "certificate": (stream, name)},
        content_type="multipart/form-data",
    )
    text = page(applicant_client.get(f"/applications/{application_id}"))
    assert "Declare at least 35 hours of mentoring training (you have declared 20)." in text
    assert "You have 20 of the 35 training hours." in text and "What to prepare" not in text
    stream, name = data.certificate_upload(tmp_path, "second.pdf")
    applicant_client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(hours="15.5", programme_name="Advanced"), "certificate": (stream, name)},
        content_type="multipart/form-data",
    )
    text = page(applicant_client.get(f"/applications/{application_id}"))
    assert "Declare at least 35 hours" not in text and "35.5" in text


def test_an_ineligible_application_cannot_be_submitted_and_says_what_is_missing(applicant_client, tmp_path):
    application_id = data.start_application(applicant_client)
    data.fill_application(applicant_client, application_id, tmp_path, engagements=2, referees=1)
    response = applicant_client.post(f"/applications/{application_id}/submit")
    text = page(response)
    assert response.status_code == 422
    assert "Declare at least 3 completed mentoring engagements (you have 2)." in text
    assert "Name a referee for at least 2 completed engagements (you have 1)." in text
    assert db.session.get(Application, application_id).state == ApplicationState.DRAFT


def test_a_complete_cpm_application_is_submitted_with_the_member_fee_and_an_audit_entry(
    applicant_client, applicant, tmp_path
):
    application_id = data.start_application(applicant_client)
    data.fill_application(applicant_client, application_id, tmp_path)
    assert "Fee and submit" in page(applicant_client.get(f"/applications/{application_id}/submit"))
    assert "US$250" in page(applicant_client.get(f"/applications/{application_id}/submit"))
    response = applicant_client.post(f"/applications/{application_id}/submit")
    assert response.status_code == 302
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    # Submitting asks for the fee at once: the application waits for payment.
    assert application.state == ApplicationState.AWAITING_PAYMENT and application.submitted_at is not None
    assert str(application.fee_amount) == "250.00" and application.fee_currency == "USD"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "submit"))
    assert (entry.actor_id, entry.from_state, entry.to_state) == (applicant.id, "draft", "submitted")
    email = db.session.scalar(select(EmailMessage).where(EmailMessage.template == "application_received"))
    assert email.recipient == "ada.applicant@example.com" and application.reference in email.subject
    status = page(applicant_client.get(response.headers["Location"]))
    assert "Application submitted" in status and application.reference in status
    # The submitted application is read-only: its sections redirect and refuse changes.
    response = applicant_client.post(
        f"/applications/{application_id}/about", data=data.about(full_name="Changed")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application_id).full_name == "Ada Lovelace"


def test_non_members_pay_the_non_member_fee(applicant_client, tmp_path):
    application_id = data.start_application(applicant_client)
    data.fill_application(applicant_client, application_id, tmp_path)
    applicant_client.post(f"/applications/{application_id}/about", data=data.about(is_member="no"))
    assert "US$398" in page(applicant_client.get(f"/applications/{application_id}/submit"))


def test_cmm_needs_fifty_hours_ten_engagements_five_referees_and_a_cpm_held_a_full_cycle(
    applicant_client, tmp_path
):
    application_id = data.start_application(applicant_client, "CMM")
    data.fill_application(applicant_client, application_id, tmp_path, engagements=3, referees=2, hours="35")
    text = page(applicant_client.get(f"/applications/{application_id}"))
    assert "Prerequisite credential" in text
    assert "Declare at least 50 hours of mentoring training (you have declared 35)." in text
    assert "Declare at least 10 completed mentoring engagements (you have 3)." in text
    assert "Name a referee for at least 5 completed engagements (you have 2)." in text
    applicant_client.post(
        f"/applications/{application_id}/prerequisite",
        data={"prior_credential_number": "CPM-1", "prior_credential_issued_on": "2025-06-01"},
    )
    assert "must have been held for 2 years" in page(applicant_client.get(f"/applications/{application_id}"))
    applicant_client.post(
        f"/applications/{application_id}/prerequisite",
        data={"prior_credential_number": "CPM-1", "prior_credential_issued_on": "2020-06-01"},
    )
    assert "must have been held" not in page(applicant_client.get(f"/applications/{application_id}"))


def test_a_draft_is_kept_and_resumed_from_the_dashboard(client, applicant):
    sign_in(client, applicant)
    application_id = data.start_application(client)
    client.post(f"/applications/{application_id}/supervision", data=data.supervision())
    client.post("/account/sign-out")
    sign_in(client, applicant)
    text = page(client.get("/applications/"))
    assert f"CPM-{application_id:06d}" in text and "Continue" in text
    assert "Sam Supervisor" in page(client.get(f"/applications/{application_id}/supervision"))


def test_check_your_answers_shows_every_answer_with_change_links(applicant_client, tmp_path):
    application_id = data.start_application(applicant_client)
    data.fill_application(applicant_client, application_id, tmp_path)
    text = page(applicant_client.get(f"/applications/{application_id}/check"))
    for answer in (
        "Ada Lovelace",
        "Northwind Mentoring Academy",
        "Mentee Number1",
        "Referee Number2",
        "Sam Supervisor",
        "certificate.pdf",
        "Made on",
    ):
        assert answer in text
    assert "12 St James's Square<br>London SW1Y 4JH" in text  # the address on the lines it was typed on
    assert f"/applications/{application_id}/about?return_to=check" in text


def test_one_applicant_cannot_see_or_touch_another_applicants_application_or_files(
    client, applicant, other_applicant, tmp_path
):
    sign_in(client, applicant)
    application_id = data.start_application(client)
    data.fill_application(client, application_id, tmp_path)
    document_id = db.session.scalar(select(Document.id))
    client.post("/account/sign-out")
    sign_in(client, other_applicant)
    for url in (
        f"/applications/{application_id}",
        f"/applications/{application_id}/about",
        f"/applications/{application_id}/training",
        f"/applications/{application_id}/check",
        f"/applications/{application_id}/status",
        f"/applications/documents/{document_id}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Ada" not in page(response)
    assert client.post(f"/applications/{application_id}/about", data=data.about()).status_code == 404
    assert client.post(f"/applications/{application_id}/submit").status_code == 404


def test_the_owner_and_reviewers_download_documents_as_attachments(client, applicant, reviewer, tmp_path):
    sign_in(client, applicant)
    application_id = data.start_application(client)
    data.fill_application(client, application_id, tmp_path)
    document_id = db.session.scalar(select(Document.id))
    with client.get(f"/applications/documents/{document_id}") as response:
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
        assert response.headers["Content-Disposition"].startswith("attachment")
    client.post("/account/sign-out")
    sign_in(client, reviewer)
    with client.get(f"/applications/documents/{document_id}") as response:
        assert response.status_code == 404  # a draft is the applicant's own
    client.post("/account/sign-out")
    sign_in(client, applicant)
    assert client.post(f"/applications/{application_id}/submit").status_code == 302
    client.post("/account/sign-out")
    sign_in(client, reviewer)
    with client.get(f"/applications/documents/{document_id}") as response:
        assert response.status_code == 200


def test_a_third_credential_added_to_the_catalogue_can_be_applied_for(app_config, _schema, tmp_path):

    app_config["CATALOGUE_PATH"] = str(third_credential_catalogue(tmp_path))
    with running_app(app_config) as app:
        user = make_user("carol@example.com")
        client = app.test_client()
        sign_in(client, user)
        assert "Certified Mentor Coach (CMC)" in page(client.get("/applications/new"))
        application_id = data.start_application(client, "CMC")
        text = page(client.get(f"/applications/{application_id}"))
        assert "Certificates for at least 20 hours of mentoring training." in text  # what to prepare


def test_withdrawing_a_draft_is_audited(applicant_client, applicant):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(f"/applications/{application_id}/withdraw")
    assert response.status_code == 302
    assert db.session.get(Application, application_id).state == ApplicationState.WITHDRAWN
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "withdraw"))
    assert (entry.actor_id, entry.subject_id, entry.from_state, entry.to_state) == (
        applicant.id,
        application_id,
        "draft",
        "withdrawn",
    )


def test_a_pdf_certificate_made_by_a_real_tool_round_trips(applicant_client, tmp_path):
    path = make_pdf(tmp_path / "real.pdf", ["Certificate", "35 hours"])
    application_id = data.start_application(applicant_client)
    applicant_client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(), "certificate": (io.BytesIO(path.read_bytes()), "real.pdf")},
        content_type="multipart/form-data",
    )
    document = db.session.scalar(select(Document))
    with applicant_client.get(f"/applications/documents/{document.id}") as response:
        assert response.data == path.read_bytes()


def test_a_submitted_application_shows_its_answers_without_change_links(applicant_client, tmp_path):
    application_id = data.start_application(applicant_client)
    data.fill_application(applicant_client, application_id, tmp_path)
    applicant_client.post(f"/applications/{application_id}/submit")
    text = page(applicant_client.get(f"/applications/{application_id}/status"))
    assert "Northwind Mentoring Academy" in text
    assert "return_to=check" not in text and ">Change<" not in text


@pytest.mark.parametrize("hours", ["NaN", "Infinity", "-inf", "9" * 60])
def test_impossible_numbers_get_a_field_error(applicant_client, hours):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(
        f"/applications/{application_id}/training/new", data=data.training(hours=hours)
    )
    assert response.status_code == 200
    assert "Enter the number of training hours as a number, like 12.5." in page(response)
