"""A supervisor's declaration for an application: asked by an emailed single-use link, answered in their name."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import DeclarationStatus, SupervisionFocus

if TYPE_CHECKING:
    from portal.models.applications import Application


class SupervisorDeclaration(db.Model):
    __tablename__ = "supervisor_declarations"
    __table_args__ = (
        Index("ix_supervisor_declarations_application", "application_id", "status"),
        Index("ix_supervisor_declarations_due", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    # The supervisor as the applicant named them when the request was sent.
    supervisor_name: Mapped[str] = mapped_column(String(200))
    supervisor_email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[DeclarationStatus] = mapped_column(
        enum_column(DeclarationStatus, 20), default=DeclarationStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    last_message_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    # What the supervisor declared.
    supervising_since: Mapped[date | None]
    focus: Mapped[SupervisionFocus | None] = mapped_column(enum_column(SupervisionFocus, 30))
    practising_mentor: Mapped[bool | None]
    knows_imc_standards: Mapped[bool | None]
    sessions_last_year: Mapped[int | None]
    conflicts: Mapped[list[str] | None] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)  # the reason when declining
    answer_ip: Mapped[str | None] = mapped_column(String(64))
    answer_user_agent: Mapped[str | None] = mapped_column(String(400))
    # The applicant's last sign-in when the answer came, kept so the comparison does not drift later.
    applicant_ip: Mapped[str | None] = mapped_column(String(64))
    applicant_user_agent: Mapped[str | None] = mapped_column(String(400))
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervisor_declarations.id", ondelete="SET NULL")
    )

    application: Mapped[Application] = relationship()

    @property
    def is_current(self) -> bool:
        """The declaration standing for the application now: not resent or replaced."""
        return self.replaced_by_id is None and self.status != DeclarationStatus.SUPERSEDED
