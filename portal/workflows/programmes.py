"""Mentoring programme operations: programmes, the mentor directory, pairings and their agreement, meetings,
checkpoints and reminders, evaluations, the hand-over to credential applications, and supervision sessions.

Operations flush, never commit; they raise :class:`ProgrammeError` with a sentence a person can read.
Every state change is audited. The rules on plain data live in ``programme_rules``.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update

from portal.db import db, utcnow
from portal.documents.programmes import AgreementDocument, CalendarEvent
from portal.models.applications import Application, Engagement, EngagementSetting
from portal.models.programmes import (ConflictDeclaration, Evaluation, Goal, GoalNote, GoalProgress, Meeting,
                                      MeetingMode, MentorProfile, PairCheckpoint, Pairing, PairingRole,
                                      PairingState, Programme, ProgrammeCheckpoint, SupervisionSession,
                                      SupervisionStatus)
from portal.models.users import Role, User
from portal.notifications import send_email
from portal.workflows import programme_rules as rules
from portal.workflows.audit import SYSTEM_LABEL, TimelineEntry, record, timeline
from portal.workflows.wizard import can_edit

S = PairingState


class ProgrammeError(Exception):
    """The operation is not allowed now; the message says why."""


class ProblemsFound(ProgrammeError):
    """Submitted data breaks a rule; ``problems`` maps a form field's name to its message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def today() -> date:
    return utcnow().date()


def is_coordinator(user: User) -> bool:
    """Coordinators run the programmes: the portal's administrators."""
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


# Programmes ---------------------------------------------------------------------------------------------

PROGRAMME_FIELDS = ("name", "description", "term_months", "minimum_meetings_per_year",
                    "recommended_meetings_min", "recommended_meetings_max", "face_to_face_per_year",
                    "confidentiality_terms", "is_open")


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


def _programme_problems(data: dict[str, Any]) -> dict[str, str]:
    problems = {}
    if data["recommended_meetings_max"] < data["recommended_meetings_min"]:
        problems["recommended_meetings_max"] = "The recommended range must run from the lower number up."
    if data["minimum_meetings_per_year"] > data["recommended_meetings_max"]:
        problems["minimum_meetings_per_year"] = "The minimum cannot be above the recommended meetings."
    outside = [month for month, _, _ in data["checkpoints"] if not 0 < month <= data["term_months"]]
    if outside:
        problems["checkpoints"] = (f"Checkpoint months must fall inside the {data['term_months']}-month term "
                                   f"(not {', '.join(map(str, outside))}).")
    return problems


def save_programme(data: dict[str, Any], actor: User, programme: Programme | None = None) -> Programme:
    """Create a programme, or change ``programme``; ``data['checkpoints']`` lists (month, title, text)."""
    if problems := _programme_problems(data):
        raise ProblemsFound(problems)
    created = programme is None
    if programme is None:
        programme = Programme(coordinator=actor)
        db.session.add(programme)
    for name in PROGRAMME_FIELDS:
        setattr(programme, name, data[name])
    programme.checkpoints = [ProgrammeCheckpoint(month=month, title=title, description=text)
                             for month, title, text in sorted(data["checkpoints"])]
    db.session.flush()
    record(actor, programme, "create_programme" if created else "update_programme",
           to_state="open" if programme.is_open else "closed")
    return programme


def programmes(open_only: bool = False) -> list[Programme]:
    query = select(Programme).order_by(Programme.name)
    if open_only:
        query = query.where(Programme.is_open.is_(True))
    return list(db.session.scalars(query))


# The mentor directory -----------------------------------------------------------------------------------

PROFILE_FIELDS = ("expertise", "sector", "region", "bio", "capacity", "is_published")


