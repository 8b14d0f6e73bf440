"""Evidence a reviewer can trust: disputed engagements, conflicts of interest on every staff action."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from portal.dates import day
from portal.db import db
from portal.enums import ApplicationState, DisputeOutcome, DocumentPurpose, MeetingMode, PairingState, Role
from portal.models.applications import Application, Engagement
from portal.models.audit import AuditEntry
from portal.models.credentials import IssuedCredential
from portal.models.documents import Document
from portal.models.programmes import Meeting, Pairing
from portal.models.users import User
from portal.workflows.documents.operations import check_by_hand, reprocess
from portal.workflows.programmes import operations as programme_ops
from portal.workflows.programmes import rules as programme_rules
from portal.workflows.refusals import Refused
from portal.workflows.review import operations as review_ops
from portal.workflows.review.rules import conflicts
from tests.factories import applications as data
from tests.factories import members, programmes
from tests.factories import review as flow
from tests.factories.documents import make_pdf
from tests.factories.references import recorded_link, request_to
from tests.helpers import PASSWORD, at, client_for, emails, make_user, page


def _in_review(app, applicant, admin, folder) -> Application:
    members.member()  # the applicant's membership is in the register
    application = data.submit(client_for(app, applicant), folder)
    flow.pay(application, admin)
    flow.settle_documents(application)
    flow.confirm_supervisor(application)  # these tests are about the referees; the supervisor has declared
    return application


def _answered(app, applicant, admin, folder, second: dict) -> tuple[Application, object]:
    """In review, documents read; the first referee confirmed and the second answered ``second``."""
    application = _in_review(app, applicant, admin, folder)
    referee = client_for(app)
    referee.post(recorded_link("referee1@example.net"), data={"answer": "confirm"})
    referee.post(recorded_link("referee2@example.net"), data=second)
    return application, referee


def _declined(app, applicant, admin, folder) -> tuple[Application, object]:
    """In review; the first referee confirmed and the second declined the engagement with Mentee Number2."""
    return _answered(
        app, applicant, admin, folder, {"answer": "decline", "comment": "I do not recognise this engagement."}
    )


def _name_another_referee(client, application: Application) -> object:
    """The applicant names Grace Manager in place of the second referee."""
    reference = request_to("referee2@example.net")
    return client.post(
        f"/applications/{application.id}/references/{reference.id}/replace",
        data={
            "referee_name": "Grace Manager",
            "referee_email": "grace@employer.example",
            "referee_relationship": "manager",
        },
    )


def _engagement_of(referee_email: str) -> Engagement:
    return request_to(referee_email).engagement


def test_a_declined_reference_puts_its_engagement_in_dispute_and_approval_waits_for_the_reviewer(
    app, applicant, reviewer, admin, tmp_path
):
    application, referee = _declined(app, applicant, admin, tmp_path)
    staff = client_for(app, reviewer)
    text = page(staff.get(f"/review/{application.id}"))
    assert "Disputed engagements" in text and "Disputed by its referee: waiting for the reviewer" in text
    assert "I do not recognise this engagement." in text
    # The checklist no longer counts it: 2 of 3 engagements, 1 of 2 references.
    assert "1 disputed by a referee or excluded by the reviewer" in text

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
    told = emails(recipient="ada.applicant@example.com")[-1]
    assert "the engagement is disputed" in told.text_body
    applicant_client = client_for(app, applicant)
    reference = request_to("referee2@example.net")
    url = f"/applications/{application.id}/references/{reference.id}/replace"
    assert "Name another referee" in page(applicant_client.get(url))
    assert _name_another_referee(applicant_client, application).status_code == 302
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


def test_a_returned_application_counts_an_unresolved_dispute_as_missing_until_another_referee_confirms(
    app, applicant, reviewer, admin, tmp_path
):
    application, referee = _declined(app, applicant, admin, tmp_path)
    staff = client_for(app, reviewer)
    response = staff.post(
        f"/review/{application.id}/return", data={"sections": "about", "reason": "Give your full address."}
    )
    assert response.status_code == 302
    applicant_client = client_for(app, applicant)
    resubmit = f"/applications/{application.id}/resubmit"
    text = page(applicant_client.post(resubmit, follow_redirects=True))
    assert db.session.get(Application, application.id).state == ApplicationState.RETURNED
    assert (
        "Declare at least 3 completed mentoring engagements (you have 2; 1 disputed by a referee or excluded by "
        "the reviewer). The engagement with Mentee Number2 does not count while it is disputed: Referee "
        "Number2 declined to confirm it (“I do not recognise this engagement.”). Name another referee for it: "
        "once they confirm it, it counts again, and the reviewer decides on the dispute." in text
    )

    # The applicant names another referee; until they confirm, the engagement is still missing.
    assert _name_another_referee(applicant_client, application).status_code == 302
    assert "does not count while it is disputed" in page(
        applicant_client.post(resubmit, follow_redirects=True)
    )
    referee.post(recorded_link("grace@employer.example"), data={"answer": "confirm"})
    assert applicant_client.post(resubmit).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == ApplicationState.RESUBMITTED

    # Back in review, the reviewer still decides on the dispute before approving.
    assert staff.post(f"/review/{application.id}/resume").status_code == 302
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409
    assert "The referee disputed the engagement with Mentee Number2" in page(response)


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
    staff = client_for(app, reviewer)
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
    staff = client_for(app, reviewer)
    engagement = _engagement_of("referee1@example.net")
    url = f"/review/{application.id}/engagements/{engagement.id}/dispute"
    response = staff.post(url, data={"outcome": "excluded", "reason": "No."})
    assert response.status_code == 409
    assert "No referee has disputed this engagement: there is nothing to resolve." in page(response)
    engagement.referee_email = reviewer.email
    db.session.commit()
    response = staff.post(url, data={"outcome": "excluded", "reason": "No."})
    assert response.status_code == 403 and "as a referee, so cannot review it." in page(response)


# --- the task list counts what submission counts --------------------------------------------------------


def test_the_task_list_and_the_panel_count_only_engagements_that_have_ended(app, applicant, tmp_path):
    client = client_for(app, applicant)
    application_id = data.start_application(client)
    data.fill_application(client, application_id, tmp_path, engagements=2, referees=2)
    ongoing = data.engagement(3, end_date="")
    assert client.post(f"/applications/{application_id}/engagements/new", data=ongoing).status_code == 302
    text = page(client.get(f"/applications/{application_id}"))
    section = text[text.index("Mentoring engagements and references") :]
    assert section.index("In progress") < section.index("</li>")  # not "Completed"
    assert "You have 2 (1 not ended yet) of the 3 completed mentoring engagements." in text
    response = client.post(f"/applications/{application_id}/submit")
    assert "Declare at least 3 completed mentoring engagements (you have 2; 1 not ended yet)." in page(
        response
    )


# --- conflict of interest on every staff action ---------------------------------------------------------

CONFLICT_PAGE = "You have a conflict of interest with this application"


def _confirmed_with_a_letter(app, folder, n: int) -> None:
    """Referee ``n`` confirms through their link, with a letter about Mentee Number``n`` attached."""
    letter = make_pdf(
        folder / "letter.pdf", ["To whom it may concern", f"Ada Lovelace mentored Mentee Number{n}"]
    )
    client_for(app).post(
        recorded_link(f"referee{n}@example.net"),
        data={"answer": "confirm", "letter": (io.BytesIO(letter.read_bytes()), "letter.pdf")},
        content_type="multipart/form-data",
    )


def _conflicted(app, applicant, reviewer, admin, folder) -> tuple[Application, Document]:
    """An application in review naming ``reviewer`` as a referee, with a referee's letter on file."""
    application = _in_review(app, applicant, admin, folder)
    _confirmed_with_a_letter(app, folder, 1)
    application = db.session.get(Application, application.id)
    application.engagements[1].referee_email = reviewer.email.upper()
    db.session.commit()
    return application, db.session.scalar(select(Document).order_by(Document.id))


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/review/{a}", None),
        ("get", "/applications/documents/{d}", None),
        ("get", "/applications/documents/{letter}", None),
        ("post", "/review/documents/{d}/checked", {"note": "Looks fine."}),
        ("post", "/review/documents/{d}/reprocess", {}),
        ("post", "/review/{a}/notes", {"note_fee_paid": "Mine."}),
        ("post", "/review/{a}/assign", {"reviewer_id": "{other}"}),
        ("post", "/review/{a}/approve", {}),
        ("post", "/review/{a}/reject", {"reason": "No."}),
        ("post", "/review/{a}/return", {"sections": "about", "reason": "Fix."}),
        ("post", "/applications/{a}/references/{r}/resend", {}),
        ("post", "/review/{a}/engagements/{e}/dispute", {"outcome": "excluded", "reason": "No."}),
        ("post", "/review/{a}/engagements/{e}/verification", {"contact_name": "X", "note": "Y"}),
        ("post", "/review/{a}/questions", {"body": "Which year?"}),
        ("post", "/review/{a}/questions/close", {"reason": "No longer needed."}),
        (
            "post",
            "/review/{a}/engagements/{e}/letter",
            {"document_id": "{letter}", "note": "Y", "reason": "Z"},
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and value.startswith("/") else "",
)
def test_a_conflicted_reviewer_sees_a_plain_refusal_for_every_action(
    app, applicant, reviewer, admin, tmp_path, method, path, data
):
    application, document = _conflicted(app, applicant, reviewer, admin, tmp_path)
    letter = db.session.scalar(select(Document).where(Document.purpose == DocumentPurpose.REFERENCE_LETTER))
    other = make_user("otto.other@example.org", Role.REVIEWER, "Otto Other")
    values = {
        "a": application.id,
        "d": document.id,
        "letter": letter.id,
        "r": request_to("referee2@example.net").id,
        "e": application.engagements[0].id,
        "other": other.id,
    }
    url = path.format(**values)
    form = {key: value.format(**values) for key, value in (data or {}).items()}
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    staff = client_for(app, reviewer)
    response = staff.get(url) if method == "get" else staff.post(url, data=form)
    text = page(response)
    assert response.status_code == 403, url
    assert CONFLICT_PAGE in text
    assert f"Rita Reviewer appears on {application.reference} as a referee, so cannot review it." in text
    assert "Ada Lovelace" not in text and "Mentee Number1" not in text
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before
    assert db.session.get(Application, application.id).state == ApplicationState.IN_REVIEW


