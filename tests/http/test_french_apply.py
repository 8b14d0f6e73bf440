"""The applicant's journey in French: every page of an application, from the first choice of credential to a
decision, and every email about it, with no English sentence left (apart from names and data)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from portal.db import db
from portal.enums import ApplicationState, DocumentStatus
from portal.models.applications import Application
from portal.models.documents import Document
from portal.notifications import send_email
from portal.workflows.applications.eligibility import assess
from portal.workflows.documents import reasons
from portal.workflows.registry import catalogue
from tests.english import english_sentences
from tests.factories import applications as data
from tests.factories import review as flow
from tests.helpers import client_for, make_user, page

# People's names, addresses and what they typed, and the catalogue's own texts (translated with the catalogue).
DATA = [
    "Ada Lovelace",
    "ada.applicant@example.com",
    "12 St James's Square",
    "Foundations of Professional Mentoring",
    "Northwind Mentoring Academy",
    "Grace Hopper",
    "Sam Supervisor",
    "1 High Street, Oxford",
    "Give your supervisor's full postal address.",
    "Please send the certificate of the 2023 course: the one uploaded has no hours on it.",
    "Here is the full certificate, with the 35 hours on its second line.",
]


def _catalogue_texts() -> list[str]:
    texts = []
    for credential in catalogue().ordered():
        texts += [credential.label, credential.name, credential.summary]
    return texts


def assert_french(text: str, where: str) -> None:
    left = english_sentences(text, allow=DATA + _catalogue_texts())
    assert not left, f"English left on {where}: {left}"


@pytest.fixture
def french(app, applicant):
    """The applicant's browser, their account set to French."""
    applicant.locale = "fr"
    db.session.commit()
    return client_for(app, applicant)


def content(text: str) -> str:
    """The page's own content: its ``<main>``, without the layout around it (checked with the layout)."""
    return text.split('<main class="main" id="main">', 1)[1].split("</main>", 1)[0]


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    text = page(response)
    assert '<html lang="fr"' in text
    assert_french(content(text), url)
    return text


# Parts of these pages come from shared templates another piece of work translates: the eligibility panel and
# the history (templates/_macros/ui.html), the questions thread (templates/review/_questions.html), the
# referees' progress (templates/references/_applicant.html) and the emails' layout (templates/emails/
# _layout.html). Strict: once those are translated these pass, and the marks must go.


def test_a_draft_from_the_first_choice_to_submission_is_in_french(french, applicant, tmp_path):
    assert "Vous n'avez pas encore commencé de candidature." in _get(french, "/applications/")
    assert "heures de formation au mentorat" in _get(french, "/applications/new")
    refused = french.post("/applications/new", data={})
    assert "Choisissez une certification." in page(refused)
    assert_french(content(page(refused)), "the refused choice")

    application_id = data.start_application(french)
    base = f"/applications/{application_id}"
    for section in ["about", "training", "training/new", "engagements", "engagements/new", "supervision"]:
        _get(french, f"{base}/{section}")
    assert "Déclaration de formation continue" in _get(french, f"{base}/declaration")
    # Refusals: every field error, and a file that is not a document.
    for url, form in [
        (f"{base}/about", {"is_member": "yes"}),
        (f"{base}/training/new", {"hours": "lots", "end_date": "2024-13-45"}),
        (f"{base}/engagements/new", {"referee_name": "Someone"}),
        (f"{base}/supervision", {"supervision_sessions": "999"}),
        (f"{base}/declaration", {}),
    ]:
        response = french.post(url, data=form)
        assert response.status_code == 200 and "error-message" in page(response), url
        assert_french(content(page(response)), f"the refused {url}")
    upload = french.post(
        f"{base}/training/new",
        data={**data.training(), "certificate": (io.BytesIO(b"not a document"), "c.pdf")},
        content_type="multipart/form-data",
    )
    assert "Le fichier n'est ni un PDF" in page(upload)
    assert_french(content(page(upload)), "the refused upload")

    data.fill_application(french, application_id, tmp_path)
    application = db.session.get(Application, application_id)
    records = [
        f"training/{application.training_records[0].id}",
        f"engagements/{application.engagements[0].id}",
    ]
    for section in ["training", "engagements", "declaration", *records]:
        _get(french, f"{base}/{section}")
    assert "Je déclare m'engager" in _get(french, f"{base}/declaration")

    submitted = french.post(f"{base}/submit", follow_redirects=True)
    assert "Candidature envoyée" in page(submitted) and "Vos réponses" in page(submitted)
    assert "En attente de paiement" in _get(french, "/applications/")


def test_the_status_page_with_its_history_is_in_french(french, tmp_path):
    application = data.submit(french, tmp_path)
    _get(french, f"/applications/{application.id}/status")


def test_the_task_list_check_and_submit_pages_are_in_french(french, tmp_path):
    application_id = data.start_application(french)
    base = f"/applications/{application_id}"
    assert "À propos de vous" in _get(french, base)
    refused = french.post(f"{base}/submit")
    assert refused.status_code == 422 and "Vous ne pouvez pas encore envoyer" in page(refused)
    assert_french(content(page(refused)), "the refused submission")
    data.fill_application(french, application_id, tmp_path)
    for url in [base, f"{base}/check"]:
        _get(french, url)
    assert "Frais et envoi" in _get(french, f"{base}/submit")


def test_the_prerequisite_page_is_in_french(french):
    application_id = data.start_application(french, "CMM")
    text = _get(french, f"/applications/{application_id}/prerequisite")
    assert "cycle complet" in text


