"""Property-based tests: whatever is typed into a form, the portal answers with a page, never a crash."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from portal.db import db, utcnow
from portal.enums import ApplicationState, LinkKind, ReferenceStatus
from portal.models.applications import Application, Engagement, TrainingRecord
from portal.models.audit import AuditEntry
from portal.models.documents import Document
from portal.models.payments import FeeOverride, Payment
from portal.models.programmes import Meeting, Pairing, Programme
from portal.models.references import ReferenceRequest
from portal.models.users import User
from portal.workflows.external_requests.operations import issue_link
from portal.workflows.programmes import queries as ops
from tests.factories import applications as data
from tests.factories import programmes as pairs
from tests.factories import review as flow
from tests.helpers import client_for, make_user

# Text a person or a script might send: any unicode, control characters, huge strings, markup.
hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "9" * 400,
            "-1",
            "1e309",
            "2024-02-30",
            "0000-00-00",
            "NaN",
            "ünïcödé ✓",
            "\u202e",
            "a" * 5000,
        ]
    ),
)
FORM_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def fuzz(base: dict, values: dict) -> dict:
    return {key: values.get(key, value) for key, value in base.items()}


@FORM_SETTINGS
@given(values=st.dictionaries(st.sampled_from(["full_name", "email", "password", "confirm"]), hostile_text))
def test_registration_never_crashes(client, values):
    before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post(
        "/account/register",
        data=fuzz(
            {"full_name": "A", "email": "a@example.com", "password": "p" * 12, "confirm": "p" * 12}, values
        ),
    )
    assert response.status_code == 200  # the same answer whether or not the address has an account
    after = db.session.scalar(select(func.count()).select_from(User))
    if "Check your email" in response.get_data(as_text=True):
        assert after in (before, before + 1)  # a new account, or an email to the existing one's owner
    else:
        assert after == before and "There is a problem" in response.get_data(as_text=True)
    client.post("/account/sign-out")
    db.session.rollback()


@FORM_SETTINGS
@given(values=st.dictionaries(st.sampled_from(list(data.training())), hostile_text, min_size=1))
def test_training_form_never_crashes_and_saves_only_valid_records(applicant_client, values):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(
        f"/applications/{application_id}/training/new", data=fuzz(data.training(), values)
    )
    assert response.status_code in (200, 302)
    saved = db.session.scalar(
        select(func.count())
        .select_from(TrainingRecord)
        .where(TrainingRecord.application_id == application_id)
    )
    assert saved == (1 if response.status_code == 302 else 0)
    if response.status_code == 200:
        assert "There is a problem" in response.get_data(as_text=True)


@FORM_SETTINGS
@given(values=st.dictionaries(st.sampled_from(list(data.engagement(1))), hostile_text, min_size=1))
def test_engagement_form_never_crashes(applicant_client, values):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(
        f"/applications/{application_id}/engagements/new", data=fuzz(data.engagement(1), values)
    )
    assert response.status_code in (200, 302)
    saved = db.session.scalar(
        select(func.count()).select_from(Engagement).where(Engagement.application_id == application_id)
    )
    assert saved == (1 if response.status_code == 302 else 0)
    if response.status_code == 200:
        assert "There is a problem" in response.get_data(as_text=True)


@FORM_SETTINGS
@given(
    values=st.dictionaries(
        st.sampled_from(list(data.about()) + list(data.supervision())), hostile_text, min_size=1
    )
)
def test_about_and_supervision_forms_never_crash(applicant_client, values):
    application_id = data.start_application(applicant_client)
    for section, base in (("about", data.about()), ("supervision", data.supervision())):
        response = applicant_client.post(f"/applications/{application_id}/{section}", data=fuzz(base, values))
        assert response.status_code in (200, 302)  # saved, or the form again with its problems
        if response.status_code == 200:
            assert "There is a problem" in response.get_data(as_text=True)


# --- the workflow forms: referee answer, review decisions, payments, administration, programmes -------------

WORKFLOW_SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
hostile_list = st.lists(hostile_text, max_size=3)


def never_crashes(response, *allowed: int) -> str:
    assert response.status_code in allowed, (response.status_code, response.get_data(as_text=True)[:500])
    return response.get_data(as_text=True)


@pytest.fixture
def people(app):
    """A signed-in client per person, made once per test: signing in (argon2) for every example is slow."""
    clients = {}

    def client_of(user):
        if user.id not in clients:
            clients[user.id] = client_for(app, user)
        return clients[user.id]

    return client_of


@pytest.fixture
def submitted(people, applicant, tmp_path) -> Application:
    return data.submit(people(applicant), tmp_path)


@pytest.fixture
def in_review(submitted, admin) -> Application:
    flow.pay(submitted, admin)
    return submitted


def _new_reference(application: Application) -> tuple[str, int]:
    """A fresh open request for the application's first engagement: each example answers its own."""
    engagement = application.engagements[0]
    reference = ReferenceRequest(
        application=application,
        engagement=engagement,
        referee_name="Rae Referee",
        referee_email="rae@example.net",
        referee_relationship="mentee",
        declared_mentor_name="Ada Lovelace",
        declared_mentee_name=engagement.mentee_name,
        declared_start_date=engagement.start_date,
        declared_end_date=engagement.end_date,
        declared_setting=str(engagement.setting),
        status=ReferenceStatus.SENT,
        expires_at=utcnow() + timedelta(days=21),
    )
    db.session.add(reference)
    db.session.flush()
    token = issue_link(LinkKind.REFERENCE, reference.id)
    db.session.commit()
    return token, reference.id