def test_the_operations_refuse_a_conflicted_member_of_staff_too(app, applicant, reviewer, admin, tmp_path):
    application, document = _conflicted(app, applicant, reviewer, admin, tmp_path)
    for operation in (
        lambda: check_by_hand(document, reviewer, "Fine."),
        lambda: reprocess(document, reviewer),
        lambda: review_ops.save_notes(application, {"fee_paid": "Mine."}, reviewer),
        lambda: review_ops.assign(application, admin, reviewer),
    ):
        with pytest.raises(Refused, match="as a referee, so cannot review it"):
            operation()
        db.session.rollback()


def test_an_admin_cannot_record_the_payment_of_their_own_application(app, applicant, admin, tmp_path):
    application = data.submit(client_for(app, applicant), tmp_path)
    application.contact_email = admin.email
    db.session.commit()
    staff = client_for(app, admin)
    response = staff.post(
        "/admin/payments",
        data={
            "reference": application.reference,
            "method": "bank_transfer",
            "amount": str(application.fee_amount),
            "currency": application.fee_currency,
            "transaction_reference": "BANK-1",
            "received_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert (
        f"{admin.full_name} appears on {application.reference} as the applicant, so cannot review it."
        in page(response)
    )
    assert db.session.get(Application, application.id).state == ApplicationState.AWAITING_PAYMENT
    assert staff.get(f"/admin/applications/{application.id}/dossier.zip").status_code == 403


def test_reviewers_cannot_download_the_documents_of_a_draft(app, applicant, reviewer, tmp_path):
    client = client_for(app, applicant)
    application_id = data.start_application(client)
    data.fill_application(client, application_id, tmp_path)
    document = db.session.scalar(select(Document))
    own = client.get(f"/applications/documents/{document.id}")
    assert own.status_code == 200
    own.close()
    assert client_for(app, reviewer).get(f"/applications/documents/{document.id}").status_code == 404


def test_a_partner_in_a_counted_programme_pairing_is_conflicted(app):
    mentor, partner = (
        User(id=1, email="ada@example.com"),
        User(id=2, email="pat@example.org", full_name="Pat"),
    )
    application = Application(id=5, credential_code="CPM", applicant=mentor, applicant_id=1)
    application.engagements.append(
        Engagement(mentee_email="someone@example.net", pairing=Pairing(mentor_id=1, mentee_id=2))
    )
    assert conflicts(application, partner) == [
        "Pat appears on CPM-000005 as a partner in one of its programme pairings, so cannot review it."
    ]


# --- programme engagements count only when real ---------------------------------------------------------


def test_self_made_pairings_end_with_no_credential(app, applicant, admin, tmp_path):
    """One person, two throwaway protégé accounts, their own mentor profile: the attack in the issue."""
    coordinator = admin
    programme = programmes.programme(coordinator)
    fakes = [make_user(f"ada.protege{n}@example.com", name=f"Throwaway Protege{n}") for n in (1, 2)]
    pairings = [
        programmes.agreeing_pairing(coordinator, applicant, fake, in_programme=programme) for fake in fakes
    ]
    mentor_client = client_for(app, applicant)
    long_ago = programme_rules.today() - timedelta(days=400)
    response = mentor_client.post(
        f"/programmes/pairings/{pairings[0].id}/agreement", data=programmes.agreement(long_ago)
    )
    assert response.status_code == 422
    assert "The term cannot start before the pairing was accepted" in page(response)
    assert db.session.get(Pairing, pairings[0].id).term_start is None

    # Written honestly from today, signed, and a year later evaluated and confirmed, with no meeting at all.
    start = programme_rules.today()
    for pairing, fake in zip(pairings, fakes, strict=True):
        programme_ops.save_agreement(pairing, applicant, start, programmes.goals(start))
        programme_ops.sign_agreement(pairing, applicant, applicant.full_name)
        programme_ops.sign_agreement(pairing, fake, fake.full_name)
    db.session.commit()
    with time_machine.travel(datetime.combine(programme_rules.add_months(start, 12), time(12), tzinfo=UTC)):
        for pairing, fake in zip(pairings, fakes, strict=True):
            programme_ops.submit_evaluation(pairing, applicant, programmes.ratings(5), "Great.", "Great.")
            programme_ops.submit_evaluation(pairing, fake, programmes.ratings(5), "Great.", "Great.")
            programme_ops.confirm_engagement(pairing, fake)
        db.session.commit()
        assert {db.session.get(Pairing, p.id).state for p in pairings} == {PairingState.COMPLETED}

        # Not confirmed by a coordinator: nothing to import, and the application cannot be submitted.
        mentor_client = client_for(app, applicant)  # a year on: signed in afresh
        application_id = data.start_application(mentor_client)
        data.fill_application(mentor_client, application_id, tmp_path, engagements=1, referees=0)
        response = mentor_client.post(
            f"/programmes/applications/{application_id}/import", follow_redirects=True
        )
        assert "There are no completed pairings to add." in page(response)
        response = mentor_client.post(f"/applications/{application_id}/submit")
        assert "Name a referee for at least 2 completed engagements (you have 0)." in page(response)

        # The coordinator sees the warning signs and cannot confirm pairings with no meetings or checkpoints.
        staff = client_for(app, coordinator)
        text = page(staff.get(f"/programmes/coordinator/pairings/{pairings[0].id}"))
        assert "Both accounts use the same email domain (example.com)." in text
        assert "The two accounts were created within a week of each other." in text
        assert "Meetings logged during the term: 0 (the programme's minimum is 2)" in text
        response = staff.post(
            f"/programmes/coordinator/pairings/{pairings[0].id}/verify", follow_redirects=True
        )
        assert "0 of the programme's minimum 2 meetings were logged during the term." in page(response)
        assert db.session.get(Pairing, pairings[0].id).verified_at is None
        # Nor can the mentor confirm their own pairing, were they a coordinator.
        with pytest.raises(Refused, match="You are a party to this pairing"):
            programme_ops.verify_pairing(pairings[0], _as_admin(applicant))
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(IssuedCredential)) == 0


