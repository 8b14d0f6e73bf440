"""The close-out of a pairing: progress on each goal, the mentee's next steps, readiness for certification."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import CertificationReadiness
from portal.models.programmes import Pairing
from portal.models.users import User


class Closeout(db.Model):
    __tablename__ = "closeouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), unique=True)
    # goal position (as text: JSON keys) -> {"progress": GoalProgress value, "comment": text}
    goal_outcomes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    next_steps: Mapped[str] = mapped_column(Text)
    readiness: Mapped[CertificationReadiness] = mapped_column(enum_column(CertificationReadiness, 20))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    pairing: Mapped[Pairing] = relationship()
    recorded_by: Mapped[User | None] = relationship()
