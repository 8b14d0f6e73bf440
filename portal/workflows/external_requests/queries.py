"""Finding the request a link opens, of any kind."""

from __future__ import annotations

import hmac
from typing import Any

from sqlalchemy import select

from portal.db import db
from portal.enums import LinkKind
from portal.models.external_requests import ExternalLink
from portal.workflows.external_requests.rules import hash_token


def request_for_token(kind: LinkKind, model: type, token: str) -> Any | None:
    """The request of ``kind`` (a row of ``model``) a link opens — its first email's or a reminder's — else
    None. Only the token's SHA-256 is looked up; a token of another kind opens nothing."""
    if not token or len(token) > 128:
        return None
    digest = hash_token(token)
    found = db.session.execute(
        select(ExternalLink.request_id, ExternalLink.token_hash).where(
            ExternalLink.token_hash == digest, ExternalLink.kind == kind
        )
    ).first()
    if found is None or not hmac.compare_digest(found[1], digest):
        return None
    return db.session.get(model, found[0])
