"""Mentoring programme operations: programmes, the mentor directory, pairings and their agreement, meetings,
checkpoints and reminders, evaluations, the hand-over to credential applications, and supervision sessions.

Operations flush, never commit; they raise :class:`ProgrammeError` with a sentence a person can read.
Every state change is audited. The rules on plain data live in ``programme_rules``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from portal.agreements import AgreementDocument, CalendarEvent
from portal.db import db, utcnow
from portal.enums import GoalProgress, LinkKind, MeetingMode, PairingState, Role, SupervisionStatus
from portal.models.credentials import IssuedCredential as Issued
from portal.models.programmes import (
    ConflictDeclaration,
    Evaluation,
    Goal,
    Meeting,
    MentorProfile,
    PairCheckpoint,
    Pairing,
    Programme,
    SupervisionSession,
)
from portal.models.users import User
from portal.workflows.audit import SYSTEM_LABEL, TimelineEntry, timeline
from portal.workflows.external_requests.queries import request_for_token as find_request
from portal.workflows.external_requests.rules import FREE_MAIL_DOMAINS, LinkState, link_state
from portal.workflows.programmes import rules
from portal.workflows.programmes.rules import ACTION_LABELS, S, today


def is_coordinator(user: User) -> bool:
    """Coordinators run the programmes: the portal's administrators."""
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def programme_defaults() -> dict[str, Any]:
    """A new programme's values, from ``programmes.toml``."""
    settings = rules.defaults()
    return {
        "term_months": settings.term_months,
        "minimum_meetings_per_year": settings.meetings.minimum_per_year,
        "recommended_meetings_min": settings.meetings.recommended_min_per_year,
        "recommended_meetings_max": settings.meetings.recommended_max_per_year,
        "face_to_face_per_year": settings.meetings.face_to_face_per_year,
        "confidentiality_terms": settings.confidentiality,
        "is_open": True,
        "checkpoints": [(c.month, c.title, c.description) for c in settings.checkpoints],
    }


def programmes(open_only: bool = False) -> list[Programme]:
    query = select(Programme).order_by(Programme.name)
    if open_only:
        query = query.where(Programme.is_open.is_(True))
    return list(db.session.scalars(query))


def profile_of(user: User) -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user.id))


def _open_pairing_counts(mentor_ids: Sequence[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(Pairing.mentor_id, func.count())
        .where(Pairing.mentor_id.in_(mentor_ids), Pairing.state.in_([s for s in S if s.is_open]))
        .group_by(Pairing.mentor_id)
    )
    return dict(rows.all())


def places_left(profile: MentorProfile) -> int:
    return max(profile.capacity - _open_pairing_counts([profile.user_id]).get(profile.user_id, 0), 0)


def credentials_held(user_ids: Sequence[int]) -> dict[int, list[str]]:
    """The valid credentials each user holds through the portal, by code."""
    # A soft lookup: the directory works the same whether or not this portal issues credentials.
    try:
        query = select(Issued.holder_id, Issued.credential_code).where(
            Issued.holder_id.in_(user_ids), Issued.revoked_at.is_(None), Issued.expires_on >= today()
        )
    except (ImportError, AttributeError):
        return {}
    held: dict[int, set[str]] = {}
    for user_id, code in db.session.execute(query):
        held.setdefault(user_id, set()).add(code)
    return {user_id: sorted(codes) for user_id, codes in held.items()}


@dataclass(frozen=True)
class MentorListing:
    profile: MentorProfile
    places_left: int
    credentials: list[str]


@dataclass(frozen=True)
class DirectoryFilters:
    text: str = ""
    sector: str = ""
    region: str = ""
    available_only: bool = False


def search_mentors(filters: DirectoryFilters, exclude: User | None = None) -> list[MentorListing]:
    """Published mentor profiles matching the filters, those with places first."""
    query = (
        select(MentorProfile)
        .join(MentorProfile.user)
        .where(MentorProfile.is_published.is_(True), User.is_active_account.is_(True))
    )
    if exclude is not None:
        query = query.where(MentorProfile.user_id != exclude.id)
    if filters.sector:
        query = query.where(MentorProfile.sector == filters.sector)
    if filters.region:
        query = query.where(MentorProfile.region == filters.region)
    for word in filters.text.split()[:8]:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(
                MentorProfile.expertise.ilike(pattern),
                MentorProfile.bio.ilike(pattern),
                User.full_name.ilike(pattern),
            )
        )
    profiles = list(db.session.scalars(query.order_by(User.full_name).limit(200)))
    user_ids = [profile.user_id for profile in profiles]
    counts = _open_pairing_counts(user_ids) if user_ids else {}
    held = credentials_held(user_ids) if user_ids else {}
    listings = [
        MentorListing(p, max(p.capacity - counts.get(p.user_id, 0), 0), held.get(p.user_id, []))
        for p in profiles
    ]
    if filters.available_only:
        listings = [listing for listing in listings if listing.places_left]
    return sorted(listings, key=lambda listing: listing.places_left == 0)


