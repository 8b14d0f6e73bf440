"""Reading tokens: the one a request presents, and the list administrators manage."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import db, utcnow
from portal.models.api_tokens import ApiToken
from portal.workflows.api_tokens.rules import digest, looks_like_token, works


def authenticate(secret: str) -> ApiToken | None:
    """The token ``secret`` is, if it works now (else None: unknown, revoked, expired, or its admin gone)."""
    secret = (secret or "").strip()
    if not looks_like_token(secret):
        return None
    token = db.session.scalar(
        select(ApiToken).options(joinedload(ApiToken.owner)).where(ApiToken.digest == digest(secret))
    )
    if token is None or not works(token, token.owner, utcnow()):
        return None
    return token


def all_tokens() -> list[ApiToken]:
    """Every token, working ones first, newest first: any admin may revoke any, as with a leaver's."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .options(joinedload(ApiToken.owner))
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )
