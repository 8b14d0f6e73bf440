"""Accounts: sign-up, passwords (argon2), sign-in bookkeeping and password reset by signed link."""

from __future__ import annotations

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.db import db, utcnow
from portal.enums import Role
from portal.models.users import User, new_session_token
from portal.notifications import send_email
from portal.workflows.accounts.queries import find_user
from portal.workflows.accounts.rules import AccountError, _hasher, normalise_email
from portal.workflows.audit import record

_RESET_SALT = "password-reset"


def register(email: str, password: str, full_name: str, role: Role = Role.APPLICANT) -> User:
    """Create an account. Raises :class:`AccountError` if the email is taken. Flushes, never commits."""
    if find_user(email) is not None:
        raise AccountError(
            "An account with this email address already exists. Sign in or reset your password."
        )
    user = User(
        email=normalise_email(email),
        full_name=full_name.strip(),
        password_hash=_hasher.hash(password),
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    record(None, user, "register", to_state=role.value)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, else None (the same answer for either mistake)."""
    user = find_user(email)
    if user is None or not user.is_active:
        _hasher.hash(password)  # spend the same time whether or not the account exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie issued to ``user`` (sign-out, password change)."""
    user.session_token = new_session_token()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def reset_token(user: User) -> str:
    # The hash's tail ties the link to the current password, so a link works once.
    return _serializer().dumps({"user": user.id, "pw": user.password_hash[-16:]})


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way (no account enumeration)."""
    user = find_user(email)
    if user is None or not user.is_active:
        return
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    send_email("password_reset", user.email, related=user, user=user, token=reset_token(user), hours=hours)


def user_for_reset_token(token: str) -> User:
    """The user a valid, unused, unexpired reset token belongs to, else :class:`AccountError`."""
    max_age = current_app.config["PASSWORD_RESET_HOURS"] * 3600
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise AccountError("This password reset link has expired. Ask for a new one.") from error
    except BadSignature as error:
        raise AccountError("This password reset link is not valid. Ask for a new one.") from error
    user = db.session.get(User, data.get("user"))
    if user is None or not user.is_active or user.password_hash[-16:] != data.get("pw"):
        raise AccountError("This password reset link has already been used. Ask for a new one.")
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    user.password_hash = _hasher.hash(new_password)
    end_sessions(user)
    record(user, user, "password_reset")
    return user