def directory_choices() -> tuple[list[str], list[str]]:
    """The sectors and regions published profiles use, for the directory's filters."""
    published = MentorProfile.is_published.is_(True)
    sectors = db.session.scalars(
        select(MentorProfile.sector).where(published).distinct().order_by(MentorProfile.sector)
    )
    regions = db.session.scalars(
        select(MentorProfile.region).where(published).distinct().order_by(MentorProfile.region)
    )
    return list(sectors), list(regions)


def pairing_kinds(pairing: Pairing, actor: User) -> set[str]:
    """What ``actor`` counts as for ``pairing`` in the transition table: its mentor, its mentee, a coordinator."""
    kinds = set()
    role = pairing.role_of(actor)
    if role is not None:
        kinds.add(role.value)  # "mentor" or "mentee", as the table names them
    if is_coordinator(actor):
        kinds.add("coordinator")
    return kinds


def has_places(pairing: Pairing, actor: User | None) -> list[str]:
    """The accept guard: the mentor still has a place for another protégé."""
    profile = profile_of(pairing.mentor)
    if profile is not None and places_left(profile) == 0:
        return ["You have no places left. Raise your capacity in your profile to accept."]
    return []


def coordinators_of(programme: Programme) -> list[User]:
    coordinator = programme.coordinator
    if coordinator is not None and coordinator.is_active_account:
        return [coordinator]
    admins = select(User).where(User.role == Role.ADMIN, User.is_active_account.is_(True))
    return list(db.session.scalars(admins))


def declaration_of(pairing: Pairing, user: User) -> ConflictDeclaration | None:
    return next((d for d in pairing.declarations if d.user_id == user.id), None)


def agreement_document(pairing: Pairing) -> AgreementDocument:
    """The agreement as plain data, for the DOCX."""
    return AgreementDocument(
        programme=pairing.programme.name,
        mentor=pairing.mentor.full_name,
        mentee=pairing.mentee.full_name,
        term_start=pairing.term_start,
        term_end=pairing.term_end,
        confidentiality=pairing.confidentiality_terms or pairing.programme.confidentiality_terms,
        goals=[(goal.description, goal.metric, goal.deadline) for goal in pairing.goals],
        meetings=meeting_terms(pairing.programme),
        signatures=[
            (role, name, when)
            for role, name, when in (
                ("Mentor", pairing.mentor_signed_name, pairing.mentor_signed_at),
                ("Protégé", pairing.mentee_signed_name, pairing.mentee_signed_at),
            )
            if when is not None
        ],
        reference=f"Pairing {pairing.id}",
    )


def meeting_terms(programme: Programme) -> str:
    return (
        f"Meetings may be in person, by telephone or by video; face-to-face contact at least "
        f"{programme.face_to_face_per_year} time(s) a year. Meetings occur at least "
        f"{programme.minimum_meetings_per_year} times a year, with "
        f"{programme.recommended_meetings_min} to {programme.recommended_meetings_max} recommended."
    )


def latest_progress(goal: Goal) -> GoalProgress:
    return goal.notes[-1].progress if goal.notes else GoalProgress.NOT_STARTED


@dataclass(frozen=True)
class CheckpointView:
    checkpoint: PairCheckpoint
    progress: rules.Progress


@dataclass(frozen=True)
class PairOverview:
    """What the pair's page shows as due, done and overdue."""

    checkpoints: list[CheckpointView] = field(default_factory=list)
    expectations: list[rules.Expectation] = field(default_factory=list)
    term_ended: bool = False
    evaluations_open: bool = False

    @property
    def counts(self) -> dict[str, int]:
        items = [c.progress for c in self.checkpoints] + [e.progress for e in self.expectations]
        return {progress.value: items.count(progress) for progress in rules.Progress}


def overview(pairing: Pairing, on: date | None = None) -> PairOverview:
    on = on or today()
    if pairing.term_start is None or pairing.state not in (S.ACTIVE, S.COMPLETED):
        return PairOverview()
    days = rules.defaults().reminder_days_before
    checkpoints = [
        CheckpointView(c, rules.checkpoint_progress(c.due_on, c.completed_on, on, days))
        for c in pairing.checkpoints
    ]
    programme = pairing.programme
    expectations = rules.meeting_expectations(
        [rules.MeetingRecord(m.held_on, m.mode == MeetingMode.IN_PERSON) for m in pairing.meetings],
        pairing.term_start,
        pairing.term_end,
        programme.term_months,
        rules.MeetingExpectations(
            programme.minimum_meetings_per_year,
            programme.recommended_meetings_min,
            programme.recommended_meetings_max,
            programme.face_to_face_per_year,
        ),
        on,
    )
    ended = term_has_ended(pairing, on)
    return PairOverview(checkpoints, expectations, ended, ended and pairing.state == S.ACTIVE)


