"""The demo data generator loads complete, valid applications in bulk."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.db import db
from portal.demo import DEMO_PASSWORD, seed
from portal.models.applications import Application, ApplicationState
from portal.workflows.accounts import authenticate
from portal.workflows.eligibility import assess


def test_seeded_applications_are_complete_and_their_applicants_can_sign_in(app):
    assert seed(60) == 60
    assert db.session.scalar(select(func.count()).select_from(Application)) == 60
    states = set(db.session.scalars(select(Application.state)))
    assert ApplicationState.IN_REVIEW in states and ApplicationState.DRAFT in states
    submitted = db.session.scalars(select(Application).where(Application.state != ApplicationState.DRAFT)).all()
    for application in submitted:
        criteria = {c.key: c.met for c in assess(application).criteria}
        assert criteria["training_hours"] and criteria["engagements"] and criteria["references"]
    assert authenticate("demo1@example.org", DEMO_PASSWORD) is not None
    assert seed(5) == 5  # a second run adds more without colliding
