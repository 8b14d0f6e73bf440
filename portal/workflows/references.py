"""Referee verification: requests, answers, reminders, expiry, and the counts the workflow's guards use."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.db import db
from portal.models.applications import Application
from portal.models.references import ReferenceRequest, ReferenceStatus


def confirmed_reference_count(application: Application) -> int:
    """How many distinct engagements of ``application`` a referee has confirmed (with or without corrections)."""
    return db.session.scalar(
        select(func.count(func.distinct(ReferenceRequest.engagement_id))).where(
            ReferenceRequest.application_id == application.id,
            ReferenceRequest.status.in_([ReferenceStatus.CONFIRMED, ReferenceStatus.CORRECTED]),
        )
    ) or 0
