"""A person's data rights: their requests for a copy of their data or for erasure, and warnings of stale drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import db, enum_column, utcnow
from portal.enums import DataRequestKind, DataRequestStatus


class DataRequest(db.Model):
    """A copy of someone's data built by the worker (its file and single-use link), or their account's erasure.

    An erasure's row keeps only counts of what was erased: never the erased values.
    """

    __tablename__ = "data_requests"
    __table_args__ = (
        Index("ix_data_requests_user", "user_id", "created_at"),
        Index("ix_data_requests_due", "status", "expires_at"),
        CheckConstraint("kind = 'export' OR status = 'done'", name="erasure_done"),
        CheckConstraint("status <> 'ready' OR storage_key IS NOT NULL", name="ready_with_file"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[DataRequestKind] = mapped_column(enum_column(DataRequestKind, 20))
    status: Mapped[DataRequestStatus] = mapped_column(
        enum_column(DataRequestStatus, 20), default=DataRequestStatus.QUEUED
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    # The built ZIP in the file store, removed once downloaded or expired.
    storage_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    size_bytes: Mapped[int | None]
    # Only the SHA-256 of the emailed link's token is kept: a database leak does not leak working links.
    token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None]
    downloaded_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    # An erasure: how many of each kind of record were erased, anonymised or kept.
    counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class DraftWarning(db.Model):
    """The email warning that a stale draft will be erased: sent once per stretch of inactivity."""

    __tablename__ = "draft_warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    warned_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The day the email named: the draft is not erased before it, whatever the sweep's timing.
    erase_after: Mapped[datetime]
