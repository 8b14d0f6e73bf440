"""Experience by category through the HTTP interface: categories as a programme's data (the CMAA's defaults,
edited by a coordinator), the protégé's log, the mentor's acknowledgement (a move in the transition table),
and progress against each target where the month 6 and 9 checkpoints review it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.db import db
from portal.enums import ExperienceState
from portal.models.audit import AuditEntry
from portal.models.experience import ExperienceCategory, ExperienceEntry
from portal.workflows.programmes import rules
from tests.factories import programmes as data
from tests.helpers import client_for, make_user, page


def _categories(programme) -> list[ExperienceCategory]:
    return list(
        db.session.scalars(
            select(ExperienceCategory)
            .where(ExperienceCategory.programme_id == programme.id)
            .order_by(ExperienceCategory.position)
        )
    )


def _set_targets(app, admin, programme, text: str):
    return client_for(app, admin).post(
        f"/programmes/coordinator/programmes/{programme.id}/experience-categories", data={"categories": text}
    )


def entry(category_id: int, start: date, **overrides) -> dict:
    return {
        "category_id": str(category_id),
        "started_on": start.isoformat(),
        "ended_on": (start + timedelta(days=4)).isoformat(),
        "hours": "30",
        "description": "Ran the site meetings on the school extension.",
        **overrides,
    }


def test_a_programme_starts_from_the_cmaa_categories_and_a_coordinator_sets_targets(app, admin):
    programme = data.programme(admin)
    client = client_for(app, admin)
    url = f"/programmes/coordinator/programmes/{programme.id}/experience-categories"
    assert "Responsible in Charge (RIC) experience |  |" in page(client.get(url))

    bad = _set_targets(app, admin, programme, "Responsible in Charge | lots | all of it")
    assert bad.status_code == 422 and "Line 1: write the name" in page(bad)
    assert "Responsible in Charge | lots | all of it" in page(bad)  # kept as typed
    saved = _set_targets(app, admin, programme, "RIC experience | 120 | In charge\nEstimating | 40 | Costs")
    assert saved.status_code == 302
    assert [(c.name, c.target_hours) for c in _categories(programme)] == [
        ("RIC experience", 120),
        ("Estimating", 40),
    ]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "update_experience_categories"))


def test_the_protégé_logs_the_mentor_acknowledges_and_months_6_and_9_show_progress(
    app, admin, mentor, mentee
):
    start = rules.add_months(date.today(), -6)
    pairing = data.active_pairing(admin, mentor, mentee, start)
    _set_targets(app, admin, pairing.programme, "RIC experience | 120 | In charge\nEstimating | 40 | Costs")
    ric, estimating = _categories(pairing.programme)
    protege = client_for(app, mentee)
    url = f"/programmes/pairings/{pairing.id}/experience"

    logged = protege.post(url, data=entry(ric.id, start + timedelta(days=10)))
    assert logged.status_code == 302, page(logged)
    protege.post(url, data=entry(estimating.id, start + timedelta(days=40), hours="5"))
    [first, second] = db.session.scalars(select(ExperienceEntry).order_by(ExperienceEntry.id)).all()
    assert first.state == ExperienceState.LOGGED

    mentor_client = client_for(app, mentor)
    log_page = page(mentor_client.get(url))
    assert "Waiting for the mentor" in log_page and "Ran the site meetings" in log_page
    done = mentor_client.post(f"{url}/{first.id}/acknowledge")
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(ExperienceEntry, first.id).state == ExperienceState.ACKNOWLEDGED
    audit = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.subject_type == "experience_entries", AuditEntry.action == "acknowledge_experience"
        )
    )
    assert (audit.actor_id, audit.from_state, audit.to_state) == (mentor.id, "logged", "acknowledged")

    # Six months in: half of each target is expected. RIC has 30 of 120 acknowledged (60 expected): behind.
    pair_page = page(protege.get(f"/programmes/pairings/{pairing.id}"))
    assert "Review experience by category" in pair_page
    assert "30 hours (25%)" in pair_page and "60 hours expected by now" in pair_page
    assert "Overdue" in pair_page
    # The estimating hours wait for the mentor: logged, not yet counted.
    assert "0 hours (0%)" in pair_page and "5 hours" in pair_page


def test_only_the_mentor_acknowledges_and_only_the_protégé_logs(app, admin, mentor, mentee):
    pairing = data.active_pairing(admin, mentor, mentee, date.today())
    url = f"/programmes/pairings/{pairing.id}/experience"
    protege = client_for(app, mentee)
    protege.get(url)  # the defaults are written the first time the protégé needs them
    category = _categories(pairing.programme)[0]
    protege.post(url, data=entry(category.id, date.today() - timedelta(days=5)))
    logged = db.session.scalar(select(ExperienceEntry))
    assert logged is not None

    refused = protege.post(f"{url}/{logged.id}/acknowledge", follow_redirects=True)
    assert "You are not allowed to acknowledge this experience entry." in page(refused)
    assert db.session.get(ExperienceEntry, logged.id).state == ExperienceState.LOGGED
    # The mentor's page has no log form, and a post of one is not taken.
    client_for(app, mentor).post(
        url, data=entry(category.id, date.today() - timedelta(days=5), description="Mine")
    )
    assert db.session.scalar(select(ExperienceEntry).where(ExperienceEntry.description == "Mine")) is None
    stranger = make_user("sam.stranger@example.com", name="Sam Stranger")
    assert client_for(app, stranger).get(url).status_code == 404


def test_experience_not_yet_gained_or_with_impossible_hours_is_refused_at_its_field(
    app, admin, mentor, mentee
):
    pairing = data.active_pairing(admin, mentor, mentee, date.today())
    url = f"/programmes/pairings/{pairing.id}/experience"
    protege = client_for(app, mentee)
    protege.get(url)
    category = _categories(pairing.programme)[0]
    future = protege.post(url, data=entry(category.id, date.today() + timedelta(days=3)))
    assert future.status_code == 422 and "Log experience once you have gained it" in page(future)
    too_many = protege.post(
        url, data=entry(category.id, date.today(), ended_on=date.today().isoformat(), hours="25")
    )
    assert too_many.status_code == 422 and "That is more hours than the dates hold." in page(too_many)
    assert "Ran the site meetings" in page(too_many)
    assert db.session.scalar(select(ExperienceEntry)) is None
