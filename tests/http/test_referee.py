"""Referee verification through the HTTP interface: the emailed link, the answer, resend and replacement."""

from __future__ import annotations

import hashlib
import html
import io
import re
from datetime import timedelta

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import select

from portal.db import db, utcnow
from portal.enums import ApplicationState, DocumentPurpose, ReferenceStatus
from portal.models.applications import Application
from portal.models.documents import Document
from portal.models.outbox import OutboxMessage
from portal.models.references import ReferenceRequest
from portal.models.users import User
from portal.workflows.applications import operations as ops
from portal.workflows.references.queries import references_for
from tests.factories import applications as data
from tests.factories.applications import submit
from tests.factories.documents import make_pdf
from tests.factories.references import recorded_link, request_to
from tests.helpers import PASSWORD, emails, make_user, page, running_app, sign_in


def main_of(response) -> str:
    """The page's own content, without the header (the tests share one app context, so one signed-in user)."""
    return re.search(r"<main.*</main>", response.get_data(as_text=True), re.S).group(0)


def test_submitting_asks_the_referee_of_each_completed_engagement(applicant_client, tmp_path):
    application_id = data.start_application(applicant_client)
    data.fill_application(applicant_client, application_id, tmp_path, engagements=3, referees=2)
    ongoing = data.engagement(4, end_date="")  # not completed: its referee is not asked yet
    response = applicant_client.post(f"/applications/{application_id}/engagements/new", data=ongoing)
    assert response.status_code == 302
    assert applicant_client.post(f"/applications/{application_id}/submit").status_code == 302

    requests = db.session.scalars(select(ReferenceRequest).order_by(ReferenceRequest.id)).all()
    assert [r.referee_email for r in requests] == ["referee1@example.net", "referee2@example.net"]
    first = requests[0]
    assert first.status == ReferenceStatus.PENDING
    assert first.declared_mentor_name == "Ada Lovelace" and first.declared_mentee_name == "Mentee Number1"
    assert abs(first.expires_at - (utcnow() + timedelta(days=21))) < timedelta(minutes=1)
    token = recorded_link("referee1@example.net").rsplit("/", 1)[1]
    assert first.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = " ".join(str(value) for value in vars(first).values())
    assert token not in stored  # only the hash is kept
    assert emails(recipient="referee4@example.net") == []


def test_the_referee_page_shows_only_its_engagement_and_the_applicants_name(applicant_client, tmp_path):
    submit(applicant_client, tmp_path)
    link = recorded_link("referee1@example.net")
    applicant_client.post("/account/sign-out")
    text = page(applicant_client.get(link))
    for shown in (
        "Ada Lovelace",
        "Mentee Number1",
        "External",
        "Referee Number1",
        "Confirm a mentoring engagement",
    ):
        assert shown in text
    for hidden in (
        "Mentee Number2",
        "Referee Number2",
        "referee2@example.net",
        "mentee1@example.net",
        "St James",
        "IMC-4471",
        "CPM-",
        "Sam Supervisor",
        "Northwind",
        "250",
    ):
        assert hidden not in text
    response = applicant_client.get(link)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_referee_page_offers_no_account_and_folds_the_corrections_away(client, applicant, tmp_path):
    sign_in(client, applicant)
    submit(client, tmp_path)
    link = recorded_link("referee1@example.net")
    client.post("/account/sign-out")
    html = client.get(link).get_data(as_text=True)
    assert "Create an account" not in html and "Sign in" not in html  # a referee needs no account
    # The corrections are their own group, which the stylesheet shows only once "correct" is chosen.
    assert 'class="fieldset corrections" id="corrections"' in html
    assert html.index('value="correct"') < html.index('id="corrections"')


def test_opening_the_link_changes_nothing(client, applicant, tmp_path):
    sign_in(client, applicant)
    submit(client, tmp_path)
    link = recorded_link("referee1@example.net")
    for _ in range(3):
        assert client.get(link).status_code == 200
    reference = request_to("referee1@example.net")
    assert reference.status == ReferenceStatus.PENDING and reference.answered_at is None
    assert client.post(link, data={"answer": "confirm"}).status_code == 302
    assert request_to("referee1@example.net").status == ReferenceStatus.CONFIRMED


