"""A programme's guide through the HTTP interface: read before requesting, before signing and at the
checkpoints, acknowledged once by each member (recorded and audited), edited by a coordinator only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.db import db
from portal.models.audit import AuditEntry
from portal.models.programme_guides import GuideAcknowledgement
from portal.models.programmes import MentorProfile, Pairing
from tests.factories import programmes as data
from tests.helpers import client_for, page


@pytest.fixture
def programme(admin):
    return data.programme(admin)


def _acknowledgements(user) -> int:
    return db.session.scalar(
        select(func.count()).select_from(GuideAcknowledgement).where(GuideAcknowledgement.user_id == user.id)
    )


def _audited(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_the_default_guide_says_what_mentoring_is_and_is_not_and_who_does_what(app, mentee, programme):
    text = page(client_for(app, mentee).get(f"/programmes/{programme.id}/guide"))
    assert "What mentoring is not" in text and "not a trainer and trainee relationship" in text
    assert "signposts opportunities for learning" in text  # the CMI checklist
    assert "not to enhance your employability" in text  # the CMAA's mentee responsibilities
    assert "The coordinator’s responsibilities" in text
    assert "operate under a condition of confidentiality" in text  # the programme's own terms
    assert "I have read the guide" in text


def test_a_protégé_cannot_request_a_mentor_without_reading_the_guide(app, mentor, mentee, programme):
    client_for(app, mentor).post("/programmes/profile", data=data.profile())
    profile_id = db.session.scalar(select(MentorProfile.id).where(MentorProfile.user_id == mentor.id))
    client = client_for(app, mentee)
    request_page = page(client.get(f"/programmes/mentors/{profile_id}/request"))
    assert "Read the guide to CMIT Mentor Programme" in request_page
    assert "You have not acknowledged it yet." in request_page

    refused = client.post(
        f"/programmes/mentors/{profile_id}/request",
        data={"programme": programme.id, "message": "Claims, please."},
    )
    assert refused.status_code == 422
    assert "Read the programme’s guide, then tick the box." in page(refused)
    assert "Claims, please." in page(refused)  # what was typed is kept
    assert db.session.scalar(select(Pairing)) is None and _acknowledgements(mentee) == 0

    sent = client.post(
        f"/programmes/mentors/{profile_id}/request", data={"programme": programme.id, "guide_read": "y"}
    )
    assert sent.status_code == 302
    assert _acknowledgements(mentee) == 1
    [entry] = _audited("acknowledge_guide")
    assert entry.actor_id == mentee.id and entry.subject_type == "programmes"


def test_each_member_acknowledges_once_and_the_pair_page_says_so(app, admin, mentor, mentee, programme):
    pairing = data.matched_pairing(admin, mentor, mentee, in_programme=programme)
    client = client_for(app, mentor)
    pair_page = f"/programmes/pairings/{pairing.id}"
    assert "You have not acknowledged it yet." in page(client.get(pair_page))

    for _ in range(2):
        response = client.post(f"/programmes/{programme.id}/guide/acknowledge", data={"next": pair_page})
        assert response.status_code == 302 and response.headers["Location"] == pair_page
    assert _acknowledgements(mentor) == 1 and len(_audited("acknowledge_guide")) == 1
    assert "You have acknowledged it." in page(client.get(pair_page))
    assert "You acknowledged this guide on" in page(client.get(f"/programmes/{programme.id}/guide"))
    # Somewhere else entirely is not where the button sends anyone.
    away = client.post(f"/programmes/{programme.id}/guide/acknowledge", data={"next": "https://evil.example"})
    assert away.headers["Location"] == f"/programmes/{programme.id}/guide"


def test_signing_the_agreement_acknowledges_the_guide(app, admin, mentor, mentee, programme):
    pairing = data.agreeing_pairing(admin, mentor, mentee, in_programme=programme)
    client = client_for(app, mentor)
    agreement = page(client.get(f"/programmes/pairings/{pairing.id}/agreement"))
    assert "Before you sign: read what you each take on." in agreement
    start = date.today()
    client.post(f"/programmes/pairings/{pairing.id}/agreement", data=data.agreement(start))
    signed = client.post(
        f"/programmes/pairings/{pairing.id}/agreement/sign", data={"full_name": "Maya Mentor", "accept": "y"}
    )
    assert signed.status_code == 302
    assert _acknowledgements(mentor) == 1 and _acknowledgements(mentee) == 0


def test_the_guide_is_shown_at_the_checkpoints(app, admin, mentor, mentee, programme):
    pairing = data.active_pairing(admin, mentor, mentee, date.today(), in_programme=programme)
    text = page(client_for(app, mentee).get(f"/programmes/pairings/{pairing.id}"))
    assert "At each checkpoint, look again at what you each took on" in text


def test_a_coordinator_edits_the_guide_and_pairs_read_the_new_text(app, admin, mentee, programme):
    coordinator = client_for(app, admin)
    form_page = page(coordinator.get(f"/programmes/coordinator/programmes/{programme.id}/guide"))
    assert "signposts opportunities for learning" in form_page  # starts from the defaults
    texts = {
        "mentoring_is": "Listening and asking questions.",
        "mentoring_is_not": "Line management.",
        "mentor_responsibilities": "Challenge and advise.",
        "mentee_responsibilities": "Come prepared.",
        "coordinator_responsibilities": "Pair people well.",
        "confidentiality": "What is said stays between you.",
    }
    blank = coordinator.post(
        f"/programmes/coordinator/programmes/{programme.id}/guide", data={**texts, "mentoring_is_not": ""}
    )
    assert blank.status_code == 422 and "Say what mentoring is not." in page(blank)
    assert "Come prepared." in page(blank)
    saved = coordinator.post(f"/programmes/coordinator/programmes/{programme.id}/guide", data=texts)
    assert saved.status_code == 302
    assert len(_audited("update_guide")) == 1
    text = page(client_for(app, mentee).get(f"/programmes/{programme.id}/guide"))
    assert "Line management." in text and "signposts" not in text


def test_only_coordinators_edit_a_guide(app, mentee, programme):
    client = client_for(app, mentee)
    assert client.get(f"/programmes/coordinator/programmes/{programme.id}/guide").status_code == 404
    assert (
        client.post(
            f"/programmes/coordinator/programmes/{programme.id}/guide", data={"mentoring_is": "x"}
        ).status_code
        == 404
    )
    assert client_for(app).get(f"/programmes/{programme.id}/guide").status_code == 302  # sign in first