def save_profile(user: User, data: dict[str, Any]) -> MentorProfile:
    profile = profile_of(user)
    created = profile is None
    if profile is None:
        profile = MentorProfile(user=user)
        db.session.add(profile)
    for name in PROFILE_FIELDS:
        setattr(profile, name, data[name])
    db.session.flush()
    record(user, profile, "create_profile" if created else "update_profile",
           to_state="published" if profile.is_published else "hidden")
    return profile


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
        from portal.models.credentials import IssuedCredential as Issued

        query = select(Issued.holder_id, Issued.credential_code).where(
            Issued.holder_id.in_(user_ids), Issued.revoked_at.is_(None), Issued.expires_on >= today())
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
    query = select(MentorProfile).join(MentorProfile.user).where(MentorProfile.is_published.is_(True),
                                                                  User.is_active_account.is_(True))
    if exclude is not None:
        query = query.where(MentorProfile.user_id != exclude.id)
    if filters.sector:
        query = query.where(MentorProfile.sector == filters.sector)
    if filters.region:
        query = query.where(MentorProfile.region == filters.region)
    for word in filters.text.split()[:8]:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(or_(MentorProfile.expertise.ilike(pattern), MentorProfile.bio.ilike(pattern),
                                User.full_name.ilike(pattern)))
    profiles = list(db.session.scalars(query.order_by(User.full_name).limit(200)))
    user_ids = [profile.user_id for profile in profiles]
    counts = _open_pairing_counts(user_ids) if user_ids else {}
    held = credentials_held(user_ids) if user_ids else {}
    listings = [MentorListing(p, max(p.capacity - counts.get(p.user_id, 0), 0), held.get(p.user_id, []))
                for p in profiles]
    if filters.available_only:
        listings = [listing for listing in listings if listing.places_left]
    return sorted(listings, key=lambda listing: listing.places_left == 0)


def directory_choices() -> tuple[list[str], list[str]]:
    """The sectors and regions published profiles use, for the directory's filters."""
    published = MentorProfile.is_published.is_(True)
    sectors = db.session.scalars(select(MentorProfile.sector).where(published).distinct().order_by(
        MentorProfile.sector))
    regions = db.session.scalars(select(MentorProfile.region).where(published).distinct().order_by(
        MentorProfile.region))
    return list(sectors), list(regions)


# Pairings: the moves ------------------------------------------------------------------------------------

# action -> (states it may start from, the state it leads to). Who may take it is checked by the operation.
MOVES: dict[str, tuple[frozenset[PairingState], PairingState]] = {
    "accept": (frozenset({S.REQUESTED}), S.DECLARING),
    "decline": (frozenset({S.REQUESTED}), S.DECLINED),
    "withdraw": (frozenset({S.REQUESTED, S.DECLARING, S.AGREEING}), S.WITHDRAWN),
    "block": (frozenset({S.DECLARING}), S.BLOCKED),
    "clear": (frozenset({S.DECLARING}), S.AGREEING),
    "activate": (frozenset({S.AGREEING}), S.ACTIVE),
    "complete": (frozenset({S.ACTIVE}), S.COMPLETED),
}


