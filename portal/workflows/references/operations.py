"""Referee verification: requests, answers, reminders, expiry, trust signals, and the counts the guards use.

A referee is emailed a link carrying a random token; only the token's SHA-256 is stored. The link shows a
page on GET and is used only by the POST that answers, once. Operations flush, never commit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from portal.db import db, utcnow
from portal.enums import DocumentPurpose, EmailStatus, LinkKind
from portal.models.applications import Application, Engagement
from portal.models.outbox import EmailMessage
from portal.models.references import ReferenceRequest
from portal.models.users import User
from portal.notifications import notify_applicant, on_delivery, send_email
from portal.workflows.audit import record
from portal.workflows.documents.operations import accept_upload
from portal.workflows.engine import TransitionRefused, apply_transition
from portal.workflows.external_requests.operations import (
    LinkRequests,
    SweepResult,
    issue_link,
    register,
    sweep_kind,
)
from portal.workflows.external_requests.rules import (
    LinkState,
    LinkUnusable,
    expiry_days,
    redact_links,
    reminder_days,
)
from portal.workflows.transitions import Transition

if TYPE_CHECKING:
    from portal.workflows.documents.rules import Upload
from portal.workflows.references.queries import _current
from portal.workflows.references.rules import (
    ACTIVE_STATES,
    ANSWERS,
    OPEN,
    TELL_APPLICANT_AFTER_REMINDERS,
    Referee,
    RefereeAnswer,
    ReferenceActionRefused,
    S,
    _matches,
    _referee_of,
    _wants_reference,
    link_state,
    replace_problem,
    resend_problem,
)


def _issue(
    application: Application, engagement: Engagement, referee: Referee, actor: User | None, now: datetime
) -> ReferenceRequest:
    reference = ReferenceRequest(
        application=application,
        engagement=engagement,
        referee_name=referee.name,
        referee_email=referee.email.strip(),
        referee_relationship=str(referee.relationship),
        declared_mentor_name=application.full_name or application.applicant.full_name,
        declared_mentee_name=engagement.mentee_name,
        declared_start_date=engagement.start_date,
        declared_end_date=engagement.end_date,
        declared_setting=str(engagement.setting),
        status=S.PENDING,
        last_message_at=now,
        expires_at=now + timedelta(days=expiry_days()),
    )
    db.session.add(reference)
    db.session.flush()
    token = issue_link(LinkKind.REFERENCE, reference.id, now)
    record(actor, reference, "request", to_state=S.PENDING.value, reason=reference.referee_email)
    send_email(
        "reference_request", reference.referee_email, related=reference, reference=reference, token=token
    )
    return reference


def _retire(old: ReferenceRequest, new: ReferenceRequest | None, actor: User | None) -> None:
    """Take ``old`` out of use; an answer is kept as history, an open link stops working."""
    if old.status.is_answer and new is None:
        return  # nothing takes its place, so the answer still stands
    replaced_by = new.id if new is not None else None
    reason = f"replaced by request {new.id}" if new is not None else None
    if old.status.is_answer:  # the answer is kept as history: its state stays, a newer request takes over
        old.replaced_by_id = replaced_by
        record(actor, old, "supersede", old.status.value, old.status.value, reason=reason)
        return
    apply_transition(old, "supersede", actor, reason, replaced_by_id=replaced_by)


def request_references(application: Application, actor: User | None) -> list[ReferenceRequest]:
    """Email the referee of each completed engagement a request to confirm it, unless one already asks about
    the engagement as declared now. Called at submission and resubmission; flushes, never commits."""
    now, today = utcnow(), date.today()
    current = {reference.engagement_id: reference for reference in _current(application)}
    created = []
    for engagement in application.engagements:
        existing = current.get(engagement.id)
        wanted = _wants_reference(engagement, today)
        if existing is not None and wanted and _matches(existing, engagement):
            continue
        if existing is None and not wanted:
            continue
        replacement = _issue(application, engagement, _referee_of(engagement), actor, now) if wanted else None
        if existing is not None:
            _retire(existing, replacement, actor)
        if replacement is not None:
            created.append(replacement)
    return created


def resend_reference(reference: ReferenceRequest, actor: User) -> ReferenceRequest:
    """Send the same referee a new link; the earlier links stop working. Keeps the application's place."""
    problem = resend_problem(reference, actor)
    if problem:
        raise ReferenceActionRefused(problem)
    referee = Referee(reference.referee_name, reference.referee_email, reference.referee_relationship)
    replacement = _issue(reference.application, reference.engagement, referee, actor, utcnow())
    _retire(reference, replacement, actor)
    return replacement


def replace_referee(reference: ReferenceRequest, data: dict[str, Any], actor: User) -> ReferenceRequest:
    """Name another referee for the engagement and ask them; the earlier link stops working."""
    problem = replace_problem(reference, actor)
    if problem:
        raise ReferenceActionRefused(problem)
    engagement = reference.engagement
    engagement.referee_name = data["referee_name"]
    engagement.referee_email = data["referee_email"]
    engagement.referee_relationship = data["referee_relationship"]
    replacement = _issue(reference.application, engagement, _referee_of(engagement), actor, utcnow())
    _retire(reference, replacement, actor)
    return replacement