REFEREE_ANSWER = {
    "answer": "confirm",
    "corrected_start_date": "",
    "corrected_end_date": "",
    "corrected_role": "",
    "comment": "",
}


@WORKFLOW_SETTINGS
@given(values=st.dictionaries(st.sampled_from(list(REFEREE_ANSWER)), hostile_text, min_size=1))
def test_the_referee_answer_never_crashes_and_records_only_a_valid_answer(client, submitted, values):
    token, reference_id = _new_reference(submitted)
    response = client.post(f"/references/{token}", data=fuzz(REFEREE_ANSWER, values))
    text = never_crashes(response, 200, 302)
    db.session.expire_all()
    reference = db.session.get(ReferenceRequest, reference_id)
    if response.status_code == 302:
        assert reference.status.is_answer and reference.answered_at is not None
    else:
        assert reference.status == ReferenceStatus.SENT and "There is a problem" in text


DECISIONS = {
    "return": {"sections": ["supervision"], "standard_reason": "", "reason": "Name another supervisor."},
    "reject": {"standard_reason": "", "reason": "The training is too short."},
}


@WORKFLOW_SETTINGS
@given(
    action=st.sampled_from(sorted(DECISIONS)),
    values=st.dictionaries(
        st.sampled_from(["sections", "standard_reason", "reason"]),
        st.one_of(hostile_text, hostile_list),
        min_size=1,
    ),
)
def test_review_decisions_never_crash_and_never_decide_without_a_reason(
    people, in_review, reviewer, action, values
):
    client = people(reviewer)
    response = client.post(f"/review/{in_review.id}/{action}", data=fuzz(DECISIONS[action], values))
    never_crashes(response, 302, 409, 422)
    db.session.expire_all()
    application = db.session.get(Application, in_review.id)
    if response.status_code == 302:
        assert application.state == (
            ApplicationState.RETURNED if action == "return" else ApplicationState.REJECTED
        )
        decision = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
        ).first()
        assert decision.reason and decision.reason.strip()
        # Back into review for the next example.
        db.session.execute(
            update(Application)
            .where(Application.id == application.id)
            .values(state=ApplicationState.IN_REVIEW, reopened_sections=[], decided_at=None)
        )
        db.session.commit()
    else:
        assert application.state == ApplicationState.IN_REVIEW


@WORKFLOW_SETTINGS
@given(
    values=st.dictionaries(
        st.sampled_from(["note_fee_paid", "note_training_hours", "note", "reviewer_id"]),
        hostile_text,
        min_size=1,
    )
)
def test_review_notes_checks_and_assignment_never_crash(people, in_review, reviewer, values):
    client = people(reviewer)
    document = db.session.scalar(select(Document).where(Document.application_id == in_review.id))
    for url in (
        f"/review/{in_review.id}/notes",
        f"/review/{in_review.id}/assign",
        f"/review/documents/{document.id}/checked",
    ):
        never_crashes(client.post(url, data=values), 302)
    never_crashes(client.post(f"/review/{in_review.id}/prerequisite-checked", data=values), 302, 409, 422)


@WORKFLOW_SETTINGS
@given(
    values=st.dictionaries(
        st.sampled_from(
            ["reference", "method", "amount", "currency", "transaction_reference", "received_on"]
        ),
        hostile_text,
        min_size=1,
    )
)
def test_recording_a_payment_never_crashes_and_never_records_a_wrong_amount(people, submitted, admin, values):
    base = {
        "reference": submitted.reference,
        "method": "bank_transfer",
        "amount": str(submitted.fee_amount),
        "currency": submitted.fee_currency,
        "transaction_reference": "BANK-1",
        "received_on": date.today().isoformat(),
    }
    never_crashes(people(admin).post("/admin/payments", data=fuzz(base, values)), 302, 422)
    db.session.expire_all()
    paid = db.session.scalars(select(Payment).where(Payment.application_id == submitted.id)).all()
    assert len(paid) <= 1
    application = db.session.get(Application, submitted.id)
    assert (application.state == ApplicationState.IN_REVIEW) == bool(paid)
    assert all(payment.amount == application.fee_amount for payment in paid)


