"""API tokens: an administrator's keys for the JSON API, kept as digests of secrets shown once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, utcnow
from portal.models.users import User


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_owner", "owner_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The token acts as this administrator: their role, their conflicts of interest, their name in the audit.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the secret (``imc_AbC1``), so a leaked token can be found in the list.
    prefix: Mapped[str] = mapped_column(String(16))
    # SHA-256 of the whole secret: the secret itself is shown once and never stored.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    has_write_scope: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None]
    last_used_ip: Mapped[str | None] = mapped_column(String(64))

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
