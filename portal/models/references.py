"""Reference requests: a referee asked, by an emailed single-use link (an ExternalLink), to confirm a declared
engagement."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, and_
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import ContactMethod, LinkKind, ReferenceStatus
from portal.models.external_requests import ExternalLink

if TYPE_CHECKING:
    from portal.models.applications import Application, Engagement
    from portal.models.documents import Document
    from portal.models.users import User


class ReferenceRequest(db.Model):
    __tablename__ = "reference_requests"
    __table_args__ = (
        Index("ix_reference_requests_application", "application_id", "status"),
        Index("ix_reference_requests_due", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    referee_name: Mapped[str] = mapped_column(String(200))
    referee_email: Mapped[str] = mapped_column(String(254))
    referee_relationship: Mapped[str] = mapped_column(String(40))
    # The engagement as the referee was asked to confirm it: the applicant may change it later.
    declared_mentor_name: Mapped[str | None] = mapped_column(String(200))
    declared_mentee_name: Mapped[str | None] = mapped_column(String(200))
    declared_start_date: Mapped[date | None]
    declared_end_date: Mapped[date | None]
    declared_setting: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[ReferenceStatus] = mapped_column(
        enum_column(ReferenceStatus, 20), default=ReferenceStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    last_message_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    corrected_start_date: Mapped[date | None]
    corrected_end_date: Mapped[date | None]
    corrected_role: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    answer_ip: Mapped[str | None] = mapped_column(String(64))
    answer_user_agent: Mapped[str | None] = mapped_column(String(400))
    # The applicant's last sign-in when the answer came, kept so the comparison does not drift later.
    applicant_ip: Mapped[str | None] = mapped_column(String(64))
    applicant_user_agent: Mapped[str | None] = mapped_column(String(400))
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("reference_requests.id", ondelete="SET NULL")
    )

    application: Mapped[Application] = relationship()
    engagement: Mapped[Engagement] = relationship()
    letter: Mapped[Document | None] = relationship(foreign_keys=[letter_id])
    # Its links (the first email's, each reminder's) are ExternalLink rows of kind "reference".
    links: Mapped[list[ExternalLink]] = relationship(
        primaryjoin=lambda: and_(
            ExternalLink.kind == LinkKind.REFERENCE, foreign(ExternalLink.request_id) == ReferenceRequest.id
        ),
        order_by=lambda: ExternalLink.id,
        viewonly=True,
    )

    @property
    def token_hash(self) -> str | None:
        """The SHA-256 of the first email's link."""
        return self.links[0].token_hash if self.links else None

    @property
    def is_current(self) -> bool:
        """The request standing for its engagement now: not resent, replaced or retired with it."""
        return self.replaced_by_id is None and self.status != ReferenceStatus.SUPERSEDED


class StaffVerification(db.Model):
    """A verification contact made by staff: whom they reached about an engagement, how, when, and the outcome."""

    __tablename__ = "staff_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    contact_name: Mapped[str] = mapped_column(String(200))
    method: Mapped[ContactMethod] = mapped_column(enum_column(ContactMethod, 20))
    contacted_on: Mapped[date]
    confirmed: Mapped[bool]
    note: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The referee's letter or saved email the reviewer accepted, when that is how it was verified.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    # What the document worker's cross-check said when the reviewer accepted it, in words.
    cross_check: Mapped[str | None] = mapped_column(Text)

    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    document: Mapped[Document | None] = relationship(foreign_keys=[document_id])