def _as_admin(user: User) -> User:
    user.role = Role.ADMIN
    return user


def test_a_pairing_with_its_meetings_and_checkpoints_is_confirmed_and_then_counts(
    app, applicant, admin, tmp_path
):
    pairing = programmes.completed_pairing(
        admin, applicant, make_user("real@mentee.example", name="Real Mentee")
    )
    pairing.verified_at = pairing.verified_by_id = None
    for checkpoint in pairing.checkpoints:
        checkpoint.completed_on = checkpoint.due_on
    # Its agreement was allowed to start early (the coordinator's permission is tested on its own below).
    pairing.early_start_from, pairing.early_start_by_id = pairing.term_start, admin.id
    pairing.early_start_reason = "They met from the day they were matched; the agreement was written late."
    for month in (2, 8):
        pairing.meetings.append(
            Meeting(
                held_on=programme_rules.add_months(pairing.term_start, month),
                mode=MeetingMode.IN_PERSON,
                duration_minutes=60,
                logged_by_id=applicant.id,
            )
        )
    db.session.commit()
    response = client_for(app, admin).post(
        f"/programmes/coordinator/pairings/{pairing.id}/verify", follow_redirects=True
    )
    assert "The pairing is confirmed" in page(response)
    db.session.expire_all()
    pairing = db.session.get(Pairing, pairing.id)
    assert pairing.verified_by_id == admin.id
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "verify")) is not None
    # Imported into an application, the reviewer sees its evidence and who confirmed it.
    mentor_client = client_for(app, applicant)
    application_id = data.start_application(mentor_client)
    data.fill_application(mentor_client, application_id, tmp_path)
    mentor_client.post(f"/programmes/applications/{application_id}/import")
    assert mentor_client.post(f"/applications/{application_id}/submit").status_code == 302
    reviewer = make_user("rita.reviewer@example.org", Role.REVIEWER, "Rita Reviewer")
    text = page(client_for(app, reviewer).get(f"/review/{application_id}"))
    assert "2 meetings logged (minimum 2), 5 of 5 checkpoints met; confirmed by" in text
    assert (
        f"The term was allowed to start early, from {day(pairing.term_start)}, by {admin.full_name}: “They met "
        "from the day they were matched; the agreement was written late.”" in text
    )


