"""A credential application with its training records and mentoring engagements."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import (
    ApplicationKind,
    ApplicationState,
    CentreStatus,
    DisputeOutcome,
    EngagementSetting,
    RefereeRelationship,
    SupervisionFocus,
    TrainingMode,
)
from portal.models.users import User

if TYPE_CHECKING:
    from portal.models.credentials import IssuedCredential
    from portal.models.documents import Document
    from portal.models.payments import FeeDifference, Payment
    from portal.models.programmes import Pairing


def application_reference(credential_code: str, application_id: int) -> str:
    return f"{credential_code}-{application_id:06d}"


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_applicant", "applicant_id", "created_at"),
        Index("ix_applications_state", "state", "submitted_at"),
        CheckConstraint("(state = 'draft') OR (submitted_at IS NOT NULL)", name="submitted_when_not_draft"),
        CheckConstraint(
            "(state IN ('approved', 'rejected') AND decided_at IS NOT NULL) OR "
            "(state NOT IN ('approved', 'rejected') AND decided_at IS NULL)",
            name="decided_when_decided",
        ),
        # The review queue filters by state and sorts by waiting time; reviewers filter by assignment.
        Index("ix_applications_queue", "state", "paid_at"),
        # The queue's default view, longest waiting first, read in order with no sort of every open
        # application; the states are workflows.review.CLOCK_RUNNING, all of them past payment.
        Index(
            "ix_applications_clock_running",
            "paid_at",
            "id",
            postgresql_where=text("state IN ('in_review', 'awaiting_second_review', 'resubmitted')"),
            sqlite_where=text("state IN ('in_review', 'awaiting_second_review', 'resubmitted')"),
        ),
        # The queue's counts in one pass over the same applications: how many, the reviewer's, the late ones.
        Index(
            "ix_applications_running_counts",
            "reviewer_id",
            "review_due_at",
            postgresql_where=text("state IN ('in_review', 'awaiting_second_review', 'resubmitted')"),
            sqlite_where=text("state IN ('in_review', 'awaiting_second_review', 'resubmitted')"),
        ),
        Index("ix_applications_due", "state", "review_due_at"),
        Index("ix_applications_reviewer", "reviewer_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    credential_code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[ApplicationKind] = mapped_column(
        enum_column(ApplicationKind, 20), default=ApplicationKind.INITIAL
    )
    state: Mapped[ApplicationState] = mapped_column(
        enum_column(ApplicationState, 30), default=ApplicationState.DRAFT
    )
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
    # The language the supervisor is written to in; None: the applicant's own.
    supervisor_language: Mapped[str | None] = mapped_column(String(8))
    supervision_focus: Mapped[SupervisionFocus | None] = mapped_column(enum_column(SupervisionFocus, 30))
    supervision_sessions: Mapped[int | None]

    # Declaration of continuous learning and development
    declaration_accepted_at: Mapped[datetime | None]
    declaration_statement: Mapped[str | None] = mapped_column(Text)

    # Fee fixed at submission from the catalogue and the membership declared
    fee_amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    fee_currency: Mapped[str | None] = mapped_column(String(3))

    # Review: who has it, when the fee arrived, when a decision is expected (payment date + catalogue target).
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    review_due_at: Mapped[datetime | None]
    # The review clock stands still while the applicant owes an answer to a reviewer's question: since when
    # (None while it runs), and the whole days it has stood still before (review_due_at moved by them).
    clock_paused_at: Mapped[datetime | None]
    clock_paused_days: Mapped[int] = mapped_column(default=0, server_default="0")
    decided_at: Mapped[datetime | None]
    # A reviewer checked the declared prior credential with its issuer (credentials not issued by the portal).
    prerequisite_checked_at: Mapped[datetime | None]
    prerequisite_checked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    # Renewal: the credential this application renews (kind = renewal).
    renews_credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credentials.id", ondelete="SET NULL", use_alter=True)
    )

    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    renews_credential: Mapped[IssuedCredential | None] = relationship(foreign_keys=[renews_credential_id])
    payment: Mapped[Payment | None] = relationship(back_populates="application", uselist=False)
    # A false claim to the member rate: the difference to the non-member fee, asked for and paid.
    fee_difference: Mapped[FeeDifference | None] = relationship(back_populates="application", uselist=False)
    issued_credential: Mapped[IssuedCredential | None] = relationship(
        foreign_keys="IssuedCredential.application_id", uselist=False, viewonly=True
    )
    supervision_years: Mapped[list[SupervisionYear]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="SupervisionYear.year_number"
    )
    training_records: Mapped[list[TrainingRecord]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="TrainingRecord.id"
    )
    engagements: Mapped[list[Engagement]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Engagement.id"
    )

    @property
    def reference(self) -> str:
        """The application's public reference, e.g. ``CPM-000042``: quoted in emails and payments."""
        return application_reference(self.credential_code, self.id)

    @property
    def is_renewal(self) -> bool:
        return self.kind == ApplicationKind.RENEWAL


class TrainingRecord(db.Model):
    __tablename__ = "training_records"
    __table_args__ = (
        Index("ix_training_records_centre", "application_id", "centre_status"),
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
    # Indexed: the document worker finds a certificate's record by it.
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )

    application: Mapped[Application] = relationship(back_populates="training_records")
    certificate: Mapped[Document | None] = relationship(foreign_keys=[certificate_id])


class Engagement(db.Model):
    __tablename__ = "engagements"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint(
            "(dispute_outcome IS NULL) = (dispute_resolved_at IS NULL)", name="dispute_resolved_when_decided"
        ),
    )

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
    referee_relationship: Mapped[RefereeRelationship | None] = mapped_column(
        enum_column(RefereeRelationship, 40)
    )
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    # A completed pairing of a mentoring programme: already verified there, so no referee is asked.
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="SET NULL"), index=True)
    # A referee declined or corrected it: a reviewer decided whether it counts, when, why and who.
    dispute_outcome: Mapped[DisputeOutcome | None] = mapped_column(enum_column(DisputeOutcome, 20))
    dispute_resolved_at: Mapped[datetime | None]
    dispute_resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    dispute_reason: Mapped[str | None] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="engagements")
    letter: Mapped[Document | None] = relationship(foreign_keys=[letter_id])
    pairing: Mapped[Pairing | None] = relationship(foreign_keys=[pairing_id])

    @property
    def has_referee(self) -> bool:
        return bool(self.referee_email)

    @property
    def is_from_programme(self) -> bool:
        return self.pairing_id is not None

    @property
    def is_pre_verified(self) -> bool:
        """A programme pairing that a coordinator, not a party to it, confirmed: no referee is needed."""
        return self.pairing is not None and self.pairing.verified_at is not None

    def is_completed(self, today: date) -> bool:
        return self.end_date is not None and self.end_date <= today


class SupervisionYear(db.Model):
    """Supervision in one year of a renewed credential's cycle: how many sessions, and with whom."""

    __tablename__ = "supervision_years"
    __table_args__ = (
        UniqueConstraint("application_id", "year_number"),
        CheckConstraint("sessions >= 0", name="sessions_not_negative"),
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    year_number: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    sessions: Mapped[int]
    supervisor_name: Mapped[str] = mapped_column(String(200))
    supervisor_email: Mapped[str] = mapped_column(String(254))

    application: Mapped[Application] = relationship(back_populates="supervision_years")
