"""The supervisor's page through the HTTP interface: the link, the declaration, the language of the email,
and who may resend (the rate limit every page answered by link shares is tested with the referee's)."""

from __future__ import annotations

import re

from portal.db import db
from portal.enums import ApplicationState, DeclarationStatus
from portal.models.applications import Application
from portal.workflows.applications import operations as ops
from portal.workflows.supervisors.queries import current_declaration
from tests.factories import applications as data
from tests.helpers import client_for, emails, make_user, page

LINK = re.compile(r"https?://[^/\s]+(/supervisors/[A-Za-z0-9_-]+)")


def recorded_link(recipient: str = "sam@supervision.example") -> str:
    [email] = emails("supervisor_declaration_request", recipient)
    return LINK.search(email.text_body).group(1)


def test_submitting_asks_the_named_supervisor_once_and_only_a_post_answers(app, applicant_client, tmp_path):
    application = data.submit(applicant_client, tmp_path)
    link = recorded_link()
    declaration = current_declaration(application)
    assert declaration.status == DeclarationStatus.PENDING
    assert declaration.supervisor_name == "Sam Supervisor"
    supervisor = app.test_client()
    for _ in range(3):  # a mail scanner, then the supervisor reading
        response = supervisor.get(link)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = page(response)
    assert "Do you supervise Ada Lovelace?" in text
    for hidden in ("referee1@example.net", "Mentee Number1", "IMC-4471", "St James"):
        assert hidden not in text  # the supervisor sees nothing else of the application
    db.session.expire_all()
    assert current_declaration(application).status == DeclarationStatus.PENDING


def test_a_declaration_with_a_date_to_come_is_refused_at_its_field(app, applicant_client, tmp_path):
    data.submit(applicant_client, tmp_path)
    response = app.test_client().post(
        recorded_link(),
        data={
            "answer": "confirm",
            "supervising_since": "2999-01-01",
            "focus": "skills",
            "practising_mentor": "y",
            "knows_imc_standards": "y",
            "sessions_last_year": "-3",
        },
    )
    assert response.status_code == 422
    text = page(response)
    assert "The date must be today or in the past." in text
    assert "Enter a number of sessions between 0 and 365." in text
    assert "Not a valid choice" in text  # "skills" is not one of the focus choices
    nothing = app.test_client().post(recorded_link(), data={})
    assert nothing.status_code == 422 and "Say whether you supervise the applicant." in page(nothing)


def test_the_supervisor_is_written_to_in_the_language_chosen_for_them(applicant_client, tmp_path):
    application_id = data.start_application(applicant_client)
    data.fill_application(applicant_client, application_id, tmp_path)
    response = applicant_client.post(
        f"/applications/{application_id}/supervision", data=data.supervision(supervisor_language="fr")
    )
    assert response.status_code == 302
    assert applicant_client.post(f"/applications/{application_id}/submit").status_code == 302
    [email] = emails("supervisor_declaration_request", "sam@supervision.example")
    assert email.subject == "Merci de confirmer que vous supervisez Ada Lovelace"
    assert "Vous pouvez répondre ici, sans compte" in email.text_body


def test_only_the_applicant_and_staff_may_resend_and_only_the_applicant_names_another(
    app, applicant_client, reviewer, tmp_path
):
    application = data.submit(applicant_client, tmp_path)
    declaration = current_declaration(application)
    other = client_for(app, make_user("eve.other@example.com", name="Eve Other"))
    base = f"/applications/{application.id}/supervisor/{declaration.id}"
    assert other.post(base + "/resend").status_code == 404
    assert other.get(base + "/replace").status_code == 404
    staff = client_for(app, reviewer)
    assert staff.get(base + "/replace").status_code == 404  # a reviewer does not choose the supervisor
    # The applicant may not pester their supervisor: a resend waits a day after the last email.
    response = applicant_client.post(base + "/resend", follow_redirects=True)
    assert "We emailed your supervisor less than a day ago" in page(response)
    assert len(emails("supervisor_declaration_request")) == 1


def test_resubmitting_asks_the_supervisor_again_only_when_the_applicant_named_another(
    applicant_client, applicant, tmp_path
):
    application = data.submit(applicant_client, tmp_path)
    first = current_declaration(application)
    application.state, application.reopened_sections = ApplicationState.RETURNED, ["supervision"]
    db.session.commit()
    ops.resubmit_application(db.session.get(Application, application.id), applicant)
    db.session.commit()
    assert current_declaration(application).id == first.id  # the same supervisor is not asked twice

    application.state, application.reopened_sections = ApplicationState.RETURNED, ["supervision"]
    db.session.commit()
    response = applicant_client.post(
        f"/applications/{application.id}/supervision",
        data=data.supervision(supervisor_name="Rita Supervisor", supervisor_email="rita@supervision.example"),
    )
    assert response.status_code == 302
    ops.resubmit_application(db.session.get(Application, application.id), applicant)
    db.session.commit()
    new = current_declaration(application)
    assert new.supervisor_email == "rita@supervision.example"
    db.session.refresh(first)
    assert first.status == DeclarationStatus.SUPERSEDED and first.replaced_by_id == new.id
    assert len(emails("supervisor_declaration_request", "rita@supervision.example")) == 1
