"""The reviewer's desk, the review queue and the administration pages in French: a reviewer and an admin whose
account language is French read no English sentence on them, from the first look at an application to its
approval."""

from __future__ import annotations

import re
from datetime import date

import pytest

from portal.db import db
from portal.models.applications import Application
from portal.models.members import Member
from portal.workflows.applications.eligibility import assess
from portal.workflows.registry import catalogue
from tests.english import english_sentences
from tests.factories import applications as data
from tests.factories import members
from tests.factories import review as flow
from tests.factories.references import recorded_link
from tests.helpers import client_for, page

QUESTION = "Merci d'envoyer le certificat complet de la formation de 2023."

# Words on these pages that other parts of the portal write and translate: the application's state names
# (portal/enums.py), what the member register check stored about a number, the API token form's scopes, a
# reference's trust signals; and the catalogue's eligibility criteria on the checklist (_criteria).
TRANSLATED_ELSEWHERE = (
    "Waiting for the applicant",
    "the email and name match the register.",
    "Read, and revoke credentials and record payments",
    "Answered from the same network address and browser as the applicant's last sign-in.",
)


def _in_french(*people) -> None:
    for person in people:
        person.locale = "fr"
    db.session.commit()


def _allowed(*texts: str) -> list[str]:
    """Proper names and data on the pages: people, emails, references, and the catalogue's own words."""
    names = [credential.label for credential in catalogue().ordered()]
    return [text for text in (*texts, *names, *TRANSLATED_ELSEWHERE) if text]


def _criteria(application: Application) -> list[str]:
    """The eligibility criteria the checklist shows, as the applicant's own pages assess and translate them."""
    criteria = assess(db.session.get(Application, application.id)).criteria
    return [text for c in criteria for text in (c.label, c.detail, c.required, c.actual) if text]


def _english(response, allow, status: int = 200) -> list[str]:
    """The English sentences of a French page, its shared footer left out."""
    assert response.status_code == status, response.status_code
    html = page(response)
    assert '<html lang="fr"' in html
    return english_sentences(html.split("<footer", 1)[0], allow=allow)


@pytest.fixture
def ready(app, applicant, reviewer, admin, tmp_path):
    """Paid by a member in the register, its references confirmed and its documents read."""
    application = flow.ready_to_approve(client_for(app, applicant), tmp_path, admin)
    _in_french(reviewer, admin)
    return application


def test_the_queue_and_the_desk_read_in_french_from_the_first_look_to_the_approval(
    app, applicant, reviewer, admin, ready
):
    staff = client_for(app, reviewer)
    allow = _allowed(
        ready.reference, ready.full_name, applicant.full_name, applicant.email, reviewer.full_name
    )
    desk = f"/review/{ready.id}"
    found = {"queue": _english(staff.get("/review/"), allow), "desk": _english(staff.get(desk), allow)}
    found["return refused"] = _english(staff.post(f"{desk}/return", data={}), allow, status=422)
    assert staff.post(f"{desk}/questions", data={"body": QUESTION}).status_code == 302
    found["question asked"] = _english(staff.get(desk, follow_redirects=True), [*allow, QUESTION])
    found["waiting queue"] = _english(staff.get("/review/?state=information_requested"), allow)
    closed = staff.post(f"{desk}/questions/close", data={"reason": "Reçu par courrier."})
    assert closed.status_code == 302
    found["question closed"] = _english(staff.get(desk), [*allow, QUESTION, "Reçu par courrier."])
    approved = staff.post(f"{desk}/approve")
    assert approved.status_code == 302, re.findall(r"<li>(.*?)</li>", page(approved))
    second = client_for(app, admin)
    if catalogue()[ready.credential_code].approvals_required > 1:
        found["first approval"] = _english(second.get(desk), [*allow, admin.full_name])
        assert second.post(f"{desk}/approve").status_code == 302
    found["approved"] = _english(second.get(desk), [*allow, admin.full_name])
    assert not any(found.values()), found


def test_the_administration_pages_read_in_french(app, admin, reviewer, ready):
    browser = client_for(app, admin)
    member = db.session.scalar(db.select(Member))
    allow = _allowed(
        admin.full_name, admin.email, reviewer.full_name, reviewer.email, member.name, member.email
    )
    paths = [
        "/admin/",
        "/admin/fees",
        "/admin/reasons",
        "/admin/credentials",
        "/admin/members",
        "/admin/members/new",
        f"/admin/members/{member.id}",
        "/admin/members/import",
        "/admin/api-tokens/",
        f"/admin/reviewers?email={reviewer.email}",
        "/admin/reviewers?email=personne@example.com",
    ]
    found = {path: _english(browser.get(path), allow) for path in paths}
    assert not any(found.values()), found


def test_the_evidence_a_reviewer_weighs_reads_in_french(app, applicant, reviewer, admin, tmp_path):
    members.member()
    application = data.submit(client_for(app, applicant), tmp_path)
    flow.pay(application, admin)
    flow.settle_documents(application)
    referee = client_for(app)
    referee.post(recorded_link("referee1@example.net"), data={"answer": "confirm"})
    comment = "Je ne reconnais pas cet accompagnement."
    referee.post(recorded_link("referee2@example.net"), data={"answer": "decline", "comment": comment})
    _in_french(reviewer)
    application = db.session.get(Application, application.id)
    people = [
        text
        for engagement in application.engagements
        for text in (engagement.mentee_name, engagement.referee_name, engagement.referee_email)
    ]
    note, reason = "A confirmé un an de séances mensuelles.", "Le mentoré a confirmé par téléphone."
    allow = _allowed(
        application.reference, application.full_name, reviewer.full_name, comment, note, reason, *people
    ) + _criteria(application)
    staff, desk = client_for(app, reviewer), f"/review/{application.id}"
    found = {"disputed": _english(staff.get(desk), allow)}
    found["approval refused"] = _english(staff.post(f"{desk}/approve"), allow, status=409)
    engagement = application.engagements[1]
    verify = f"{desk}/engagements/{engagement.id}/verification"
    found["verification refused"] = _english(staff.post(verify, data={"method": "phone"}), allow, status=422)
    contact = {
        "contact_name": engagement.mentee_name,
        "method": "phone",
        "outcome": "confirmed",
        "note": note,
    }
    assert staff.post(verify, data={**contact, "contacted_on": date.today().isoformat()}).status_code == 302
    dispute = f"{desk}/engagements/{engagement.id}/dispute"
    assert staff.post(dispute, data={"outcome": "accepted", "reason": reason}).status_code == 302
    found["verified and accepted"] = _english(staff.get(desk), allow)
    assert not any(found.values()), found
