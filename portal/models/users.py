"""Accounts: applicants, reviewers and administrators."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import db, enum_column, utcnow
from portal.enums import Role


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # The reviewer lists on every queue page: a handful of staff among every applicant ever registered.
    __table_args__ = (Index("ix_users_role", "role", "full_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, 20), default=Role.APPLICANT)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Rotated at sign-out and password change so every older session cookie stops working.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Where the last sign-in came from: a reference answered from the same browser is flagged to reviewers.
    last_login_ip: Mapped[str | None] = mapped_column(String(64))
    last_login_user_agent: Mapped[str | None] = mapped_column(String(400))
    # Where the account was signed up from, as keyed digests (portal.workflows.accounts.rules.trace_digest):
    # pairings between accounts made from one address or device are flagged to coordinators. Only equality
    # is ever asked of them, so the raw address and browser string, which say where and on what someone
    # lives and works, are not kept; the key stops anyone with the table from trying every IPv4 address.
    signup_address_digest: Mapped[str | None] = mapped_column(String(64))
    signup_device_digest: Mapped[str | None] = mapped_column(String(64))
    # The person's own choices (their preferences page): the language of pages and emails and the time zone
    # dates and times are shown in; None follows the browser, then the portal's defaults.
    locale: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    # The public mentor profile is opt-in; its address is a slug, never the account's id or email.
    is_profile_public: Mapped[bool] = mapped_column(default=False)
    profile_slug: Mapped[str | None] = mapped_column(String(80), unique=True)
    # Two-factor sign-in (TOTP): the secret from enrolment on; in use once confirmed with a first code.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None]
    # The last time step a code was accepted for: a code is used once, even within its 30 seconds.
    totp_last_step: Mapped[int | None]
    # SHA-256 digests of the unused recovery codes.
    recovery_code_digests: Mapped[list[str] | None] = mapped_column(JSON)
    # Set when the person opened the link emailed at sign-up: until then the account cannot sign in.
    email_confirmed_at: Mapped[datetime | None]
    signup_token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    signup_token_expires_at: Mapped[datetime | None]
    # A password-reset link: only the SHA-256 of its random token is kept, with when it stops working.
    reset_token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    reset_token_expires_at: Mapped[datetime | None]

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def has_two_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    @property
    def is_reviewer(self) -> bool:
        return self.role in (Role.REVIEWER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN
