"""Account rules on plain data: how e-mail addresses compare and how passwords are hashed (argon2)."""

from __future__ import annotations

from argon2 import PasswordHasher

from portal.workflows.refusals import Refused

_hasher = PasswordHasher()


class AccountError(Refused):
    """A problem a person can fix; the message says what."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)