def _move(pairing: Pairing, action: str, actor: User | None, reason: str | None = None,
          **values: Any) -> None:
    """Move ``pairing`` by ``action`` with a conditional UPDATE: of two people acting at once, one wins."""
    sources, target = MOVES[action]
    source = PairingState(pairing.state)
    if source not in sources:
        raise ProgrammeError(f"This pairing is {source.label.lower()}: that cannot be done now.")
    db.session.flush()
    result = db.session.execute(
        update(Pairing).where(Pairing.id == pairing.id, Pairing.state == source)
        .values(state=target, **values).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ProgrammeError("Someone changed this pairing a moment ago. Reload the page and try again.")
    db.session.refresh(pairing)
    record(actor, pairing, action, source.value, target.value, reason)


def _require_role(pairing: Pairing, actor: User, *roles: PairingRole) -> PairingRole:
    role = pairing.role_of(actor)
    if role is None or (roles and role not in roles):
        raise ProgrammeError("Only the members of this pairing can do that." if not roles else
                             f"Only the {roles[0].value} can do that.")
    return role


def _notify_pair(pairing: Pairing, template: str, **context: Any) -> None:
    for user in (pairing.mentor, pairing.mentee):
        _notify(user, template, pairing, **context)


def _notify(user: User, template: str, pairing: Pairing, **context: Any) -> None:
    send_email(template, user.email, related=pairing, person=user, pairing=pairing, **context)


def coordinators_of(programme: Programme) -> list[User]:
    coordinator = programme.coordinator
    if coordinator is not None and coordinator.is_active_account:
        return [coordinator]
    admins = select(User).where(User.role == Role.ADMIN, User.is_active_account.is_(True))
    return list(db.session.scalars(admins))


def _check_can_pair(programme: Programme, mentor: User, mentee: User) -> None:
    if mentor.id == mentee.id:
        raise ProgrammeError("A mentor cannot be their own protégé.")
    existing = db.session.scalar(
        select(Pairing.id).where(Pairing.programme_id == programme.id, Pairing.mentor_id == mentor.id,
                                 Pairing.mentee_id == mentee.id,
                                 Pairing.state.in_([S.REQUESTED, *[s for s in S if s.is_open]])).limit(1)
    )
    if existing is not None:
        raise ProgrammeError(f"{mentor.full_name} and {mentee.full_name} are already paired, or asked to be, "
                             "in this programme.")
    profile = profile_of(mentor)
    if profile is not None and places_left(profile) == 0:
        raise ProgrammeError(f"{mentor.full_name} has no places left for protégés.")


def request_mentor(mentee: User, profile: MentorProfile, programme: Programme,
                   message: str | None) -> Pairing:
    """A protégé asks a mentor from the directory; the mentor accepts or declines."""
    if not profile.is_published:
        raise ProgrammeError("This mentor is not taking requests.")
    if not programme.is_open:
        raise ProgrammeError("This programme is not taking new pairs.")
    _check_can_pair(programme, profile.user, mentee)
    pairing = Pairing(programme=programme, mentor=profile.user, mentee=mentee, state=S.REQUESTED,
                      created_by_id=mentee.id, request_message=message or None)
    db.session.add(pairing)
    db.session.flush()
    record(mentee, pairing, "request", to_state=S.REQUESTED.value)
    _notify(profile.user, "mentor_requested", pairing)
    return pairing


def accept_request(pairing: Pairing, actor: User) -> None:
    _require_role(pairing, actor, PairingRole.MENTOR)
    profile = profile_of(actor)
    if profile is not None and places_left(profile) == 0:
        raise ProgrammeError("You have no places left. Raise your capacity in your profile to accept.")
    _move(pairing, "accept", actor, matched_at=utcnow())
    _notify(pairing.mentee, "mentor_request_answered", pairing, accepted=True)


def decline_request(pairing: Pairing, actor: User, reason: str | None) -> None:
    _require_role(pairing, actor, PairingRole.MENTOR)
    _move(pairing, "decline", actor, reason or None, decline_reason=reason or None)
    _notify(pairing.mentee, "mentor_request_answered", pairing, accepted=False)


def withdraw(pairing: Pairing, actor: User, reason: str | None) -> None:
    """Either member ends a pairing before its agreement is signed."""
    _require_role(pairing, actor)
    _move(pairing, "withdraw", actor, reason or None)
    _notify(pairing.partner_of(actor), "pairing_withdrawn", pairing, actor=actor)


def pair_by_email(coordinator: User, programme: Programme, mentor_email: str, mentee_email: str) -> Pairing:
    from portal.workflows.accounts import find_user

    mentor, mentee = find_user(mentor_email), find_user(mentee_email)
    problems = {}
    if mentor is None or not mentor.is_active_account:
        problems["mentor_email"] = "There is no account with this email address."
    if mentee is None or not mentee.is_active_account:
        problems["mentee_email"] = "There is no account with this email address."
    if problems:
        raise ProblemsFound(problems)
    return pair_people(coordinator, programme, mentor, mentee)


def pair_people(coordinator: User, programme: Programme, mentor: User, mentee: User) -> Pairing:
    """A coordinator pairs two people; both still declare their conflicts of interest."""
    if not is_coordinator(coordinator):
        raise ProgrammeError("Only a coordinator can pair people.")
    _check_can_pair(programme, mentor, mentee)
    pairing = Pairing(programme=programme, mentor=mentor, mentee=mentee, state=S.DECLARING,
                      created_by_id=coordinator.id, matched_at=utcnow())
    db.session.add(pairing)
    db.session.flush()
    record(coordinator, pairing, "pair", to_state=S.DECLARING.value)
    _notify_pair(pairing, "pairing_proposed")
    return pairing


# Conflicts of interest ----------------------------------------------------------------------------------

CONFLICT_LABELS = {
    "is_manager_or_subordinate": "manager and subordinate",
    "is_direct_competitor": "direct competitors",
    "is_same_reporting_line": "in the same reporting line",
}


def declaration_of(pairing: Pairing, user: User) -> ConflictDeclaration | None:
    return next((d for d in pairing.declarations if d.user_id == user.id), None)


def declare_conflicts(pairing: Pairing, actor: User, data: dict[str, Any]) -> ConflictDeclaration:
    """Record the member's declaration. A conflict blocks the pairing and tells the coordinator; two clear
    declarations open the agreement."""
    _require_role(pairing, actor)
    if pairing.state != S.DECLARING:
        raise ProgrammeError("Conflicts of interest are declared before the agreement, once.")
    if declaration_of(pairing, actor) is not None:
        raise ProgrammeError("You have already made your declaration.")
    declaration = ConflictDeclaration(pairing=pairing, user=actor, details=data.get("details") or None,
                                      **{name: bool(data[name]) for name in CONFLICT_LABELS})
    db.session.add(declaration)
    db.session.flush()
    record(actor, pairing, "declare",
           reason="conflict declared" if declaration.has_conflict else "no conflict")
    if declaration.has_conflict:
        conflicts = [label for name, label in CONFLICT_LABELS.items() if getattr(declaration, name)]
        _move(pairing, "block", actor, "Conflict of interest declared: " + ", ".join(conflicts))
        for coordinator in coordinators_of(pairing.programme):
            send_email("conflict_declared", coordinator.email, related=pairing, person=coordinator,
                       pairing=pairing, declarant=actor, conflicts=conflicts, details=declaration.details)
    elif len(pairing.declarations) == 2 and not any(d.has_conflict for d in pairing.declarations):
        _move(pairing, "clear", None, confidentiality_terms=pairing.programme.confidentiality_terms)
        _notify_pair(pairing, "agreement_ready")
    return declaration


# The agreement ------------------------------------------------------------------------------------------

def save_agreement(pairing: Pairing, actor: User, term_start: date | None,
                   goals: Sequence[rules.GoalInput]) -> None:
    """Set the term and the SMART goals. A change withdraws any signature already given."""
    _require_role(pairing, actor)
    if pairing.state != S.AGREEING:
        raise ProgrammeError("The agreement can only be changed before both of you have signed it.")
    settings = rules.defaults()
    end = rules.term_end(term_start, pairing.programme.term_months) if term_start else None
    if problems := rules.agreement_problems(term_start, end, goals, settings.goals_required):
        raise ProblemsFound(problems)
    signed = pairing.mentor_signed_at or pairing.mentee_signed_at
    pairing.term_start, pairing.term_end = term_start, end
    pairing.mentor_signed_at = pairing.mentor_signed_name = None
    pairing.mentee_signed_at = pairing.mentee_signed_name = None
    existing = {goal.position: goal for goal in pairing.goals}
    for position, given in enumerate(goals[:settings.goals_required], start=1):
        goal = existing.get(position) or Goal(pairing=pairing, position=position)
        goal.description, goal.metric, goal.deadline = given.description, given.metric, given.deadline
        if goal.id is None:
            db.session.add(goal)
    db.session.flush()
    record(actor, pairing, "write_agreement", reason="signatures withdrawn by the change" if signed else None)


def sign_agreement(pairing: Pairing, actor: User, typed_name: str) -> None:
    """A named, timestamped acceptance; the second signature starts the programme's schedule."""
    role = _require_role(pairing, actor)
    if pairing.state != S.AGREEING:
        raise ProgrammeError("This agreement cannot be signed now.")
    if pairing.term_start is None or len(pairing.goals) < rules.defaults().goals_required:
        raise ProgrammeError("Agree the term and the goals before signing.")
    if pairing.has_signed(role):
        raise ProgrammeError("You have already signed this agreement.")
    if not rules.names_match(typed_name, actor.full_name):
        raise ProblemsFound({"full_name": f"Type your name as your account has it: {actor.full_name}."})
    now = utcnow()
    if role == PairingRole.MENTOR:
        pairing.mentor_signed_name, pairing.mentor_signed_at = typed_name, now
    else:
        pairing.mentee_signed_name, pairing.mentee_signed_at = typed_name, now
    db.session.flush()
    signed_as = "mentor" if role == PairingRole.MENTOR else "protégé"
    record(actor, pairing, "sign", reason=f"Signed as {signed_as} by {typed_name}")
    if pairing.is_signed:
        _move(pairing, "activate", None)
        for checkpoint in pairing.programme.checkpoints:
            db.session.add(PairCheckpoint(pairing=pairing, month=checkpoint.month, title=checkpoint.title,
                                          description=checkpoint.description,
                                          due_on=rules.checkpoint_due(pairing.term_start, checkpoint.month)))
        db.session.flush()
        _notify_pair(pairing, "agreement_signed")


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
        signatures=[(role, name, when) for role, name, when in (
            ("Mentor", pairing.mentor_signed_name, pairing.mentor_signed_at),
            ("Protégé", pairing.mentee_signed_name, pairing.mentee_signed_at)) if when is not None],
        reference=f"Pairing {pairing.id}",
    )


