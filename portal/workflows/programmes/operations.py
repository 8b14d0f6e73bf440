"""Mentoring programme operations: programmes, the mentor directory, pairings and their agreement, meetings,
checkpoints and reminders, evaluations, the hand-over to credential applications, and supervision sessions.

Operations flush, never commit; they raise :class:`ProgrammeError` with a sentence a person can read.
Every state change is audited. The rules on plain data live in ``programme_rules``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from portal.dates import day
from portal.db import db, utcnow
from portal.enums import GoalProgress, LinkKind, MeetingMode, PairingRole, SupervisionStatus
from portal.models.programmes import (
    ConflictDeclaration,
    Evaluation,
    Goal,
    GoalNote,
    Meeting,
    MentorProfile,
    PairCheckpoint,
    Pairing,
    Programme,
    ProgrammeCheckpoint,
    SupervisionSession,
)
from portal.models.users import User
from portal.notifications import send_email
from portal.workflows.accounts.queries import find_user
from portal.workflows.audit import record
from portal.workflows.engine import apply_transition
from portal.workflows.external_requests.operations import LinkRequests, issue_link, register
from portal.workflows.programmes import rules
from portal.workflows.programmes.guidance.operations import acknowledge_guide
from portal.workflows.programmes.queries import (
    coordinators_of,
    declaration_of,
    evaluation_of,
    evidence_of,
    flags_of,
    is_coordinator,
    places_left,
    profile_of,
    term_has_ended,
)
from portal.workflows.programmes.rules import (
    CONFLICT_LABELS,
    MEETING_FIELDS,
    PROFILE_FIELDS,
    PROGRAMME_FIELDS,
    SUPERVISION_FIELDS,
    ProblemsFound,
    ProgrammeError,
    S,
    _programme_problems,
    today,
)
from portal.workflows.transitions import Transition


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
    programme.checkpoints = [
        ProgrammeCheckpoint(month=month, title=title, description=text)
        for month, title, text in sorted(data["checkpoints"])
    ]
    db.session.flush()
    record(
        actor,
        programme,
        "create_programme" if created else "update_programme",
        to_state="open" if programme.is_open else "closed",
    )
    return programme


def save_profile(user: User, data: dict[str, Any]) -> MentorProfile:
    profile = profile_of(user)
    created = profile is None
    if profile is None:
        profile = MentorProfile(user=user)
        db.session.add(profile)
    for name in PROFILE_FIELDS:
        setattr(profile, name, data[name])
    db.session.flush()
    record(
        user,
        profile,
        "create_profile" if created else "update_profile",
        to_state="published" if profile.is_published else "hidden",
    )
    return profile


def _require_role(pairing: Pairing, actor: User, *roles: PairingRole) -> PairingRole:
    role = pairing.role_of(actor)
    if role is None or (roles and role not in roles):
        raise ProgrammeError(
            "Only the members of this pairing can do that."
            if not roles
            else f"Only the {roles[0].value} can do that."
        )
    return role


def notify_pairing(pairing: Pairing, transition: Transition, actor: User | None, reason: str | None) -> None:
    """The pairings machine's notifier: who hears of each move the transition table says to tell."""
    template = transition.notify
    if template == "mentor_request_answered":
        _notify(pairing.mentee, template, pairing, accepted=transition.action == "accept")
    elif template == "pairing_withdrawn":
        _notify(pairing.partner_of(actor), template, pairing, actor=actor)
    elif template == "conflict_declared":
        declaration = declaration_of(pairing, actor)
        for coordinator in coordinators_of(pairing.programme):
            send_email(
                template,
                coordinator.email,
                related=pairing,
                person=coordinator,
                pairing=pairing,
                declarant=actor,
                conflicts=_declared_conflicts(declaration) if declaration else [],
                details=declaration.details if declaration else None,
            )
    else:
        _notify_pair(pairing, template)


def _declared_conflicts(declaration: ConflictDeclaration) -> list[str]:
    return [label for name, label in CONFLICT_LABELS.items() if getattr(declaration, name)]