@pytest.mark.parametrize(
    "state",
    [
        ApplicationState.AWAITING_PAYMENT,
        ApplicationState.IN_REVIEW,
        ApplicationState.INFORMATION_REQUESTED,
        ApplicationState.AWAITING_SECOND_REVIEW,
        ApplicationState.RESUBMITTED,
        ApplicationState.APPROVED,
        ApplicationState.REJECTED,
        ApplicationState.WITHDRAWN,
    ],
)
def test_the_status_page_speaks_french_in_every_state(french, applicant, state):
    decided = state in (ApplicationState.APPROVED, ApplicationState.REJECTED)
    application = flow.application(
        applicant,
        state=state,
        fee_amount=250,
        fee_currency="USD",
        review_due_at=datetime(2026, 4, 2, 12, tzinfo=UTC),
        clock_paused_days=3,
        decided_at=datetime(2026, 4, 1, 12, tzinfo=UTC) if decided else None,
    )
    db.session.commit()
    text = _get(french, f"/applications/{application.id}/status")
    assert "Statut" in text
    _get(french, "/applications/")


def test_a_returned_application_is_in_french(app, french, reviewer, admin, tmp_path):
    application = flow.ready_to_approve(french, tmp_path, admin)
    returned = client_for(app, reviewer).post(
        f"/review/{application.id}/return",
        data={"sections": ["supervision"], "reason": "Give your supervisor's full postal address."},
    )
    assert returned.status_code == 302
    assert "Modifications à apporter" in page(french.get(f"/applications/{application.id}/status"))
    task_list = page(french.get(f"/applications/{application.id}"))
    assert "Un évaluateur vous a renvoyé votre candidature le" in task_list and "À modifier" in task_list
    assert "Supervision de mentorat" in task_list


def test_a_documents_stored_reason_is_shown_in_french_and_kept_in_english(french, applicant, tmp_path):
    application_id = data.start_application(french)
    data.fill_application(french, application_id, tmp_path)
    document = db.session.scalar(db.select(Document).where(Document.application_id == application_id))
    stored = "it carries active content (JavaScript, embedded files): open it with care and check it by hand"
    document.status, document.status_reason = DocumentStatus.MANUAL, stored
    db.session.commit()
    text = _get(french, f"/applications/{application_id}/training")
    assert "il contient du contenu actif (JavaScript, des fichiers incorporés)" in text
    db.session.refresh(document)
    assert document.status_reason == stored
    assert reasons.shown("a reason no one wrote") == "a reason no one wrote"


def test_the_eligibility_criteria_are_in_french(app, applicant):
    application = flow.application(applicant, state=ApplicationState.DRAFT)
    db.session.commit()
    with app.test_request_context(), force_locale("fr"):
        result = assess(application, today=date(2026, 3, 1))
        assert result.criteria[0].label == "Vos coordonnées" and not result.is_eligible
        for criterion in result.criteria:
            assert_french(
                " ".join(
                    filter(None, [criterion.label, criterion.required, criterion.actual, criterion.detail])
                ),
                criterion.key,
            )


EMAILS = [
    ("application_received", {}),
    ("application_decided", {"action": "approve", "reason": None}),
    ("application_decided", {"action": "reject", "reason": None}),
    ("application_resubmitted", {}),
    ("application_returned", {"reason": None}),
    ("application_withdrawn", {}),
    ("answer_received", {}),
    ("information_requested", {"reason": None}),
    ("question_closed", {"reason": None}),
    ("review_resumed", {}),
    ("review_started", {}),
]


def _email(applicant, template: str, context: dict):
    application = flow.application(
        applicant, fee_amount=250, fee_currency="USD", review_due_at=datetime(2026, 4, 2, 12, tzinfo=UTC)
    )
    return send_email(
        template, applicant.email, related=application, language="fr", application=application, **context
    )


@pytest.mark.parametrize(("template", "context"), EMAILS)
def test_every_email_about_an_application_is_written_in_french(app, applicant, template, context):
    email = _email(applicant, template, context)
    assert email.text_body.startswith("Bonjour") and "Bonjour" in email.html_body
    assert_french(email.subject, f"{template} (subject)")
    assert_french(email.text_body, f"{template} (text)")


@pytest.mark.parametrize(("template", "context"), EMAILS)
def test_the_html_of_the_emails_is_in_french(app, applicant, template, context):
    assert_french(_email(applicant, template, context).html_body, f"{template} (html)")


def test_the_reviewer_hears_of_the_answer_in_french(app, applicant):
    reviewer = make_user("reviewer.fr@example.com", name="Rita Reviewer")
    application = flow.application(applicant)
    answer = type("Answer", (), {"body": "Voici le certificat complet."})()
    email = send_email(
        "information_answered",
        reviewer.email,
        language="fr",
        application=application,
        reviewer=reviewer,
        answer=answer,
        attachments=["certificat.pdf"],
    )
    assert "a répondu à votre question" in email.text_body and "a répondu à votre question" in email.html_body
    for text in (email.subject, email.text_body):
        assert_french(text, "information_answered")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (
            "a scanned page: the scan or photo is too unclear to read reliably (OCR confidence 42%)",
            "une page numérisée : le scan ou la photo est trop peu net pour être lu de manière fiable "
            "(fiabilité de la reconnaissance 42 %)",
        ),
        (
            "Does not match what was declared: Training hours, Start date",
            "Ne correspond pas à ce qui a été déclaré : Heures de formation, Date de début",
        ),
        ("Reading failed after 4 attempts: boom", "La lecture a échoué après 4 tentatives : boom"),
        ("Demo data: a sample certificate.", "Demo data: a sample certificate."),
    ],
)
def test_a_stored_reason_reads_in_french_with_its_parts(app, stored, shown):
    with app.test_request_context():
        with force_locale("fr"):
            assert reasons.shown(stored) == shown
        with force_locale("en_GB"):
            assert reasons.shown(stored) == stored
