"""Referee verification: requests, answers, reminders, expiry, trust signals, and the counts the guards use.

A referee is emailed a link carrying a random token; only the token's SHA-256 is stored. The link shows a
page on GET and is used only by the POST that answers, once. Operations flush, never commit.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from portal.db import db
from portal.enums import ReferenceStatus
from portal.models.applications import Application, Engagement
from portal.models.references import ReferenceLink, ReferenceRequest
from portal.models.users import User

if TYPE_CHECKING:
    pass
from portal.workflows.references.rules import (
    Actions,
    S,
    Trust,
    TrustFacts,
    assess_trust,
    hash_token,
    replace_problem,
    resend_problem,
)


def request_for_token(token: str) -> ReferenceRequest | None:
    """The request a link opens (its first email's or a reminder's), else None."""
    if not token or len(token) > 128:
        return None
    digest = hash_token(token)
    found = db.session.execute(
        select(ReferenceRequest.id, ReferenceRequest.token_hash)
        .where(ReferenceRequest.token_hash == digest)
        .union_all(
            select(ReferenceLink.request_id, ReferenceLink.token_hash).where(
                ReferenceLink.token_hash == digest
            )
        )
    ).first()
    if found is None or not hmac.compare_digest(found[1], digest):
        return None
    return db.session.get(ReferenceRequest, found[0])


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
    reads every count in the same query (the applicant's dashboard)."""
    referee = (
        select(func.count(func.distinct(ReferenceRequest.engagement_id)))
        .where(
            ReferenceRequest.application_id == Application.id,
            ReferenceRequest.status.in_([ReferenceStatus.CONFIRMED, ReferenceStatus.CORRECTED]),
            ReferenceRequest.replaced_by_id.is_(None),
        )
        .correlate(Application)
        .scalar_subquery()
    )
    programme = (
        select(func.count())
        .select_from(Engagement)
        .where(Engagement.application_id == Application.id, Engagement.pairing_id.is_not(None))
        .correlate(Application)
        .scalar_subquery()
    )
    return referee + programme


def confirmed_reference_count(application: Application) -> int:
    """How many distinct engagements of ``application`` a referee has confirmed (with or without corrections),
    plus those pre-verified by a completed mentoring programme pairing."""
    confirmed = (
        db.session.scalar(
            select(func.count(func.distinct(ReferenceRequest.engagement_id))).where(
                ReferenceRequest.application_id == application.id,
                ReferenceRequest.status.in_([ReferenceStatus.CONFIRMED, ReferenceStatus.CORRECTED]),
                # A confirmation of an earlier declaration no longer counts once a new request replaced it.
                ReferenceRequest.replaced_by_id.is_(None),
            )
        )
        or 0
    )
    pre_verified = (
        db.session.scalar(
            select(func.count())
            .select_from(Engagement)
            .where(Engagement.application_id == application.id, Engagement.pairing_id.is_not(None))
        )
        or 0
    )
    return confirmed + pre_verified


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


def actions_for(reference: ReferenceRequest, actor: User) -> Actions:
    return Actions(resend_problem(reference, actor), replace_problem(reference, actor))
