"""Matching through the HTTP interface: the directory ranks mentors for the protégé searching and says why,
learning from past pairings; the coordinator sees suggested pairs with their reasons."""

from __future__ import annotations

from sqlalchemy import select

from portal.db import db
from portal.models.programmes import MentorProfile, Pairing
from tests.factories import programmes as data
from tests.helpers import client_for, make_user, page


def _publish(app, user, **overrides) -> MentorProfile:
    client_for(app, user).post("/programmes/profile", data=data.profile(**overrides))
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user.id))


def test_the_directory_ranks_by_fit_and_track_record_and_says_why(app, admin, mentee):
    programme = data.programme(admin)
    newcomer = make_user("nina.new@example.com", name="Nina Newcomer")
    _publish(app, newcomer, expertise="Contract claims and CCM preparation", capacity="3")
    proven = make_user("paul.proven@example.com", name="Paul Proven")
    _publish(app, proven, expertise="Contract claims and CCM preparation", capacity="3")
    other = make_user("hana.health@example.com", name="Hana Health")
    _publish(app, other, expertise="Ward management", sector="Health", region="Quebec chapter")
    # Paul's past protégés completed their pairings with him.
    for n in range(2):
        past = make_user(f"past{n}@example.com", name=f"Past Protege {n}")
        data.completed_pairing(admin, proven, past, in_programme=programme)

    text = page(client_for(app, mentee).get("/programmes/mentors?q=&sector=Construction"))
    assert text.index("Paul Proven") < text.index("Nina Newcomer")
    assert "Why this mentor: matches your sector; 2 completed pairings" in text
    assert "Hana Health" not in text  # the sector chosen still filters

    everyone = page(client_for(app, mentee).get("/programmes/mentors?q=claims"))
    assert everyone.index("Paul Proven") < everyone.index("Nina Newcomer")
    assert "matches your goal" in everyone


def test_the_coordinator_sees_suggested_pairs_with_reasons(app, admin, mentee):
    mentor = make_user("maya.mentor@example.com", name="Maya Mentor")
    profile = _publish(app, mentor)
    decliner = make_user("dan.decliner@example.com", name="Dan Decliner")
    declined = _publish(app, decliner)
    programme = data.programme(admin)
    client = client_for(app, mentee)
    client.post(
        f"/programmes/mentors/{declined.id}/request",
        data={"programme": str(programme.id), "guide_read": "y", "message": "Site safety"},
    )
    pairing_id = db.session.scalar(select(Pairing.id).where(Pairing.mentee_id == mentee.id))
    client_for(app, decliner).post(f"/programmes/pairings/{pairing_id}/decline", data={"reason": "Full"})
    assert profile is not None

    text = page(client_for(app, admin).get("/programmes/coordinator/suggestions"))
    assert "Pat Protege" in text and "Maya Mentor" in text
    assert "Dan Decliner" not in text  # who declined is not suggested again
    assert "/programmes/coordinator/pair?mentor=maya.mentor" in text and "mentee=pat.protege" in text
    form = page(
        client_for(app, admin).get(
            "/programmes/coordinator/pair?mentor=maya.mentor%40example.com&mentee=pat.protege%40example.com"
        )
    )
    assert 'value="maya.mentor@example.com"' in form
    assert client_for(app, mentee).get("/programmes/coordinator/suggestions").status_code == 404
