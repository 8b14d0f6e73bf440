"""Accounts: sign-up, passwords (argon2), sign-in bookkeeping and password reset by signed link."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.db import db
from portal.models.users import User
from portal.workflows.accounts.rules import normalise_email


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def user_for_reset_digest(digest: str) -> User | None:
    return db.session.scalar(select(User).where(User.reset_token_digest == digest))


def user_for_signup_digest(digest: str) -> User | None:
    return db.session.scalar(select(User).where(User.signup_token_digest == digest))
