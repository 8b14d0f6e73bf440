"""Data rights through HTTP: the privacy notice, a copy of one's data (built by a real worker, downloaded once
by its owner), deleting one's account (re-authenticated, refused while something is in hand, erasing and
anonymising exactly what the catalogue's retention policy says), and keeping a warned draft."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pyotp
import time_machine
from sqlalchemy import select

from portal.db import db
from portal.documents.storage import current_storage
from portal.enums import ApplicationState, DataRequestStatus, MessageRole, PaymentMethod
from portal.models.applications import Application, TrainingRecord
from portal.models.audit import AuditEntry
from portal.models.credentials import IssuedCredential
from portal.models.data_rights import DataRequest, DraftWarning
from portal.models.documents import Document
from portal.models.outbox import EmailMessage, OutboxMessage
from portal.models.payments import Payment
from portal.models.programmes import Evaluation, MentorProfile
from portal.models.references import ReferenceRequest
from portal.models.review import ApplicationMessage
from portal.models.users import User
from portal.workflows.accounts import operations as accounts
from portal.workflows.catalogue import load_catalogue
from portal.workflows.data_rights.operations import sweep_data_rights
from portal.workflows.data_rights.rules import ERASED_NAME, ERASED_TEXT, years_later
from tests.factories import applications as data
from tests.factories import programmes as programme_flow
from tests.factories import review as flow
from tests.factories.catalogue import CATALOGUE
from tests.helpers import PASSWORD, client_for, emails, make_user, page, running_app

RETENTION = load_catalogue(CATALOGUE).retention
LINK = re.compile(r"/account/data/exports/([A-Za-z0-9_\-]+)")


def _draft_with_certificate(client, folder, **about) -> Application:
    """A draft with a training record and its certificate; ``about`` fills the About you section too."""
    application_id = data.start_application(client)
    if about:
        assert (
            client.post(f"/applications/{application_id}/about", data=data.about(**about)).status_code == 302
        )
    response = client.post(
        f"/applications/{application_id}/training/new",
        data={**data.training(), "certificate": data.certificate_upload(folder)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data
    return db.session.get(Application, application_id)


def _files_of(application_id: int) -> list:
    keys = db.session.scalars(select(Document.storage_key).where(Document.application_id == application_id))
    return [current_storage().path(key) for key in keys]


def _export_link(address: str) -> str:
    email = emails("data_export_ready", address)[-1]
    return "/account/data/exports/" + LINK.search(email.text_body).group(1)


# --- the privacy notice -------------------------------------------------------------------------------------


def test_the_privacy_notice_gives_the_catalogues_retention_and_is_linked_from_the_footer_and_sign_up(
    app, client
):
    notice = page(client.get("/privacy"))
    assert f"{RETENTION.credentials.years} years after they expire" in notice
    assert f"{RETENTION.applications.years} years after the decision" in notice
    assert f"{RETENTION.payments.years} years after they were received" in notice
    assert RETENTION.applications.reason.split(":")[0] in notice
    assert f"{app.config['DRAFT_RETENTION_DAYS']} days after it last changed" in notice
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in client.get("/account/register").get_data(as_text=True)


# --- a copy of one's data -----------------------------------------------------------------------------------


def test_a_copy_is_asked_for_once_and_queued_for_the_worker(app, applicant):
    ada = client_for(app, applicant)
    assert ada.post("/account/data/export").status_code == 302
    assert "Being prepared" in page(ada.get("/account/data"))
    assert "already being prepared" in page(ada.post("/account/data/export", follow_redirects=True))
    [request] = db.session.scalars(select(DataRequest)).all()
    job = db.session.scalar(select(OutboxMessage).where(OutboxMessage.actor_name == "build_data_export"))
    assert job.args == [request.id]


def test_a_person_downloads_a_zip_of_their_own_data_and_files_once(
    app, applicant, other_applicant, worker, tmp_path
):
    ada, bob = client_for(app, applicant), client_for(app, other_applicant)
    mine = data.submit(ada, tmp_path)
    (tmp_path / "bob").mkdir()
    theirs = _draft_with_certificate(
        bob, tmp_path / "bob", full_name="Bob Other", contact_email=other_applicant.email
    )
    reference = db.session.scalar(select(ReferenceRequest).where(ReferenceRequest.application_id == mine.id))
    reference.comment, reference.answer_ip = "Said in confidence to the team", "203.0.113.9"
    db.session.add(
        ApplicationMessage(
            application_id=mine.id,
            author_id=applicant.id,
            role=MessageRole.APPLICANT,
            body="The course ran in 2024.",
        )
    )
    db.session.commit()

    assert ada.post("/account/data/export").status_code == 302
    worker.drain()

    request = db.session.scalar(select(DataRequest))
    db.session.refresh(request)
    assert request.status == DataRequestStatus.READY and "Ready to download" in page(ada.get("/account/data"))
    link = _export_link(applicant.email)
    assert bob.get(link).status_code == 404  # someone else's link is nobody's
    assert client_for(app).get(link).status_code == 302  # signed out: sign in first
    assert ada.get(link).status_code == 200  # a GET only shows the button (mail scanners open links)
    response = ada.post(link)
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()  # as a server does once sent: the file is removed then
    exported = json.loads(archive.read("data.json"))
    text = archive.read("data.json").decode()

    assert exported["account"]["email"] == applicant.email
    [application] = exported["applications"]
    assert application["reference"] == mine.reference
    assert application["training_records"][0]["instructor_name"] == "Grace Hopper"
    assert len(application["engagements"]) == 3 and application["references"]
    assert application["timeline"] and exported["audit"]
    assert application["questions_and_answers"][0]["text"] == "The course ran in 2024."
    [document] = application["documents"]
    stored = db.session.get(Document, document["id"])
    assert archive.read(document["file"]) == current_storage().path(stored.storage_key).read_bytes()
    # Not another person's data; not what a referee said in confidence, nor the checks reviewers make.
    assert other_applicant.email not in text and theirs.reference not in text
    assert "Said in confidence" not in text and "203.0.113.9" not in text
    assert "password_hash" not in text and "totp_secret" not in text and "storage_key" not in text

    again = ada.post(link)
    assert again.status_code == 410 and "has been used" in page(again)
    sweep_data_rights()
    db.session.commit()
    db.session.refresh(request)
    assert request.status == DataRequestStatus.DOWNLOADED and request.storage_key is None
    # What is left in storage is the uploads: the copy's file is gone.
    assert {path.name for path in current_storage().root.iterdir()} == set(
        db.session.scalars(select(Document.storage_key))
    )


def test_an_export_link_expires_and_its_file_is_removed_by_the_sweep(app, applicant, worker):
    ada = client_for(app, applicant)
    ada.post("/account/data/export")
    worker.drain()
    request = db.session.scalar(select(DataRequest))
    db.session.refresh(request)
    path = current_storage().path(request.storage_key)
    assert path.exists()
    later = datetime.now(UTC) + timedelta(days=app.config["DATA_EXPORT_DAYS"], minutes=1)
    with time_machine.travel(later, tick=False):
        response = ada.get(_export_link(applicant.email))
        assert response.status_code == 410 and "expired" in page(response)
        sweep_data_rights()
        db.session.commit()
        assert "file has been removed" in page(ada.get("/account/data"))
    db.session.refresh(request)
    assert request.status == DataRequestStatus.EXPIRED and not path.exists()


# --- deleting one's account ---------------------------------------------------------------------------------


def _paid(application: Application, transaction_reference: str, received_on: date) -> None:
    """The fee of an application made in the database, received by bank transfer on ``received_on``."""
    db.session.add(
        Payment(
            application=application,
            provider="manual",
            method=PaymentMethod.BANK_TRANSFER,
            amount=Decimal(398),
            currency="USD",
            transaction_reference=transaction_reference,
            received_on=received_on,
        )
    )


def _ada_with_a_history(app, applicant, other_applicant, admin, tmp_path):
    """Ada: a draft with a certificate, an approved and paid application with its credential, a mentor
    profile, and a completed mentoring pairing with Bob, who has an application of his own."""
    ada = client_for(app, applicant)
    draft = _draft_with_certificate(ada, tmp_path)
    credential = flow.issued(applicant, date(2025, 3, 1))
    approved = credential.application
    _paid(approved, "BANK-77", date(2025, 2, 20))
    db.session.add(
        MentorProfile(
            user_id=applicant.id, expertise="Claims", sector="Insurance", region="Europe", capacity=2
        )
    )
    db.session.commit()
    pairing = programme_flow.completed_pairing(admin, applicant, other_applicant)
    bob = client_for(app, other_applicant)
    (tmp_path / "bob").mkdir()
    bobs = _draft_with_certificate(
        bob, tmp_path / "bob", full_name="Bob Other", contact_email=other_applicant.email
    )
    return ada, bob, draft, approved, credential, pairing, bobs


def test_deleting_an_account_erases_and_anonymises_exactly_what_the_policy_says(
    app, applicant, other_applicant, admin, tmp_path
):
    ada, bob, draft, approved, credential, pairing, bobs = _ada_with_a_history(
        app, applicant, other_applicant, admin, tmp_path
    )
    draft_files, bobs_files = _files_of(draft.id), _files_of(bobs.id)
    assert draft_files and all(path.exists() for path in draft_files + bobs_files)

    summary = page(ada.get("/account/delete"))
    until = years_later(credential.expires_on, RETENTION.credentials.years)
    assert f"{credential.number}" in summary and f"until {until.day} {until:%B %Y}" in summary
    assert RETENTION.credentials.reason.split(":")[0] in summary
    assert RETENTION.payments.reason.split(":")[0] in summary
    assert "1 draft application, with everything in it" in summary

    question = "Which year did the course run?"
    for role, body in (
        (MessageRole.REVIEWER, question),
        (MessageRole.APPLICANT, "It ran in 2024, in Leeds."),
    ):
        db.session.add(ApplicationMessage(application_id=approved.id, role=role, body=body))
    db.session.get(User, applicant.id).signup_address_digest = "a" * 64
    db.session.commit()

    response = ada.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302 and response.location.endswith("/account/deleted")
    assert ada.get("/account/data").status_code == 302  # signed out
    db.session.expire_all()

    user = db.session.get(User, applicant.id)
    assert (user.full_name, user.email, user.is_active_account) == (
        ERASED_NAME,
        f"deleted-{applicant.id}@erased.invalid",
        False,
    )
    assert user.last_login_ip is None and user.profile_slug is None and user.signup_address_digest is None
    # The applicant's answers to a reviewer are their words: erased; the reviewer's question stays.
    bodies = db.session.scalars(
        select(ApplicationMessage.body).where(ApplicationMessage.application_id == approved.id)
    ).all()
    assert sorted(bodies) == sorted([question, ERASED_TEXT])
    assert (
        client_for(app)
        .post("/account/sign-in", data={"email": "ada.applicant@example.com", "password": PASSWORD})
        .status_code
        == 200
    )  # the old address and password no longer sign in
    # The draft is gone with its records and files.
    assert db.session.get(Application, draft.id) is None
    assert (
        db.session.scalars(select(TrainingRecord).where(TrainingRecord.application_id == draft.id)).all()
        == []
    )
    assert not any(path.exists() for path in draft_files)
    # The decided application stays, anonymised; its payment and the credential stay as the policy says.
    kept = db.session.get(Application, approved.id)
    assert kept.state == ApplicationState.APPROVED and kept.full_name == ERASED_NAME
    assert (kept.contact_email, kept.postal_address, kept.supervisor_name, kept.supervisor_email) == (
        None,
    ) * 4
    assert kept.training_records[0].instructor_name == ERASED_TEXT and kept.training_records[0].hours == 35
    assert kept.payment.transaction_reference == "BANK-77"
    held = db.session.get(IssuedCredential, credential.id)
    assert held.holder_name == "Ada Lovelace"  # show_holder_name = true in the catalogue
    assert "Ada Lovelace" in page(client_for(app).get(f"/verify/{credential.number}"))
    assert db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == applicant.id)) is None
    # The pairing stays for Bob, who sees a deleted account; Ada's words are erased, Bob's kept.
    assert ERASED_NAME in page(bob.get(f"/programmes/pairings/{pairing.id}"))
    evaluations = {e.author_id: e for e in db.session.scalars(select(Evaluation))}
    assert evaluations[applicant.id].about_partner == ERASED_TEXT
    assert evaluations[other_applicant.id].about_partner == "A generous mentor."
    # Bob's data is untouched.
    assert db.session.get(Application, bobs.id).full_name == "Bob Other"
    assert all(path.exists() for path in bobs_files)
    assert db.session.get(User, other_applicant.id).email == other_applicant.email
    # The erasure is audited with counts, and nothing left in the audit trail names Ada.
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account_erased")).all()
    assert entry.actor_id == applicant.id and "drafts erased: 1" in entry.reason
    assert "applications anonymised: 1" in entry.reason and "credentials kept: 1" in entry.reason
    for row in db.session.scalars(select(AuditEntry)):
        assert "ada.applicant" not in (row.actor_label + (row.reason or "")), row.action
    # No email row keeps Ada's address but the confirmation, which is erased once delivered.
    rows = db.session.scalars(
        select(EmailMessage).where(EmailMessage.recipient == "ada.applicant@example.com")
    )
    assert [row.template for row in rows] == ["account_erased"]
    erasure = db.session.scalar(select(DataRequest).where(DataRequest.kind == "erasure"))
    assert erasure.counts["drafts_erased"] == 1 and "Lovelace" not in json.dumps(erasure.counts)


def test_deleting_an_account_asks_for_the_password_and_the_code_when_two_factor_is_on(app, applicant):
    secret, _codes = accounts.set_up_two_factor(applicant)
    db.session.commit()
    ada = client_for(app, applicant)
    form = page(ada.get("/account/delete"))
    assert "Code from your authenticator app" in form
    wrong = ada.post("/account/delete", data={"password": "not my password", "confirm": "y"})
    assert wrong.status_code == 200 and "Your password is not right." in page(wrong)
    no_code = ada.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert "Enter the code from your authenticator app." in page(no_code)
    unconfirmed = ada.post("/account/delete", data={"password": PASSWORD, "code": pyotp.TOTP(secret).now()})
    assert "cannot be restored" in page(unconfirmed)
    db.session.expire_all()
    assert db.session.get(User, applicant.id).email == applicant.email
    applicant.totp_last_step = None
    db.session.commit()
    done = ada.post(
        "/account/delete", data={"password": PASSWORD, "code": pyotp.TOTP(secret).now(), "confirm": "y"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, applicant.id).full_name == ERASED_NAME


def test_an_application_in_review_must_be_withdrawn_before_the_account_is_deleted(app, applicant):
    application = flow.application(applicant, state=ApplicationState.IN_REVIEW)
    db.session.commit()
    ada = client_for(app, applicant)
    shown = page(ada.get("/account/delete"))
    assert "cannot be deleted yet" in shown and f"{application.reference} is in review" in shown
    assert f'href="/applications/{application.id}/status"' in ada.get("/account/delete").get_data(
        as_text=True
    )
    refused = ada.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert refused.status_code == 200 and "withdraw it first" in page(refused)
    db.session.expire_all()
    assert db.session.get(User, applicant.id).is_active_account

    assert ada.post(f"/applications/{application.id}/withdraw").status_code == 302
    assert ada.post("/account/delete", data={"password": PASSWORD, "confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).full_name == ERASED_NAME  # kept, anonymised


def test_an_active_mentoring_pairing_and_a_staff_account_block_deletion(
    app, applicant, other_applicant, admin
):
    programme_flow.active_pairing(admin, applicant, other_applicant, date.today())
    shown = page(client_for(app, applicant).get("/account/delete"))
    assert "is active until" in shown and "Open the pairing" in shown
    staff = page(client_for(app, admin).get("/account/delete"))
    assert "Staff accounts are closed by an administrator" in staff
    assert 'name="password"' not in staff


# --- keeping a warned draft ---------------------------------------------------------------------------------


def test_a_warned_draft_is_kept_from_your_data(app, applicant, tmp_path):
    draft = _draft_with_certificate(client_for(app, applicant), tmp_path)
    with time_machine.travel(datetime.now(UTC) + timedelta(days=340), tick=False):
        assert sweep_data_rights().warned == 1
        db.session.commit()
        ada = client_for(app, applicant)  # signed in months later
        assert "It will be erased on" in page(ada.get("/account/data"))
        assert ada.post(f"/account/data/drafts/{draft.id}/keep").status_code == 302
        assert db.session.scalar(select(DraftWarning)) is None
    with time_machine.travel(datetime.now(UTC) + timedelta(days=400), tick=False):
        assert sweep_data_rights().erased == 0
        db.session.commit()
    assert db.session.get(Application, draft.id) is not None


def test_what_an_erased_account_left_goes_when_the_policys_years_are_over(app, applicant):
    credential = flow.issued(applicant, date(2020, 1, 10))  # valid until 10 January 2022
    approved = credential.application
    _paid(approved, "BANK-20", date(2020, 1, 5))
    db.session.commit()
    number, application_id = credential.number, approved.id
    assert (
        client_for(app, applicant)
        .post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
        .status_code
        == 302
    )
    kept_until = years_later(date(2022, 1, 10), RETENTION.credentials.years)

    def sweep_on(day: date) -> None:
        with time_machine.travel(datetime.combine(day, datetime.min.time(), tzinfo=UTC), tick=False):
            sweep_data_rights()
            db.session.commit()
        db.session.expire_all()

    sweep_on(kept_until)  # the application's own years are over, but the credential still rests on it
    assert db.session.scalar(select(IssuedCredential).where(IssuedCredential.number == number)) is not None
    assert db.session.get(Application, application_id) is not None
    sweep_on(kept_until + timedelta(days=1))
    assert db.session.scalar(select(IssuedCredential).where(IssuedCredential.number == number)) is None
    assert db.session.get(Application, application_id) is None
    assert db.session.scalar(select(Payment).where(Payment.transaction_reference == "BANK-20")) is None
    assert client_for(app).get(f"/verify/{number}").status_code == 404
    ended = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "retention_ended")).all()
    assert {entry.subject_type for entry in ended} == {"credentials", "applications"}


def test_with_no_draft_retention_configured_drafts_are_kept_for_good(app_config, _schema, tmp_path):
    app_config["DRAFT_RETENTION_DAYS"] = 0
    with running_app(app_config) as app:
        draft = _draft_with_certificate(client_for(app, make_user("carol@example.com")), tmp_path)
        with time_machine.travel(datetime.now(UTC) + timedelta(days=3650), tick=False):
            result = sweep_data_rights()
            db.session.commit()
        assert (result.warned, result.erased) == (0, 0)
        assert db.session.get(Application, draft.id) is not None and emails("draft_erasure_warning") == []
