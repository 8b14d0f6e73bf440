"""Claim before send: which rows a delivery job may take (emails, webhook deliveries).

A row is taken by writing the job's id on it; a job that died leaves its claim, which lapses after the lease so
that the job's retry (or another job) can take the row again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_

CLAIM_LEASE = timedelta(minutes=5)


def claimable(model, ready, sending, job_id: str, now: datetime):
    """``ready`` rows, and rows in the ``sending`` state claimed by ``job_id`` or whose claim has lapsed."""
    return or_(
        *ready,
        and_(
            model.status == sending,
            or_(model.claimed_by == job_id, model.claimed_at < now - CLAIM_LEASE),
        ),
    )