def test_a_coordinator_lets_one_agreement_start_earlier_with_a_reason(app, applicant, admin):
    accepted = programme_rules.today() - timedelta(days=40)
    with at(accepted):
        pairing = programmes.agreeing_pairing(
            admin, applicant, make_user("real@mentee.example", name="Real Mentee")
        )
    mentor = client_for(app, applicant)
    url = f"/programmes/pairings/{pairing.id}/agreement"
    response = mentor.post(url, data=programmes.agreement(accepted + timedelta(days=1)))
    assert response.status_code == 422 and "The term cannot start more than 14 days in the past" in page(
        response
    )

    coordinator = client_for(app, admin)
    early = f"/programmes/coordinator/pairings/{pairing.id}/early-start"
    assert "Allow an earlier start" in page(coordinator.get(f"/programmes/coordinator/pairings/{pairing.id}"))
    response = coordinator.post(early, data={"earliest": accepted.isoformat(), "reason": ""})
    assert response.status_code == 422 and "Say why this agreement may start earlier" in page(response)
    response = coordinator.post(
        early, data={"earliest": (accepted - timedelta(days=3)).isoformat(), "reason": "Met before."}
    )
    assert response.status_code == 422
    assert f"The term cannot start before the pairing was accepted ({day(accepted)})." in page(response)
    reason = "They met from the day they were matched; the agreement was written late."
    response = coordinator.post(early, data={"earliest": accepted.isoformat(), "reason": reason})
    assert response.status_code == 302
    text = page(coordinator.get(f"/programmes/coordinator/pairings/{pairing.id}"))
    assert f"{admin.full_name} allowed the term to start from {day(accepted)}" in text and reason in text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "allow_early_start"))
    assert entry.actor_id == admin.id and entry.reason == f"From {day(accepted)}: {reason}"

    # That one agreement may now start from then, and still not before.
    response = mentor.post(url, data=programmes.agreement(accepted - timedelta(days=1)))
    assert response.status_code == 422 and "before the pairing was accepted" in page(response)
    assert mentor.post(url, data=programmes.agreement(accepted + timedelta(days=1))).status_code == 302
    assert db.session.get(Pairing, pairing.id).term_start == accepted + timedelta(days=1)
    # The mentor, a party to it, cannot give themselves that permission even as a coordinator.
    with pytest.raises(Refused, match="You are a party to this pairing"):
        programme_ops.allow_early_start(pairing, _as_admin(applicant), accepted, "Mine.")
    db.session.rollback()