def meeting_terms(programme: Programme) -> str:
    return (f"Meetings may be in person, by telephone or by video; face-to-face contact at least "
            f"{programme.face_to_face_per_year} time(s) a year. Meetings occur at least "
            f"{programme.minimum_meetings_per_year} times a year, with "
            f"{programme.recommended_meetings_min} to {programme.recommended_meetings_max} recommended.")


# Meetings, checkpoints and goals ------------------------------------------------------------------------

MEETING_FIELDS = ("held_on", "starts_at", "mode", "duration_minutes", "notes")


def _require_active(pairing: Pairing) -> None:
    if pairing.state != S.ACTIVE:
        raise ProgrammeError("This can be done while the pairing is active.")


def log_meeting(pairing: Pairing, actor: User, data: dict[str, Any]) -> Meeting:
    """Record a meeting held, or one planned (a date still to come), inside the term."""
    _require_role(pairing, actor)
    _require_active(pairing)
    if not pairing.term_start <= data["held_on"] <= pairing.term_end:
        raise ProblemsFound({"held_on": f"The date must fall inside the term, between "
                                        f"{pairing.term_start:%d %B %Y} and {pairing.term_end:%d %B %Y}."})
    meeting = Meeting(pairing=pairing, logged_by=actor, **{name: data.get(name) for name in MEETING_FIELDS})
    db.session.add(meeting)
    db.session.flush()
    record(actor, pairing, "log_meeting",
           reason=f"{MeetingMode(meeting.mode).label}, {meeting.held_on:%d %B %Y}")
    return meeting