@WORKFLOW_SETTINGS
@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                "credential",
                "CPM-fee_member",
                "CPM-fee_non_member",
                "kind",
                "title",
                "text",
                "is_active",
                "reason",
            ]
        ),
        hostile_text,
        min_size=1,
    )
)
def test_administration_forms_never_crash(people, admin, applicant, values):
    client = people(admin)
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    never_crashes(client.post("/admin/fees", data={"credential": "CPM", **values}), 200, 302, 422)
    never_crashes(
        client.post("/admin/reasons", data=fuzz({"kind": "reject", "title": "T", "text": "W"}, values)),
        302,
        422,
    )
    never_crashes(
        client.post(
            f"/admin/credentials/{credential.id}/revoke", data=fuzz({"reason": "Obtained by fraud."}, values)
        ),
        302,
        422,
    )
    for fee in db.session.scalars(select(FeeOverride)):
        assert fee.amount > 0


@WORKFLOW_SETTINGS
@given(
    values=st.dictionaries(
        st.sampled_from(["referee_name", "referee_email", "referee_relationship"]), hostile_text, min_size=1
    )
)
def test_naming_another_referee_never_crashes(people, applicant, submitted, values):
    _, reference_id = _new_reference(submitted)
    client = people(applicant)
    base = {
        "referee_name": "Rob Referee",
        "referee_email": "rob@example.net",
        "referee_relationship": "mentee",
    }
    response = client.post(
        f"/applications/{submitted.id}/references/{reference_id}/replace", data=fuzz(base, values)
    )
    never_crashes(response, 200, 302)
    db.session.expire_all()
    replaced = db.session.get(ReferenceRequest, reference_id).status == ReferenceStatus.SUPERSEDED
    assert replaced == (response.status_code == 302)


# Lookups read from the address: each value goes into a query.
LOOKUPS = (
    "/verify?number={}",
    "/verify/{}",
    "/mentors/{}",
    "/programmes/mentors?q={}&sector={}&region={}",
    "/review/?state={}&credential={}&reviewer={}&page={}",
    "/admin/reviewers?email={}",
    "/admin/credentials?q={}&page={}",
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lookup=st.sampled_from(LOOKUPS),
    value=hostile_text.filter(lambda text: "/" not in text and "?" not in text and "#" not in text),
)
def test_lookups_from_the_address_never_crash(people, admin, lookup, value):
    from urllib.parse import quote

    url = lookup.format(*[quote(value, safe="")] * lookup.count("{}"))
    never_crashes(people(admin).get(url), 200, 302, 404)


# --- mentoring programmes --------------------------------------------------------------------------------


@pytest.fixture
def mentor():
    return make_user("maya.mentor@example.com", name="Maya Mentor")


@WORKFLOW_SETTINGS
@given(
    values=st.dictionaries(
        st.sampled_from(list(pairs.profile()) + ["programme", "message"]), hostile_text, min_size=1
    )
)
def test_the_directory_forms_never_crash(people, admin, applicant, mentor, values):
    programme = (
        pairs.programme(admin)
        if not db.session.scalar(select(Programme))
        else db.session.scalar(select(Programme))
    )
    never_crashes(people(mentor).post("/programmes/profile", data=fuzz(pairs.profile(), values)), 200, 302)
    profile = ops.profile_of(mentor)
    if profile is not None:
        assert 0 <= profile.capacity <= 20
        never_crashes(
            people(applicant).post(
                f"/programmes/mentors/{profile.id}/request",
                data=fuzz({"programme": str(programme.id), "message": "Hello"}, values),
            ),
            200,
            302,
            404,
            422,
        )