def test_a_pairing_between_accounts_signed_up_from_one_address_and_browser_is_flagged(app, admin):
    browser = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux) Firefox/133.0"}
    people = [
        ("Sam Mentor", "sam.mentor@northwind.example", browser),
        ("Pat Protege", "pat.protege@contoso.example", browser),
        (
            "Lee Elsewhere",
            "lee@fabrikam.example",
            {"REMOTE_ADDR": "198.51.100.9", "HTTP_USER_AGENT": "Safari"},
        ),
    ]
    for name, email, environ in people:
        response = client_for(app).post(
            "/account/register",
            data={"full_name": name, "email": email, "password": PASSWORD, "confirm": PASSWORD},
            environ_base=environ,
        )
        assert response.status_code == 200
    mentor, mentee, other = (
        db.session.scalar(select(User).where(User.email == email)) for _, email, _ in people
    )
    # Only digests are kept: neither the address nor the browser's string is stored.
    assert mentor.signup_address_digest == mentee.signup_address_digest != other.signup_address_digest
    assert mentor.signup_device_digest == mentee.signup_device_digest != other.signup_device_digest
    assert "203.0.113.7" not in mentor.signup_address_digest and len(mentor.signup_device_digest) == 64

    coordinator = client_for(app, admin)
    same = programmes.agreeing_pairing(admin, mentor, mentee)
    text = page(coordinator.get(f"/programmes/coordinator/pairings/{same.id}"))
    assert "Both accounts were signed up from the same network address." in text
    assert "Both accounts were signed up from the same browser on the same kind of device." in text
    apart = programmes.agreeing_pairing(admin, other, mentee)
    text = page(coordinator.get(f"/programmes/coordinator/pairings/{apart.id}"))
    assert "signed up from the same" not in text
    assert "The two accounts were created within a week of each other." in text