def _notify_pair(pairing: Pairing, template: str, **context: Any) -> None:
    for user in (pairing.mentor, pairing.mentee):
        _notify(user, template, pairing, **context)


def _notify(user: User, template: str, pairing: Pairing, **context: Any) -> None:
    send_email(template, user.email, related=pairing, person=user, pairing=pairing, **context)


def _check_can_pair(programme: Programme, mentor: User, mentee: User) -> None:
    if mentor.id == mentee.id:
        raise ProgrammeError("A mentor cannot be their own protégé.")
    existing = db.session.scalar(
        select(Pairing.id)
        .where(
            Pairing.programme_id == programme.id,
            Pairing.mentor_id == mentor.id,
            Pairing.mentee_id == mentee.id,
            Pairing.state.in_([S.REQUESTED, *[s for s in S if s.is_open]]),
        )
        .limit(1)
    )
    if existing is not None:
        raise ProgrammeError(
            f"{mentor.full_name} and {mentee.full_name} are already paired, or asked to be, "
            "in this programme."
        )
    profile = profile_of(mentor)
    if profile is not None and places_left(profile) == 0:
        raise ProgrammeError(f"{mentor.full_name} has no places left for protégés.")


def request_mentor(
    mentee: User, profile: MentorProfile, programme: Programme, message: str | None
) -> Pairing:
    """A protégé asks a mentor from the directory; the mentor accepts or declines."""
    if not profile.is_published:
        raise ProgrammeError("This mentor is not taking requests.")
    if not programme.is_open:
        raise ProgrammeError("This programme is not taking new pairs.")
    _check_can_pair(programme, profile.user, mentee)
    pairing = Pairing(
        programme=programme,
        mentor=profile.user,
        mentee=mentee,
        state=S.REQUESTED,
        created_by_id=mentee.id,
        request_message=message or None,
    )
    db.session.add(pairing)
    db.session.flush()
    record(mentee, pairing, "request", to_state=S.REQUESTED.value)
    acknowledge_guide(programme, mentee)  # the request form asks for it
    _notify(profile.user, "mentor_requested", pairing)
    return pairing


def accept_request(pairing: Pairing, actor: User) -> None:
    _require_role(pairing, actor, PairingRole.MENTOR)
    apply_transition(pairing, "accept", actor)


def decline_request(pairing: Pairing, actor: User, reason: str | None) -> None:
    _require_role(pairing, actor, PairingRole.MENTOR)
    apply_transition(pairing, "decline", actor, reason or None, decline_reason=reason or None)


def withdraw(pairing: Pairing, actor: User, reason: str | None) -> None:
    """Either member ends a pairing before its agreement is signed."""
    _require_role(pairing, actor)
    apply_transition(pairing, "withdraw", actor, reason or None)


def pair_by_email(coordinator: User, programme: Programme, mentor_email: str, mentee_email: str) -> Pairing:

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
    pairing = Pairing(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        state=S.DECLARING,
        created_by_id=coordinator.id,
        matched_at=utcnow(),
    )
    db.session.add(pairing)
    db.session.flush()
    record(coordinator, pairing, "pair", to_state=S.DECLARING.value)
    _notify_pair(pairing, "pairing_proposed")
    return pairing


def declare_conflicts(pairing: Pairing, actor: User, data: dict[str, Any]) -> ConflictDeclaration:
    """Record the member's declaration. A conflict blocks the pairing and tells the coordinator; two clear
    declarations open the agreement."""
    _require_role(pairing, actor)
    if pairing.state != S.DECLARING:
        raise ProgrammeError("Conflicts of interest are declared before the agreement, once.")
    if declaration_of(pairing, actor) is not None:
        raise ProgrammeError("You have already made your declaration.")
    declaration = ConflictDeclaration(
        pairing=pairing,
        user=actor,
        details=data.get("details") or None,
        **{name: bool(data[name]) for name in CONFLICT_LABELS},
    )
    db.session.add(declaration)
    db.session.flush()
    record(
        actor, pairing, "declare", reason="conflict declared" if declaration.has_conflict else "no conflict"
    )
    if declaration.has_conflict:
        conflicts = ", ".join(_declared_conflicts(declaration))
        apply_transition(pairing, "block", actor, "Conflict of interest declared: " + conflicts)
    elif len(pairing.declarations) == 2 and not any(d.has_conflict for d in pairing.declarations):
        apply_transition(
            pairing, "clear", None, confidentiality_terms=pairing.programme.confidentiality_terms
        )
    return declaration


