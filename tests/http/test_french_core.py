"""The core pages in French: signing in and the account pages, the home page, error pages, credentials and
their verification, payments and receipts, renewal, your data and the privacy notice, webhooks; the emails
about accounts, credentials, payments and data; the certificate and the receipt. No English sentence left,
apart from proper names and data (people's names, addresses, references, catalogue names and policy)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pypdf
from flask_babel import force_locale

from portal.db import db, utcnow
from portal.enums import DataRequestKind, DataRequestStatus
from portal.models.data_rights import DataRequest
from portal.models.outbox import EmailMessage
from portal.models.users import User
from portal.notifications import send_email
from portal.workflows.data_rights import queries as data_queries
from portal.workflows.payments import operations as payment_ops
from portal.workflows.registry import catalogue
from tests.english import english_sentences
from tests.factories import applications as data
from tests.factories import review as flow
from tests.helpers import client_for, page

FRENCH = {"Accept-Language": "fr"}
# The renewal's section page is the application form's (templates/apply/), translated with the applicant's
# journey, not with these pages.
APPLY_FRAME = ("Back to your application",)


def _allowed(*people: User) -> list[str]:
    """Names and data a French page shows as they are: people, the catalogue's names and retention policy."""
    known = catalogue()
    policy = known.retention
    return [
        "Mentor Credentials",
        "International Mentoring Center",
        *(credential.name for credential in known.ordered()),
        *(credential.label for credential in known.ordered()),
        policy.credentials.reason,
        policy.applications.reason,
        policy.payments.reason,
        *(person.full_name for person in people),
        *(person.email for person in people),
    ]


def _in_french(user: User) -> User:
    user.locale = "fr"
    db.session.commit()
    return user


def assert_french(response, *people: User, allow: tuple[str, ...] = ()) -> str:
    assert response.status_code in (200, 201, 400, 403, 404, 410, 422), response.status_code
    text = page(response)
    assert '<html lang="fr">' in text
    left = english_sentences(text, allow=[*_allowed(*people), *allow])
    assert not left, left
    return text


def test_the_signed_out_pages_are_in_french(app, applicant):
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    visitor = client_for(app)
    # The shared macros' words follow each page's language, whichever language rendered them first.
    assert ">Valid<" in page(visitor.get(f"/verify/{credential.number}"))
    assert ">Valide<" in page(visitor.get(f"/verify/{credential.number}", headers=FRENCH))
    assert ">Valid<" in page(visitor.get(f"/verify/{credential.number}", headers={"Accept-Language": "en"}))
    for path in (
        "/",
        "/account/sign-in",
        "/account/register",
        "/account/forgot-password",
        "/privacy",
        "/verify",
        f"/verify/{credential.number}",
        "/verify/CPM-AAAA-BBBB-CCCC",
        "/verify?number=",
        "/no-such-page",
        "/account/reset-password/not-a-token",
        "/account/confirm/not-a-token",
    ):
        assert_french(visitor.get(path, headers=FRENCH), applicant)
    home = page(visitor.get("/", headers=FRENCH))
    assert "Demander une certification de mentorat" in home and "Se connecter" in home

    refused = visitor.post(
        "/account/sign-in", data={"email": applicant.email, "password": "wrong"}, headers=FRENCH
    )
    assert "L'adresse e-mail ou le mot de passe est incorrect." in assert_french(refused, applicant)
    empty = visitor.post("/account/register", data={}, headers=FRENCH)
    assert "Saisissez votre nom complet." in assert_french(empty)
    sent = visitor.post("/account/forgot-password", data={"email": applicant.email}, headers=FRENCH)
    assert "Consultez vos e-mails" in assert_french(sent, applicant)
    signed_up = visitor.post(
        "/account/register",
        data={"full_name": "Camille Durand", "email": "camille@example.fr", "password": "x", "confirm": "x"},
        headers=FRENCH,
    )
    assert_french(signed_up, allow=("Camille Durand", "camille@example.fr"))


def test_the_holder_reads_their_account_credentials_and_certificate_in_french(app, applicant):
    _in_french(applicant)
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    holder = client_for(app, applicant)
    mine = assert_french(holder.get("/credentials/"), applicant)
    assert "Télécharger le certificat (PDF)" in mine and "Vos certifications" in mine
    for path in ("/account/password", "/account/two-factor", "/account/preferences", "/account/delete"):
        assert_french(holder.get(path), applicant)
    refused = holder.post("/account/password", data={"current_password": "wrong"})
    assert "Saisissez un mot de passe." in assert_french(refused, applicant)

    shown = holder.post("/credentials/profile", data={"is_profile_public": "y"}, follow_redirects=True)
    assert "Votre profil public est désormais visible." in assert_french(shown, applicant)
    db.session.refresh(applicant)
    assert_french(client_for(app).get(f"/mentors/{applicant.profile_slug}", headers=FRENCH), applicant)
    forbidden = holder.get("/admin/payments")
    assert "Vous n'avez pas l'autorisation de voir cette page" in assert_french(forbidden, applicant)

    pdf = holder.get(f"/credentials/{credential.number}/certificate.pdf")
    text = pypdf.PdfReader(BytesIO(pdf.data)).pages[0].extract_text()
    assert "Nous certifions que" in text and "35 heures" in text
    assert not english_sentences(text, allow=_allowed(applicant)), text


