"""Mentoring programmes: mentor profiles, pairings and their agreement, meetings, evaluations, supervision."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import (
    GoalProgress,
    MeetingMode,
    PairingRole,
    PairingState,
    SupervisionFocus,
    SupervisionStatus,
)
from portal.models.users import User


class Programme(db.Model):
    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint("term_months > 0", name="term_positive"),
        CheckConstraint("recommended_meetings_max >= recommended_meetings_min", name="recommended_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    term_months: Mapped[int]
    minimum_meetings_per_year: Mapped[int]
    recommended_meetings_min: Mapped[int]
    recommended_meetings_max: Mapped[int]
    face_to_face_per_year: Mapped[int]
    confidentiality_terms: Mapped[str] = mapped_column(Text)
    is_open: Mapped[bool] = mapped_column(default=True)
    # Conflicts of interest are reported to this person; with nobody named, to every administrator.
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    coordinator: Mapped[User | None] = relationship()
    checkpoints: Mapped[list[ProgrammeCheckpoint]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="ProgrammeCheckpoint.month"
    )


class ProgrammeCheckpoint(db.Model):
    __tablename__ = "programme_checkpoints"
    __table_args__ = (CheckConstraint("month > 0", name="month_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    month: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    programme: Mapped[Programme] = relationship(back_populates="checkpoints")


class MentorProfile(db.Model):
    __tablename__ = "mentor_profiles"
    __table_args__ = (
        Index("ix_mentor_profiles_directory", "is_published", "sector", "region"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    expertise: Mapped[str] = mapped_column(Text)
    sector: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100))  # a region or a chapter
    bio: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int]  # protégés at once
    is_published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()


class Pairing(db.Model):
    __tablename__ = "pairings"
    __table_args__ = (
        Index("ix_pairings_mentor", "mentor_id", "state"),
        Index("ix_pairings_mentee", "mentee_id", "state"),
        Index("ix_pairings_programme", "programme_id", "state"),
        CheckConstraint("mentor_id <> mentee_id", name="two_people"),
        CheckConstraint("term_end IS NULL OR term_end >= term_start", name="term_ordered"),
        CheckConstraint(
            "(state <> 'active' AND state <> 'completed') OR "
            "(mentor_signed_at IS NOT NULL AND mentee_signed_at IS NOT NULL)",
            name="signed_when_active",
        ),
        CheckConstraint(
            "(state = 'completed') = (completed_at IS NOT NULL)", name="completed_when_completed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    state: Mapped[PairingState] = mapped_column(enum_column(PairingState, 20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    request_message: Mapped[str | None] = mapped_column(Text)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    matched_at: Mapped[datetime | None]  # the mentor accepted, or a coordinator paired them
    renewed_from_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="SET NULL"))
    renewal_proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The local chapter the pair keeps informed (portal.models.chapters).
    chapter_id: Mapped[int | None] = mapped_column(ForeignKey("chapters.id", ondelete="SET NULL"), index=True)

    # The agreement
    term_start: Mapped[date | None]
    term_end: Mapped[date | None]  # the term's last day
    confidentiality_terms: Mapped[str | None] = mapped_column(Text)
    mentor_signed_name: Mapped[str | None] = mapped_column(String(200))
    mentor_signed_at: Mapped[datetime | None]
    mentee_signed_name: Mapped[str | None] = mapped_column(String(200))
    mentee_signed_at: Mapped[datetime | None]
    # A coordinator let this one agreement's term start further back than the usual grace, with a reason.
    early_start_from: Mapped[date | None]
    early_start_reason: Mapped[str | None] = mapped_column(Text)
    early_start_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    early_start_at: Mapped[datetime | None]

    # The end of the term
    mentee_confirmed_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    # A coordinator who is not a party to it confirmed it: only then does it count as a verified reference.
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    programme: Mapped[Programme] = relationship()
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    early_start_by: Mapped[User | None] = relationship(foreign_keys=[early_start_by_id])
    goals: Mapped[list[Goal]] = relationship(
        back_populates="pairing", cascade="all, delete-orphan", order_by="Goal.position"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="pairing",
        cascade="all, delete-orphan",
        order_by=lambda: [Meeting.held_on.desc(), Meeting.id.desc()],
    )
    checkpoints: Mapped[list[PairCheckpoint]] = relationship(
        back_populates="pairing", cascade="all, delete-orphan", order_by="PairCheckpoint.due_on"
    )
    declarations: Mapped[list[ConflictDeclaration]] = relationship(
        back_populates="pairing", cascade="all, delete-orphan"
    )
    evaluations: Mapped[list[Evaluation]] = relationship(
        back_populates="pairing", cascade="all, delete-orphan"
    )

    def role_of(self, user: User) -> PairingRole | None:
        if user.id == self.mentor_id:
            return PairingRole.MENTOR
        if user.id == self.mentee_id:
            return PairingRole.MENTEE
        return None

    def partner_of(self, user: User) -> User:
        return self.mentee if user.id == self.mentor_id else self.mentor

    def has_signed(self, role: PairingRole) -> bool:
        return (self.mentor_signed_at if role == PairingRole.MENTOR else self.mentee_signed_at) is not None

    @property
    def is_signed(self) -> bool:
        return self.mentor_signed_at is not None and self.mentee_signed_at is not None


class ConflictDeclaration(db.Model):
    """A member's declaration: not manager and subordinate, not competitors, not in one reporting line."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (
        UniqueConstraint("pairing_id", "user_id", name="uq_conflict_declarations_one_per_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    is_manager_or_subordinate: Mapped[bool]
    is_direct_competitor: Mapped[bool]
    is_same_reporting_line: Mapped[bool]
    details: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)

    pairing: Mapped[Pairing] = relationship(back_populates="declarations")
    user: Mapped[User] = relationship()

    @property
    def has_conflict(self) -> bool:
        return self.is_manager_or_subordinate or self.is_direct_competitor or self.is_same_reporting_line


