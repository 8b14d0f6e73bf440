"""Issued credentials: number, holder, dates, revocation, and the expiry notices already sent."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, utcnow
from portal.enums import CredentialStatus
from portal.models.users import User

if TYPE_CHECKING:
    from portal.models.applications import Application


class IssuedCredential(db.Model):
    __tablename__ = "credentials"
    __table_args__ = (
        Index("ix_credentials_holder", "holder_id", "issued_on"),
        Index("ix_credentials_expiry", "expires_on", "revoked_at"),
        # The public verification page looks up a credential's successor on every view.
        Index("ix_credentials_previous", "previous_id"),
        # A status list's set bits, read on every fetch of the list: only revoked credentials are indexed.
        Index(
            "ix_credentials_revoked_in_status_list",
            "status_list_index",
            postgresql_where=text("revoked_at IS NOT NULL"),
            sqlite_where=text("revoked_at IS NOT NULL"),
        ),
        CheckConstraint("expires_on > issued_on", name="expires_after_issue"),
        CheckConstraint(
            "(revoked_at IS NULL AND revoked_reason IS NULL) OR "
            "(revoked_at IS NOT NULL AND revoked_reason IS NOT NULL)",
            name="revoked_with_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, so the public verification page cannot be walked through by counting.
    number: Mapped[str] = mapped_column(String(40), unique=True)
    credential_code: Mapped[str] = mapped_column(String(20))
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    # The credential this one renews.
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("credentials.id", ondelete="SET NULL"))
    # Kept as issued: later changes to the account or the application do not rewrite a certificate.
    holder_name: Mapped[str] = mapped_column(String(200))
    training_hours: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expired_at: Mapped[datetime | None]  # set by the expiry sweep
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Its bit in the published revocation status list, for good: set from the id when issued, so two issued at
    # once never share one. Empty only between the insert and that update, inside the issuing transaction.
    status_list_index: Mapped[int | None] = mapped_column(unique=True)

    holder: Mapped[User] = relationship(foreign_keys=[holder_id])
    application: Mapped[Application] = relationship(foreign_keys=[application_id])
    previous: Mapped[IssuedCredential | None] = relationship(remote_side=[id], foreign_keys=[previous_id])

    def status_on(self, today: date, expiring_soon_days: int) -> CredentialStatus:
        if self.revoked_at is not None:
            return CredentialStatus.REVOKED
        if today > self.expires_on:
            return CredentialStatus.EXPIRED
        if today >= self.expires_on - timedelta(days=expiring_soon_days):
            return CredentialStatus.EXPIRING_SOON
        return CredentialStatus.VALID


class CredentialNotice(db.Model):
    """An expiry notice sent to a holder; the unique key makes each one go once, whatever the sweep does."""

    __tablename__ = "credential_notices"
    __table_args__ = (UniqueConstraint("credential_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    credential_id: Mapped[int] = mapped_column(ForeignKey("credentials.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))  # "expiring_90", "expiring_30", "expired"
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
