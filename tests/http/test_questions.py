"""Questions without returning the application: a reviewer asks, the applicant answers (with a file), the
review clock stands still meanwhile, and everything is on both timelines."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.db import db
from portal.enums import ApplicationState, DocumentPurpose, DocumentStatus, Role
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.documents import Document
from portal.models.review import ApplicationMessage
from portal.workflows.documents.operations import read_document
from tests.factories import review as flow
from tests.factories.documents import make_pdf, make_random_bytes
from tests.helpers import at, client_for, emails, make_user, page

QUESTION = "Please send the certificate of the 2023 course: the one uploaded has no hours on it."
ANSWER = "Here is the full certificate, with the 35 hours on its second line."


def words(response) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", page(response)).split())


def fresh(application: Application) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application.id)


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def asked(app, applicant, reviewer, admin, folder) -> tuple[Application, object, object]:
    """An application paid on 2 March 2026 (expected decision 30 March), asked a question on 9 March."""
    with at(date(2026, 3, 2)):  # signed in then: a session is not taken back in time
        applicant_client, staff = client_for(app, applicant), client_for(app, reviewer)
        application = flow.ready_to_approve(applicant_client, folder, admin)
    with at(date(2026, 3, 9)):
        response = staff.post(f"/review/{application.id}/questions", data={"body": QUESTION})
    assert response.status_code == 302, words(response)
    return fresh(application), applicant_client, staff


def test_a_question_pauses_the_review_clock_until_the_applicant_answers_with_a_file(
    app, applicant, reviewer, admin, tmp_path
):
    application, applicant_client, staff = asked(app, applicant, reviewer, admin, tmp_path)
    assert application.state == ApplicationState.INFORMATION_REQUESTED
    assert application.review_due_at.date() == date(2026, 3, 30)

    # The question is emailed to the applicant with a link to the thread, and audited.
    (email,) = emails("information_requested", applicant.email)
    assert QUESTION in email.text_body
    assert f"{app.config['BASE_URL']}/applications/{application.id}/status#questions" in email.text_body
    (entry,) = entries("request_information")
    assert (entry.actor_label, entry.from_state, entry.to_state, entry.reason) == (
        reviewer.email,
        "in_review",
        "information_requested",
        QUESTION,
    )

    # The applicant sees who owes the answer, and no expected date while they hold the pen.
    with at(date(2026, 3, 10)):
        text = words(applicant_client.get(f"/applications/{application.id}/status"))
    assert "Status: Waiting for your answer" in text
    assert f"The reviewer asked, 9 March 2026: waiting for your answer {QUESTION}" in text
    assert "Expected decision: none while the review waits for your answer" in text
    assert "Expected decision by" not in text
    assert "A reviewer asked you a question" in text  # on their timeline

    # The reviewer's desk and queue say the same in their words; approving is not offered meanwhile.
    with at(date(2026, 3, 10)):
        desk = words(staff.get(f"/review/{application.id}"))
        queue = words(staff.get("/review/?state=information_requested"))
        refused = staff.post(f"/review/{application.id}/approve")
    assert "Waiting for the applicant to answer your question of 9 March 2026" in desk
    assert "Expected decision None while waiting for the applicant" in desk
    assert "Waited 7 of 28 days – paused, waiting for the applicant" in desk
    assert "Approve and issue the credential" not in desk and "Send the question" not in desk
    assert f"Rita Reviewer asked, 9 March 2026: waiting for the applicant {QUESTION}" in desk
    assert "1 waiting for the applicant" in queue
    assert "Waiting for the applicant 7 of 28 days paused none while waiting for the applicant" in queue
    assert refused.status_code == 409
    assert "An application that is waiting for the applicant cannot be approved." in words(refused)

    # A week later the applicant answers with a PDF: the clock runs again, seven days later than it was.
    certificate = make_pdf(tmp_path / "full-certificate.pdf", ["Certificate of completion", "Hours: 35"])
    with at(date(2026, 3, 16)), certificate.open("rb") as handle:
        response = applicant_client.post(
            f"/applications/{application.id}/answer",
            data={"body": ANSWER, "attachment": (handle, "full-certificate.pdf")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 302
    assert response.location.endswith(f"/applications/{application.id}/status#questions")
    application = fresh(application)
    assert application.state == ApplicationState.IN_REVIEW
    assert application.review_due_at.date() == date(2026, 4, 6)
    assert (application.clock_paused_at, application.clock_paused_days) == (None, 7)
    (entry,) = entries("answer_information")
    assert (entry.actor_label, entry.from_state, entry.to_state) == (
        applicant.email,
        "information_requested",
        "in_review",
    )
    assert entry.reason == (
        "The review clock stood still for 7 days: the expected decision date is now 6 April 2026."
    )
    question, answer = db.session.scalars(select(ApplicationMessage).order_by(ApplicationMessage.id))
    assert question.closed_at is not None and not question.is_open_question
    (attachment,) = answer.attachments
    assert (attachment.purpose, attachment.file_type, attachment.application_id) == (
        DocumentPurpose.MESSAGE_ATTACHMENT,
        "pdf",
        application.id,
    )

    (email,) = emails("answer_received", applicant.email)
    assert "We expect to decide by 6 April 2026." in email.text_body
    # The reviewer who asked is emailed the answer, with a link to it.
    (email,) = emails("information_answered", reviewer.email)
    assert ANSWER in email.text_body and "Attached: full-certificate.pdf" in email.text_body
    assert f"{app.config['BASE_URL']}/review/{application.id}#questions" in email.text_body

    # The attachment goes through the same reading as every document, and both may download it.
    with at(date(2026, 3, 16), 11):
        read_document(attachment.id)
        db.session.commit()
    assert db.session.get(Document, attachment.id).status == DocumentStatus.READ
    for client in (applicant_client, staff):
        with at(date(2026, 3, 16)):
            download = client.get(f"/applications/documents/{attachment.id}")
        assert download.status_code == 200 and download.data.startswith(b"%PDF-")
        assert "attachment" in download.headers["Content-Disposition"]
        download.close()

    with at(date(2026, 3, 16)):
        text = words(applicant_client.get(f"/applications/{application.id}/status"))
        desk = words(staff.get(f"/review/{application.id}"))
    assert "Expected decision by 6 April 2026" in text
    assert "plus the 7 days the review waited for your answers" in text
    assert f"The reviewer asked, 9 March 2026: answered {QUESTION}" in text
    assert f"You answered, 16 March 2026 {ANSWER} Attached: full-certificate.pdf" in text
    assert "Waited 7 of 28 days" in desk and "Expected decision 6 April 2026" in desk

    # The approval that follows is on both timelines with every step and who took it.
    with at(date(2026, 3, 17)):
        assert staff.post(f"/review/{application.id}/approve").status_code == 302
        desk = words(staff.get(f"/review/{application.id}"))
        text = words(applicant_client.get(f"/applications/{application.id}/status"))
    assert fresh(application).state == ApplicationState.APPROVED
    timeline = desk.split("What has happened", 1)[1]
    order = [
        f"Asked a question 9 March 2026, 10:00 UTC · {reviewer.email}",
        f"Answered 16 March 2026, 10:00 UTC · {applicant.email}",
        "Document read 16 March 2026, 11:00 UTC",
        f"Approved 17 March 2026, 10:00 UTC · {reviewer.email}",
    ]
    positions = [timeline.index(step) for step in order]
    assert positions == sorted(positions)
    for step in (
        "A reviewer asked you a question",
        "You answered the reviewer's question",
        "Approved: your credential is issued",
    ):
        assert step in text
    assert reviewer.email not in text


def test_an_empty_message_or_a_file_that_is_no_document_is_refused_at_its_field(
    app, applicant, reviewer, admin, tmp_path
):
    application, applicant_client, staff = asked(app, applicant, reviewer, admin, tmp_path)
    with at(date(2026, 3, 10)):  # within the sessions' lifetime
        response = applicant_client.post(f"/applications/{application.id}/answer", data={"body": "  "})
        assert response.status_code == 422 and "Write your answer." in words(response)
        junk = make_random_bytes(tmp_path / "answer.pdf")
        with junk.open("rb") as handle:
            response = applicant_client.post(
                f"/applications/{application.id}/answer",
                data={"body": ANSWER, "attachment": (handle, "answer.pdf")},
                content_type="multipart/form-data",
            )
        assert response.status_code == 422
        text = page(response)
        assert ANSWER in text  # what was typed is kept
        assert 'id="attachment-error"' in text
        assert fresh(application).state == ApplicationState.INFORMATION_REQUESTED
        assert (
            db.session.scalar(select(Document).where(Document.purpose == DocumentPurpose.MESSAGE_ATTACHMENT))
            is None
        )
        assert not emails("information_answered")

        # The reviewer's empty question is refused the same way, once the question is closed.
        response = staff.post(f"/review/{application.id}/questions/close", data={"reason": ""})
        assert response.status_code == 422 and "Say why you no longer need an answer." in words(response)
        response = staff.post(
            f"/review/{application.id}/questions/close",
            data={"reason": "The issuer confirmed the hours by phone."},
        )
        assert response.status_code == 302
        assert fresh(application).state == ApplicationState.IN_REVIEW
        response = staff.post(f"/review/{application.id}/questions", data={"body": ""})
        assert response.status_code == 422 and "Write your question." in words(response)
        assert len(emails("information_requested")) == 1


def test_closing_a_question_resumes_the_clock_and_approval_is_offered_again(
    app, applicant, reviewer, admin, tmp_path
):
    application, applicant_client, staff = asked(app, applicant, reviewer, admin, tmp_path)
    with at(date(2026, 3, 10)):  # within the sessions' lifetime
        with at(date(2026, 3, 12)):
            response = staff.post(
                f"/review/{application.id}/questions/close",
                data={"reason": "The issuer confirmed the hours by phone."},
            )
            desk = words(staff.get(f"/review/{application.id}"))
        assert response.status_code == 302
        application = fresh(application)
        assert application.state == ApplicationState.IN_REVIEW
        assert application.review_due_at.date() == date(2026, 4, 2)
        (entry,) = entries("close_question")
        assert entry.reason == (
            "The issuer confirmed the hours by phone.\n\n"
            "The review clock stood still for 3 days: the expected decision date is now 2 April 2026."
        )
        (email,) = emails("question_closed", applicant.email)
        assert "The issuer confirmed the hours by phone." in email.text_body
        assert "Approve and issue the credential" in desk and "Send the question" in desk
        assert "closed without an answer" in desk.split("Questions to the applicant", 1)[1]
        # The applicant can no longer answer a closed question.
        response = applicant_client.post(f"/applications/{application.id}/answer", data={"body": ANSWER})
        assert response.status_code == 422
        assert "An application that is in review cannot be answered." in words(response)


def test_only_the_applicant_and_reviewers_without_a_conflict_see_or_post(
    app, applicant, other_applicant, reviewer, admin, tmp_path
):
    application, applicant_client, staff = asked(app, applicant, reviewer, admin, tmp_path)
    with at(date(2026, 3, 10)):  # within the sessions' lifetime
        certificate = make_pdf(tmp_path / "answer.pdf", ["Hours: 35"])
        with certificate.open("rb") as handle:
            applicant_client.post(
                f"/applications/{application.id}/answer",
                data={"body": ANSWER, "attachment": (handle, "answer.pdf")},
                content_type="multipart/form-data",
            )
        attachment = db.session.scalar(select(Document).where(Document.message_id.is_not(None)))

        # Another applicant: nothing of it exists for them.
        stranger = client_for(app, other_applicant)
        assert stranger.get(f"/applications/{application.id}/status").status_code == 404
        assert (
            stranger.post(f"/applications/{application.id}/answer", data={"body": "Me too"}).status_code
            == 404
        )
        assert stranger.get(f"/applications/documents/{attachment.id}").status_code == 404
        # A reviewer may not answer for the applicant.
        assert staff.post(f"/applications/{application.id}/answer", data={"body": "x"}).status_code == 404

        # A reviewer who is named on the application gets the plain refusal, and can neither ask nor download.
        conflicted = make_user("sam@supervision.example", Role.REVIEWER, "Sam Supervisor")
        application = fresh(application)
        application.supervisor_email = conflicted.email
        db.session.commit()
        other = client_for(app, conflicted)
        response = other.post(f"/review/{application.id}/questions", data={"body": "Anything else?"})
        assert response.status_code == 403
        assert f"Sam Supervisor appears on {application.reference} as the supervisor" in words(response)
        assert other.get(f"/applications/documents/{attachment.id}").status_code == 403
        assert (
            other.post(f"/review/{application.id}/questions/close", data={"reason": "x"}).status_code == 403
        )
        assert len(emails("information_requested")) == 1


def test_the_reviewer_keeps_working_the_evidence_while_waiting_for_the_answer(
    app, applicant, reviewer, admin, tmp_path
):
    application, _, staff = asked(app, applicant, reviewer, admin, tmp_path)
    engagement = application.engagements[0]
    with at(date(2026, 3, 10)):
        desk = words(staff.get(f"/review/{application.id}"))
        response = staff.post(
            f"/review/{application.id}/engagements/{engagement.id}/verification",
            data={
                "contact_name": "Mentee Number1",
                "method": "phone",
                "contacted_on": "2026-03-10",
                "outcome": "confirmed",
                "note": "Confirmed the sessions while the applicant finds the certificate.",
            },
        )
    assert "Record a verification contact" in desk
    assert response.status_code == 302
    assert fresh(application).state == ApplicationState.INFORMATION_REQUESTED  # still waiting for the answer
    (entry,) = entries("reference_verified_by_staff")
    assert entry.actor_label == reviewer.email