def save_agreement(
    pairing: Pairing, actor: User, term_start: date | None, goals: Sequence[rules.GoalInput]
) -> None:
    """Set the term and the SMART goals. A change withdraws any signature already given."""
    _require_role(pairing, actor)
    if pairing.state != S.AGREEING:
        raise ProgrammeError("The agreement can only be changed before both of you have signed it.")
    settings = rules.defaults()
    end = rules.term_end(term_start, pairing.programme.term_months) if term_start else None
    problems = rules.agreement_problems(term_start, end, goals, settings.goals_required)
    if term_start is not None and "term_start" not in problems:
        accepted_on = pairing.matched_at.date() if pairing.matched_at else None
        if problem := rules.term_start_problem(
            term_start, accepted_on, rules.today(), _grace_days(), pairing.early_start_from
        ):
            problems["term_start"] = problem
    if problems:
        raise ProblemsFound(problems)
    signed = pairing.mentor_signed_at or pairing.mentee_signed_at
    pairing.term_start, pairing.term_end = term_start, end
    pairing.mentor_signed_at = pairing.mentor_signed_name = None
    pairing.mentee_signed_at = pairing.mentee_signed_name = None
    existing = {goal.position: goal for goal in pairing.goals}
    for position, given in enumerate(goals[: settings.goals_required], start=1):
        goal = existing.get(position) or Goal(pairing=pairing, position=position)
        goal.description, goal.metric, goal.deadline = given.description, given.metric, given.deadline
        if goal.id is None:
            db.session.add(goal)
    db.session.flush()
    record(actor, pairing, "write_agreement", reason="signatures withdrawn by the change" if signed else None)


def _grace_days() -> int:
    return int(current_app.config["PROGRAMME_TERM_START_GRACE_DAYS"])


def allow_early_start(pairing: Pairing, coordinator: User, earliest: date, reason: str) -> None:
    """A coordinator, not a party to it, lets this one agreement's term start further in the past than the
    grace (never before the pairing was accepted), with a written reason kept on its record and shown to
    reviewers beside the pairing's evidence. Flushes, never commits."""
    if not is_coordinator(coordinator):
        raise ProgrammeError("Only a coordinator can allow an earlier start.")
    if coordinator.id in (pairing.mentor_id, pairing.mentee_id):
        raise ProgrammeError("You are a party to this pairing: another coordinator must decide.")
    if pairing.state not in (S.DECLARING, S.AGREEING):
        raise ProgrammeError("An earlier start can be allowed only before both have signed the agreement.")
    accepted_on = pairing.matched_at.date() if pairing.matched_at else None
    if problem := rules.early_start_problem(earliest, accepted_on, rules.today(), _grace_days()):
        raise ProblemsFound({"earliest": problem})
    pairing.early_start_from, pairing.early_start_reason = earliest, reason.strip()
    pairing.early_start_by_id, pairing.early_start_at = coordinator.id, utcnow()
    db.session.flush()
    record(coordinator, pairing, "allow_early_start", reason=f"From {day(earliest)}: {reason.strip()}")


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
    acknowledge_guide(pairing.programme, actor)  # the signature's box says the guide was read
    if pairing.is_signed:
        # The schedule is written first, so the email that the move sends can show it.
        for checkpoint in pairing.programme.checkpoints:
            db.session.add(
                PairCheckpoint(
                    pairing=pairing,
                    month=checkpoint.month,
                    title=checkpoint.title,
                    description=checkpoint.description,
                    due_on=rules.checkpoint_due(pairing.term_start, checkpoint.month),
                )
            )
        apply_transition(pairing, "activate", None)


