"""Uploaded files: where they are stored, what they are, and what the workers found in them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import db, enum_column, utcnow
from portal.enums import DocumentPurpose, DocumentStatus


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_application", "application_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    purpose: Mapped[DocumentPurpose] = mapped_column(enum_column(DocumentPurpose, 30))
    # The question or answer this file was sent with (purpose message_attachment).
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("application_messages.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    # The name the uploader's computer gave the file: display text only, never a path.
    original_name: Mapped[str] = mapped_column(String(255))
    file_type: Mapped[str] = mapped_column(String(10))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[DocumentStatus] = mapped_column(
        enum_column(DocumentStatus, 30), default=DocumentStatus.QUEUED
    )
    status_reason: Mapped[str | None] = mapped_column(Text)
    facts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    checks: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    processing_attempts: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[datetime | None]

    @property
    def is_settled(self) -> bool:
        """Read by the worker or checked by a person: nothing left to wait for."""
        return self.status in (
            DocumentStatus.READ,
            DocumentStatus.CHECKED_BY_HAND,
            DocumentStatus.NEEDS_ATTENTION,
        )
