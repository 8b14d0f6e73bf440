"""Referee verification: requests, answers, reminders, expiry, trust signals, and the counts the guards use.

A referee is emailed a link carrying a random token; only the token's SHA-256 is stored. The link shows a
page on GET and is used only by the POST that answers, once. Operations flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select

from portal.db import db
from portal.enums import DisputeOutcome, LinkKind, ReferenceStatus
from portal.models.applications import Application, Engagement
from portal.models.programmes import Pairing
from portal.models.references import ReferenceRequest, StaffVerification
from portal.models.users import User
from portal.workflows.external_requests.queries import request_for_token as find_request
from portal.workflows.external_requests.rules import next_reminder_at, reminder_days

if TYPE_CHECKING:
    pass
from portal.workflows.references.rules import (
    ACTIVE_STATES,
    DISPUTING,
    Actions,
    S,
    Standing,
    Trust,
    TrustFacts,
    assess_trust,
    is_confirmed,
    reconfirmed,
    replace_problem,
    resend_problem,
    set_aside_reason,
    standing,
)


def request_for_token(token: str) -> ReferenceRequest | None:
    """The request a link opens (its first email's or a reminder's), else None."""
    return find_request(LinkKind.REFERENCE, ReferenceRequest, token)


def _current(application: Application) -> list[ReferenceRequest]:
    return list(
        db.session.scalars(
            select(ReferenceRequest)
            .where(
                ReferenceRequest.application_id == application.id,
                ReferenceRequest.replaced_by_id.is_(None),
                ReferenceRequest.status != S.SUPERSEDED,
            )
            .order_by(ReferenceRequest.engagement_id, ReferenceRequest.id)
        )
    )


def references_for(application: Application) -> list[ReferenceRequest]:
    """Every request of ``application``, earlier (resent, replaced) ones included, by engagement then age."""
    return list(
        db.session.scalars(
            select(ReferenceRequest)
            .where(ReferenceRequest.application_id == application.id)
            .order_by(ReferenceRequest.engagement_id, ReferenceRequest.id)
        )
    )


def confirmed_references_column():
    """:func:`confirmed_reference_count` as a column of a query over applications, so a list of applications
    reads every count in the same query (the applicant's dashboard). The same rule, written for SQL: an
    engagement counts unless a reviewer excluded it, or a referee disputed it and no reviewer accepted it;
    then it is confirmed by its current referee, a coordinator-verified pairing, or a staff contact."""
    accepted = Engagement.dispute_outcome == DisputeOutcome.ACCEPTED
    answered = (
        select(ReferenceRequest.id)
        .where(ReferenceRequest.engagement_id == Engagement.id)
        .correlate(Engagement)
    )
    confirmed_by_referee = answered.where(
        ReferenceRequest.replaced_by_id.is_(None),
        or_(
            ReferenceRequest.status == ReferenceStatus.CONFIRMED,
            and_(ReferenceRequest.status == ReferenceStatus.CORRECTED, accepted),
        ),
    ).exists()
    disputed = answered.where(ReferenceRequest.status.in_(DISPUTING)).exists()
    verified_pairing = (
        select(Pairing.id)
        .where(Pairing.id == Engagement.pairing_id, Pairing.verified_at.is_not(None))
        .exists()
    )
    by_staff = (
        select(StaffVerification.id)
        .where(StaffVerification.engagement_id == Engagement.id, StaffVerification.confirmed.is_(True))
        .exists()
    )
    return (
        select(func.count())
        .select_from(Engagement)
        .where(
            Engagement.application_id == Application.id,
            or_(Engagement.dispute_outcome.is_(None), accepted),
            or_(~disputed, accepted),
            or_(confirmed_by_referee, verified_pairing, by_staff),
        )
        .correlate(Application)
        .scalar_subquery()
    )


def standings(application: Application) -> dict[int, Standing]:
    """Each engagement's standing (by id): whether its referees disputed it and what a reviewer decided."""
    references = references_for(application)
    return {engagement.id: standing(engagement, references) for engagement in application.engagements}


@dataclass(frozen=True)
class EngagementStanding:
    """An engagement some referee disputed, as the reviewer's page shows it."""

    engagement: Engagement
    standing: Standing
    answers: list[ReferenceRequest]  # the declining or correcting answers, oldest first


def disputes_for(application: Application) -> list[EngagementStanding]:
    """The engagements a referee ever declined or corrected, with their standing now."""
    references = references_for(application)
    rows = []
    for engagement in application.engagements:
        answers = [r for r in references if r.engagement_id == engagement.id and r.status in DISPUTING]
        found = standing(engagement, references)
        if answers or found == Standing.EXCLUDED:
            rows.append(EngagementStanding(engagement, found, answers))
    return rows


def set_aside_engagements(application: Application) -> dict[int, str]:
    """The engagements (by id) a referee's dispute or the reviewer's exclusion keeps from counting toward the
    engagements, each with why in the applicant's words. A disputed engagement that a referee named since has
    confirmed counts again; the dispute itself still waits for a reviewer before approval."""
    references = references_for(application)
    aside = {}
    for engagement in application.engagements:
        found = standing(engagement, references)
        if found.counts or (found == Standing.DISPUTED and reconfirmed(engagement, references)):
            continue
        aside[engagement.id] = set_aside_reason(engagement, found, references)
    return aside


def disputed_engagements(application: Application) -> list[Engagement]:
    """Engagements a referee declined or corrected that no reviewer has decided on yet."""
    found = standings(application)
    return [e for e in application.engagements if found.get(e.id) == Standing.DISPUTED]


def confirmed_reference_count(application: Application) -> int:
    """How many engagements of ``application`` count as confirmed references: confirmed by their current
    referee (a correction once a reviewer accepted it), or pre-verified by a completed programme pairing;
    a disputed or excluded engagement never counts."""
    references = references_for(application)
    by_staff = frozenset(
        db.session.scalars(
            select(StaffVerification.engagement_id).where(
                StaffVerification.application_id == application.id, StaffVerification.confirmed.is_(True)
            )
        )
    )
    return sum(
        1
        for engagement in application.engagements
        if is_confirmed(engagement, references, standing(engagement, references), by_staff)
    )


def staff_verifications(application: Application) -> list[StaffVerification]:
    """The verification contacts staff recorded for ``application``, oldest first."""
    return list(
        db.session.scalars(
            select(StaffVerification)
            .where(StaffVerification.application_id == application.id)
            .order_by(StaffVerification.id)
        )
    )


def trust_for(reference: ReferenceRequest) -> Trust:
    application = reference.application
    same_referee = {
        other.engagement_id
        for other in _current(application)
        if other.referee_email.lower() == reference.referee_email.lower()
    }
    return assess_trust(
        TrustFacts(
            referee_email=reference.referee_email,
            applicant_emails=(application.applicant.email, application.contact_email or ""),
            setting=reference.declared_setting or str(reference.engagement.setting),
            engagements_named_for=max(1, len(same_referee)),
            requested_at=reference.sent_at or reference.created_at,
            answered_at=reference.answered_at,
            answer_ip=reference.answer_ip,
            answer_user_agent=reference.answer_user_agent,
            applicant_ip=reference.applicant_ip,
            applicant_user_agent=reference.applicant_user_agent,
        )
    )


def next_reminder(reference: ReferenceRequest) -> datetime | None:
    """When the reminder sweep will next remind this referee, from the configured schedule; None when it
    will not (not sent yet, answered, no reminder left, too close to expiry, or the application stopped)."""
    if (
        reference.status not in (S.SENT, S.REMINDED)
        or reference.replaced_by_id is not None
        or reference.last_message_at is None
        or reference.application.state not in ACTIVE_STATES
    ):
        return None
    return next_reminder_at(
        last_message_at=reference.last_message_at,
        reminders_sent=reference.reminders_sent,
        expires_at=reference.expires_at,
        days=reminder_days(),
    )


def actions_for(reference: ReferenceRequest, actor: User) -> Actions:
    return Actions(resend_problem(reference, actor), replace_problem(reference, actor))
