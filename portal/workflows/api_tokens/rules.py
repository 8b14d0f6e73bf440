"""What a token is: a recognisable prefix and 256 random bits, kept as its SHA-256 digest; when it works."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from portal.models.api_tokens import ApiToken
from portal.models.users import User

# Recognisable in logs, config files and secret scanners: a string starting with this is one of our tokens.
PREFIX = "imc_"
# How much of the secret the token list shows, so a leaked token can be found and revoked.
SHOWN = len(PREFIX) + 6
# A token's last use is written at most this often: a busy integration does not write on every request.
USE_RECORDED_EVERY = timedelta(minutes=1)


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """SHA-256, not a slow password hash: the secret has 256 random bits, nothing to guess from a dictionary."""
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_token(secret: str) -> bool:
    return secret.startswith(PREFIX) and 20 < len(secret) <= 200 and secret.isascii()


def works(token: ApiToken, owner: User, now: datetime) -> bool:
    """Not revoked or expired, and its owner still an active administrator: a token is no more than its admin."""
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return False
    return owner.is_active_account and owner.is_admin


def use_to_record(token: ApiToken, now: datetime, address: str | None) -> bool:
    return (
        token.last_used_at is None
        or now - token.last_used_at >= USE_RECORDED_EVERY
        or token.last_used_ip != address
    )