def test_your_data_and_a_renewal_are_in_french(app, applicant):
    _in_french(applicant)
    credential = flow.issued(applicant, date.today() - timedelta(days=365 * 2 - 30))
    holder = client_for(app, applicant)
    asked = holder.post("/account/data/export", follow_redirects=True)
    assert "Nous préparons une copie de vos données." in assert_french(asked, applicant)
    assert "Nous vous écrirons dès qu'elle sera prête." in assert_french(
        holder.get("/account/data"), applicant
    )
    in_review = flow.application(applicant)
    db.session.commit()
    blocked = assert_french(holder.get("/account/delete"), applicant, allow=(in_review.reference,))
    assert "a le statut « en cours d'évaluation »" in blocked
    started = holder.post(f"/credentials/{credential.number}/renew")
    assert started.status_code == 302
    renewal_id = int(started.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    years = assert_french(
        holder.get(f"/applications/{renewal_id}/supervision-years"), applicant, allow=APPLY_FRAME
    )
    assert "séances de supervision de mentorat" in years
    assert_french(holder.get("/credentials/"), applicant)


def test_paying_and_the_receipt_are_in_french(app, applicant, admin, tmp_path):
    _in_french(applicant)
    payer = client_for(app, applicant)
    application = data.submit(payer, tmp_path)
    payer.get("/")  # the application form's own notices, shown once
    allow = (application.reference, "Ada Lovelace", "1 Lovelace Road")
    payment = assert_french(payer.get(f"/applications/{application.id}/payment"), applicant, allow=allow)
    assert "Comment payer" in payment
    flow.pay(application, admin)
    paid = assert_french(payer.get(f"/applications/{application.id}/payment"), applicant, allow=allow)
    assert "Télécharger votre reçu (PDF)" in paid
    receipt = payer.get(f"/applications/{application.id}/receipt.pdf")
    text = " ".join(pypdf.PdfReader(BytesIO(receipt.data)).pages[0].extract_text().split())
    assert "Reçu" in text and "Frais de candidature" in text
    assert not english_sentences(text, allow=[*_allowed(applicant), *allow]), text


def test_the_admin_pages_of_payments_and_webhooks_are_in_french(app, admin):
    _in_french(admin)
    staff = client_for(app, admin)
    for path in ("/admin/payments", "/admin/payments/card", "/admin/webhooks/", "/admin/webhooks/new"):
        assert_french(staff.get(path), admin)
    added = staff.post(
        "/admin/webhooks/new",
        data={
            "url": "https://registry.example.org/hooks",
            "event_types": ["credential.issued"],
            "is_enabled": "y",
        },
    )
    assert "Point de terminaison ajouté" in assert_french(added, admin)
    refused = staff.post("/admin/webhooks/new", data={"url": "http://10.0.0.1/hooks"})
    assert "Choisissez au moins un événement." in assert_french(refused, admin)
    assert_french(staff.get("/admin/webhooks/"), admin)
    assert_french(staff.get("/admin/webhooks/deliveries"), admin)
    recorded = staff.post(
        "/admin/payments",
        data={
            "reference": "CPM-999999",
            "method": "bank_transfer",
            "amount": "250",
            "currency": "USD",
            "transaction_reference": "BANK-1",
            "received_on": date.today().isoformat(),
        },
    )
    assert "Aucune candidature ne porte cette référence." in assert_french(recorded, admin)


def _emails_in_french(applicant: User, admin: User) -> list[EmailMessage]:
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    rules = catalogue()[credential.credential_code]
    application = credential.application
    application.fee_amount, application.fee_currency = Decimal(250), "USD"
    export = DataRequest(
        user_id=applicant.id,
        kind=DataRequestKind.EXPORT,
        status=DataRequestStatus.READY,
        storage_key="exports/copy.zip",
        token_digest="digest",
        size_bytes=2048,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(export)
    db.session.flush()
    with force_locale("fr"):  # worked out in the request of the person deleting their account
        summary = data_queries.erasure_summary(applicant)
    contexts = {
        "account_erased": {"name": applicant.full_name, "summary": summary},
        "account_exists": {"user": applicant},
        "confirm_email": {"user": applicant, "token": "t", "hours": 48},
        "password_reset": {"user": applicant, "token": "t", "hours": 2},
        "credential_expired": {"credential": credential, "rules": rules},
        "credential_expiring": {"credential": credential, "rules": rules, "days_left": 60},
        "credential_issued": {"credential": credential, "rules": rules},
        "credential_revoked": {"credential": credential, "rules": rules, "reason": "Motif saisi."},
        "data_export_failed": {"user": applicant, "request": export},
        "data_export_ready": {"user": applicant, "request": export, "token": "t"},
        "draft_erasure_warning": {"application": application, "erase_on": date.today(), "days": 180},
        "payment_requested": {"application": application},
    }
    sent = [
        send_email(template, applicant.email, language="fr", **context)
        for template, context in contexts.items()
    ]
    applicant.locale = "fr"
    payment_ops.request_fee_difference(application, admin, "Le numéro IMC-4471 n'existe pas.")
    db.session.flush()
    return [
        *sent,
        db.session.scalar(db.select(EmailMessage).where(EmailMessage.template == "fee_difference_requested")),
    ]


def test_the_core_emails_are_written_in_french(app, applicant, admin):
    allow = _allowed(applicant)
    sent = _emails_in_french(applicant, admin)
    assert len(sent) == 13
    for email in sent:
        for part in (email.subject, email.text_body, email.html_body):
            left = english_sentences(part, allow=[*allow, email.recipient])
            assert not left, (email.template, left)
    [issued] = [email for email in sent if email.template == "credential_issued"]
    assert issued.subject.startswith("Votre certification a été délivrée") and "Bonjour" in issued.text_body