def test_an_answer_is_recorded_once_and_the_link_then_says_already_answered(client, applicant, tmp_path):
    sign_in(client, applicant)
    submit(client, tmp_path)
    link = recorded_link("referee1@example.net")
    response = client.post(
        link,
        data={"answer": "confirm", "comment": "Ada mentored Sam well."},
        headers={"User-Agent": "Referee Browser/1.0"},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(link)
    reference = request_to("referee1@example.net")
    assert reference.status == ReferenceStatus.CONFIRMED and reference.answered_at is not None
    assert reference.comment == "Ada mentored Sam well."
    assert reference.answer_ip == "198.51.100.7" and reference.answer_user_agent == "Referee Browser/1.0"
    text = page(client.get(link))
    assert "This reference has been answered" in text and "Mentee Number1" not in text

    # A second answer only shows the answered page, which says plainly that the first one stands.
    response = client.post(link, data={"answer": "decline"})
    assert response.status_code == 200
    assert "That first answer stands: the answer you have just sent was not recorded." in page(response)
    assert request_to("referee1@example.net").status == ReferenceStatus.CONFIRMED
    assert [e.template for e in emails(recipient="ada.applicant@example.com")][-1] == "reference_answered"


def test_the_last_answer_tells_the_applicant_that_all_referees_have_answered(client, applicant, tmp_path):
    sign_in(client, applicant)
    submit(client, tmp_path)
    client.post(recorded_link("referee1@example.net"), data={"answer": "confirm"})
    client.post(
        recorded_link("referee2@example.net"), data={"answer": "decline", "comment": "Never met Ada."}
    )
    templates = [e.template for e in emails(recipient="ada.applicant@example.com")]
    assert templates[-2:] == ["reference_answered", "references_complete"]
    body = emails(recipient="ada.applicant@example.com")[-1].text_body
    assert "Referee Number1, confirmed" in body and "Referee Number2, declined" in body


def test_confirming_with_corrections_needs_a_correction_and_records_it(client, applicant, tmp_path):
    sign_in(client, applicant)
    submit(client, tmp_path)
    link = recorded_link("referee1@example.net")
    response = client.post(link, data={"answer": "correct"})
    assert response.status_code == 200 and "Give the correct dates or role" in page(response)
    response = client.post(
        link,
        data={"answer": "correct", "corrected_end_date": "2022-03-01", "corrected_start_date": "2022-05-01"},
    )
    assert "The end date must be on or after the start date." in page(response)
    assert request_to("referee1@example.net").status == ReferenceStatus.PENDING

    response = client.post(
        link, data={"answer": "correct", "corrected_start_date": "2022-03-01", "corrected_role": "Co-mentor"}
    )
    assert response.status_code == 302
    reference = request_to("referee1@example.net")
    assert reference.status == ReferenceStatus.CORRECTED
    assert str(reference.corrected_start_date) == "2022-03-01" and reference.corrected_role == "Co-mentor"
    assert reference.corrected_end_date is None


def test_declining_is_recorded_with_the_comment(client, applicant, tmp_path):
    sign_in(client, applicant)
    submit(client, tmp_path)
    client.post(
        recorded_link("referee2@example.net"),
        data={"answer": "decline", "comment": "I do not know Ada.", "corrected_role": "ignored"},
    )
    reference = request_to("referee2@example.net")
    assert reference.status == ReferenceStatus.DECLINED and reference.comment == "I do not know Ada."
    assert reference.corrected_role is None


def test_a_signed_letter_is_stored_queued_for_reading_and_kept_from_the_applicant(
    app, client, applicant, reviewer, tmp_path
):
    sign_in(client, applicant)
    submit(client, tmp_path)
    path = make_pdf(
        tmp_path / "letter.pdf", ["To whom it may concern", "Ada Lovelace mentored Mentee Number1"]
    )
    response = app.test_client().post(
        recorded_link("referee1@example.net"),
        data={"answer": "confirm", "letter": (io.BytesIO(path.read_bytes()), "letter.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    reference = request_to("referee1@example.net")
    document = db.session.get(Document, reference.letter_id)
    assert document.purpose == DocumentPurpose.REFERENCE_LETTER and document.uploaded_by_id is None
    jobs = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.actor_name == "process_document")
    ).all()
    assert document.id in [job.args[0] for job in jobs]
    assert client.get(f"/applications/documents/{document.id}").status_code == 404
    client.post("/account/sign-out")
    sign_in(client, reviewer)
    with client.get(f"/applications/documents/{document.id}") as download:
        assert download.status_code == 200


def test_a_letter_that_is_not_a_document_is_refused_and_nothing_is_recorded(client, applicant, tmp_path):
    sign_in(client, applicant)
    submit(client, tmp_path)
    response = client.post(
        recorded_link("referee1@example.net"),
        data={"answer": "confirm", "letter": (io.BytesIO(b"MZ\x90\x00 not a letter"), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "neither a PDF nor a Word" in page(response)
    assert request_to("referee1@example.net").status == ReferenceStatus.PENDING


def test_tampered_expired_and_superseded_links_show_the_same_plain_page(
    app, client, applicant, reviewer, tmp_path, time_machine
):
    sign_in(client, applicant)
    application = submit(client, tmp_path)
    first, second = recorded_link("referee1@example.net"), recorded_link("referee2@example.net")
    tampered = first[:-1] + ("A" if first[-1] != "A" else "B")
    referee = app.test_client()
    unusable = [
        referee.get(link) for link in (tampered, "/references/not-a-token", "/references/" + "x" * 500)
    ]

    client.post("/account/sign-out")
    sign_in(client, reviewer)
    reference = request_to("referee2@example.net")
    assert client.post(f"/applications/{application.id}/references/{reference.id}/resend").status_code == 302
    unusable.append(referee.get(second))  # superseded by the resend

    time_machine.move_to(utcnow() + timedelta(days=21, minutes=1))
    unusable.append(referee.get(first))  # expired, though the sweep has not run yet
    unusable.append(referee.post(first, data={"answer": "confirm"}))
    bodies = {main_of(response) for response in unusable}
    assert {response.status_code for response in unusable} == {404} and len(bodies) == 1
    body = html.unescape(bodies.pop())
    assert "This link cannot be used" in body and "Ada" not in body and "Mentee" not in body
    assert request_to("referee1@example.net").status == ReferenceStatus.PENDING


def test_the_referee_form_keeps_csrf_protection(app, client, applicant, tmp_path):
    sign_in(client, applicant)
    submit(client, tmp_path)
    link = recorded_link("referee1@example.net")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(link, data={"answer": "confirm"}).status_code == 400
    assert request_to("referee1@example.net").status == ReferenceStatus.PENDING
    form_page = client.get(link).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page)
    assert client.post(link, data={"answer": "confirm", "csrf_token": token.group(1)}).status_code == 302
    assert request_to("referee1@example.net").status == ReferenceStatus.CONFIRMED


@pytest.mark.parametrize("path", ["/references/", "/supervisors/", "/programmes/supervision/confirm/"])
def test_the_referee_page_is_rate_limited(app_config, _schema, path):
    """Every page answered by link (the referee's, the supervisor's, a supervision session's) shares it."""
    config = {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "REFEREE_RATE_LIMIT": "3 per minute",
    }
    with running_app(config) as app:
        client = app.test_client()
        codes = [client.get(f"{path}guess{n:020d}").status_code for n in range(4)]
    assert codes == [404, 404, 404, 429]


def test_a_throttled_answer_keeps_what_the_referee_typed(app_config, _schema, tmp_path):
    config = {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "REFEREE_RATE_LIMIT": "2 per minute",
    }
    with running_app(config) as app:
        client = app.test_client()
        sign_in(client, make_user("ada.applicant@example.com", name="Ada Lovelace"))
        submit(client, tmp_path)
        link = recorded_link("referee1@example.net")
        client.post("/account/sign-out")
        client.get(link)
        client.get(link)
        response = client.post(link, data={"answer": "decline", "comment": "I never met this mentor."})
        assert response.status_code == 429
        text = page(response)
        assert "What you typed is kept below" in text and "I never met this mentor." in text
        assert "your account" not in text and "Create an account" not in text
        assert request_to("referee1@example.net").status.is_open  # nothing was recorded


def test_signing_in_records_where_from(client, applicant):
    client.post(
        "/account/sign-in",
        data={"email": applicant.email, "password": PASSWORD},
        headers={"User-Agent": "Applicant Browser/2.0"},
        environ_base={"REMOTE_ADDR": "203.0.113.5"},
    )
    user = db.session.get(User, applicant.id)
    db.session.refresh(user)
    assert user.last_login_ip == "203.0.113.5" and user.last_login_user_agent == "Applicant Browser/2.0"


def test_the_status_page_shows_each_reference_and_a_resend_waits_a_day(
    applicant_client, tmp_path, time_machine
):
    application = submit(applicant_client, tmp_path)
    status_url = f"/applications/{application.id}/status"
    text = page(applicant_client.get(status_url))
    assert "Your references" in text and "Referee Number1" in text and "Referee Number2" in text
    assert "Email on its way" in text and "We emailed this referee less than a day ago" in text

    reference = request_to("referee1@example.net")
    old_link = recorded_link("referee1@example.net")
    response = applicant_client.post(
        f"/applications/{application.id}/references/{reference.id}/resend",
        data={"next": status_url},
        follow_redirects=True,
    )
    assert "less than a day ago" in page(response)
    assert request_to("referee1@example.net").id == reference.id

    time_machine.move_to(utcnow() + timedelta(days=1, minutes=1))
    response = applicant_client.post(
        f"/applications/{application.id}/references/{reference.id}/resend", data={"next": status_url}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(status_url)
    new = request_to("referee1@example.net")
    assert new.id != reference.id and new.status == ReferenceStatus.PENDING
    db.session.refresh(reference)
    assert reference.status == ReferenceStatus.SUPERSEDED and reference.replaced_by_id == new.id
    assert applicant_client.get(old_link).status_code == 404
    assert applicant_client.get(recorded_link("referee1@example.net")).status_code == 200


def test_the_applicant_can_name_another_referee_without_losing_their_place(applicant_client, tmp_path):
    application = submit(applicant_client, tmp_path)
    submitted_at = application.submitted_at
    reference = request_to("referee2@example.net")
    old_link = recorded_link("referee2@example.net")
    url = f"/applications/{application.id}/references/{reference.id}/replace"
    assert "Name another referee" in page(applicant_client.get(url))
    response = applicant_client.post(
        url, data={"referee_name": "Grace Manager", "referee_email": "not-an-email"}
    )
    assert "Enter an email address like name@example.com." in page(response)
    response = applicant_client.post(
        url,
        data={
            "referee_name": "Grace Manager",
            "referee_email": "grace@employer.example",
            "referee_relationship": "manager",
        },
    )
    assert response.status_code == 302
    new = request_to("grace@employer.example")
    assert new.status == ReferenceStatus.PENDING and new.engagement_id == reference.engagement_id
    assert new.referee_relationship == "manager"
    assert applicant_client.get(old_link).status_code == 404
    application = db.session.get(Application, application.id)
    assert application.submitted_at == submitted_at
    engagement = new.engagement
    assert engagement.referee_email == "grace@employer.example" and engagement.referee_name == "Grace Manager"


def test_a_confirmed_reference_cannot_be_resent_or_replaced(applicant_client, tmp_path):
    application = submit(applicant_client, tmp_path)
    applicant_client.post(recorded_link("referee1@example.net"), data={"answer": "confirm"})
    reference = request_to("referee1@example.net")
    base = f"/applications/{application.id}/references/{reference.id}"
    response = applicant_client.get(f"{base}/replace", follow_redirects=True)
    assert "no need for another referee" in page(response)
    response = applicant_client.post(f"{base}/resend", follow_redirects=True)
    assert "nothing to resend" in page(response)
    assert request_to("referee1@example.net").id == reference.id


def test_reviewers_may_resend_and_other_applicants_may_not_touch_references(
    client, applicant, reviewer, tmp_path
):
    sign_in(client, applicant)
    application = submit(client, tmp_path)
    reference = request_to("referee1@example.net")
    client.post("/account/sign-out")
    make_user("bob.other@example.com")
    sign_in(client, db.session.scalar(select(User).where(User.email == "bob.other@example.com")))
    base = f"/applications/{application.id}/references/{reference.id}"
    assert client.post(f"{base}/resend").status_code == 404
    assert client.get(f"{base}/replace").status_code == 404
    client.post("/account/sign-out")

    sign_in(client, reviewer)
    response = client.post(f"{base}/resend", data={"next": "/review/somewhere?tab=references"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/review/somewhere?tab=references")
    assert request_to("referee1@example.net").id != reference.id
    response = client.post(
        f"/applications/{application.id}/references/{reference.id}/resend", data={"next": "//evil.example/"}
    )
    assert "evil" not in response.headers["Location"]


def test_resubmitting_asks_again_only_where_an_engagement_changed(applicant_client, applicant, tmp_path):
    application = submit(applicant_client, tmp_path)
    first, second = request_to("referee1@example.net"), request_to("referee2@example.net")
    application.state, application.reopened_sections = ApplicationState.RETURNED, ["engagements"]
    db.session.commit()
    engagement = first.engagement
    response = applicant_client.post(
        f"/applications/{application.id}/engagements/{engagement.id}",
        data=data.engagement(1, referee_email="new.referee@example.net"),
    )
    assert response.status_code == 302
    ops.resubmit_application(db.session.get(Application, application.id), applicant)
    db.session.commit()

    new = request_to("new.referee@example.net")
    assert new is not None and new.engagement_id == engagement.id
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == ReferenceStatus.SUPERSEDED and first.replaced_by_id == new.id
    assert second.is_current and second.status == ReferenceStatus.PENDING
    assert len(references_for(application)) == 3


def test_the_reviewers_partial_shows_answers_beside_the_declaration_with_trust_signals(
    app, client, applicant, reviewer, tmp_path
):
    sign_in(client, applicant)
    application = submit(client, tmp_path)
    # The referee answers from the applicant's own browser, minutes after the request.
    client.post(
        recorded_link("referee1@example.net"),
        data={"answer": "correct", "corrected_end_date": "2022-09-30", "comment": "Ended early."},
    )
    client.post(recorded_link("referee2@example.net"), data={"answer": "decline"})
    with app.test_request_context("/review/applications/1"):
        login_user(db.session.get(User, reviewer.id))
        text = html.unescape(
            render_template(
                "review/_references.html", application=application, references=references_for(application)
            )
        )
    assert "Confirmed with corrections" in text and "Declined" in text
    assert "30 September 2022" in text and "(corrected)" in text and "Ended early." in text
    assert "same network address and browser as the applicant's last sign-in" in text
    assert "minute" in text and "Concern" in text
    assert "Resend the request" not in text  # both referees have answered


def test_an_unanswered_referee_shows_when_they_were_emailed_and_when_they_are_reminded_next(
    app, applicant, tmp_path
):
    from datetime import date

    from portal.tasks.mail import send_recorded_email
    from portal.workflows.references.operations import sweep_references
    from tests.helpers import at, client_for

    def row(client, application, referee: str) -> str:
        text = " ".join(
            re.sub(r"<[^>]+>", " ", page(client.get(f"/applications/{application.id}/status"))).split()
        )
        return text.split(referee, 1)[1].split("Resend", 1)[0]

    with at(date(2026, 12, 2)):
        client = client_for(app, applicant)
        application = submit(client, tmp_path)
        assert "Email on its way" in row(client, application, "referee1@example.net")
        for email in emails("reference_request"):
            send_recorded_email(email.id)
        text = row(client, application, "referee1@example.net")
    assert "Sent Sent on 2 December 2026 — no answer yet; reminder on 9 December 2026;" in text
    assert "the link works until 23 December 2026" in text

    with at(date(2026, 12, 9), 11):
        assert sweep_references().reminded == 2
        db.session.commit()
        for email in emails("reference_reminder"):
            send_recorded_email(email.id)
        text = row(client, application, "referee1@example.net")
    assert "no answer yet; reminded once; reminder on 16 December 2026;" in text

    with at(date(2026, 12, 16), 11):
        sweep_references()
        db.session.commit()
        text = row(client, application, "referee1@example.net")
    assert "reminded 2 times; the link works until 23 December 2026" in text and "reminder on" not in text
