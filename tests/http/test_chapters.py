"""Chapters through the HTTP interface: a programme coordinator sets them up with their coordinators, a pair
names its chapter, and a chapter coordinator (not an administrator) sees that chapter's pairs' health only."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.db import db
from portal.models.audit import AuditEntry
from portal.models.chapters import Chapter
from portal.workflows.programmes import rules
from tests.factories import programmes as data
from tests.helpers import client_for, make_user, page


def _set_up(app, admin, coordinator_email: str, name: str = "Ontario chapter"):
    return client_for(app, admin).post(
        "/programmes/coordinator/chapters",
        data={"name": name, "region": "Ontario", "coordinators": coordinator_email},
    )


def test_a_programme_coordinator_sets_up_a_chapter_with_its_coordinators(app, admin):
    chapter_lead = make_user("carla.chapter@example.com", name="Carla Chapter")
    unknown = _set_up(app, admin, "nobody@example.com")
    assert unknown.status_code == 422 and "There is no account for nobody@example.com." in page(unknown)
    assert "Ontario chapter" in page(unknown)  # kept as typed
    not_email = _set_up(app, admin, "carla")
    assert not_email.status_code == 422 and "These are not email addresses: carla" in page(not_email)

    assert _set_up(app, admin, chapter_lead.email).status_code == 302
    chapter = db.session.scalar(select(Chapter))
    assert [c.user_id for c in chapter.coordinators] == [chapter_lead.id]
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.subject_type == "chapters"))
        == "create_chapter"
    )
    again = _set_up(app, admin, chapter_lead.email)
    assert again.status_code == 422 and "There is already a chapter of that name." in page(again)


def test_only_programme_coordinators_set_up_chapters(app, admin):
    chapter_lead = make_user("carla.chapter@example.com", name="Carla Chapter")
    _set_up(app, admin, chapter_lead.email)
    client = client_for(app, chapter_lead)  # coordinates a chapter, but is no administrator
    assert client.get("/programmes/coordinator/chapters").status_code == 404
    assert client.post("/programmes/coordinator/chapters", data={"name": "Mine"}).status_code == 404
    assert client.get("/programmes/coordinator").status_code == 404


def test_a_chapter_coordinator_sees_the_health_of_their_chapters_pairs_only(app, admin, mentor, mentee):
    chapter_lead = make_user("carla.chapter@example.com", name="Carla Chapter")
    _set_up(app, admin, chapter_lead.email)
    _set_up(app, admin, "", name="Quebec chapter")
    ontario, quebec = db.session.scalars(select(Chapter).order_by(Chapter.name)).all()
    pairing = data.active_pairing(admin, mentor, mentee, rules.add_months(date.today(), -5))
    other_mentor = make_user("omar.other@example.com", name="Omar Other")
    other_mentee = make_user("olga.other@example.com", name="Olga Other")
    elsewhere = data.active_pairing(
        admin, other_mentor, other_mentee, date.today(), in_programme=pairing.programme
    )

    client_for(app, mentee).post(
        f"/programmes/pairings/{pairing.id}/chapter", data={"chapter_id": str(ontario.id)}
    )
    client_for(app, other_mentee).post(
        f"/programmes/pairings/{elsewhere.id}/chapter", data={"chapter_id": str(quebec.id)}
    )
    assert pairing.chapter_id == ontario.id
    assert "Your chapters" in page(client_for(app, chapter_lead).get("/programmes/"))

    text = page(client_for(app, chapter_lead).get(f"/programmes/chapters/{ontario.id}"))
    assert "Maya Mentor (mentor) and Pat Protege (protégé)" in text
    assert "Needs attention" in text and "No meeting yet" in text  # five months without a meeting
    assert "Olga Other" not in text
    assert client_for(app, chapter_lead).get(f"/programmes/chapters/{quebec.id}").status_code == 404
    assert client_for(app, mentee).get(f"/programmes/chapters/{ontario.id}").status_code == 404
    assert client_for(app, admin).get(f"/programmes/chapters/{ontario.id}").status_code == 200


def test_only_the_pair_chooses_its_chapter(app, admin, mentor, mentee):
    chapter_lead = make_user("carla.chapter@example.com", name="Carla Chapter")
    _set_up(app, admin, chapter_lead.email)
    chapter = db.session.scalar(select(Chapter))
    pairing = data.active_pairing(admin, mentor, mentee, date.today())
    assert "Your local chapter" in page(client_for(app, mentor).get(f"/programmes/pairings/{pairing.id}"))
    response = client_for(app, chapter_lead).post(
        f"/programmes/pairings/{pairing.id}/chapter", data={"chapter_id": str(chapter.id)}
    )
    assert response.status_code == 404 and pairing.chapter_id is None