def evidence_of(pairing: Pairing) -> rules.PairingEvidence:
    """The meetings logged during the term and the checkpoints met, against the programme's minimum."""
    start, end = pairing.term_start, pairing.term_end
    meetings = sum(
        1
        for meeting in pairing.meetings
        if start is not None and end is not None and start <= meeting.held_on <= end
    )
    return rules.PairingEvidence(
        term_start=start,
        term_end=end,
        meetings=meetings,
        meetings_required=rules.expected_count(
            rules.defaults().meetings.minimum_per_year, pairing.programme.term_months
        ),
        checkpoints_done=sum(1 for checkpoint in pairing.checkpoints if checkpoint.completed_on is not None),
        checkpoints=len(pairing.checkpoints),
        completed=pairing.state == S.COMPLETED,
        party_ids=(pairing.mentor_id, pairing.mentee_id),
    )


def flags_of(pairing: Pairing) -> list[str]:
    """Signs that the mentor and the mentee may be one person, for the coordinator."""

    def person(user: User) -> rules.Person:
        return rules.Person(
            user.email,
            user.created_at,
            user.last_login_ip,
            user.last_login_user_agent,
            signup_address=user.signup_address_digest,
            signup_device=user.signup_device_digest,
        )

    return rules.pairing_flags(person(pairing.mentor), person(pairing.mentee), FREE_MAIL_DOMAINS)


def term_has_ended(pairing: Pairing, on: date | None = None) -> bool:
    """The term is over on its last day: evaluations and the mentee's confirmation open then."""
    return pairing.term_end is not None and (on or today()) >= pairing.term_end


def calendar_events(pairing: Pairing, meeting: Meeting | None = None) -> list[CalendarEvent]:
    """A meeting as an invitation from the member who logged it to the other, or the pair's checkpoints."""
    title = f"{pairing.programme.name}: {pairing.mentor.full_name} and {pairing.mentee.full_name}"
    if meeting is not None:
        organizer = meeting.logged_by or pairing.mentor
        partner = pairing.partner_of(organizer)
        return [
            CalendarEvent(
                uid=f"meeting-{meeting.id}",
                summary=f"Mentoring meeting – {title}",
                description=f"{meeting.mode.label}, {meeting.duration_minutes} minutes.",
                day=meeting.held_on,
                starts_at=meeting.starts_at,
                duration=timedelta(minutes=meeting.duration_minutes),
                stamp=meeting.created_at,
                organizer=(organizer.full_name, organizer.email),
                attendees=[(partner.full_name, partner.email)],
            )
        ]
    return [
        CalendarEvent(
            uid=f"checkpoint-{c.id}",
            summary=f"Checkpoint, month {c.month}: {c.title}",
            description=f"{c.description}\n{title}",
            day=c.due_on,
            stamp=pairing.mentee_signed_at or pairing.mentor_signed_at or utcnow(),
        )
        for c in pairing.checkpoints
    ]


def evaluation_of(pairing: Pairing, user: User) -> Evaluation | None:
    return next((e for e in pairing.evaluations if e.author_id == user.id), None)


def visible_evaluations(pairing: Pairing, viewer: User) -> tuple[Evaluation | None, Evaluation | None]:
    """The viewer's own evaluation, and their partner's once both are in: neither sees the other's earlier."""
    own = evaluation_of(pairing, viewer)
    partner = evaluation_of(pairing, pairing.partner_of(viewer))
    return own, (partner if own is not None and partner is not None else None)


def pairing_timeline(pairing: Pairing, viewer: User | None = None) -> list[TimelineEntry]:
    """What happened to the pairing; the viewer appears as "You", a coordinator as the coordinator."""
    entries = []
    for entry in timeline(pairing):
        if viewer is not None and entry.actor_id == viewer.id:
            who = "You"
        elif entry.actor_id in (pairing.mentor_id, pairing.mentee_id):
            who = (pairing.mentor if entry.actor_id == pairing.mentor_id else pairing.mentee).full_name
        elif entry.actor_id is None:
            who = SYSTEM_LABEL
        else:
            who = "The coordinator"
        label = ACTION_LABELS.get(entry.action, entry.action.replace("_", " ").capitalize())
        entries.append(
            TimelineEntry(entry.created_at, who, label, entry.from_state, entry.to_state, entry.reason)
        )
    return entries


def pairings_of(user: User) -> list[Pairing]:
    return list(
        db.session.scalars(
            select(Pairing)
            .where(or_(Pairing.mentor_id == user.id, Pairing.mentee_id == user.id))
            .order_by(Pairing.created_at.desc(), Pairing.id.desc())
        )
    )