def complete_checkpoint(pairing: Pairing, checkpoint: PairCheckpoint, actor: User) -> None:
    _require_role(pairing, actor)
    _require_active(pairing)
    if checkpoint.completed_on is not None:
        return
    checkpoint.completed_on, checkpoint.completed_by_id = today(), actor.id
    db.session.flush()
    record(actor, pairing, "complete_checkpoint", reason=f"Month {checkpoint.month}: {checkpoint.title}")


def add_goal_note(pairing: Pairing, goal: Goal, actor: User, progress: GoalProgress, note: str) -> GoalNote:
    _require_role(pairing, actor)
    if pairing.state not in (S.ACTIVE, S.COMPLETED):
        raise ProgrammeError("Progress is noted once the agreement is signed.")
    entry = GoalNote(goal=goal, author=actor, progress=progress, note=note)
    db.session.add(entry)
    db.session.flush()
    record(actor, pairing, "note_goal", reason=f"Goal {goal.position}: {GoalProgress(progress).label}")
    return entry


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
    checkpoints = [CheckpointView(c, rules.checkpoint_progress(c.due_on, c.completed_on, on, days))
                   for c in pairing.checkpoints]
    programme = pairing.programme
    expectations = rules.meeting_expectations(
        [rules.MeetingRecord(m.held_on, m.mode == MeetingMode.IN_PERSON) for m in pairing.meetings],
        pairing.term_start, pairing.term_end, programme.term_months,
        rules.MeetingExpectations(programme.minimum_meetings_per_year, programme.recommended_meetings_min,
                                  programme.recommended_meetings_max, programme.face_to_face_per_year), on)
    ended = term_has_ended(pairing, on)
    return PairOverview(checkpoints, expectations, ended, ended and pairing.state == S.ACTIVE)


def term_has_ended(pairing: Pairing, on: date | None = None) -> bool:
    """The term is over on its last day: evaluations and the mentee's confirmation open then."""
    return pairing.term_end is not None and (on or today()) >= pairing.term_end


def calendar_events(pairing: Pairing, meeting: Meeting | None = None) -> list[CalendarEvent]:
    """A meeting as an invitation from the member who logged it to the other, or the pair's checkpoints."""
    title = f"{pairing.programme.name}: {pairing.mentor.full_name} and {pairing.mentee.full_name}"
    if meeting is not None:
        organizer = meeting.logged_by or pairing.mentor
        partner = pairing.partner_of(organizer)
        return [CalendarEvent(uid=f"meeting-{meeting.id}", summary=f"Mentoring meeting – {title}",
                              description=f"{meeting.mode.label}, {meeting.duration_minutes} minutes.",
                              day=meeting.held_on, starts_at=meeting.starts_at,
                              duration=timedelta(minutes=meeting.duration_minutes), stamp=meeting.created_at,
                              organizer=(organizer.full_name, organizer.email),
                              attendees=[(partner.full_name, partner.email)])]
    return [CalendarEvent(uid=f"checkpoint-{c.id}", summary=f"Checkpoint, month {c.month}: {c.title}",
                          description=f"{c.description}\n{title}", day=c.due_on,
                          stamp=pairing.mentee_signed_at or pairing.mentor_signed_at or utcnow())
            for c in pairing.checkpoints]


# Reminders ----------------------------------------------------------------------------------------------

