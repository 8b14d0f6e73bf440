"""Local chapters: their coordinators (not administrators) and the quarterly reports sent to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, utcnow
from portal.models.users import User


class Chapter(db.Model):
    __tablename__ = "chapters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    region: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    coordinators: Mapped[list[ChapterCoordinator]] = relationship(
        back_populates="chapter", cascade="all, delete-orphan"
    )


class ChapterCoordinator(db.Model):
    """A person who coordinates a chapter: they see its pairs' health and receive its reports."""

    __tablename__ = "chapter_coordinators"
    __table_args__ = (UniqueConstraint("chapter_id", "user_id", name="uq_chapter_coordinators_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    chapter: Mapped[Chapter] = relationship(back_populates="coordinators")
    user: Mapped[User] = relationship()


class ChapterReport(db.Model):
    """One quarterly progress report of a chapter: the row is the claim, so a second run sends nothing."""

    __tablename__ = "chapter_reports"
    __table_args__ = (UniqueConstraint("chapter_id", "quarter", name="uq_chapter_reports_one_per_quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id", ondelete="CASCADE"))
    quarter: Mapped[str] = mapped_column(String(7))  # "2026-Q4"
    pairs: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    chapter: Mapped[Chapter] = relationship()
