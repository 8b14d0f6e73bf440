"""A mentee's career plan: milestones at 1, 2 and 4 years that outlive any one pairing, and their reviews."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, utcnow
from portal.models.users import User


class CareerPlan(db.Model):
    """One per mentee: every pairing they are in works on the same plan."""

    __tablename__ = "career_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    aspiration: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    mentee: Mapped[User] = relationship()
    milestones: Mapped[list[CareerMilestone]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="CareerMilestone.horizon_years"
    )
    reviews: Mapped[list[CareerPlanReview]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by=lambda: [CareerPlanReview.reviewed_at.desc(), CareerPlanReview.id.desc()],
    )


class CareerMilestone(db.Model):
    __tablename__ = "career_milestones"
    __table_args__ = (
        UniqueConstraint("plan_id", "horizon_years", name="uq_career_milestones_one_per_horizon"),
        CheckConstraint("horizon_years > 0", name="horizon_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("career_plans.id", ondelete="CASCADE"))
    horizon_years: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    target_on: Mapped[date]
    achieved_on: Mapped[date | None]

    plan: Mapped[CareerPlan] = relationship(back_populates="milestones")


class CareerPlanReview(db.Model):
    """A note on the plan made at a checkpoint of a pairing (the pairing may since have ended)."""

    __tablename__ = "career_plan_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("career_plans.id", ondelete="CASCADE"), index=True)
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="SET NULL"))
    checkpoint_month: Mapped[int | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text)
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[CareerPlan] = relationship(back_populates="reviews")
    author: Mapped[User | None] = relationship()