# --- other ways to verify a reference -------------------------------------------------------------------


def test_a_staff_verification_contact_counts_as_a_confirmed_reference_and_is_audited(
    app, applicant, reviewer, admin, tmp_path
):
    application = _in_review(app, applicant, admin, tmp_path)
    client_for(app).post(recorded_link("referee1@example.net"), data={"answer": "confirm"})
    staff = client_for(app, reviewer)
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409 and "1 have been confirmed so far" in page(response)
    engagement = _engagement_of("referee2@example.net")
    url = f"/review/{application.id}/engagements/{engagement.id}/verification"
    response = staff.post(
        url, data={"contact_name": "", "method": "phone", "outcome": "confirmed", "note": ""}
    )
    assert response.status_code == 422 and "Say whom you reached." in page(response)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    form = {
        "contact_name": "Mentee Number2",
        "method": "phone",
        "contacted_on": tomorrow,
        "outcome": "confirmed",
        "note": "Confirmed a year of monthly sessions.",
    }
    response = staff.post(url, data=form)
    assert response.status_code == 409 and "The contact cannot be in the future." in page(response)
    response = staff.post(url, data={**form, "contacted_on": date.today().isoformat()})
    assert response.status_code == 302
    text = page(staff.get(f"/review/{application.id}"))
    assert "Mentee Number2, by phone on" in text and "recorded by Rita Reviewer" in text
    assert "Engagement verified by staff contact" in text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reference_verified_by_staff"))
    assert entry.actor_id == reviewer.id and "Mentee Number2: Mentee Number2, by phone on" in entry.reason
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 302
    assert db.session.get(Application, application.id).state == ApplicationState.APPROVED


def test_a_contact_that_did_not_confirm_counts_for_nothing(app, applicant, reviewer, admin, tmp_path):
    application = _in_review(app, applicant, admin, tmp_path)
    client_for(app).post(recorded_link("referee1@example.net"), data={"answer": "confirm"})
    staff = client_for(app, reviewer)
    engagement = _engagement_of("referee2@example.net")
    response = staff.post(
        f"/review/{application.id}/engagements/{engagement.id}/verification",
        data={
            "contact_name": "Mentee Number2",
            "method": "email",
            "contacted_on": date.today().isoformat(),
            "outcome": "not_confirmed",
            "note": "Did not remember the applicant.",
        },
    )
    assert response.status_code == 302
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409 and "1 have been confirmed so far" in page(response)


def test_a_referees_letter_the_reviewer_accepts_counts_as_a_confirmed_reference(
    app, applicant, reviewer, admin, tmp_path
):
    members.member()  # the applicant's membership is in the register
    client = client_for(app, applicant)
    application_id = data.start_application(client)
    data.fill_application(client, application_id, tmp_path, engagements=2, referees=2)
    letter = make_pdf(
        tmp_path / "letter.pdf", ["To whom it may concern", "Ada Lovelace mentored Mentee Number3"]
    )
    response = client.post(
        f"/applications/{application_id}/engagements/new",
        data={**data.engagement(3, referee=False), "letter": (io.BytesIO(letter.read_bytes()), "letter.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert client.post(f"/applications/{application_id}/submit").status_code == 302
    application = db.session.get(Application, application_id)
    flow.pay(application, admin)
    flow.settle_documents(application)
    flow.confirm_supervisor(application)
    client_for(app).post(recorded_link("referee1@example.net"), data={"answer": "confirm"})
    staff = client_for(app, reviewer)
    assert "1 have been confirmed so far" in page(staff.post(f"/review/{application_id}/approve"))

    # The letter is offered with the document worker's cross-check beside the button.
    text = page(staff.get(f"/review/{application_id}"))
    offered = text[text.index("Referees' letters to accept") :]
    assert "“letter.pdf”, about the engagement with Mentee Number3." in offered
    assert "Did not pass" in offered and "read: nothing to compare in the cross-check" in offered
    document = db.session.scalar(select(Document).where(Document.original_name == "letter.pdf"))
    engagement = db.session.scalar(select(Engagement).where(Engagement.mentee_name == "Mentee Number3"))
    url = f"/review/{application_id}/engagements/{engagement.id}/letter"
    response = staff.post(url, data={"document_id": document.id, "note": ""})
    assert response.status_code == 422 and "Note what you checked in the letter." in page(response)
    response = staff.post(url, data={"document_id": document.id, "note": "Signed by the mentee's manager."})
    assert response.status_code == 409
    assert (
        "The letter's cross-check did not pass (read: nothing to compare in the cross-check): say why you "
        "accept it." in page(response)
    )
    # Once the worker's cross-check confirms what was declared, the reviewer's note is enough.
    document.checks = [{"field": "mentee_name", "label": "Mentee", "outcome": "confirmed"}]
    db.session.commit()
    assert "Passed" in page(staff.get(f"/review/{application_id}")).split("Referees' letters to accept")[1]
    response = staff.post(url, data={"document_id": document.id, "note": "Signed by the mentee's manager."})
    assert response.status_code == 302
    text = page(staff.get(f"/review/{application_id}"))
    assert (
        f"letter.pdf: verified by Rita Reviewer from the referee's letter on {day(date.today())} "
        "(cross-check: read: 1 confirmed in the cross-check)" in text
    )
    assert (
        "Engagement verified from the referee's letter" in text and "Referees' letters to accept" not in text
    )
    confirm = text.split("Approve", 1)[1]  # what approving accepts on a person's word
    assert (
        "“letter.pdf” was accepted by a reviewer as verifying an engagement (cross-check: read: 1 confirmed in "
        "the cross-check)." in confirm
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reference_verified_from_letter"))
    assert entry.actor_id == reviewer.id and entry.reason.startswith("Mentee Number3: “letter.pdf”")
    assert staff.post(url, data={"document_id": document.id, "note": "Again."}).status_code == 409
    response = staff.post(f"/review/{application_id}/approve")
    assert response.status_code == 302
    assert db.session.get(Application, application_id).state == ApplicationState.APPROVED


def test_a_letter_that_could_not_be_read_is_accepted_only_with_a_reason(
    app, applicant, reviewer, admin, tmp_path
):
    application = _in_review(app, applicant, admin, tmp_path)
    _confirmed_with_a_letter(app, tmp_path, 1)
    engagement = _engagement_of("referee1@example.net")
    document = db.session.scalar(select(Document).where(Document.original_name == "letter.pdf"))
    staff = client_for(app, reviewer)
    assert "not read by the portal (queued for reading)" in page(staff.get(f"/review/{application.id}"))
    url = f"/review/{application.id}/engagements/{engagement.id}/letter"
    reason = "The referee read it out to me on the phone; it matches."
    response = staff.post(
        url, data={"document_id": document.id, "note": "Letterhead checked.", "reason": reason}
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reference_verified_from_letter"))
    assert "not read by the portal (queued for reading)" in entry.reason and reason in entry.reason
    # A letter about another engagement cannot be accepted for this one.
    other = _engagement_of("referee2@example.net")
    response = staff.post(
        f"/review/{application.id}/engagements/{other.id}/letter",
        data={"document_id": document.id, "note": "x", "reason": "y"},
    )
    assert response.status_code == 409
    assert "That document is not a referee's letter about this engagement." in page(response)
