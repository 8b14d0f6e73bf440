"""Fees and payments: the payment recorded against an application, and fee overrides set by an admin."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import PaymentMethod
from portal.models.users import User

if TYPE_CHECKING:
    from portal.models.applications import Application


class Payment(db.Model):
    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One payment per application: a second recording of the same fee fails at the database.
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    provider: Mapped[str] = mapped_column(String(30))
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod, 20))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3))
    # The bank's or card processor's own reference for the money received.
    transaction_reference: Mapped[str] = mapped_column(String(100))
    received_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship(back_populates="payment")
    recorded_by: Mapped[User | None] = relationship()

    @property
    def receipt_number(self) -> str:
        return f"RCT-{self.id:06d}"


class FeeOverride(db.Model):
    """A fee set by an admin, applied over the catalogue's value for new submissions."""

    __tablename__ = "fee_overrides"
    __table_args__ = (
        UniqueConstraint("credential_code", "is_member"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    credential_code: Mapped[str] = mapped_column(String(20))
    is_member: Mapped[bool]
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class FeeDifference(db.Model):
    """The member rate claimed on a false claim: the difference to the non-member fee, asked for and paid.

    Recorded by an admin like the fee itself (a bank transfer or a card receipt); review waits for it.
    """

    __tablename__ = "fee_differences"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("(received_on IS NULL) = (paid_at IS NULL)", name="paid_when_received"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The payment of it, as an admin recorded it.
    method: Mapped[PaymentMethod | None] = mapped_column(enum_column(PaymentMethod, 20))
    transaction_reference: Mapped[str | None] = mapped_column(String(100))
    received_on: Mapped[date | None]
    paid_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship(back_populates="fee_difference")

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None
