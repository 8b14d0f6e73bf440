"""The transition table, exhaustively: for every machine, every state × every action × every kind of actor.

A guarded move is checked against the guard that must refuse it (by name and by sentence), and the guarded
moves that should succeed are shown to succeed once their guards hold.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import product

import pytest
from sqlalchemy import select, update

from portal.db import db
from portal.enums import (
    ApplicationKind,
    ApplicationState,
    DeclarationStatus,
    DocumentPurpose,
    DocumentStatus,
    EngagementSetting,
    ExperienceState,
    PairingState,
    PaymentMethod,
    ReferenceStatus,
    Role,
    SupervisionFocus,
    SupervisionStatus,
)
from portal.models.applications import Application, Engagement
from portal.models.audit import AuditEntry
from portal.models.documents import Document
from portal.models.experience import ExperienceCategory, ExperienceEntry
from portal.models.payments import Payment
from portal.models.programmes import Pairing, SupervisionSession
from portal.models.references import ReferenceRequest
from portal.models.supervisors import SupervisorDeclaration
from portal.models.users import User
from portal.workflows.engine import (
    DECIDED,
    TransitionRefused,
    allowed_actions,
    apply_transition,
    machine_of,
    state_of,
)
from portal.workflows.programmes.rules import ProgrammeError
from portal.workflows.refusals import Refused
from portal.workflows.review import operations as review_ops
from portal.workflows.transitions import (
    APPLICANT,
    APPLICATIONS,
    BY_ACTION,
    DOCUMENTS,
    MACHINES,
    MENTEE,
    MENTOR,
    PAIRINGS,
    REFERENCE_REQUESTS,
    SUPERVISION_SESSIONS,
    SYSTEM,
    TRANSITIONS,
    Machine,
    resolve,
)
from tests.factories import applications as data
from tests.factories import programmes as programme_factory
from tests.helpers import make_user

REASON = "A reason given by the actor."
KNOWN_KINDS = {APPLICANT, SYSTEM, Role.REVIEWER.value, Role.ADMIN.value, MENTOR, MENTEE, "coordinator"}

# The guards that must refuse a move allowed by the table, on the subjects built below (an empty CPM
# application, a pairing without signatures). Every other allowed move must succeed.
REFUSED_BY = {
    ("applications", "submit"): {"submit_problems"},
    ("applications", "resubmit"): {"submit_problems"},
    ("applications", "record_payment"): {"fee_paid"},
    ("applications", "approve_first"): {
        "another_approval_needed",
        "fee_paid",
        "references_confirmed",
        "supervisor_confirmed",
    },
    ("applications", "approve"): {"fee_paid", "references_confirmed", "supervisor_confirmed"},
    ("applications", "return"): {"sections_reopened"},
    ("pairings", "activate"): {"both_signed"},
}


# --- the table itself -------------------------------------------------------------------------------------


def test_applications_keep_their_table_under_its_old_names():
    assert APPLICATIONS.transitions is TRANSITIONS
    assert BY_ACTION == APPLICATIONS.by_action


@pytest.mark.parametrize("machine", MACHINES.values(), ids=list(MACHINES))
def test_every_machine_is_data_the_engine_can_apply(machine: Machine):
    model = next(m.class_ for m in db.Model.registry.mappers if m.class_.__tablename__ == machine.table)
    assert hasattr(model, machine.column) and hasattr(model, "id")
    assert len(machine.by_action) == len(machine.transitions)
    for transition in machine.transitions:
        assert transition.sources and transition.actors <= KNOWN_KINDS, transition.action
        assert transition.sources <= set(machine.states) and transition.target in machine.states
        for stamp in transition.stamps:
            assert hasattr(model, stamp), (transition.action, stamp)
        for guard in transition.guards:
            assert callable(resolve(guard.path)), guard.path
        if transition.notify:
            assert machine.notifier, transition.action
    for path in (machine.kinds, machine.notifier):
        assert path is None or callable(resolve(path))
    assert machine.refusal is None or issubclass(resolve(machine.refusal), Refused)


def test_a_subject_finds_its_machine_from_its_type():
    assert machine_of(Application()) is APPLICATIONS
    assert machine_of(Pairing()) is PAIRINGS
    assert machine_of(ReferenceRequest()) is REFERENCE_REQUESTS
    assert machine_of(Document()) is DOCUMENTS
    assert machine_of(SupervisionSession()) is SUPERVISION_SESSIONS
    with pytest.raises(TypeError, match="no state machine"):
        machine_of(User())


# --- subjects in every state ------------------------------------------------------------------------------


@pytest.fixture
def people(app):
    admin = make_user("adm@example.org", Role.ADMIN)
    return {
        "owner": make_user("owner@example.com"),
        "mentee": make_user("mentee@example.com"),
        "stranger": make_user("stranger@example.com"),
        "reviewer": make_user("rev@example.org", Role.REVIEWER),
        "admin": admin,
        "programme": programme_factory.programme(admin),
    }


def _application_in(state: ApplicationState, owner: User, **values) -> Application:
    application = Application(
        applicant=owner,
        credential_code="CPM",
        state=state,
        submitted_at=None if state == ApplicationState.DRAFT else datetime.now(UTC),
        decided_at=datetime.now(UTC) if state in DECIDED else None,
        **values,
    )
    db.session.add(application)
    db.session.flush()
    return application


def _pairing_in(state: PairingState, people: dict) -> Pairing:
    signed = state in (PairingState.ACTIVE, PairingState.COMPLETED)
    now = datetime.now(UTC)
    pairing = Pairing(
        programme=people["programme"],
        mentor=people["owner"],
        mentee=people["mentee"],
        state=state,
        created_by_id=people["mentee"].id,
        mentor_signed_at=now if signed else None,
        mentee_signed_at=now if signed else None,
        completed_at=now if state == PairingState.COMPLETED else None,
    )
    db.session.add(pairing)
    db.session.flush()
    return pairing


def _reference_in(state: ReferenceStatus, people: dict) -> ReferenceRequest:
    application = _application_in(ApplicationState.IN_REVIEW, people["owner"])
    engagement = Engagement(
        application=application,
        mentee_name="Sam Mentee",
        mentee_email="sam@example.net",
        start_date=date(2023, 1, 1),
        setting=EngagementSetting.INTERNAL,
    )
    reference = ReferenceRequest(
        application=application,
        engagement=engagement,
        referee_name="Rita Referee",
        referee_email="rita@example.net",
        referee_relationship="mentee",
        status=state,
        expires_at=datetime.now(UTC) + timedelta(days=10),
        answered_at=datetime.now(UTC) if state.is_answer else None,
    )
    db.session.add(reference)
    db.session.flush()
    return reference


def _document_in(state: DocumentStatus, people: dict) -> Document:
    application = _application_in(ApplicationState.DRAFT, people["owner"])
    document = Document(
        application_id=application.id,
        purpose=DocumentPurpose.CERTIFICATE,
        storage_key=secrets.token_hex(16),
        original_name="certificate.pdf",
        file_type="pdf",
        size_bytes=1,
        sha256="0" * 64,
        status=state,
    )
    db.session.add(document)
    db.session.flush()
    return document


def _session_in(state: SupervisionStatus, people: dict) -> SupervisionSession:
    session = SupervisionSession(
        mentor=people["owner"],
        supervisor_name="Sue Supervisor",
        supervisor_email="sue@example.net",
        held_on=date(2024, 5, 1),
        duration_minutes=60,
        focus=SupervisionFocus.SKILLS,
        status=state,
        expires_at=datetime.now(UTC) + timedelta(days=10),
        answered_at=None
        if state in (SupervisionStatus.PENDING, SupervisionStatus.EXPIRED)
        else datetime.now(UTC),
    )
    db.session.add(session)
    db.session.flush()
    return session


def _declaration_in(state: DeclarationStatus, people: dict) -> SupervisorDeclaration:
    declaration = SupervisorDeclaration(
        application=_application_in(ApplicationState.IN_REVIEW, people["owner"]),
        supervisor_name="Sue Supervisor",
        supervisor_email="sue@example.net",
        status=state,
        expires_at=datetime.now(UTC) + timedelta(days=10),
        answered_at=datetime.now(UTC)
        if state in (DeclarationStatus.CONFIRMED, DeclarationStatus.DECLINED)
        else None,
    )
    db.session.add(declaration)
    db.session.flush()
    return declaration


def _experience_in(state: ExperienceState, people: dict) -> ExperienceEntry:
    pairing = _pairing_in(PairingState.ACTIVE, people)
    category = ExperienceCategory(programme_id=pairing.programme_id, position=1, name="RIC experience")
    db.session.add(category)
    db.session.flush()
    entry = ExperienceEntry(
        pairing_id=pairing.id,
        category_id=category.id,
        started_on=date(2024, 5, 1),
        ended_on=date(2024, 5, 2),
        hours=8,
        description="Site meetings",
        state=state,
        acknowledged_at=datetime.now(UTC) if state == ExperienceState.ACKNOWLEDGED else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


# machine -> (build a subject in a state, the actors tried: table kind (or a stranger) -> person key)
SUBJECTS = {
    "applications": (lambda state, people: _application_in(state, people["owner"]), {}),
    "pairings": (_pairing_in, {MENTOR: "owner", MENTEE: "mentee"}),
    "reference_requests": (_reference_in, {}),
    "documents": (_document_in, {}),
    "supervision_sessions": (_session_in, {}),
    "supervisor_declarations": (_declaration_in, {}),
    "experience_entries": (_experience_in, {MENTOR: "owner", MENTEE: "mentee"}),
}
COMMON_ACTORS = {
    APPLICANT: "owner",
    "stranger": "stranger",
    Role.REVIEWER.value: "reviewer",
    Role.ADMIN.value: "admin",
    SYSTEM: None,
}


def _last_audit(subject) -> AuditEntry:
    return db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject_type == subject.__tablename__, AuditEntry.subject_id == subject.id)
        .order_by(AuditEntry.id.desc())
    ).first()


@pytest.mark.parametrize("table", list(MACHINES))
def test_every_state_and_action_is_allowed_exactly_as_the_table_says(people, table):
    machine = MACHINES[table]
    build, own_actors = SUBJECTS[table]
    # A person counts once, under the kind the table gives them here (the owner of a pairing is its mentor).
    actors = {k: v for k, v in COMMON_ACTORS.items() if v not in own_actors.values()} | own_actors
    for state, transition in product(machine.states, machine.transitions):
        for kind, key in actors.items():
            subject = build(state, people)
            actor = people[key] if key else None
            allowed = state in transition.sources and kind in transition.actors
            expected_refusers = REFUSED_BY.get((table, transition.action), set()) if allowed else set()
            guard_problems = {guard.__name__: guard(subject, actor) for guard in transition.guards if allowed}
            assert {name for name, problems in guard_problems.items() if problems} == expected_refusers, (
                state,
                transition.action,
                kind,
                guard_problems,
            )
            where = (state, transition.action, kind)
            try:
                apply_transition(subject, transition.action, actor, REASON)
            except TransitionRefused as refused:
                assert not allowed or expected_refusers, (*where, refused.problems)
                assert isinstance(refused, Refused)
                if state not in transition.sources:
                    assert refused.problems == [
                        machine.wrong_state.format(
                            noun=machine.noun,
                            state=state.label.lower(),
                            past=transition.past,
                            label=transition.label,
                        )
                    ], where
                elif not allowed:
                    assert refused.problems == [
                        f"You are not allowed to {transition.label.lower()} this {machine.noun}."
                    ], where
                else:  # refused by exactly the guards expected to refuse, in their own words
                    assert refused.problems == [p for problems in guard_problems.values() for p in problems]
                assert state_of(subject) == state
            else:
                assert allowed and not expected_refusers, where
                assert state_of(subject) == transition.target
                entry = _last_audit(subject)
                assert (entry.action, entry.from_state, entry.to_state, entry.reason) == (
                    transition.action,
                    state.value,
                    transition.target.value,
                    REASON,
                )
                for stamp in transition.stamps:
                    assert getattr(subject, stamp) is not None, (*where, stamp)
            db.session.rollback()


# --- guarded moves succeed once their guards hold ---------------------------------------------------------


def _pay(application: Application, admin: User) -> None:
    db.session.add(
        Payment(
            application=application,
            provider="manual",
            method=PaymentMethod.BANK_TRANSFER,
            amount=Decimal("100.00"),
            currency="EUR",
            transaction_reference="TX-1",
            received_on=date(2024, 5, 1),
            recorded_by_id=admin.id,
        )
    )
    db.session.flush()


def test_a_payment_recorded_by_an_admin_starts_the_review(people):
    application = _application_in(ApplicationState.AWAITING_PAYMENT, people["owner"])
    _pay(application, people["admin"])
    apply_transition(application, "record_payment", people["admin"], "Paid by transfer.")
    assert application.state == ApplicationState.IN_REVIEW


def test_an_application_whose_approval_guards_hold_is_approved(people):
    # A renewal needs no references or prerequisite; with its fee paid and no document unsettled, all hold.
    application = _application_in(ApplicationState.IN_REVIEW, people["owner"], kind=ApplicationKind.RENEWAL)
    _pay(application, people["admin"])
    apply_transition(application, "approve", people["reviewer"])
    assert application.state == ApplicationState.APPROVED
    assert application.decided_at is not None


def test_an_application_with_sections_chosen_is_returned(people):
    application = _application_in(ApplicationState.IN_REVIEW, people["owner"])
    application.reopened_sections = ["about"]
    apply_transition(application, "return", people["reviewer"], "Please correct your name.")
    assert application.state == ApplicationState.RETURNED


def test_a_complete_application_is_submitted_by_its_applicant(applicant_client, applicant, tmp_path):
    application_id = data.start_application(applicant_client)
    data.fill_application(applicant_client, application_id, tmp_path)
    application = db.session.get(Application, application_id)
    apply_transition(application, "submit", applicant)
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at is not None


def test_a_pairing_signed_by_both_starts(people):
    pairing = _pairing_in(PairingState.AGREEING, people)
    with pytest.raises(TransitionRefused, match="Both of you sign the agreement"):
        apply_transition(pairing, "activate", None)
    pairing.mentor_signed_at = pairing.mentee_signed_at = datetime.now(UTC)
    pairing.term_start, pairing.term_end = date(2025, 1, 1), date(2025, 12, 31)
    apply_transition(pairing, "activate", None)
    assert pairing.state == PairingState.ACTIVE


# --- conflict of interest is a guard on every reviewer move ----------------------------------------------


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("approve", ApplicationState.IN_REVIEW),
        ("return", ApplicationState.IN_REVIEW),
        ("reject", ApplicationState.IN_REVIEW),
        ("resume_review", ApplicationState.RESUBMITTED),
        ("record_payment", ApplicationState.AWAITING_PAYMENT),
        ("request_information", ApplicationState.IN_REVIEW),
        ("close_question", ApplicationState.INFORMATION_REQUESTED),
    ],
)
def test_a_conflicted_reviewer_or_admin_is_refused_with_the_conflict(people, action, state):
    application = _application_in(state, people["owner"], supervisor_email="REV@example.org ")
    admin_application = _application_in(state, people["owner"], supervisor_email="adm@example.org")
    if action == "record_payment":
        _pay(application, people["admin"])
        _pay(admin_application, people["admin"])
    for person, subject in ((people["reviewer"], application), (people["admin"], admin_application)):
        if action == "record_payment" and person.role == Role.REVIEWER:
            continue  # not a reviewer's move at all
        subject.reopened_sections = ["about"]
        sentence = (
            f"{person.full_name} appears on {subject.reference} as the supervisor, so cannot review it."
        )
        with pytest.raises(TransitionRefused) as refused:
            apply_transition(subject, action, person, REASON)
        assert refused.value.problems[0] == sentence
        assert subject.state == state
    # The portal itself is never conflicted.
    if SYSTEM in BY_ACTION[action].actors:
        apply_transition(application, action, None)
        assert application.state == BY_ACTION[action].target


def test_the_review_operations_refuse_a_conflicted_reviewer(people):
    reviewer = people["reviewer"]
    application = _application_in(
        ApplicationState.IN_REVIEW, people["owner"], supervisor_email=reviewer.email
    )
    sentence = (
        f"{reviewer.full_name} appears on {application.reference} as the supervisor, so cannot review it."
    )
    for attempt in (
        lambda: review_ops.approve(application, reviewer),
        lambda: review_ops.return_for_changes(application, reviewer, ["about"], REASON),
        lambda: review_ops.reject(application, reviewer, REASON),
    ):
        with pytest.raises(TransitionRefused) as refused:
            attempt()
        assert refused.value.problems[0] == sentence
    assert application.state == ApplicationState.IN_REVIEW


def test_assigning_a_conflicted_reviewer_is_still_refused(people):
    reviewer = people["reviewer"]
    application = _application_in(
        ApplicationState.IN_REVIEW, people["owner"], supervisor_email=reviewer.email
    )
    with pytest.raises(review_ops.AssignmentRefused, match="as the supervisor, so cannot review it"):
        review_ops.assign(application, reviewer, people["admin"])


# --- refusals in words, and races ------------------------------------------------------------------------


def test_a_reason_is_required_to_return_or_reject(people):
    reviewer = people["reviewer"]
    for action in ("return", "reject"):
        application = _application_in(ApplicationState.IN_REVIEW, people["owner"])
        with pytest.raises(TransitionRefused, match="Give a reason"):
            apply_transition(application, action, reviewer, "   ")
        db.session.rollback()


def test_an_illegal_move_says_why_in_words(people):
    application = _application_in(ApplicationState.APPROVED, people["owner"])
    with pytest.raises(TransitionRefused, match="An application that is approved cannot be withdrawn."):
        apply_transition(application, "withdraw", people["owner"])


def test_of_two_reviewers_deciding_at_once_only_one_succeeds(people):
    application = _application_in(ApplicationState.IN_REVIEW, people["owner"])
    db.session.commit()
    # The second reviewer's copy still believes the application is in review.
    db.session.execute(
        update(Application)
        .where(Application.id == application.id)
        .values(state=ApplicationState.REJECTED, decided_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(TransitionRefused, match="Someone else changed this application"):
        apply_transition(application, "reject", people["reviewer"], "Not enough evidence.")


def test_a_pairing_refusal_is_also_the_programmes_refusal(people):
    pairing = _pairing_in(PairingState.REQUESTED, people)
    db.session.commit()
    db.session.execute(
        update(Pairing)
        .where(Pairing.id == pairing.id)
        .values(state=PairingState.WITHDRAWN)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(ProgrammeError, match="Someone changed this pairing a moment ago") as refused:
        apply_transition(pairing, "accept", people["owner"])
    assert isinstance(refused.value, TransitionRefused)
    db.session.rollback()
    withdrawn = _pairing_in(PairingState.WITHDRAWN, people)
    with pytest.raises(ProgrammeError, match="This pairing is withdrawn: that cannot be done now."):
        apply_transition(withdrawn, "decline", people["owner"])


def test_allowed_actions_follow_who_is_acting(people):
    pairing = _pairing_in(PairingState.REQUESTED, people)
    assert {t.action for t in allowed_actions(pairing, people["owner"])} == {"accept", "decline", "withdraw"}
    assert {t.action for t in allowed_actions(pairing, people["mentee"])} == {"withdraw"}
    assert allowed_actions(pairing, people["stranger"]) == []
    application = _application_in(ApplicationState.IN_REVIEW, people["owner"])
    assert {t.action for t in allowed_actions(application, people["reviewer"])} == {
        "approve_first",
        "approve",
        "return",
        "reject",
        "request_information",
    }