def answer_reference(
    reference: ReferenceRequest,
    answer: RefereeAnswer,
    *,
    letter: Upload | None = None,
    ip: str | None = None,
    user_agent: str | None = None,
) -> ReferenceRequest:
    """Record the referee's answer, once. Raises :class:`LinkUnusable` if the link cannot be used (now)."""
    if link_state(reference) != LinkState.OPEN:
        raise LinkUnusable()
    status = ANSWERS[answer.kind]
    corrected = status == S.CORRECTED
    document = None
    if letter is not None:
        document = accept_upload(
            reference.application, letter.stream, letter.filename, DocumentPurpose.REFERENCE_LETTER, None
        )
    applicant = reference.application.applicant
    now = utcnow()
    try:  # conditional, so two answers sent at once (a double click, two tabs) cannot both be recorded
        apply_transition(
            reference,
            answer.kind,
            None,
            answer.comment,
            where=(ReferenceRequest.replaced_by_id.is_(None), ReferenceRequest.expires_at > now),
            actor_label=f"Referee {reference.referee_email}",
            answered_at=now,
            corrected_start_date=answer.corrected_start_date if corrected else None,
            corrected_end_date=answer.corrected_end_date if corrected else None,
            corrected_role=(answer.corrected_role or None) if corrected else None,
            comment=answer.comment or None,
            letter_id=document.id if document else None,
            answer_ip=(ip or "")[:64] or None,
            answer_user_agent=(user_agent or "")[:400] or None,
            applicant_ip=applicant.last_login_ip,
            applicant_user_agent=applicant.last_login_user_agent,
        )
    except TransitionRefused:
        raise LinkUnusable() from None
    return reference


def notify_reference(
    reference: ReferenceRequest, transition: Transition, actor: User | None, reason: str | None
) -> None:
    """The reference requests machine's notifier: the applicant hears of answers, and of a request that
    expired or bounced while the application is still open."""
    if transition.notify == "reference_answered":
        _tell_applicant_of_answer(reference)
    elif reference.application.state in ACTIVE_STATES:
        notify_applicant(reference.application, transition.notify, reference=reference)


def _tell_applicant_of_answer(reference: ReferenceRequest) -> None:
    application = reference.application
    current = _current(application)
    if current and all(other.status.is_answer for other in current):
        notify_applicant(application, "references_complete", references=current)
    else:
        notify_applicant(application, "reference_answered", reference=reference)


def _send_reminder(reference: ReferenceRequest, token: str, number: int) -> None:
    send_email(
        "reference_reminder",
        reference.referee_email,
        related=reference,
        reference=reference,
        token=token,
        reminder_number=number,
    )
    if number == min(TELL_APPLICANT_AFTER_REMINDERS, len(reminder_days())):
        notify_applicant(reference.application, "reference_unanswered", reference=reference)


REFERENCES = register(
    LinkRequests(
        kind=LinkKind.REFERENCE,
        model=ReferenceRequest,
        waiting=OPEN,
        remindable=(S.SENT, S.REMINDED),
        send_reminder=_send_reminder,
        under_way=lambda reference: reference.application.state in ACTIVE_STATES,
    )
)


def sweep_references(now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Expire the referee requests that ran out and remind the referees who are due (the sweep of every
    kind runs this with the others). Flushes, never commits."""
    return sweep_kind(REFERENCES, now, batch)


def _claim(reference: ReferenceRequest, where: tuple, **values: Any) -> bool:
    result = db.session.execute(
        update(ReferenceRequest)
        .where(ReferenceRequest.id == reference.id, *where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(reference)
    return True


@on_delivery(ReferenceRequest.__tablename__)
def record_delivery(email: EmailMessage) -> None:
    """Follow up a referee email's outcome: the request counts as sent, or as bounced when delivery failed
    for good (the applicant is told). Called by the delivery job before it commits."""
    email.text_body = redact_links(email.text_body)
    email.html_body = redact_links(email.html_body)
    reference = db.session.get(ReferenceRequest, email.related_id)
    if reference is None:
        return
    if email.status == EmailStatus.SENT:
        # The first email moves the request to sent, with the time of its last message in the same UPDATE;
        # a later one (a reminder, a resend) only records that time.
        moved = reference.status == S.PENDING and _try(
            reference, "send", sent_at=email.sent_at, last_message_at=email.sent_at
        )
        if not moved:
            _claim(reference, (ReferenceRequest.status.in_(OPEN),), last_message_at=email.sent_at)
        return
    if reference.status in OPEN and reference.replaced_by_id is None:
        _try(reference, "bounce", email.last_error, where=(ReferenceRequest.replaced_by_id.is_(None),))


def _try(reference: ReferenceRequest, action: str, reason: str | None = None, **values: Any) -> bool:
    """The portal's own move, done at most once: a redelivered job finds it done and does nothing."""
    try:
        apply_transition(reference, action, None, reason, **values)
    except TransitionRefused:
        return False
    return True