def send_checkpoint_reminders(on: date | None = None) -> int:
    """Email both members of each active pair about a checkpoint coming up, once per checkpoint.

    Each claim is a conditional UPDATE, so two sweeps at once (a redelivered message) send one reminder.
    Returns how many checkpoints were reminded about.
    """
    on = on or today()
    days = rules.defaults().reminder_days_before
    candidates = db.session.scalars(
        select(PairCheckpoint).join(PairCheckpoint.pairing)
        .where(Pairing.state == S.ACTIVE, PairCheckpoint.completed_on.is_(None),
               PairCheckpoint.reminder_sent_at.is_(None), PairCheckpoint.due_on >= on,
               PairCheckpoint.due_on <= on + timedelta(days=days))
        .order_by(PairCheckpoint.due_on, PairCheckpoint.id)
    ).all()
    sent = 0
    for checkpoint in candidates:
        if not rules.reminder_due(checkpoint.due_on, on, days):
            continue
        claimed = db.session.execute(
            update(PairCheckpoint)
            .where(PairCheckpoint.id == checkpoint.id, PairCheckpoint.reminder_sent_at.is_(None))
            .values(reminder_sent_at=utcnow()).execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        pairing = checkpoint.pairing
        _notify_pair(pairing, "checkpoint_reminder", checkpoint=checkpoint)
        record(None, pairing, "remind_checkpoint", reason=f"Month {checkpoint.month}: {checkpoint.title}")
        sent += 1
    db.session.flush()
    return sent


# Evaluations and completion -----------------------------------------------------------------------------

def evaluation_of(pairing: Pairing, user: User) -> Evaluation | None:
    return next((e for e in pairing.evaluations if e.author_id == user.id), None)


def submit_evaluation(pairing: Pairing, actor: User, ratings: dict[str, int], about_partner: str,
                      about_programme: str) -> Evaluation:
    role = _require_role(pairing, actor)
    _require_active(pairing)
    if not term_has_ended(pairing):
        raise ProgrammeError(f"The final evaluation opens on {pairing.term_end:%d %B %Y}, "
                             "the term's last day.")
    if evaluation_of(pairing, actor) is not None:
        raise ProgrammeError("You have already submitted your evaluation.")
    keys = {question.key for question in rules.defaults().questions}
    evaluation = Evaluation(pairing=pairing, author=actor, role=role,
                            ratings={key: int(value) for key, value in ratings.items() if key in keys},
                            about_partner=about_partner or "", about_programme=about_programme or "")
    db.session.add(evaluation)
    db.session.flush()
    record(actor, pairing, "evaluate", reason=f"Final evaluation by the {role.value}")
    _complete_if_ready(pairing)
    return evaluation


def visible_evaluations(pairing: Pairing, viewer: User) -> tuple[Evaluation | None, Evaluation | None]:
    """The viewer's own evaluation, and their partner's once both are in: neither sees the other's earlier."""
    own = evaluation_of(pairing, viewer)
    partner = evaluation_of(pairing, pairing.partner_of(viewer))
    return own, (partner if own is not None and partner is not None else None)


def confirm_engagement(pairing: Pairing, actor: User) -> None:
    """The mentee confirms the mentoring took place, which lets it count toward the mentor's credential."""
    _require_role(pairing, actor, PairingRole.MENTEE)
    _require_active(pairing)
    if not term_has_ended(pairing):
        raise ProgrammeError(f"You can confirm the engagement from {pairing.term_end:%d %B %Y}, "
                             "the term's last day.")
    if pairing.mentee_confirmed_at is None:
        pairing.mentee_confirmed_at = utcnow()
        db.session.flush()
        record(actor, pairing, "confirm_engagement")
    _complete_if_ready(pairing)


def _complete_if_ready(pairing: Pairing) -> None:
    if (pairing.state == S.ACTIVE and term_has_ended(pairing) and pairing.mentee_confirmed_at is not None
            and {e.author_id for e in pairing.evaluations} >= {pairing.mentor_id, pairing.mentee_id}):
        _move(pairing, "complete", None, completed_at=utcnow())


def propose_renewal(pairing: Pairing, actor: User) -> Pairing | None:
    """Renewal is by mutual agreement: the first member proposes, the second's agreement starts a new term
    (a new pairing, with fresh declarations and agreement). Returns the new pairing once both agree."""
    _require_role(pairing, actor)
    if pairing.state not in (S.ACTIVE, S.COMPLETED) or not term_has_ended(pairing):
        raise ProgrammeError("A pairing can be renewed once its term has ended.")
    renewal = select(Pairing.id).where(Pairing.renewed_from_id == pairing.id).limit(1)
    if db.session.scalar(renewal) is not None:
        raise ProgrammeError("This pairing has already been renewed.")
    proposer = pairing.renewal_proposed_by_id
    if proposer is None or proposer == actor.id:
        pairing.renewal_proposed_by_id = actor.id
        db.session.flush()
        record(actor, pairing, "propose_renewal")
        return None
    renewed = Pairing(programme=pairing.programme, mentor=pairing.mentor, mentee=pairing.mentee,
                      state=S.DECLARING, created_by_id=actor.id, matched_at=utcnow(),
                      renewed_from_id=pairing.id)
    db.session.add(renewed)
    db.session.flush()
    record(actor, pairing, "agree_renewal", reason=f"Renewed as pairing {renewed.id}")
    record(actor, renewed, "renew", to_state=S.DECLARING.value, reason=f"Renewal of pairing {pairing.id}")
    return renewed


ACTION_LABELS = {
    "request": "Mentor requested",
    "pair": "Paired by the coordinator",
    "renew": "Renewed for a new term",
    "accept": "Request accepted",
    "decline": "Request declined",
    "withdraw": "Pairing withdrawn",
    "declare": "Conflicts of interest declared",
    "block": "Stopped by a conflict of interest",
    "clear": "No conflicts of interest: agreement next",
    "write_agreement": "Agreement written",
    "sign": "Agreement signed",
    "activate": "Agreement in force",
    "log_meeting": "Meeting logged",
    "complete_checkpoint": "Checkpoint done",
    "note_goal": "Goal progress noted",
    "remind_checkpoint": "Checkpoint reminder sent",
    "evaluate": "Final evaluation submitted",
    "confirm_engagement": "Engagement confirmed by the protégé",
    "complete": "Completed",
    "propose_renewal": "Renewal proposed",
    "agree_renewal": "Renewal agreed",
}


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
        entries.append(TimelineEntry(entry.created_at, who, label, entry.from_state, entry.to_state,
                                     entry.reason))
    return entries


# Pairings for people and coordinators -------------------------------------------------------------------

def pairings_of(user: User) -> list[Pairing]:
    return list(db.session.scalars(
        select(Pairing).where(or_(Pairing.mentor_id == user.id, Pairing.mentee_id == user.id))
        .order_by(Pairing.created_at.desc(), Pairing.id.desc())
    ))


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
    last_meeting = dict(db.session.execute(
        select(Meeting.pairing_id, func.max(Meeting.held_on))
        .where(Meeting.pairing_id.in_(ids), Meeting.held_on <= on).group_by(Meeting.pairing_id)).all())
    overdue = dict(db.session.execute(
        select(PairCheckpoint.pairing_id, func.count())
        .where(PairCheckpoint.pairing_id.in_(ids), PairCheckpoint.completed_on.is_(None),
               PairCheckpoint.due_on < on).group_by(PairCheckpoint.pairing_id)).all())
    goals = dict(db.session.execute(
        select(Goal.pairing_id, func.count()).where(Goal.pairing_id.in_(ids))
        .group_by(Goal.pairing_id)).all())
    at_risk = []
    for pairing in pairings:
        # Goals written but not yet signed are not agreed.
        agreed_goals = goals.get(pairing.id, 0) if pairing.state == S.ACTIVE else 0
        facts = rules.PairFacts(
            matched_on=(pairing.matched_at or pairing.created_at).date(),
            term_start=pairing.term_start if pairing.state == S.ACTIVE else None,
            last_meeting_on=last_meeting.get(pairing.id), goals=agreed_goals,
            overdue_checkpoints=overdue.get(pairing.id, 0))
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
    evaluations = list(db.session.scalars(
        select(Evaluation).join(Evaluation.pairing).where(Pairing.programme_id == programme.id)))
    ratings = [e.ratings or {} for e in evaluations]
    # Sorted, so the order says nothing about who wrote what or when.
    comments = sorted(e.about_programme.strip() for e in evaluations if e.about_programme.strip())
    counts = dict(db.session.execute(
        select(Pairing.state, func.count()).where(Pairing.programme_id == programme.id)
        .group_by(Pairing.state)
    ).all())
    scale = len(settings.scale)
    return ProgrammeResults(
        programme=programme, responses=len(evaluations), minimum=settings.results_minimum_responses,
        partner=rules.question_results(ratings, settings.questions_about("partner"), scale),
        programme_questions=rules.question_results(ratings, settings.questions_about("programme"), scale),
        comments=comments, counts={PairingState(state).label: n for state, n in counts.items()})


# Evidence for credential applications --------------------------------------------------------------------

def importable_pairings(application: Application) -> list[Pairing]:
    """The applicant's completed pairings as a mentor not yet in ``application``."""
    imported = select(Engagement.pairing_id).where(Engagement.application_id == application.id,
                                                   Engagement.pairing_id.is_not(None))
    return list(db.session.scalars(
        select(Pairing).where(Pairing.mentor_id == application.applicant_id, Pairing.state == S.COMPLETED,
                              Pairing.id.not_in(imported)).order_by(Pairing.term_start)
    ))


def import_pairings(application: Application, actor: User) -> list[Engagement]:
    """Add each completed pairing to the application as a pre-verified engagement: no referee is emailed."""
    if actor.id != application.applicant_id:
        raise ProgrammeError("Only the applicant can add engagements to this application.")
    if not can_edit(application, "engagements"):
        raise ProgrammeError("This part of the application can no longer be changed.")
    engagements = []
    for pairing in importable_pairings(application):
        engagement = Engagement(application=application, pairing_id=pairing.id,
                                mentee_name=pairing.mentee.full_name, mentee_email=pairing.mentee.email,
                                start_date=pairing.term_start, end_date=pairing.term_end,
                                setting=EngagementSetting.EXTERNAL)
        db.session.add(engagement)
        engagements.append(engagement)
    db.session.flush()
    for engagement in engagements:
        record(actor, application, "import_engagement", reason=f"Pairing {engagement.pairing_id} "
                                                              f"with {engagement.mentee_name}")
    return engagements


# Supervision sessions -----------------------------------------------------------------------------------

SUPERVISION_FIELDS = ("supervisor_name", "supervisor_email", "held_on", "duration_minutes", "focus")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def log_supervision_session(mentor: User, data: dict[str, Any]) -> SupervisionSession:
    """Record a session and email the supervisor a single-use link to confirm it."""
    if data["supervisor_email"].strip().lower() == mentor.email.lower():
        raise ProblemsFound({"supervisor_email": "Your supervisor confirms the session: give their address, "
                                                 "not yours."})
    token = secrets.token_urlsafe(32)
    session = SupervisionSession(mentor=mentor, token_hash=_hash(token),
                                 expires_at=utcnow() + timedelta(days=rules.defaults().supervision_link_days),
                                 **{name: data[name] for name in SUPERVISION_FIELDS})
    db.session.add(session)
    db.session.flush()
    record(mentor, session, "log_supervision", to_state=SupervisionStatus.PENDING.value)
    send_email("supervision_confirmation", session.supervisor_email, related=session, session=session,
               token=token, days=rules.defaults().supervision_link_days)
    return session


def supervision_sessions_of(user: User) -> list[SupervisionSession]:
    return list(db.session.scalars(
        select(SupervisionSession).where(SupervisionSession.mentor_id == user.id)
        .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())))


def session_for_token(token: str) -> SupervisionSession | None:
    """The pending, unexpired session this link confirms; None once answered or expired."""
    session = db.session.scalar(
        select(SupervisionSession).where(SupervisionSession.token_hash == _hash(token)))
    if session is None or session.status != SupervisionStatus.PENDING or session.expires_at <= utcnow():
        return None
    return session


def answer_supervision_session(session: SupervisionSession, confirmed: bool) -> None:
    """The supervisor's answer; the link works once."""
    target = SupervisionStatus.CONFIRMED if confirmed else SupervisionStatus.DECLINED
    result = db.session.execute(
        update(SupervisionSession)
        .where(SupervisionSession.id == session.id, SupervisionSession.status == SupervisionStatus.PENDING)
        .values(status=target, answered_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise ProgrammeError("This session has already been answered.")
    db.session.refresh(session)
    record(None, session, "confirm_supervision" if confirmed else "decline_supervision",
           SupervisionStatus.PENDING.value, target.value, reason=f"Answered by {session.supervisor_email}")


def confirmed_supervision_sessions(user: User, since: date, until: date) -> int:
    """Supervision sessions held from ``since`` to ``until`` (inclusive) and confirmed by the supervisor:
    what counts toward a credential's renewal."""
    return db.session.scalar(
        select(func.count()).select_from(SupervisionSession).where(
            SupervisionSession.mentor_id == user.id, SupervisionSession.status == SupervisionStatus.CONFIRMED,
            SupervisionSession.held_on >= since, SupervisionSession.held_on <= until)
    ) or 0