@WORKFLOW_SETTINGS
@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "description",
                "term_months",
                "minimum_meetings_per_year",
                "recommended_meetings_min",
                "recommended_meetings_max",
                "face_to_face_per_year",
                "confidentiality_terms",
                "checkpoints",
                "programme",
                "mentor_email",
                "mentee_email",
            ]
        ),
        hostile_text,
        min_size=1,
    )
)
def test_the_coordinator_forms_never_crash(people, admin, values):
    client = people(admin)
    base = {
        **{key: str(value) for key, value in ops.programme_defaults().items() if key != "checkpoints"},
        "name": "A programme",
        "checkpoints": "1 | Meet | Get to know each other",
        "is_open": "y",
    }
    never_crashes(client.post("/programmes/coordinator/programmes/new", data=fuzz(base, values)), 302, 422)
    for programme in db.session.scalars(select(Programme)):
        assert 1 <= programme.term_months <= 60 and programme.checkpoints
    never_crashes(
        client.post(
            "/programmes/coordinator/pair",
            data=fuzz(
                {"programme": "1", "mentor_email": "maya@example.com", "mentee_email": "ada@example.com"},
                values,
            ),
        ),
        302,
        404,
        422,
    )


AGREEMENT_FIELDS = [
    "term_start",
    "goals-0-description",
    "goals-0-metric",
    "goals-0-deadline",
    "goals-2-deadline",
    "full_name",
    "accept",
    "is_manager_or_subordinate",
    "details",
]


@WORKFLOW_SETTINGS
@given(values=st.dictionaries(st.sampled_from(AGREEMENT_FIELDS), hostile_text, min_size=1))
def test_the_declaration_and_agreement_forms_never_crash(people, admin, applicant, mentor, values):
    pairing = db.session.scalar(select(Pairing)) or pairs.matched_pairing(admin, mentor, applicant)
    client = people(applicant)
    never_crashes(
        client.post(
            f"/programmes/pairings/{pairing.id}/declaration",
            data=fuzz({**pairs.NO_CONFLICT, "details": ""}, values),
        ),
        302,
    )
    agreement = pairs.agreement(date.today())
    never_crashes(
        client.post(f"/programmes/pairings/{pairing.id}/agreement", data=fuzz(agreement, values)),
        200,
        302,
        422,
    )
    never_crashes(
        client.post(
            f"/programmes/pairings/{pairing.id}/agreement/sign",
            data=fuzz({"full_name": "Ada Lovelace", "accept": "y"}, values),
        ),
        302,
        422,
    )
    db.session.expire_all()
    pairing = db.session.get(Pairing, pairing.id)
    assert len(pairing.goals) in (0, 3)
    assert all(goal.description and goal.metric and goal.deadline for goal in pairing.goals)


@WORKFLOW_SETTINGS
@given(
    values=st.dictionaries(
        st.sampled_from(
            list(pairs.meeting(date.today()))
            + ["progress", "note", "supervisor_name", "supervisor_email", "focus"]
        ),
        hostile_text,
        min_size=1,
    )
)
def test_meeting_goal_and_supervision_forms_never_crash(people, admin, applicant, mentor, values):
    pairing = db.session.scalar(select(Pairing)) or pairs.active_pairing(
        admin, mentor, applicant, date.today()
    )
    client = people(applicant)
    never_crashes(
        client.post(
            f"/programmes/pairings/{pairing.id}/meetings/new", data=fuzz(pairs.meeting(date.today()), values)
        ),
        302,
        422,
    )
    never_crashes(
        client.post(
            f"/programmes/pairings/{pairing.id}/goals/{pairing.goals[0].id}",
            data=fuzz({"progress": "on_track", "note": "Going well."}, values),
        ),
        302,
        422,
    )
    never_crashes(
        client.post(
            "/programmes/supervision/new",
            data=fuzz(
                {
                    "supervisor_name": "Sam",
                    "supervisor_email": "sam@supervision.example",
                    "held_on": date.today().isoformat(),
                    "duration_minutes": "60",
                    "focus": "both",
                },
                values,
            ),
        ),
        302,
        422,
    )
    for meeting in db.session.scalars(select(Meeting)):
        assert (
            pairing.term_start <= meeting.held_on <= pairing.term_end and 5 <= meeting.duration_minutes <= 600
        )


def test_a_nul_character_is_never_a_server_error(people, applicant, admin, submitted):
    """PostgreSQL refuses NUL in text: every form drops it, and lookups with one find nothing."""
    client = people(applicant)
    application_id = data.start_application(client)
    response = client.post(
        f"/applications/{application_id}/about", data=data.about(postal_address="1 Road\x00Leeds")
    )
    assert response.status_code == 302
    assert db.session.get(Application, application_id).postal_address == "1 RoadLeeds"
    assert (
        client.post(f"/applications/{submitted.id}/withdraw", data={"reason": "No\x00 longer"}).status_code
        == 302
    )
    for lookup in LOOKUPS:
        never_crashes(people(admin).get(lookup.format(*["%00"] * lookup.count("{}"))), 200, 302, 404)
