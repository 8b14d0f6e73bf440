"""Evidence a reviewer can trust: disputed engagements, conflicts of interest on every staff action."""

from __future__ import annotations

from sqlalchemy import select

from portal.db import db
from portal.enums import ApplicationState, DisputeOutcome
from portal.models.applications import Application, Engagement
from portal.models.audit import AuditEntry
from tests.factories import applications as data
from tests.factories import review as flow
from tests.factories.references import emails_to, recorded_link, request_to
from tests.http.test_apply import page


def _in_review(app, applicant, admin, folder) -> Application:
    application = flow.submit(flow.client_for(app, applicant), folder)
    flow.pay(application, admin)
    flow.settle_documents(application)
    return application


def _answered(app, applicant, admin, folder, second: dict) -> tuple[Application, object]:
    """In review, documents read; the first referee confirmed and the second answered ``second``."""
    application = _in_review(app, applicant, admin, folder)
    referee = flow.client_for(app)
    referee.post(recorded_link("referee1@example.net"), data={"answer": "confirm"})
    referee.post(recorded_link("referee2@example.net"), data=second)
    return application, referee


def _engagement_of(referee_email: str) -> Engagement:
    return request_to(referee_email).engagement


def test_a_declined_reference_puts_its_engagement_in_dispute_and_approval_waits_for_the_reviewer(
    app, applicant, reviewer, admin, tmp_path
):
    application, referee = _answered(
        app,
        applicant,
        admin,
        tmp_path,
        {"answer": "decline", "comment": "I do not recognise this engagement."},
    )
    staff = flow.client_for(app, reviewer)
    text = page(staff.get(f"/review/{application.id}"))
    assert "Disputed engagements" in text and "Disputed by its referee: waiting for the reviewer" in text
    assert "I do not recognise this engagement." in text
    # The checklist no longer counts it: 2 of 3 engagements, 1 of 2 references.
    assert "2 (1 disputed by a referee or excluded by the reviewer)" in text

    response = staff.post(f"/review/{application.id}/approve")
    text = page(response)
    assert response.status_code == 409
    assert (
        "The referee disputed the engagement with Mentee Number2: accept it with a reason or exclude it "
        "before deciding." in text
    )
    assert "2 confirmed references are needed; 1 have been confirmed so far." in text
    assert db.session.get(Application, application.id).state == ApplicationState.IN_REVIEW

    # The applicant is told, and can name another referee for it.
    told = emails_to("ada.applicant@example.com")[-1]
    assert "the engagement is disputed" in told.text_body
    applicant_client = flow.client_for(app, applicant)
    reference = request_to("referee2@example.net")
    url = f"/applications/{application.id}/references/{reference.id}/replace"
    assert "Name another referee" in page(applicant_client.get(url))
    response = applicant_client.post(
        url,
        data={
            "referee_name": "Grace Manager",
            "referee_email": "grace@employer.example",
            "referee_relationship": "manager",
        },
    )
    assert response.status_code == 302
    referee.post(recorded_link("grace@employer.example"), data={"answer": "confirm"})
    # Another referee's confirmation does not wipe out the refusal: the reviewer still decides.
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409 and "The referee disputed the engagement with Mentee Number2" in page(
        response
    )

    engagement = _engagement_of("grace@employer.example")
    url = f"/review/{application.id}/engagements/{engagement.id}/dispute"
    response = staff.post(url, data={"outcome": "accepted", "reason": ""})
    assert response.status_code == 422 and "Say why: the reason is kept on the timeline." in page(response)
    response = staff.post(
        url,
        data={
            "outcome": "accepted",
            "reason": "Grace Manager, her manager, confirmed it; the first referee "
            "had the wrong year in mind.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    engagement = db.session.get(Engagement, engagement.id)
    assert engagement.dispute_outcome == DisputeOutcome.ACCEPTED
    assert engagement.dispute_resolved_by_id == reviewer.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "dispute_accepted"))
    assert entry.actor_id == reviewer.id and entry.reason.startswith("Mentee Number2: Grace Manager")
    assert "Disputed engagement accepted" in page(staff.get(f"/review/{application.id}"))

    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 302
    assert db.session.get(Application, application.id).state == ApplicationState.APPROVED


def test_an_excluded_engagement_never_counts_and_a_correction_waits_for_the_reviewer(
    app, applicant, reviewer, admin, tmp_path
):
    application, _ = _answered(
        app,
        applicant,
        admin,
        tmp_path,
        {"answer": "correct", "corrected_end_date": "2022-03-01", "comment": "It ended earlier."},
    )
    staff = flow.client_for(app, reviewer)
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409
    assert "The referee disputed the engagement with Mentee Number2" in page(response)

    engagement = _engagement_of("referee2@example.net")
    url = f"/review/{application.id}/engagements/{engagement.id}/dispute"
    response = staff.post(url, data={"outcome": "excluded", "reason": "The dates do not hold up."})
    assert response.status_code == 302
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "dispute_excluded")) is not None
    response = staff.post(f"/review/{application.id}/approve")
    text = page(response)
    assert response.status_code == 409 and "disputed the engagement" not in text
    assert "2 confirmed references are needed; 1 have been confirmed so far." in text
    response = staff.post(url, data={"outcome": "accepted", "reason": "Changed my mind."})
    assert response.status_code == 409 and "This engagement has already been excluded." in page(response)


def test_an_engagement_nobody_disputed_cannot_be_resolved_nor_by_a_conflicted_reviewer(
    app, applicant, reviewer, admin, tmp_path
):
    application = _in_review(app, applicant, admin, tmp_path)
    staff = flow.client_for(app, reviewer)
    engagement = _engagement_of("referee1@example.net")
    url = f"/review/{application.id}/engagements/{engagement.id}/dispute"
    response = staff.post(url, data={"outcome": "excluded", "reason": "No."})
    assert response.status_code == 409
    assert "No referee has disputed this engagement: there is nothing to resolve." in page(response)
    engagement.referee_email = reviewer.email
    db.session.commit()
    response = staff.post(url, data={"outcome": "excluded", "reason": "No."})
    assert response.status_code == 409 and "as a referee, so cannot review it." in page(response)


# --- the task list counts what submission counts --------------------------------------------------------


def test_the_task_list_and_the_panel_count_only_engagements_that_have_ended(app, applicant, tmp_path):
    client = flow.client_for(app, applicant)
    application_id = data.start_application(client)
    data.fill_application(client, application_id, tmp_path, engagements=2, referees=2)
    ongoing = data.engagement(3, end_date="")
    assert client.post(f"/applications/{application_id}/engagements/new", data=ongoing).status_code == 302
    text = page(client.get(f"/applications/{application_id}"))
    section = text[text.index("Mentoring engagements and references") :]
    assert section.index("In progress") < section.index("</li>")  # not "Completed"
    assert "<dd>2 (1 not ended yet)</dd>" in text
    response = client.post(f"/applications/{application_id}/submit")
    assert "Declare at least 3 completed mentoring engagements (you have 2; 1 not ended yet)." in page(
        response
    )
