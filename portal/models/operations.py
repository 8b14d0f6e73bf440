"""The portal's own running parts: worker heartbeats, for the health endpoint and operators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import db, utcnow


class WorkerHeartbeat(db.Model):
    __tablename__ = "worker_heartbeats"
    __table_args__ = (UniqueConstraint("hostname", "pid", name="host_pid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
