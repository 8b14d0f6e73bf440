"""A credential application with its training records and mentoring engagements."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.models.users import User

if TYPE_CHECKING:
    from portal.models.documents import Document


class ApplicationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    AWAITING_PAYMENT = "awaiting_payment"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ApplicationKind(StrEnum):
    INITIAL = "initial"
    RENEWAL = "renewal"


class CentreStatus(StrEnum):
    ACCREDITED = "accredited"
    ENDORSED = "endorsed"
    NON_ACCREDITED = "non_accredited"


class TrainingMode(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    BLENDED = "blended"


class EngagementSetting(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"


class RefereeRelationship(StrEnum):
    MENTEE = "mentee"
    MANAGER = "manager"
    ORGANISATION = "organisation_representative"


class SupervisionFocus(StrEnum):
    SKILLS = "mentoring_skills"
    DOMAIN = "domain_knowledge"
    BOTH = "both"


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_applicant", "applicant_id", "created_at"),
        Index("ix_applications_state", "state", "submitted_at"),
        CheckConstraint("(state = 'draft') OR (submitted_at IS NOT NULL)", name="submitted_when_not_draft"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    credential_code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[ApplicationKind] = mapped_column(enum_column(ApplicationKind, 20), default=ApplicationKind.INITIAL)
    state: Mapped[ApplicationState] = mapped_column(enum_column(ApplicationState, 30), default=ApplicationState.DRAFT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    # Sections a reviewer reopened when returning the application; the rest stay read-only.
    reopened_sections: Mapped[list[str]] = mapped_column(JSON, default=list)

    # About you
    full_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    postal_address: Mapped[str | None] = mapped_column(Text)
    is_member: Mapped[bool | None]
    member_number: Mapped[str | None] = mapped_column(String(40))

    # Prerequisite credential (for credentials whose catalogue entry names one)
    prior_credential_number: Mapped[str | None] = mapped_column(String(40))
    prior_credential_issued_on: Mapped[date | None]

    # Supervision
    supervisor_name: Mapped[str | None] = mapped_column(String(200))
    supervisor_email: Mapped[str | None] = mapped_column(String(254))
    supervisor_address: Mapped[str | None] = mapped_column(Text)
    supervision_focus: Mapped[SupervisionFocus | None] = mapped_column(enum_column(SupervisionFocus, 30))
    supervision_sessions: Mapped[int | None]

    # Declaration of continuous learning and development
    declaration_accepted_at: Mapped[datetime | None]
    declaration_statement: Mapped[str | None] = mapped_column(Text)

    # Fee fixed at submission from the catalogue and the membership declared
    fee_amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    fee_currency: Mapped[str | None] = mapped_column(String(3))

    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    training_records: Mapped[list[TrainingRecord]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="TrainingRecord.id"
    )
    engagements: Mapped[list[Engagement]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Engagement.id"
    )

    @property
    def reference(self) -> str:
        """The application's public reference, e.g. ``CPM-000042``: quoted in emails and payments."""
        return f"{self.credential_code}-{self.id:06d}"


class TrainingRecord(db.Model):
    __tablename__ = "training_records"
    __table_args__ = (
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    centre_name: Mapped[str] = mapped_column(String(200))
    centre_status: Mapped[CentreStatus] = mapped_column(enum_column(CentreStatus, 30))
    programme_name: Mapped[str] = mapped_column(String(200))
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    mode: Mapped[TrainingMode] = mapped_column(enum_column(TrainingMode, 20))
    start_date: Mapped[date]
    end_date: Mapped[date]
    instructor_name: Mapped[str] = mapped_column(String(200))
    instructor_email: Mapped[str] = mapped_column(String(254))
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship(back_populates="training_records")
    certificate: Mapped[Document | None] = relationship(foreign_keys=[certificate_id])


class Engagement(db.Model):
    __tablename__ = "engagements"
    __table_args__ = (CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    mentee_name: Mapped[str] = mapped_column(String(200))
    mentee_email: Mapped[str] = mapped_column(String(254))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    setting: Mapped[EngagementSetting] = mapped_column(enum_column(EngagementSetting, 20))
    is_confidential: Mapped[bool] = mapped_column(default=False)
    # A referee is named for the engagements offered as references.
    referee_name: Mapped[str | None] = mapped_column(String(200))
    referee_email: Mapped[str | None] = mapped_column(String(254))
    referee_relationship: Mapped[RefereeRelationship | None] = mapped_column(enum_column(RefereeRelationship, 40))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship(back_populates="engagements")
    letter: Mapped[Document | None] = relationship(foreign_keys=[letter_id])

    @property
    def has_referee(self) -> bool:
        return bool(self.referee_email)

    def is_completed(self, today: date) -> bool:
        return self.end_date is not None and self.end_date <= today
