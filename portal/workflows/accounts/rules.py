"""Account rules on plain data: how e-mail addresses compare, how passwords are hashed (argon2) and judged,
how one-time codes (TOTP) and recovery codes are made and checked, and how single-use tokens are kept."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from portal.enums import Role
from portal.workflows.refusals import Refused

_hasher = PasswordHasher()

# zxcvbn's scale: 0 too guessable, 1 very guessable, 2 somewhat, 3 safely unguessable, 4 very unguessable.
MIN_PASSWORD_STRENGTH = 3
STRENGTH_LABELS = (_l("Very weak"), _l("Weak"), _l("Fair"), _l("Strong"), _l("Very strong"))
# zxcvbn refuses more than 72 characters (its time grows with length); those decide any real password.
_JUDGED_LENGTH = 72
ISSUER = "IMC Credentials"
RECOVERY_CODES = 10
# How long the link emailed at sign-up works.
SIGNUP_LINK_HOURS = 48
# Roles that see other people's personal data sign in with a second factor.
TWO_FACTOR_ROLES = (Role.REVIEWER, Role.ADMIN)


class AccountError(Refused):
    """A problem a person can fix; the message says what."""


@dataclass(frozen=True)
class Origin:
    """Where a request came from: the client's address (already the forwarded one when the portal sits behind
    ``TRUSTED_PROXIES`` proxies: ProxyFix rewrites it) and its User-Agent."""

    address: str | None = None
    user_agent: str | None = None


def trace_digest(value: str | None, key: str) -> str | None:
    """A keyed SHA-256 of an address or User-Agent: equal values give equal digests, and without the key the
    value cannot be found by trying every address. None for nothing to keep."""
    value = (value or "").strip()
    if not value:
        return None
    return hmac.new(key.encode(), b"sign-up trace\0" + value.encode(), hashlib.sha256).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_strength(password: str, *context: str) -> tuple[int, str | None]:
    """The password's strength (0-4) and, below ``MIN_PASSWORD_STRENGTH``, what is wrong and what to do.

    Judged against zxcvbn's lists of common and leaked passwords, words and names, keyboard patterns,
    dates and repeats, and against ``context`` (the person's email and name).
    """
    hints = [part.lower() for value in context if value for part in re.split(r"[\s@.]+", value) if part]
    result = zxcvbn(password[:_JUDGED_LENGTH], user_inputs=hints)
    score = result["score"]
    if score >= MIN_PASSWORD_STRENGTH:
        return score, None
    feedback = result["feedback"]
    warning = feedback.get("warning") or _("This password would be easy to guess.")
    advice = " ".join(feedback.get("suggestions") or []) or _("Use three or four uncommon words together.")
    return score, f"{warning.rstrip('.')}. {advice}"


def needs_two_factor(role: Role) -> bool:
    return role in TWO_FACTOR_ROLES


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str) -> str:
    """The ``otpauth://`` URI an authenticator app takes (typed or as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def totp_step(secret: str, code: str, after_step: int | None, now: float | None = None) -> int | None:
    """The time step ``code`` is valid for (this one, the one before or after, for clock drift), if it is
    later than ``after_step`` (a code is used once), else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now) // totp.interval
    for step in (current - 1, current, current + 1):
        if (after_step is None or step > after_step) and hmac.compare_digest(
            totp.at(step * totp.interval), code
        ):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Codes to print or keep, each usable once in place of a one-time code: ``xxxxx-xxxxx`` in base 32."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    return [
        "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]


def token_digest(token: str) -> str:
    """What is stored of a single-use token or recovery code: its SHA-256 (the token itself is random)."""
    return hashlib.sha256(token.strip().lower().encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)
