"""Mentoring programmes through the HTTP interface: the directory and matching, conflicts of interest, the
agreement, meetings and their privacy, what is due, evaluations, the coordinator, supervision, and the
hand-over of a completed pairing to a credential application."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from docx import Document
from sqlalchemy import select

from portal.db import db
from portal.enums import LinkKind, PairingState, Role, SupervisionStatus
from portal.models.applications import Application, Engagement
from portal.models.external_requests import ExternalLink
from portal.models.programmes import MentorProfile, Pairing, Programme, SupervisionSession
from portal.models.references import ReferenceRequest
from portal.workflows.applications.eligibility import assess
from portal.workflows.programmes import queries as programme_queries
from portal.workflows.programmes import rules
from portal.workflows.programmes import rules as programme_rules
from portal.workflows.references.queries import confirmed_reference_count
from tests.factories import applications as application_data
from tests.factories import programmes as data
from tests.helpers import client_for, emails, make_user, page


def reload(pairing: Pairing) -> Pairing:
    db.session.expire_all()
    return db.session.get(Pairing, pairing.id)


@pytest.fixture
def coordinator(admin):
    return admin


@pytest.fixture
def mentor():
    return make_user("maya.mentor@example.com", name="Maya Mentor")


@pytest.fixture
def mentee():
    return make_user("pat.protege@example.com", name="Pat Protege")


@pytest.fixture
def programme(coordinator):
    return data.programme(coordinator)


def _publish(app, user, **overrides) -> MentorProfile:
    response = client_for(app, user).post("/programmes/profile", data=data.profile(**overrides))
    assert response.status_code == 302, page(response)
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user.id))


# The directory and matching -----------------------------------------------------------------------------


def test_signed_in_users_see_mentoring_programmes_in_the_navigation(app, mentee, programme):
    text = page(client_for(app, mentee).get("/programmes/"))
    assert '<a class="nav__link" href="/programmes/" aria-current="page">Mentoring programmes</a>' in text
    assert "CMIT Mentor Programme" in text and "A 12-month term" in text


def test_anonymous_visitors_are_sent_to_sign_in(app):
    response = client_for(app).get("/programmes/mentors")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_protégés_search_and_filter_published_mentors(app, mentor, mentee, programme):
    _publish(app, mentor)
    other = make_user("nils.nurse@example.com", name="Nils Nurse")
    _publish(app, other, expertise="Ward management", sector="Health", region="Quebec chapter", capacity="0")
    hidden = make_user("hana.hidden@example.com", name="Hana Hidden")
    _publish(app, hidden, is_published="")
    client = client_for(app, mentee)

    everyone = page(client.get("/programmes/mentors"))
    assert "Maya Mentor" in everyone and "Nils Nurse" in everyone and "Hana Hidden" not in everyone
    assert "1 of" not in everyone and "2 of 2 free" in everyone and "Not taking protégés now" in everyone
    assert "Maya Mentor" in page(client.get("/programmes/mentors?q=claims"))
    assert "Maya Mentor" not in page(client.get("/programmes/mentors?q=ward"))
    by_sector = page(client.get("/programmes/mentors?sector=Health"))
    assert "Nils Nurse" in by_sector and "Maya Mentor" not in by_sector
    assert "Nils Nurse" not in page(client.get("/programmes/mentors?region=Ontario+chapter"))
    assert "Nils Nurse" not in page(client.get("/programmes/mentors?available=y"))
    assert "Maya Mentor" not in page(client_for(app, mentor).get("/programmes/mentors"))  # not oneself


def test_a_protégé_requests_a_mentor_who_accepts(app, mentor, mentee, programme):
    profile = _publish(app, mentor)
    response = client_for(app, mentee).post(
        f"/programmes/mentors/{profile.id}/request",
        data={"programme": programme.id, "message": "Help me toward the CCM.", "guide_read": "y"},
    )
    assert response.status_code == 302
    pairing = db.session.scalar(select(Pairing))
    assert pairing.state == PairingState.REQUESTED and pairing.mentee_id == mentee.id
    [request_email] = emails("mentor_requested", mentor.email)
    assert "Help me toward the CCM." in request_email.text_body

    mentor_client = client_for(app, mentor)
    assert "Help me toward the CCM." in page(mentor_client.get(f"/programmes/pairings/{pairing.id}"))
    assert mentor_client.post(f"/programmes/pairings/{pairing.id}/accept").status_code == 302
    assert reload(pairing).state == PairingState.DECLARING and pairing.matched_at is not None
    [answer] = emails("mentor_request_answered", mentee.email)
    assert answer.subject == "Maya Mentor will mentor you"


def test_a_mentor_declines_with_a_reason(app, mentor, mentee, programme):
    profile = _publish(app, mentor)
    client_for(app, mentee).post(
        f"/programmes/mentors/{profile.id}/request", data={"programme": programme.id, "guide_read": "y"}
    )
    pairing = db.session.scalar(select(Pairing))
    client_for(app, mentor).post(
        f"/programmes/pairings/{pairing.id}/decline", data={"reason": "Fully booked."}
    )
    assert reload(pairing).state == PairingState.DECLINED
    [answer] = emails("mentor_request_answered", mentee.email)
    assert "Fully booked." in answer.text_body


def test_a_mentor_cannot_accept_beyond_their_capacity(app, mentor, mentee, other_applicant, programme):
    profile = _publish(app, mentor, capacity="1")
    for protégé in (mentee, other_applicant):
        client_for(app, protégé).post(
            f"/programmes/mentors/{profile.id}/request", data={"programme": programme.id, "guide_read": "y"}
        )
    first, second = db.session.scalars(select(Pairing).order_by(Pairing.id)).all()
    mentor_client = client_for(app, mentor)
    mentor_client.post(f"/programmes/pairings/{first.id}/accept")
    response = mentor_client.post(f"/programmes/pairings/{second.id}/accept", follow_redirects=True)
    assert "You have no places left" in page(response)
    assert reload(second).state == PairingState.REQUESTED
    # The directory now shows no free place, and a new request is refused.
    assert "Not taking protégés now" in page(client_for(app, other_applicant).get("/programmes/mentors"))
    third = make_user("third.person@example.com")
    response = client_for(app, third).post(
        f"/programmes/mentors/{profile.id}/request", data={"programme": programme.id, "guide_read": "y"}
    )
    assert response.status_code == 422 and "has no places left" in page(response)


def test_a_protégé_cannot_ask_twice_or_ask_themself(app, mentor, mentee, programme):
    profile = _publish(app, mentor)
    client = client_for(app, mentee)
    client.post(
        f"/programmes/mentors/{profile.id}/request", data={"programme": programme.id, "guide_read": "y"}
    )
    again = client.post(
        f"/programmes/mentors/{profile.id}/request", data={"programme": programme.id, "guide_read": "y"}
    )
    assert again.status_code == 422 and "already paired, or asked to be" in page(again)
    assert (
        client_for(app, mentor)
        .post(
            f"/programmes/mentors/{profile.id}/request", data={"programme": programme.id, "guide_read": "y"}
        )
        .status_code
        == 422
    )


def test_a_coordinator_pairs_people_and_others_cannot(app, coordinator, mentor, mentee, programme):
    assert client_for(app, mentee).get("/programmes/coordinator").status_code == 404
    assert client_for(app, mentee).get("/programmes/coordinator/pair").status_code == 404
    client = client_for(app, coordinator)
    response = client.post(
        "/programmes/coordinator/pair",
        data={"programme": programme.id, "mentor_email": mentor.email, "mentee_email": "nobody@example.com"},
    )
    assert response.status_code == 422 and "There is no account with this email address." in page(response)
    response = client.post(
        "/programmes/coordinator/pair",
        data={"programme": programme.id, "mentor_email": mentor.email, "mentee_email": mentee.email},
    )
    assert response.status_code == 302
    pairing = db.session.scalar(select(Pairing))
    assert pairing.state == PairingState.DECLARING and pairing.created_by_id == coordinator.id
    assert len(emails("pairing_proposed")) == 2


# Conflicts of interest -----------------------------------------------------------------------------------


def test_two_clear_declarations_open_the_agreement(app, coordinator, mentor, mentee, programme):
    pairing = data.matched_pairing(coordinator, mentor, mentee, programme)
    response = client_for(app, mentor).post(f"/programmes/pairings/{pairing.id}/declaration", data={})
    assert response.status_code == 200 and "Say whether you are direct competitors." in page(response)
    client_for(app, mentor).post(f"/programmes/pairings/{pairing.id}/declaration", data=data.NO_CONFLICT)
    assert reload(pairing).state == PairingState.DECLARING
    client_for(app, mentee).post(f"/programmes/pairings/{pairing.id}/declaration", data=data.NO_CONFLICT)
    pairing = reload(pairing)
    assert pairing.state == PairingState.AGREEING
    assert pairing.confidentiality_terms == programme.confidentiality_terms
    assert len(emails("agreement_ready")) == 2 and emails("conflict_declared") == []


def test_a_declared_conflict_blocks_the_pairing_and_tells_the_coordinator(
    app, coordinator, mentor, mentee, programme
):
    pairing = data.matched_pairing(coordinator, mentor, mentee, programme)
    client = client_for(app, mentee)
    missing = client.post(
        f"/programmes/pairings/{pairing.id}/declaration",
        data={**data.NO_CONFLICT, "is_direct_competitor": "yes"},
    )
    assert "Describe the conflict" in page(missing)
    client.post(
        f"/programmes/pairings/{pairing.id}/declaration",
        data={**data.NO_CONFLICT, "is_direct_competitor": "yes", "details": "We bid for the same jobs."},
    )
    assert reload(pairing).state == PairingState.BLOCKED
    [alert] = emails("conflict_declared", coordinator.email)
    assert "Pat Protege declared a conflict of interest: direct competitors." in alert.text_body
    assert "We bid for the same jobs." in alert.text_body
    mentor_client = client_for(app, mentor)
    assert "cannot go ahead" in page(mentor_client.get(f"/programmes/pairings/{pairing.id}"))
    # Nothing more can happen: no declaration, no agreement.
    mentor_client.post(f"/programmes/pairings/{pairing.id}/declaration", data=data.NO_CONFLICT)
    mentor_client.post(
        f"/programmes/pairings/{pairing.id}/agreement", data=data.agreement(programme_rules.today())
    )
    pairing = reload(pairing)
    assert pairing.state == PairingState.BLOCKED and pairing.goals == [] and len(pairing.declarations) == 1
    assert "We bid for the same jobs." in page(
        client_for(app, coordinator).get(f"/programmes/coordinator/pairings/{pairing.id}")
    )


# The agreement -------------------------------------------------------------------------------------------


def test_the_agreement_refuses_goals_without_a_metric_or_outside_the_term(app, coordinator, mentor, mentee):
    pairing = data.agreeing_pairing(coordinator, mentor, mentee)
    client = client_for(app, mentee)
    start = programme_rules.today()
    url = f"/programmes/pairings/{pairing.id}/agreement"
    response = client.post(url, data=data.agreement(start, **{"goals-1-metric": ""}))
    assert response.status_code == 422 and "Say how goal 2 will be measured." in page(response)
    outside = rules.add_months(start, 13).isoformat()
    response = client.post(url, data=data.agreement(start, **{"goals-2-deadline": outside}))
    assert response.status_code == 422
    assert "The deadline of goal 3 must fall inside the term" in page(response)
    assert "Goal number 1</textarea>" in page(response)  # what was typed is kept
    assert reload(pairing).goals == []

    assert client.post(url, data=data.agreement(start)).status_code == 302
    pairing = reload(pairing)
    assert pairing.term_start == start and pairing.term_end == rules.term_end(start, 12)
    assert [(g.description, g.metric) for g in pairing.goals] == [
        ("Goal number 1", "Metric number 1"),
        ("Goal number 2", "Metric number 2"),
        ("Goal number 3", "Metric number 3"),
    ]


def test_both_sign_by_name_and_the_schedule_starts(app, coordinator, mentor, mentee):
    pairing = data.agreeing_pairing(coordinator, mentor, mentee)
    start = programme_rules.today()
    mentor_client, mentee_client = client_for(app, mentor), client_for(app, mentee)
    mentee_client.post(f"/programmes/pairings/{pairing.id}/agreement", data=data.agreement(start))
    sign = f"/programmes/pairings/{pairing.id}/agreement/sign"
    wrong = mentor_client.post(sign, data={"full_name": "Someone Else", "accept": "y"})
    assert wrong.status_code == 422 and "Type your name as your account has it: Maya Mentor." in page(wrong)
    assert mentor_client.post(sign, data={"full_name": "maya mentor", "accept": "y"}).status_code == 302
    pairing = reload(pairing)
    assert pairing.state == PairingState.AGREEING and pairing.mentor_signed_name == "maya mentor"

    # A change after one signature withdraws it: both sign what is agreed.
    mentee_client.post(
        f"/programmes/pairings/{pairing.id}/agreement",
        data=data.agreement(start, **{"goals-0-description": "Lead the site safety audit"}),
    )
    assert reload(pairing).mentor_signed_at is None
    for client, name in ((mentor_client, "Maya Mentor"), (mentee_client, "Pat Protege")):
        client.post(sign, data={"full_name": name, "accept": "y"})
    pairing = reload(pairing)
    assert pairing.state == PairingState.ACTIVE and pairing.mentee_signed_at is not None
    assert [(c.month, c.due_on) for c in pairing.checkpoints] == [
        (month, rules.checkpoint_due(start, month)) for month in (1, 3, 6, 9, 12)
    ]
    assert len(emails("agreement_signed")) == 2

    response = mentee_client.get(f"/programmes/pairings/{pairing.id}/agreement.docx")
    assert response.headers["Content-Disposition"].startswith("attachment")
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "Mentor: Maya Mentor" in text and "Protégé: Pat Protege" in text
    assert "Lead the site safety audit" in cells
    assert "Protégé: Pat Protege, accepted on" in text and "condition of confidentiality" in text


# Meetings, privacy, schedules -------------------------------------------------------------------------


@pytest.fixture
def two_pairs(coordinator, mentor, mentee, programme):
    first = data.active_pairing(coordinator, mentor, mentee, programme_rules.today(), in_programme=programme)
    other_mentor = make_user("omar.other@example.com", name="Omar Other")
    other_mentee = make_user("olga.other@example.com", name="Olga Other")
    second = data.active_pairing(
        coordinator, other_mentor, other_mentee, programme_rules.today(), in_programme=programme
    )
    return first, second, other_mentee


def test_meeting_notes_are_for_the_pair_only(app, coordinator, mentor, mentee, two_pairs):
    pairing, _, other_pair_member = two_pairs
    mentee_client = client_for(app, mentee)
    response = mentee_client.post(
        f"/programmes/pairings/{pairing.id}/meetings/new",
        data=data.meeting(programme_rules.today(), notes="Private: the promotion worries me."),
    )
    assert response.status_code == 302
    [meeting] = reload(pairing).meetings
    assert meeting.logged_by_id == mentee.id
    assert "Private: the promotion worries me." in page(
        client_for(app, mentor).get(f"/programmes/pairings/{pairing.id}")
    )

    goal = pairing.goals[0]
    base = f"/programmes/pairings/{pairing.id}"
    urls = [
        base,
        f"{base}/meetings/{meeting.id}.ics",
        f"{base}/agreement",
        f"{base}/agreement.docx",
        f"{base}/goals/{goal.id}",
        f"{base}/evaluation",
        f"{base}/checkpoints.ics",
        f"{base}/meetings/new",
    ]
    outsiders = {
        "the other pair": client_for(app, other_pair_member),
        "another user": client_for(app, make_user("someone.else@example.com")),
        "the coordinator": client_for(app, coordinator),
        "anonymous": client_for(app),
    }
    for who, outsider in outsiders.items():
        for url in urls:
            assert outsider.get(url).status_code == 404, (who, url)
        assert (
            outsider.post(
                f"/programmes/pairings/{pairing.id}/meetings/new", data=data.meeting(programme_rules.today())
            ).status_code
            == 404
        ), who
    assert len(reload(pairing).meetings) == 1
    # The coordinator sees the pair's progress, never its notes.
    overview = page(client_for(app, coordinator).get(f"/programmes/coordinator/pairings/{pairing.id}"))
    assert "Maya Mentor" in overview and "promotion" not in overview


def test_a_meeting_outside_the_term_is_refused(app, mentor, two_pairs):
    pairing = two_pairs[0]
    response = client_for(app, mentor).post(
        f"/programmes/pairings/{pairing.id}/meetings/new",
        data=data.meeting(programme_rules.today() - timedelta(days=3)),
    )
    assert response.status_code == 422 and "The date must fall inside the term" in page(response)


def test_a_planned_meeting_downloads_as_a_calendar_invitation(app, mentor, mentee, two_pairs):
    pairing = two_pairs[0]
    day = programme_rules.today() + timedelta(days=10)
    client_for(app, mentor).post(
        f"/programmes/pairings/{pairing.id}/meetings/new",
        data=data.meeting(day, mode="video", duration_minutes="45"),
    )
    meeting = reload(pairing).meetings[0]
    response = client_for(app, mentee).get(f"/programmes/pairings/{pairing.id}/meetings/{meeting.id}.ics")
    assert response.mimetype == "text/calendar" and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).replace("\r\n ", "")
    assert f"DTSTART:{day:%Y%m%d}T143000" in text and "DURATION:PT45M" in text and "Video call" in text
    assert 'ORGANIZER;CN="Maya Mentor":mailto:maya.mentor@example.com' in text
    assert "mailto:pat.protege@example.com" in text
    checkpoints = client_for(app, mentee).get(f"/programmes/pairings/{pairing.id}/checkpoints.ics")
    assert checkpoints.get_data(as_text=True).count("BEGIN:VEVENT") == 5
    # A planned meeting is not yet a meeting held.
    text = page(client_for(app, mentee).get(f"/programmes/pairings/{pairing.id}"))
    assert "0 of at least 2 meetings" in text


def test_the_pair_page_shows_what_is_due_done_and_overdue_as_time_passes(app, coordinator, mentor, mentee):
    start = programme_rules.today()
    pairing = data.active_pairing(coordinator, mentor, mentee, start)
    first_due = rules.checkpoint_due(start, 1)

    def visit(on):
        with time_machine.travel(datetime.combine(on, time(12), tzinfo=UTC), tick=False):
            return page(client_for(app, mentor).get(f"/programmes/pairings/{pairing.id}"))

    assert "0 done · 2 due · 0 overdue" in visit(start)  # the two meeting expectations
    assert "0 done · 3 due · 0 overdue" in visit(first_due - timedelta(days=2))  # a checkpoint, two meetings
    text = visit(first_due + timedelta(days=1))
    assert "0 done · 2 due · 1 overdue" in text and "Overdue" in text

    with time_machine.travel(
        datetime.combine(first_due + timedelta(days=1), datetime.min.time(), tzinfo=UTC), tick=False
    ):
        client = client_for(app, mentor)
        client.post(f"/programmes/pairings/{pairing.id}/meetings/new", data=data.meeting(first_due))
        checkpoint = reload(pairing).checkpoints[0]
        client.post(f"/programmes/pairings/{pairing.id}/checkpoints/{checkpoint.id}/done")
    text = visit(first_due + timedelta(days=2))
    assert "2 done · 1 due · 0 overdue" in text  # the checkpoint and the face-to-face meeting
    assert "1 of at least 2 meetings" in text and "(4 to 6 recommended)" in text

    # Seven months in, the checkpoints of months 3 and 6 missed; one meeting is what month 7 expects.
    assert "2 done · 1 due · 2 overdue" in visit(rules.add_months(start, 7))
    # Ten months in, the month 9 checkpoint is missed too.
    assert "2 done · 1 due · 3 overdue" in visit(rules.add_months(start, 10))


def test_goal_progress_is_noted_by_either_member(app, mentor, mentee, two_pairs):
    pairing = two_pairs[0]
    goal = pairing.goals[1]
    client = client_for(app, mentee)
    response = client.post(
        f"/programmes/pairings/{pairing.id}/goals/{goal.id}", data={"progress": "on_track"}
    )
    assert response.status_code == 422 and "Enter a progress note." in page(response)
    client.post(
        f"/programmes/pairings/{pairing.id}/goals/{goal.id}",
        data={"progress": "on_track", "note": "Drafted the first claim review."},
    )
    text = page(client_for(app, mentor).get(f"/programmes/pairings/{pairing.id}/goals/{goal.id}"))
    assert "Drafted the first claim review." in text and "On track" in text


# Evaluations -------------------------------------------------------------------------------------------


def _evaluation_form(value: str = "4", **overrides) -> dict:
    answers = {f"rating_{q.key}": value for q in rules.defaults().questions}
    return {**answers, "about_partner": "Always prepared.", "about_programme": "Good structure.", **overrides}


def test_the_final_evaluation_opens_at_the_end_of_the_term(app, coordinator, mentor, mentee):
    pairing = data.active_pairing(coordinator, mentor, mentee, programme_rules.today())
    client = client_for(app, mentor)
    text = page(client.get(f"/programmes/pairings/{pairing.id}/evaluation"))
    assert "The final evaluation opens on" in text
    client.post(f"/programmes/pairings/{pairing.id}/evaluation", data=_evaluation_form())
    assert reload(pairing).evaluations == []


def test_neither_sees_the_others_evaluation_until_both_have_submitted(app, coordinator, mentor, mentee):
    pairing = data.active_pairing(coordinator, mentor, mentee, rules.add_months(programme_rules.today(), -12))
    mentor_client, mentee_client = client_for(app, mentor), client_for(app, mentee)
    incomplete = mentor_client.post(
        f"/programmes/pairings/{pairing.id}/evaluation", data=_evaluation_form(**{"rating_prepared": ""})
    )
    assert incomplete.status_code == 422 and "Choose an answer to this question." in page(incomplete)
    mentor_client.post(
        f"/programmes/pairings/{pairing.id}/evaluation",
        data=_evaluation_form("5", about_partner="Pat never missed a meeting."),
    )

    mentee_page = page(mentee_client.get(f"/programmes/pairings/{pairing.id}"))
    assert (
        "Maya Mentor has submitted their evaluation. You will see it once you have submitted yours."
    ) in mentee_page
    assert "Pat never missed a meeting." not in mentee_page
    assert "Pat never missed a meeting." not in page(mentor_client.get(f"/programmes/pairings/{pairing.id}"))

    mentee_client.post(
        f"/programmes/pairings/{pairing.id}/evaluation",
        data=_evaluation_form("3", about_partner="Maya opened doors for me."),
    )
    assert "Pat never missed a meeting." in page(mentee_client.get(f"/programmes/pairings/{pairing.id}"))
    mentor_page = page(mentor_client.get(f"/programmes/pairings/{pairing.id}"))
    assert "Maya opened doors for me." in mentor_page and "Neither agree nor disagree" in mentor_page
    # One evaluation each.
    mentor_client.post(f"/programmes/pairings/{pairing.id}/evaluation", data=_evaluation_form("1"))
    assert len(reload(pairing).evaluations) == 2
    assert reload(pairing).state == PairingState.ACTIVE  # the mentee has not confirmed yet


def test_the_coordinator_sees_anonymised_results_and_pairs_at_risk(
    app, coordinator, mentor, mentee, programme
):
    other_mentor = make_user("omar.other@example.com", name="Omar Other")
    other_mentee = make_user("olga.other@example.com", name="Olga Other")
    data.completed_pairing(coordinator, mentor, mentee, in_programme=programme)
    client = client_for(app, coordinator)
    too_few = page(client.get(f"/programmes/coordinator/programmes/{programme.id}/results"))
    assert "2 evaluations so far. Results are shown once there are at least 3" in too_few

    data.completed_pairing(coordinator, other_mentor, other_mentee, in_programme=programme)
    late = make_user("lara.late@example.com", name="Lara Late")
    with time_machine.travel(datetime.now(UTC) - timedelta(days=100), tick=False):
        data.agreeing_pairing(
            coordinator, late, make_user("sam.slow@example.com", name="Sam Slow"), in_programme=programme
        )
    results = page(client.get(f"/programmes/coordinator/programmes/{programme.id}/results"))
    assert "4 evaluations, without names" in results and "Useful checkpoints." in results
    assert "4.5" in results  # "prepared": two 5s and two 4s
    for name in ("Maya Mentor", "Pat Protege", "Omar Other", "Olga Other", "A generous mentor."):
        assert name not in results
    assert "Completed: 2" in results
    at_risk = page(client.get("/programmes/coordinator"))
    assert "Lara Late and Sam Slow" in at_risk and "No goals agreed by month 3" in at_risk
    assert "No meeting yet, 100 days in" in at_risk and "Maya Mentor and" not in at_risk


# Hand-over to a credential application -----------------------------------------------------------------


def test_a_completed_pairing_counts_as_a_verified_engagement_in_the_mentors_application(
    app, coordinator, mentor, mentee, tmp_path
):
    pairing = data.completed_pairing(coordinator, mentor, mentee)
    assert pairing.state == PairingState.COMPLETED and pairing.completed_at is not None
    unconfirmed = data.active_pairing(
        coordinator,
        mentor,
        make_user("una.confirmed@example.com"),
        rules.add_months(programme_rules.today(), -12),
    )

    client = client_for(app, mentor)
    application_id = application_data.start_application(client, "CPM")
    application_data.fill_application(client, application_id, tmp_path, engagements=2, referees=1)
    application = db.session.get(Application, application_id)
    before = assess(application)
    assert not before.is_eligible

    response = client.post(f"/programmes/applications/{application_id}/import", follow_redirects=True)
    assert "1 completed mentoring programme engagement added, already verified." in page(response)
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    [imported] = [e for e in application.engagements if e.is_pre_verified]
    assert imported.pairing_id == pairing.id and imported.mentee_email == mentee.email
    assert (imported.start_date, imported.end_date) == (pairing.term_start, pairing.term_end)
    assert not imported.has_referee and unconfirmed.id not in [e.pairing_id for e in application.engagements]

    text = page(client.get(f"/applications/{application_id}/engagements"))
    assert (
        ">Verified</strong> Completed in the CMIT Mentor Programme mentoring programme: no referee needed"
    ) in text
    check = page(client.get(f"/applications/{application_id}/check"))
    assert "None needed: verified in the CMIT Mentor Programme mentoring programme" in check
    eligibility = assess(application)
    criteria = {criterion.key: criterion for criterion in eligibility.criteria}
    assert criteria["engagements"].actual == "3" and criteria["engagements"].met
    assert criteria["references"].actual == "2" and criteria["references"].met
    assert eligibility.is_eligible
    assert confirmed_reference_count(application) == 1  # the pre-verified one: no referee has answered yet
    # Importing again adds nothing; no referee email is ever due for it.
    client.post(f"/programmes/applications/{application_id}/import")
    assert (
        db.session.scalar(
            select(db.func.count()).select_from(Engagement).where(Engagement.pairing_id == pairing.id)
        )
        == 1
    )
    requests = select(ReferenceRequest).where(ReferenceRequest.engagement_id == imported.id)
    assert db.session.scalar(requests) is None


def test_only_the_applicant_imports_into_their_own_application(app, coordinator, mentor, mentee, tmp_path):
    data.completed_pairing(coordinator, mentor, mentee)
    application_id = application_data.start_application(client_for(app, mentor), "CPM")
    response = client_for(app, mentee).post(f"/programmes/applications/{application_id}/import")
    assert response.status_code == 404


def test_changing_an_imported_engagement_makes_it_need_a_referee(app, coordinator, mentor, mentee):
    data.completed_pairing(coordinator, mentor, mentee)
    client = client_for(app, mentor)
    application_id = application_data.start_application(client, "CPM")
    client.post(f"/programmes/applications/{application_id}/import")
    engagement = db.session.scalar(select(Engagement))
    client.post(
        f"/applications/{application_id}/engagements/{engagement.id}",
        data=application_data.engagement(1, referee=False, mentee_name="Pat Protege"),
    )
    db.session.expire_all()
    assert not db.session.get(Engagement, engagement.id).is_pre_verified


def test_renewal_needs_both_members(app, coordinator, mentor, mentee):
    pairing = data.completed_pairing(coordinator, mentor, mentee)
    client_for(app, mentor).post(f"/programmes/pairings/{pairing.id}/renew")
    assert db.session.scalar(select(db.func.count()).select_from(Pairing)) == 1
    response = client_for(app, mentee).post(f"/programmes/pairings/{pairing.id}/renew")
    renewed = db.session.scalar(select(Pairing).where(Pairing.renewed_from_id == pairing.id))
    assert renewed.state == PairingState.DECLARING and response.headers["Location"].endswith(f"/{renewed.id}")


# Programmes and supervision ----------------------------------------------------------------------------


def test_a_coordinator_sets_up_a_programme_from_the_cmaa_defaults(app, coordinator):
    client = client_for(app, coordinator)
    form = page(client.get("/programmes/coordinator/programmes/new"))
    assert "3 | Write down career goals |" in form and "condition of confidentiality" in form
    assert 'value="12"' in form
    values = {
        "name": "Chapter mentoring",
        "term_months": "6",
        "minimum_meetings_per_year": "2",
        "recommended_meetings_min": "4",
        "recommended_meetings_max": "6",
        "face_to_face_per_year": "1",
        "confidentiality_terms": "Confidential.",
        "is_open": "y",
        "checkpoints": "1 | Meet | Get to know each other\n9 | Review | Too late",
    }
    response = client.post("/programmes/coordinator/programmes/new", data=values)
    assert response.status_code == 422 and "must fall inside the 6-month term (not 9)" in page(response)
    bad_line = client.post("/programmes/coordinator/programmes/new", data={**values, "checkpoints": "soon"})
    assert "Line 1: write the month" in page(bad_line)
    client.post(
        "/programmes/coordinator/programmes/new",
        data={**values, "checkpoints": "1 | Meet | Hello\n6 | End |"},
    )
    programme = db.session.scalar(select(Programme))
    assert programme.term_months == 6 and [(c.month, c.title) for c in programme.checkpoints] == [
        (1, "Meet"),
        (6, "End"),
    ]
    assert (
        client_for(app, make_user("not.admin@example.com", Role.REVIEWER))
        .get("/programmes/coordinator/programmes/new")
        .status_code
        == 404
    )


def test_a_supervisor_confirms_a_session_once_from_the_emailed_link(app, mentor):
    held_on = programme_rules.today() - timedelta(days=3)
    response = client_for(app, mentor).post(
        "/programmes/supervision/new",
        data={
            "supervisor_name": "Sam Supervisor",
            "supervisor_email": "sam@supervision.example",
            "held_on": held_on.isoformat(),
            "duration_minutes": "60",
            "focus": "both",
        },
    )
    assert response.status_code == 302
    client = client_for(app)
    [email] = emails("supervision_confirmation", "sam@supervision.example")
    link = re.search(r"http://[^\s]+/programmes/supervision/confirm/([\w-]+)", email.text_body)
    token = link.group(1)
    session = db.session.scalar(select(SupervisionSession))
    [stored] = db.session.scalars(select(ExternalLink).where(ExternalLink.request_id == session.id)).all()
    assert stored.kind == LinkKind.SUPERVISION_SESSION  # one table holds every kind's links
    assert stored.token_hash != token and len(stored.token_hash) == 64

    # A GET (a mail scanner, or the supervisor reading) changes nothing.
    assert "Maya Mentor says you gave them" in page(client.get(f"/programmes/supervision/confirm/{token}"))
    db.session.expire_all()
    assert db.session.get(SupervisionSession, session.id).status == SupervisionStatus.PENDING
    assert programme_queries.confirmed_supervision_sessions(mentor, held_on, held_on) == 0

    assert "You have confirmed" in page(
        client.post(f"/programmes/supervision/confirm/{token}", data={"answer": "confirm"})
    )
    again = client.post(f"/programmes/supervision/confirm/{token}", data={"answer": "decline"})
    assert again.status_code == 404
    assert client.get(f"/programmes/supervision/confirm/{token}").status_code == 404
    db.session.expire_all()
    assert db.session.get(SupervisionSession, session.id).status == SupervisionStatus.CONFIRMED
    assert (
        programme_queries.confirmed_supervision_sessions(mentor, held_on - timedelta(days=365), held_on) == 1
    )
    assert (
        programme_queries.confirmed_supervision_sessions(
            mentor, held_on + timedelta(days=1), programme_rules.today()
        )
        == 0
    )
    assert "Confirmed" in page(client_for(app, mentor).get("/programmes/supervision"))


def test_a_declined_or_expired_supervision_link_does_not_count(app, mentor):
    mentor_client, client = client_for(app, mentor), client_for(app)
    for n in (1, 2):
        mentor_client.post(
            "/programmes/supervision/new",
            data={
                "supervisor_name": "Sam Supervisor",
                "supervisor_email": f"sam{n}@supervision.example",
                "held_on": programme_rules.today().isoformat(),
                "duration_minutes": "60",
                "focus": "mentoring_skills",
            },
        )
    tokens = [
        re.search(r"/supervision/confirm/([\w-]+)", e.text_body).group(1)
        for e in emails("supervision_confirmation")
    ]
    client.post(f"/programmes/supervision/confirm/{tokens[0]}", data={"answer": "decline"})
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31), tick=False):
        assert (
            client.post(
                f"/programmes/supervision/confirm/{tokens[1]}", data={"answer": "confirm"}
            ).status_code
            == 404
        )
    assert (
        programme_queries.confirmed_supervision_sessions(
            mentor, programme_rules.today() - timedelta(days=1), programme_rules.today()
        )
        == 0
    )
    own = mentor_client.post(
        "/programmes/supervision/new",
        data={
            "supervisor_name": "Me",
            "supervisor_email": mentor.email,
            "held_on": programme_rules.today().isoformat(),
            "duration_minutes": "60",
            "focus": "both",
        },
    )
    assert own.status_code == 422 and "not yours" in page(own)
