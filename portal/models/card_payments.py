"""Card payments: each event the card processor sent (kept once, by its id), and refunds of recorded payments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import CardEventOutcome
from portal.models.applications import Application
from portal.models.payments import Payment


class CardEvent(db.Model):
    """An event received from the card processor, once: a replay of the same id changes nothing."""

    __tablename__ = "card_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(30))
    # The processor's own event id (evt_…): unique, so a replayed event is found and left alone.
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    outcome: Mapped[CardEventOutcome] = mapped_column(enum_column(CardEventOutcome, 20))
    # What was done, or what an admin should look at (an unknown application, a mismatched amount).
    note: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application | None] = relationship()


class Refund(db.Model):
    """Money given back against a recorded payment, as the card processor reported it."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3))
    # The processor's reference for the refunded charge.
    transaction_reference: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    payment: Mapped[Payment] = relationship()
