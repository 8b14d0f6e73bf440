"""The member register an admin keeps, and each application's claim to the member rate checked against it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import MembershipStatus
from portal.models.users import User


class Member(db.Model):
    """One member of the body: the number is stored normalised (upper case, no spaces), so it is unique."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    valid_until: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])


class MembershipCheck(db.Model):
    """An application's claim to the member rate: what the register said, and what a reviewer decided."""

    __tablename__ = "membership_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    number: Mapped[str] = mapped_column(String(40))
    status: Mapped[MembershipStatus] = mapped_column(enum_column(MembershipStatus, 20))
    # What matched ("number, email"), or why the claim could not be verified.
    detail: Mapped[str] = mapped_column(Text)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A reviewer's decision by hand (confirmed, or found false), who and why.
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    member: Mapped[Member | None] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_met(self) -> bool:
        return self.status in (MembershipStatus.VERIFIED, MembershipStatus.CONFIRMED)
