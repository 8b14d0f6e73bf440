"""Referee verification: requests, answers, reminders, expiry, trust signals, and the counts the guards use.

A referee is emailed a link carrying a random token; only the token's SHA-256 is stored. The link shows a
page on GET and is used only by the POST that answers, once. Operations flush, never commit.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import func, select, update

from portal.db import db, utcnow
from portal.models.applications import Application, ApplicationState, Engagement
from portal.models.documents import DocumentPurpose
from portal.models.outbox import EmailMessage, EmailStatus
from portal.models.references import ReferenceLink, ReferenceRequest, ReferenceStatus
from portal.models.users import User
from portal.notifications import notify_applicant, send_email
from portal.workflows.audit import record
from portal.workflows.uploads import accept_upload

if TYPE_CHECKING:
    from portal.workflows.applications import Upload

S = ReferenceStatus
OPEN = (S.PENDING, S.SENT, S.REMINDED)
# Referees are asked, reminded and answer only while the application is under way.
ACTIVE_STATES = frozenset({ApplicationState.SUBMITTED, ApplicationState.AWAITING_PAYMENT,
                           ApplicationState.IN_REVIEW, ApplicationState.RETURNED,
                           ApplicationState.RESUBMITTED})
# A reminder this close to expiry would leave the referee no time to act on it.
NO_REMINDER_BEFORE_EXPIRY = timedelta(days=2)
# Applicants may not turn resending into a way of pestering a referee; staff may resend at any time.
APPLICANT_RESEND_INTERVAL = timedelta(days=1)
TELL_APPLICANT_AFTER_REMINDERS = 2


class LinkUnusable(Exception):
    """The link is expired, used, superseded or unknown: the referee sees one page that says nothing more."""


class ReferenceActionRefused(Exception):
    """A resend or replacement is not possible now; the message says why."""


# --- links ------------------------------------------------------------------------------------------------

def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_for_token(token: str) -> ReferenceRequest | None:
    """The request a link opens (its first email's or a reminder's), else None."""
    if not token or len(token) > 128:
        return None
    digest = hash_token(token)
    found = db.session.execute(
        select(ReferenceRequest.id, ReferenceRequest.token_hash).where(ReferenceRequest.token_hash == digest)
        .union_all(select(ReferenceLink.request_id, ReferenceLink.token_hash)
                   .where(ReferenceLink.token_hash == digest))
    ).first()
    if found is None or not hmac.compare_digest(found[1], digest):
        return None
    return db.session.get(ReferenceRequest, found[0])


class LinkState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    UNUSABLE = "unusable"


def link_state(reference: ReferenceRequest | None, now: datetime | None = None) -> LinkState:
    if reference is None or not reference.is_current or reference.application.state not in ACTIVE_STATES:
        return LinkState.UNUSABLE
    if reference.status.is_answer:
        return LinkState.ANSWERED
    if reference.status.is_open and reference.expires_at > (now or utcnow()):
        return LinkState.OPEN
    return LinkState.UNUSABLE


# --- requests ---------------------------------------------------------------------------------------------

def expiry_days() -> int:
    return int(current_app.config["REFERENCE_EXPIRY_DAYS"])


def reminder_days(value: Any = None) -> tuple[int, ...]:
    """``REFERENCE_REMINDER_DAYS`` ("7,14") as days after the request, ascending."""
    raw = current_app.config["REFERENCE_REMINDER_DAYS"] if value is None else value
    parts = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    days = sorted({int(str(part).strip()) for part in parts if str(part).strip()})
    if any(day <= 0 for day in days):
        raise ValueError(f"REFERENCE_REMINDER_DAYS must be positive whole days, not {raw!r}")
    return tuple(days)


def _current(application: Application) -> list[ReferenceRequest]:
    return list(db.session.scalars(
        select(ReferenceRequest)
        .where(ReferenceRequest.application_id == application.id, ReferenceRequest.replaced_by_id.is_(None),
               ReferenceRequest.status != S.SUPERSEDED)
        .order_by(ReferenceRequest.engagement_id, ReferenceRequest.id)
    ))


def references_for(application: Application) -> list[ReferenceRequest]:
    """Every request of ``application``, earlier (resent, replaced) ones included, by engagement then age."""
    return list(db.session.scalars(
        select(ReferenceRequest).where(ReferenceRequest.application_id == application.id)
        .order_by(ReferenceRequest.engagement_id, ReferenceRequest.id)
    ))


def _wants_reference(engagement: Engagement, today: date) -> bool:
    return engagement.has_referee and engagement.is_completed(today) and not engagement.is_pre_verified


def _matches(reference: ReferenceRequest, engagement: Engagement) -> bool:
    """Whether the request still asks about the engagement as declared now."""
    return (
        reference.referee_email.lower() == (engagement.referee_email or "").strip().lower()
        and reference.declared_mentee_name == engagement.mentee_name
        and reference.declared_start_date == engagement.start_date
        and reference.declared_end_date == engagement.end_date
        and reference.declared_setting == engagement.setting
    )


@dataclass(frozen=True)
class Referee:
    name: str
    email: str
    relationship: str


def _issue(application: Application, engagement: Engagement, referee: Referee, actor: User | None,
           now: datetime) -> ReferenceRequest:
    token = new_token()
    reference = ReferenceRequest(
        application=application, engagement=engagement,
        referee_name=referee.name, referee_email=referee.email.strip(),
        referee_relationship=str(referee.relationship),
        declared_mentor_name=application.full_name or application.applicant.full_name,
        declared_mentee_name=engagement.mentee_name, declared_start_date=engagement.start_date,
        declared_end_date=engagement.end_date, declared_setting=str(engagement.setting),
        token_hash=hash_token(token), status=S.PENDING, last_message_at=now,
        expires_at=now + timedelta(days=expiry_days()),
    )
    db.session.add(reference)
    db.session.flush()
    record(actor, reference, "request", to_state=S.PENDING.value, reason=reference.referee_email)
    send_email("reference_request", reference.referee_email, related=reference, reference=reference,
               token=token)
    return reference


def _referee_of(engagement: Engagement) -> Referee:
    return Referee(engagement.referee_name or "", engagement.referee_email or "",
                   str(engagement.referee_relationship or ""))


def _retire(old: ReferenceRequest, new: ReferenceRequest | None, actor: User | None) -> None:
    """Take ``old`` out of use; an answer is kept as history, an open link stops working."""
    if old.status.is_answer and new is None:
        return  # nothing takes its place, so the answer still stands
    previous = old.status
    if not old.status.is_answer:
        old.status = S.SUPERSEDED
    old.replaced_by_id = new.id if new is not None else None
    record(actor, old, "supersede", previous.value, old.status.value,
           reason=f"replaced by request {new.id}" if new is not None else None)


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


def _is_staff(actor: User) -> bool:
    return actor.is_reviewer


def resend_problem(reference: ReferenceRequest, actor: User, now: datetime | None = None) -> str | None:
    """Why ``actor`` cannot resend this request now, or None."""
    now = now or utcnow()
    if actor.id != reference.application.applicant_id and not _is_staff(actor):
        return "You cannot change the references of this application."
    if reference.application.state not in ACTIVE_STATES:
        return "The references of this application can no longer be changed."
    if not reference.is_current:
        return "This request has already been resent or replaced."
    if reference.status.is_answer:
        return "The referee has answered: there is nothing to resend."
    if not _is_staff(actor) and reference.status.is_open and reference.last_message_at is not None:
        allowed_at = reference.last_message_at + APPLICANT_RESEND_INTERVAL
        if now < allowed_at:
            return (f"We emailed this referee less than a day ago. You can resend from "
                    f"{allowed_at:%d %B %Y, %H:%M} UTC.")
    return None


def replace_problem(reference: ReferenceRequest, actor: User) -> str | None:
    """Why ``actor`` cannot name another referee in place of this one now, or None."""
    if actor.id != reference.application.applicant_id:
        return "Only the applicant can name another referee."
    if reference.application.state not in ACTIVE_STATES:
        return "The references of this application can no longer be changed."
    if not reference.is_current:
        return "This request has already been resent or replaced."
    if reference.status.is_confirmation:
        return "The referee has confirmed this engagement: there is no need for another referee."
    return None


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


# --- answers ----------------------------------------------------------------------------------------------

ANSWERS = {"confirm": S.CONFIRMED, "correct": S.CORRECTED, "decline": S.DECLINED}


@dataclass(frozen=True)
class RefereeAnswer:
    kind: str  # a key of ANSWERS
    corrected_start_date: date | None = None
    corrected_end_date: date | None = None
    corrected_role: str | None = None
    comment: str | None = None


def answer_reference(reference: ReferenceRequest, answer: RefereeAnswer, *, letter: Upload | None = None,
                     ip: str | None = None, user_agent: str | None = None) -> ReferenceRequest:
    """Record the referee's answer, once. Raises :class:`LinkUnusable` if the link cannot be used (now)."""
    if link_state(reference) != LinkState.OPEN:
        raise LinkUnusable()
    status = ANSWERS[answer.kind]
    corrected = status == S.CORRECTED
    document = None
    if letter is not None:
        document = accept_upload(reference.application, letter.stream, letter.filename,
                                 DocumentPurpose.REFERENCE_LETTER, None)
    applicant = reference.application.applicant
    now, previous = utcnow(), reference.status
    # Conditional, so two answers sent at once (a double click, two tabs) cannot both be recorded.
    result = db.session.execute(
        update(ReferenceRequest)
        .where(ReferenceRequest.id == reference.id, ReferenceRequest.status.in_(OPEN),
               ReferenceRequest.replaced_by_id.is_(None), ReferenceRequest.expires_at > now)
        .values(status=status, answered_at=now,
                corrected_start_date=answer.corrected_start_date if corrected else None,
                corrected_end_date=answer.corrected_end_date if corrected else None,
                corrected_role=(answer.corrected_role or None) if corrected else None,
                comment=answer.comment or None, letter_id=document.id if document else None,
                answer_ip=(ip or "")[:64] or None, answer_user_agent=(user_agent or "")[:400] or None,
                applicant_ip=applicant.last_login_ip, applicant_user_agent=applicant.last_login_user_agent)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise LinkUnusable()
    db.session.refresh(reference)
    entry = record(None, reference, "answer", previous.value, status.value, reason=reference.comment)
    entry.actor_label = f"Referee {reference.referee_email}"[:254]
    _tell_applicant_of_answer(reference)
    return reference


def _tell_applicant_of_answer(reference: ReferenceRequest) -> None:
    application = reference.application
    current = _current(application)
    if current and all(other.status.is_answer for other in current):
        notify_applicant(application, "references_complete", references=current)
    else:
        notify_applicant(application, "reference_answered", reference=reference)


def confirmed_reference_count(application: Application) -> int:
    """How many distinct engagements of ``application`` a referee has confirmed (with or without corrections),
    plus those pre-verified by a completed mentoring programme pairing."""
    confirmed = db.session.scalar(
        select(func.count(func.distinct(ReferenceRequest.engagement_id))).where(
            ReferenceRequest.application_id == application.id,
            ReferenceRequest.status.in_([ReferenceStatus.CONFIRMED, ReferenceStatus.CORRECTED]),
            # A confirmation of an earlier declaration no longer counts once a new request replaced it.
            ReferenceRequest.replaced_by_id.is_(None),
        )
    ) or 0
    pre_verified = db.session.scalar(
        select(func.count()).select_from(Engagement).where(Engagement.application_id == application.id,
                                                           Engagement.pairing_id.is_not(None))
    ) or 0
    return confirmed + pre_verified


# --- reminders, expiry, delivery --------------------------------------------------------------------------

def reminder_due(*, last_message_at: datetime, reminders_sent: int, expires_at: datetime, now: datetime,
                 days: tuple[int, ...]) -> bool:
    """Whether the next reminder is due: each is timed from the last message sent, at the gap between the
    configured days (7 and 14: a week after the request, then a week after the first reminder)."""
    if reminders_sent >= len(days) or now >= expires_at - NO_REMINDER_BEFORE_EXPIRY:
        return False
    gap = days[reminders_sent] - (days[reminders_sent - 1] if reminders_sent else 0)
    return now >= last_message_at + timedelta(days=gap)


@dataclass
class SweepResult:
    reminded: int = 0
    expired: int = 0


def sweep_references(now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Expire what has run out and remind what is due. Idempotent: every change is a conditional UPDATE,
    so a second sweep (or two at once) finds nothing left to do. Flushes, never commits."""
    now = now or utcnow()
    result = SweepResult()
    expiring = db.session.scalars(
        select(ReferenceRequest).where(ReferenceRequest.status.in_(OPEN), ReferenceRequest.expires_at <= now)
        .order_by(ReferenceRequest.id).limit(batch)
    ).all()
    result.expired = sum(1 for reference in expiring if _expire(reference, now))

    days = reminder_days()
    if days:
        shortest_gap = min(b - a for a, b in zip((0, *days), days, strict=False))
        candidates = db.session.scalars(
            select(ReferenceRequest)
            .where(ReferenceRequest.status.in_((S.SENT, S.REMINDED)),
                   ReferenceRequest.replaced_by_id.is_(None),
                   ReferenceRequest.reminders_sent < len(days), ReferenceRequest.expires_at > now,
                   ReferenceRequest.last_message_at <= now - timedelta(days=shortest_gap))
            .order_by(ReferenceRequest.id).limit(batch)
        ).all()
        for reference in candidates:
            if reference.application.state in ACTIVE_STATES and reminder_due(
                    last_message_at=reference.last_message_at, reminders_sent=reference.reminders_sent,
                    expires_at=reference.expires_at, now=now, days=days):
                result.reminded += _remind(reference, now, days)
    return result


def _claim(reference: ReferenceRequest, where: tuple, **values: Any) -> bool:
    result = db.session.execute(
        update(ReferenceRequest).where(ReferenceRequest.id == reference.id, *where).values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(reference)
    return True


def _expire(reference: ReferenceRequest, now: datetime) -> bool:
    previous = reference.status
    if not _claim(reference, (ReferenceRequest.status.in_(OPEN), ReferenceRequest.expires_at <= now),
                  status=S.EXPIRED):
        return False
    record(None, reference, "expire", previous.value, S.EXPIRED.value)
    if reference.application.state in ACTIVE_STATES:
        notify_applicant(reference.application, "reference_expired", reference=reference)
    return True


def _remind(reference: ReferenceRequest, now: datetime, days: tuple[int, ...]) -> int:
    sent, previous = reference.reminders_sent, reference.status
    if not _claim(reference, (ReferenceRequest.status.in_((S.SENT, S.REMINDED)),
                              ReferenceRequest.reminders_sent == sent),
                  status=S.REMINDED, reminders_sent=sent + 1, last_message_at=now):
        return 0
    # The first link cannot be rebuilt from its hash: the reminder carries a new one, and both work.
    token = new_token()
    db.session.add(ReferenceLink(request_id=reference.id, token_hash=hash_token(token), created_at=now))
    record(None, reference, "remind", previous.value, S.REMINDED.value)
    send_email("reference_reminder", reference.referee_email, related=reference, reference=reference,
               token=token, reminder_number=sent + 1)
    if sent + 1 == min(TELL_APPLICANT_AFTER_REMINDERS, len(days)):
        notify_applicant(reference.application, "reference_unanswered", reference=reference)
    return 1


# Links are needed only until the email leaves; after that the stored copy keeps no working token.
_LINK = re.compile(r"(/references/)[A-Za-z0-9_-]{16,}")
REDACTED_LINK = "[link removed once sent]"


def record_delivery(email: EmailMessage) -> None:
    """Follow up a referee email's outcome: the request counts as sent, or as bounced when delivery failed
    for good (the applicant is told). Called by the delivery job before it commits."""
    email.text_body = _LINK.sub(r"\g<1>" + REDACTED_LINK, email.text_body)
    email.html_body = _LINK.sub(r"\g<1>" + REDACTED_LINK, email.html_body)
    reference = db.session.get(ReferenceRequest, email.related_id)
    if reference is None:
        return
    if email.status == EmailStatus.SENT:
        _claim(reference, (ReferenceRequest.status == S.PENDING,), status=S.SENT, sent_at=email.sent_at)
        _claim(reference, (ReferenceRequest.status.in_(OPEN),), last_message_at=email.sent_at)
        return
    previous = reference.status
    if _claim(reference, (ReferenceRequest.status.in_(OPEN), ReferenceRequest.replaced_by_id.is_(None)),
              status=S.BOUNCED):
        record(None, reference, "bounce", previous.value, S.BOUNCED.value, reason=email.last_error)
        if reference.application.state in ACTIVE_STATES:
            notify_applicant(reference.application, "reference_bounced", reference=reference)


# --- trust signals for reviewers ----------------------------------------------------------------------------

class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def rank(self) -> int:
        return ("green", "amber", "red").index(self.value)

    @property
    def label(self) -> str:
        return {"green": "No concerns", "amber": "Check", "red": "Concern"}[self.value]


@dataclass(frozen=True)
class Signal:
    level: Level
    reason: str


@dataclass(frozen=True)
class Trust:
    """What a reviewer should weigh; never a decision by itself."""

    signals: tuple[Signal, ...]

    @property
    def level(self) -> Level:
        levels = (signal.level for signal in self.signals)
        return max(levels, key=lambda level: level.rank, default=Level.GREEN)


@dataclass(frozen=True)
class TrustFacts:
    """Plain data the signals are drawn from, so the rules are tested without a database."""

    referee_email: str
    applicant_emails: tuple[str, ...]
    setting: str
    engagements_named_for: int = 1
    requested_at: datetime | None = None
    answered_at: datetime | None = None
    answer_ip: str | None = None
    answer_user_agent: str | None = None
    applicant_ip: str | None = None
    applicant_user_agent: str | None = None


# Addresses anyone can open: a referee speaking for an organisation would normally write from its domain.
FREE_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "msn.com",
    "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com",
    "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "zoho.com",
    "yandex.com", "yandex.ru", "mail.ru", "qq.com", "163.com", "126.com", "fastmail.com", "tutanota.com",
    "hey.com", "laposte.net", "orange.fr", "free.fr", "libero.it", "rediffmail.com",
})
QUICK_ANSWER = timedelta(minutes=10)


def _domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


def assess_trust(facts: TrustFacts) -> Trust:
    referee = facts.referee_email.strip().lower()
    own = {email.strip().lower() for email in facts.applicant_emails if email}
    own_domains = {_domain(email) for email in own} - FREE_MAIL_DOMAINS
    domain = _domain(referee)
    signals: list[Signal] = []
    if referee in own:
        signals.append(Signal(Level.RED, "The referee's email address is the applicant's own."))
    elif domain in own_domains and facts.setting != "internal":
        signals.append(Signal(Level.RED, f"The referee's address is on the applicant's own email domain "
                                         f"({domain}), for an external engagement."))
    if domain in FREE_MAIL_DOMAINS and facts.setting == "internal":
        signals.append(Signal(Level.AMBER, f"A free email address ({domain}) for an internal engagement, "
                                           f"where an address at the organisation would be usual."))
    if facts.engagements_named_for > 1:
        signals.append(Signal(Level.AMBER, f"The same referee is named for {facts.engagements_named_for} "
                                           f"engagements."))
    if facts.answer_ip and facts.answer_ip == facts.applicant_ip:
        if facts.answer_user_agent and facts.answer_user_agent == facts.applicant_user_agent:
            signals.append(Signal(Level.RED, "Answered from the same network address and browser as the "
                                             "applicant's last sign-in."))
        else:
            signals.append(Signal(Level.AMBER, "Answered from the same network address as the applicant's "
                                               "last sign-in (a different browser)."))
    if facts.requested_at and facts.answered_at and facts.answered_at - facts.requested_at < QUICK_ANSWER:
        minutes = max(1, int((facts.answered_at - facts.requested_at).total_seconds() // 60))
        plural = "s" if minutes != 1 else ""
        signals.append(Signal(Level.AMBER, f"Answered {minutes} minute{plural} after the request was sent."))
    return Trust(tuple(signals))


def trust_for(reference: ReferenceRequest) -> Trust:
    application = reference.application
    same_referee = {other.engagement_id for other in _current(application)
                    if other.referee_email.lower() == reference.referee_email.lower()}
    return assess_trust(TrustFacts(
        referee_email=reference.referee_email,
        applicant_emails=(application.applicant.email, application.contact_email or ""),
        setting=reference.declared_setting or str(reference.engagement.setting),
        engagements_named_for=max(1, len(same_referee)),
        requested_at=reference.sent_at or reference.created_at,
        answered_at=reference.answered_at,
        answer_ip=reference.answer_ip, answer_user_agent=reference.answer_user_agent,
        applicant_ip=reference.applicant_ip, applicant_user_agent=reference.applicant_user_agent,
    ))


@dataclass(frozen=True)
class Actions:
    """What ``actor`` may do with a request now, with the reason when not."""

    resend_problem: str | None
    replace_problem: str | None

    @property
    def can_resend(self) -> bool:
        return self.resend_problem is None

    @property
    def can_replace(self) -> bool:
        return self.replace_problem is None


def actions_for(reference: ReferenceRequest, actor: User) -> Actions:
    return Actions(resend_problem(reference, actor), replace_problem(reference, actor))
