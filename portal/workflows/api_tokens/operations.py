"""Creating, using and revoking tokens; creation and revocation are audited against the token."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask_babel import gettext as _

from portal.db import db, utcnow
from portal.models.api_tokens import ApiToken
from portal.models.users import User
from portal.workflows.api_tokens.rules import SHOWN, digest, new_secret, use_to_record
from portal.workflows.audit import record
from portal.workflows.refusals import Refused


class TokenRefused(Refused):
    """The token cannot be created or revoked; the message says why."""


def create_token(
    owner: User, name: str, has_write_scope: bool, expires_on: date | None
) -> tuple[ApiToken, str]:
    """A new token for ``owner`` (an admin), and its secret: returned this once, only its digest is kept."""
    if not owner.is_admin:
        raise TokenRefused(_("Only administrators have API tokens."))
    if expires_on is not None and expires_on <= date.today():
        raise TokenRefused(fields={"expires_on": _("Choose a day after today, or leave it empty.")})
    secret = new_secret()
    token = ApiToken(
        owner_id=owner.id,
        name=name,
        prefix=secret[:SHOWN],
        digest=digest(secret),
        has_write_scope=has_write_scope,
        # Works up to the end of the day it expires on.
        expires_at=None if expires_on is None else datetime.combine(expires_on, time.max, tzinfo=UTC),
    )
    db.session.add(token)
    db.session.flush()
    scope = "read and write" if has_write_scope else "read"
    record(owner, token, "api_token_created", reason=f"{name} ({token.prefix}…, {scope})")
    return token, secret


def revoke_token(token: ApiToken, actor: User) -> None:
    if token.revoked_at is not None:
        raise TokenRefused(_("This token has already been revoked."))
    token.revoked_at, token.revoked_by_id = utcnow(), actor.id
    db.session.flush()
    record(actor, token, "api_token_revoked", reason=f"{token.name} ({token.prefix}…)")


def note_use(token: ApiToken, address: str | None) -> bool:
    """Remember when and from where the token was last used (at most once a minute). True when changed."""
    now = utcnow()
    if not use_to_record(token, now, address):
        return False
    token.last_used_at, token.last_used_ip = now, (address or "")[:64] or None
    db.session.flush()
    return True
