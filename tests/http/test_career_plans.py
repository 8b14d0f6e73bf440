"""The career plan through the HTTP interface: milestones at 1, 2 and 4 years that reach past the term,
reviewed at checkpoints, carried into the protégé's next pairing, and kept from a former mentor."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.db import db
from portal.enums import PairingState
from portal.models.audit import AuditEntry
from portal.models.career_plans import CareerPlan
from portal.workflows.programmes import rules
from tests.factories import programmes as data
from tests.helpers import client_for, make_user, page


def plan_form(today: date, **overrides) -> dict:
    return {
        "aspiration": "Become a Certified Construction Manager.",
        "milestone_1_description": "Lead a small project as CM.",
        "milestone_1_target_on": rules.add_months(today, 11).isoformat(),
        "milestone_2_description": "Sit the CCM exam.",
        "milestone_2_target_on": rules.add_months(today, 23).isoformat(),
        "milestone_4_description": "Run a programme of projects.",
        "milestone_4_target_on": rules.add_months(today, 47).isoformat(),
        **overrides,
    }


def test_the_pair_records_a_plan_whose_milestones_reach_past_the_term(app, admin, mentor, mentee):
    today = date.today()
    pairing = data.active_pairing(admin, mentor, mentee, today)
    client = client_for(app, mentor)
    url = f"/programmes/pairings/{pairing.id}/career-plan"
    assert "Write the career plan" in page(client.get(f"/programmes/pairings/{pairing.id}"))

    response = client.post(url, data=plan_form(today))
    assert response.status_code == 302, page(response)
    text = page(client.get(url))
    assert "Run a programme of projects." in text and "In 4 years" in text
    assert pairing.term_end < rules.add_months(today, 47)  # past the term, unlike the agreement's goals
    pair_page = page(client_for(app, mentee).get(f"/programmes/pairings/{pairing.id}"))
    assert "Sit the CCM exam." in pair_page
    audited = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject_type == "career_plans")
    ).all()
    assert audited == ["write_career_plan"]


def test_milestones_out_of_order_or_past_their_horizon_are_refused_at_their_field(app, admin, mentor, mentee):
    today = date.today()
    pairing = data.active_pairing(admin, mentor, mentee, today)
    client = client_for(app, mentee)
    url = f"/programmes/pairings/{pairing.id}/career-plan"
    response = client.post(
        url,
        data=plan_form(
            today,
            milestone_2_target_on=rules.add_months(today, 6).isoformat(),
            milestone_4_target_on=rules.add_months(today, 60).isoformat(),
            milestone_1_description="",
        ),
    )
    assert response.status_code == 422
    text = page(response)
    assert "Describe where you want to be in 1 year." in text
    assert "The 4-year milestone falls after today and by" in text
    assert "Sit the CCM exam." in text  # what was typed is kept
    assert db.session.scalar(select(CareerPlan)) is None


def test_a_review_at_a_checkpoint_is_kept_and_the_plan_carries_into_the_next_pairing(
    app, admin, mentor, mentee
):
    today = date.today()
    first = data.active_pairing(admin, mentor, mentee, today)
    client = client_for(app, mentee)
    client.post(f"/programmes/pairings/{first.id}/career-plan", data=plan_form(today))
    blank = client.post(f"/programmes/pairings/{first.id}/career-plan/review", data={"checkpoint_month": "3"})
    assert blank.status_code == 422 and "Say how the plan stands." in page(blank)
    reviewed = client.post(
        f"/programmes/pairings/{first.id}/career-plan/review",
        data={"checkpoint_month": "3", "note": "The exam moves to next spring."},
    )
    assert reviewed.status_code == 302
    assert "Month 3 checkpoint" in page(client.get(f"/programmes/pairings/{first.id}/career-plan"))

    # The protégé's next pairing, with another mentor, starts from the same plan and its history.
    first.state = PairingState.COMPLETED
    first.completed_at = first.mentee_signed_at
    db.session.commit()
    other_mentor = make_user("omar.other@example.com", name="Omar Other")
    second = data.active_pairing(admin, other_mentor, mentee, today, in_programme=first.programme)
    text = page(client_for(app, other_mentor).get(f"/programmes/pairings/{second.id}/career-plan"))
    assert "Sit the CCM exam." in text and "The exam moves to next spring." in text
    assert "in an earlier pairing" in text
    # The former mentor no longer reads it.
    assert client_for(app, mentor).get(f"/programmes/pairings/{first.id}/career-plan").status_code == 404
    assert client_for(app, mentee).get(f"/programmes/pairings/{first.id}/career-plan").status_code == 200


def test_outsiders_never_see_a_plan(app, admin, mentor, mentee):
    pairing = data.active_pairing(admin, mentor, mentee, date.today())
    stranger = make_user("sam.stranger@example.com", name="Sam Stranger")
    assert client_for(app, stranger).get(f"/programmes/pairings/{pairing.id}/career-plan").status_code == 404
    assert (
        client_for(app, stranger)
        .post(f"/programmes/pairings/{pairing.id}/career-plan", data=plan_form(date.today()))
        .status_code
        == 404
    )


def test_no_plan_before_the_agreement_is_signed(app, admin, mentor, mentee):
    pairing = data.agreeing_pairing(admin, mentor, mentee)
    response = client_for(app, mentee).post(
        f"/programmes/pairings/{pairing.id}/career-plan", data=plan_form(date.today())
    )
    assert response.status_code == 422
    assert "The career plan is written by the pair once the agreement is signed." in page(response)