class Goal(db.Model):
    """A SMART goal of the agreement: the specific goal, how it is measured, its deadline in the term."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("pairing_id", "position", name="one_per_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    position: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date]

    pairing: Mapped[Pairing] = relationship(back_populates="goals")
    notes: Mapped[list[GoalNote]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalNote.created_at"
    )


class GoalNote(db.Model):
    __tablename__ = "goal_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    progress: Mapped[GoalProgress] = mapped_column(enum_column(GoalProgress, 20))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class Meeting(db.Model):
    """A meeting of the pair: held once its date has come, planned until then. Its notes are the pair's."""

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_pairing", "pairing_id", "held_on"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    starts_at: Mapped[time | None]  # the pair's local time
    mode: Mapped[MeetingMode] = mapped_column(enum_column(MeetingMode, 20))
    duration_minutes: Mapped[int]
    notes: Mapped[str | None] = mapped_column(Text)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pairing: Mapped[Pairing] = relationship(back_populates="meetings")
    logged_by: Mapped[User | None] = relationship()


class PairCheckpoint(db.Model):
    """A programme checkpoint fixed onto a pair's term when the agreement is signed."""

    __tablename__ = "pair_checkpoints"
    __table_args__ = (Index("ix_pair_checkpoints_due", "completed_on", "reminder_sent_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), index=True)
    month: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date]
    completed_on: Mapped[date | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reminder_sent_at: Mapped[datetime | None]

    pairing: Mapped[Pairing] = relationship(back_populates="checkpoints")


class Evaluation(db.Model):
    """A member's final evaluation of their partner and of the programme."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("pairing_id", "author_id", name="uq_evaluations_one_per_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[PairingRole] = mapped_column(enum_column(PairingRole, 10))
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # question key -> 1..5
    about_partner: Mapped[str] = mapped_column(Text, default="")
    about_programme: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    pairing: Mapped[Pairing] = relationship(back_populates="evaluations")
    author: Mapped[User] = relationship()


class SupervisionSession(db.Model):
    """A supervision session a mentor logged, confirmed by the supervisor from an emailed single-use link."""

    __tablename__ = "supervision_sessions"
    __table_args__ = (
        Index("ix_supervision_sessions_mentor", "mentor_id", "status", "held_on"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint(
            "(status IN ('pending', 'expired')) = (answered_at IS NULL)", name="answered_when_not_pending"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    supervisor_name: Mapped[str] = mapped_column(String(200))
    supervisor_email: Mapped[str] = mapped_column(String(254))
    held_on: Mapped[date]
    duration_minutes: Mapped[int]
    focus: Mapped[SupervisionFocus] = mapped_column(enum_column(SupervisionFocus, 30))
    # Its links are ExternalLink rows of kind "supervision_session" (only their SHA-256 is kept).
    status: Mapped[SupervisionStatus] = mapped_column(
        enum_column(SupervisionStatus, 20), default=SupervisionStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_message_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    answered_at: Mapped[datetime | None]

    mentor: Mapped[User] = relationship()