@dataclass(frozen=True)
class PairAtRisk:
    pairing: Pairing
    reasons: list[str]


def pairs_at_risk(on: date | None = None, programme: Programme | None = None) -> list[PairAtRisk]:
    """Forming and active pairs needing attention: no meeting in 90 days, a checkpoint overdue, no goals by
    month 3. Reads no meeting notes."""
    on = on or today()
    query = select(Pairing).where(Pairing.state.in_([S.DECLARING, S.AGREEING, S.ACTIVE]))
    if programme is not None:
        query = query.where(Pairing.programme_id == programme.id)
    pairings = list(db.session.scalars(query.order_by(Pairing.id)))
    if not pairings:
        return []
    ids = [p.id for p in pairings]
    last_meeting = dict(
        db.session.execute(
            select(Meeting.pairing_id, func.max(Meeting.held_on))
            .where(Meeting.pairing_id.in_(ids), Meeting.held_on <= on)
            .group_by(Meeting.pairing_id)
        ).all()
    )
    overdue = dict(
        db.session.execute(
            select(PairCheckpoint.pairing_id, func.count())
            .where(
                PairCheckpoint.pairing_id.in_(ids),
                PairCheckpoint.completed_on.is_(None),
                PairCheckpoint.due_on < on,
            )
            .group_by(PairCheckpoint.pairing_id)
        ).all()
    )
    goals = dict(
        db.session.execute(
            select(Goal.pairing_id, func.count()).where(Goal.pairing_id.in_(ids)).group_by(Goal.pairing_id)
        ).all()
    )
    at_risk = []
    for pairing in pairings:
        # Goals written but not yet signed are not agreed.
        agreed_goals = goals.get(pairing.id, 0) if pairing.state == S.ACTIVE else 0
        facts = rules.PairFacts(
            matched_on=(pairing.matched_at or pairing.created_at).date(),
            term_start=pairing.term_start if pairing.state == S.ACTIVE else None,
            last_meeting_on=last_meeting.get(pairing.id),
            goals=agreed_goals,
            overdue_checkpoints=overdue.get(pairing.id, 0),
        )
        if reasons := rules.risks(facts, on):
            at_risk.append(PairAtRisk(pairing, reasons))
    return at_risk


@dataclass(frozen=True)
class ProgrammeResults:
    """A programme's evaluations with nothing that names a person or a pair."""

    programme: Programme
    responses: int
    minimum: int
    partner: list[rules.QuestionResult]
    programme_questions: list[rules.QuestionResult]
    comments: list[str]
    counts: dict[str, int]

    @property
    def is_shown(self) -> bool:
        return self.responses >= self.minimum


def programme_results(programme: Programme) -> ProgrammeResults:
    settings = rules.defaults()
    evaluations = list(
        db.session.scalars(
            select(Evaluation).join(Evaluation.pairing).where(Pairing.programme_id == programme.id)
        )
    )
    ratings = [e.ratings or {} for e in evaluations]
    # Sorted, so the order says nothing about who wrote what or when.
    comments = sorted(e.about_programme.strip() for e in evaluations if e.about_programme.strip())
    counts = dict(
        db.session.execute(
            select(Pairing.state, func.count())
            .where(Pairing.programme_id == programme.id)
            .group_by(Pairing.state)
        ).all()
    )
    scale = len(settings.scale)
    return ProgrammeResults(
        programme=programme,
        responses=len(evaluations),
        minimum=settings.results_minimum_responses,
        partner=rules.question_results(ratings, settings.questions_about("partner"), scale),
        programme_questions=rules.question_results(ratings, settings.questions_about("programme"), scale),
        comments=comments,
        counts={PairingState(state).label: n for state, n in counts.items()},
    )


def supervision_sessions_of(user: User) -> list[SupervisionSession]:
    return list(
        db.session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.mentor_id == user.id)
            .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())
        )
    )


def session_for_token(token: str) -> SupervisionSession | None:
    """The pending, unexpired session this link confirms; None once answered or expired."""
    session = find_request(LinkKind.SUPERVISION_SESSION, SupervisionSession, token)
    state = link_state(
        found=session is not None,
        usable=True,
        answered=False,
        waiting=session is not None and session.status == SupervisionStatus.PENDING,
        expires_at=session.expires_at if session is not None else None,
    )
    return session if state == LinkState.OPEN else None


def confirmed_supervision_sessions(user: User, since: date, until: date) -> int:
    """Supervision sessions held from ``since`` to ``until`` (inclusive) and confirmed by the supervisor:
    what counts toward a credential's renewal."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(SupervisionSession)
            .where(
                SupervisionSession.mentor_id == user.id,
                SupervisionSession.status == SupervisionStatus.CONFIRMED,
                SupervisionSession.held_on >= since,
                SupervisionSession.held_on <= until,
            )
        )
        or 0
    )
