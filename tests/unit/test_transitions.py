"""The transition table, exhaustively: every state × every action × every kind of actor."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.db import db
from portal.enums import ApplicationState, Role
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.workflows.engine import DECIDED, TransitionRefused, apply_transition
from portal.workflows.transitions import APPLICANT, BY_ACTION, SYSTEM, TRANSITIONS
from tests.conftest import make_user

ACTOR_KINDS = (APPLICANT, Role.REVIEWER.value, Role.ADMIN.value, SYSTEM, "other_applicant")


def test_every_action_is_unique_and_targets_a_known_state():
    assert len(BY_ACTION) == len(TRANSITIONS)
    for transition in TRANSITIONS:
        assert transition.sources and transition.actors
        assert transition.target in ApplicationState


@pytest.fixture
def people(app):
    return {
        APPLICANT: make_user("owner@example.com"),
        "other_applicant": make_user("stranger@example.com"),
        Role.REVIEWER.value: make_user("rev@example.org", Role.REVIEWER),
        Role.ADMIN.value: make_user("adm@example.org", Role.ADMIN),
        SYSTEM: None,
    }


def _application_in(state: ApplicationState, owner) -> Application:
    application = Application(
        applicant=owner,
        credential_code="CPM",
        state=state,
        submitted_at=None if state == ApplicationState.DRAFT else datetime.now(UTC),
        decided_at=datetime.now(UTC) if state in DECIDED else None,
    )
    db.session.add(application)
    db.session.flush()
    return application


@pytest.mark.parametrize("state", list(ApplicationState))
def test_every_state_and_action_is_allowed_exactly_as_the_table_says(people, state):
    # A guarded move (submit) is refused here by its guard, since these applications are empty.
    for action, transition in BY_ACTION.items():
        for kind in ACTOR_KINDS:
            application = _application_in(state, people[APPLICANT])
            allowed = state in transition.sources and kind in transition.actors
            reason = "A reason given by the actor."
            guarded = bool(transition.guards)
            try:
                apply_transition(application, action, people[kind], reason)
            except TransitionRefused as refused:
                assert not allowed or guarded, (state, action, kind, refused.problems)
                assert refused.problems and all(isinstance(p, str) and p for p in refused.problems)
                assert application.state == state
            else:
                assert allowed, (state, action, kind)
                assert application.state == transition.target
                entry = db.session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.subject_id == application.id)
                    .order_by(AuditEntry.id.desc())
                ).first()
                assert (entry.action, entry.from_state, entry.to_state) == (
                    action,
                    state.value,
                    transition.target.value,
                )
            db.session.rollback()


def test_a_reason_is_required_to_return_or_reject(people):
    reviewer = people[Role.REVIEWER.value]
    for action in ("return", "reject"):
        application = _application_in(ApplicationState.IN_REVIEW, people[APPLICANT])
        with pytest.raises(TransitionRefused, match="Give a reason"):
            apply_transition(application, action, reviewer, "   ")
        db.session.rollback()


def test_an_illegal_move_says_why_in_words(people):
    application = _application_in(ApplicationState.APPROVED, people[APPLICANT])
    with pytest.raises(TransitionRefused, match="An application that is approved cannot be withdrawn."):
        apply_transition(application, "withdraw", people[APPLICANT])


def test_of_two_reviewers_deciding_at_once_only_one_succeeds(people):
    application = _application_in(ApplicationState.IN_REVIEW, people[APPLICANT])
    db.session.commit()
    # The second reviewer's copy still believes the application is in review.
    from sqlalchemy import update

    db.session.execute(
        update(Application)
        .where(Application.id == application.id)
        .values(state=ApplicationState.REJECTED, decided_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(TransitionRefused, match="Someone else changed this application"):
        apply_transition(application, "reject", people[Role.REVIEWER.value], "Not enough evidence.")