def _require_active(pairing: Pairing) -> None:
    if pairing.state != S.ACTIVE:
        raise ProgrammeError("This can be done while the pairing is active.")


def log_meeting(pairing: Pairing, actor: User, data: dict[str, Any]) -> Meeting:
    """Record a meeting held, or one planned (a date still to come), inside the term."""
    _require_role(pairing, actor)
    _require_active(pairing)
    if not pairing.term_start <= data["held_on"] <= pairing.term_end:
        raise ProblemsFound(
            {
                "held_on": f"The date must fall inside the term, between "
                f"{day(pairing.term_start)} and {day(pairing.term_end)}."
            }
        )
    meeting = Meeting(pairing=pairing, logged_by=actor, **{name: data.get(name) for name in MEETING_FIELDS})
    db.session.add(meeting)
    db.session.flush()
    record(actor, pairing, "log_meeting", reason=f"{MeetingMode(meeting.mode).label}, {day(meeting.held_on)}")
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


def send_checkpoint_reminders(on: date | None = None) -> int:
    """Email both members of each active pair about a checkpoint coming up, once per checkpoint.

    Each claim is a conditional UPDATE, so two sweeps at once (a redelivered message) send one reminder.
    Returns how many checkpoints were reminded about.
    """
    on = on or today()
    days = rules.defaults().reminder_days_before
    candidates = db.session.scalars(
        select(PairCheckpoint)
        .join(PairCheckpoint.pairing)
        .where(
            Pairing.state == S.ACTIVE,
            PairCheckpoint.completed_on.is_(None),
            PairCheckpoint.reminder_sent_at.is_(None),
            PairCheckpoint.due_on >= on,
            PairCheckpoint.due_on <= on + timedelta(days=days),
        )
        .order_by(PairCheckpoint.due_on, PairCheckpoint.id)
    ).all()
    sent = 0
    for checkpoint in candidates:
        if not rules.reminder_due(checkpoint.due_on, on, days):
            continue
        claimed = db.session.execute(
            update(PairCheckpoint)
            .where(PairCheckpoint.id == checkpoint.id, PairCheckpoint.reminder_sent_at.is_(None))
            .values(reminder_sent_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        pairing = checkpoint.pairing
        _notify_pair(pairing, "checkpoint_reminder", checkpoint=checkpoint)
        record(None, pairing, "remind_checkpoint", reason=f"Month {checkpoint.month}: {checkpoint.title}")
        sent += 1
    db.session.flush()
    return sent


def submit_evaluation(
    pairing: Pairing, actor: User, ratings: dict[str, int], about_partner: str, about_programme: str
) -> Evaluation:
    role = _require_role(pairing, actor)
    _require_active(pairing)
    if not term_has_ended(pairing):
        raise ProgrammeError(f"The final evaluation opens on {day(pairing.term_end)}, the term's last day.")
    if evaluation_of(pairing, actor) is not None:
        raise ProgrammeError("You have already submitted your evaluation.")
    keys = {question.key for question in rules.defaults().questions}
    evaluation = Evaluation(
        pairing=pairing,
        author=actor,
        role=role,
        ratings={key: int(value) for key, value in ratings.items() if key in keys},
        about_partner=about_partner or "",
        about_programme=about_programme or "",
    )
    db.session.add(evaluation)
    db.session.flush()
    record(actor, pairing, "evaluate", reason=f"Final evaluation by the {role.value}")
    _complete_if_ready(pairing)
    return evaluation


def confirm_engagement(pairing: Pairing, actor: User) -> None:
    """The mentee confirms the mentoring took place, which lets it count toward the mentor's credential."""
    _require_role(pairing, actor, PairingRole.MENTEE)
    _require_active(pairing)
    if not term_has_ended(pairing):
        raise ProgrammeError(
            f"You can confirm the engagement from {day(pairing.term_end)}, the term's last day."
        )
    if pairing.mentee_confirmed_at is None:
        pairing.mentee_confirmed_at = utcnow()
        db.session.flush()
        record(actor, pairing, "confirm_engagement")
    _complete_if_ready(pairing)


def _complete_if_ready(pairing: Pairing) -> None:
    if (
        pairing.state == S.ACTIVE
        and term_has_ended(pairing)
        and pairing.mentee_confirmed_at is not None
        and {e.author_id for e in pairing.evaluations} >= {pairing.mentor_id, pairing.mentee_id}
    ):
        apply_transition(pairing, "complete", None)


def verify_pairing(pairing: Pairing, coordinator: User) -> None:
    """A coordinator, not a party to it, confirms the completed pairing was real: from then on it counts as a
    verified reference in its mentor's applications. Flushes, never commits."""
    if not is_coordinator(coordinator):
        raise ProgrammeError("Only a coordinator can confirm a pairing.")
    if pairing.verified_at is not None:
        return
    if problems := rules.verification_problems(evidence_of(pairing), coordinator.id):
        raise ProgrammeError(problems)
    pairing.verified_at, pairing.verified_by_id = utcnow(), coordinator.id
    db.session.flush()
    flags = flags_of(pairing)
    record(coordinator, pairing, "verify", reason=("Flagged: " + " ".join(flags)) if flags else None)


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
    renewed = Pairing(
        programme=pairing.programme,
        mentor=pairing.mentor,
        mentee=pairing.mentee,
        state=S.DECLARING,
        created_by_id=actor.id,
        matched_at=utcnow(),
        renewed_from_id=pairing.id,
    )
    db.session.add(renewed)
    db.session.flush()
    record(actor, pairing, "agree_renewal", reason=f"Renewed as pairing {renewed.id}")
    record(actor, renewed, "renew", to_state=S.DECLARING.value, reason=f"Renewal of pairing {pairing.id}")
    return renewed


def log_supervision_session(mentor: User, data: dict[str, Any]) -> SupervisionSession:
    """Record a session and email the supervisor a single-use link to confirm it."""
    if data["supervisor_email"].strip().lower() == mentor.email.lower():
        raise ProblemsFound(
            {"supervisor_email": "Your supervisor confirms the session: give their address, not yours."}
        )
    now = utcnow()
    session = SupervisionSession(
        mentor=mentor,
        expires_at=now + timedelta(days=rules.defaults().supervision_link_days),
        last_message_at=now,
        **{name: data[name] for name in SUPERVISION_FIELDS},
    )
    db.session.add(session)
    db.session.flush()
    token = issue_link(LinkKind.SUPERVISION_SESSION, session.id, now)
    record(mentor, session, "log_supervision", to_state=SupervisionStatus.PENDING.value)
    send_email(
        "supervision_confirmation",
        session.supervisor_email,
        related=session,
        session=session,
        token=token,
        days=rules.defaults().supervision_link_days,
    )
    return session


def answer_supervision_session(session: SupervisionSession, confirmed: bool) -> None:
    """The supervisor's answer; the link works once (of two answers at once, the second is refused)."""
    apply_transition(
        session,
        "confirm_supervision" if confirmed else "decline_supervision",
        None,
        f"Answered by {session.supervisor_email}",
        where=(SupervisionSession.expires_at > utcnow(),),
        actor_label=f"Supervisor {session.supervisor_email}",
    )


def _remind_supervisor(session: SupervisionSession, token: str, number: int) -> None:
    send_email(
        "supervision_reminder",
        session.supervisor_email,
        related=session,
        session=session,
        token=token,
        reminder_number=number,
    )


# Supervision sessions are answered by link like every other request: reminded and expired by the one sweep.
SUPERVISION_SESSION_LINKS = register(
    LinkRequests(
        kind=LinkKind.SUPERVISION_SESSION,
        model=SupervisionSession,
        waiting=(SupervisionStatus.PENDING,),
        remindable=(SupervisionStatus.PENDING,),
        send_reminder=_remind_supervisor,
    )
)
