"""A person answers by link: the single-use links of every kind of request sent to someone without an account.

Referees (reference requests), supervisors (declarations) and supervisors again (supervision sessions) are
emailed a link carrying a random token. Every such link of every kind is one row here, and only the token's
SHA-256 is kept, so a database leak does not leak working links. The request itself (its state, expiry,
reminders and answer) stays with its kind; the row says which kind and which request the link opens.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import db, enum_column, utcnow
from portal.enums import LinkKind


class ExternalLink(db.Model):
    """One emailed link to a request: the first email's, or a reminder's (the earlier links keep working
    until the request is answered, expires or is superseded — a reminder needs a link, and the first one
    cannot be rebuilt from its hash)."""

    __tablename__ = "external_links"
    __table_args__ = (Index("ix_external_links_request", "kind", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LinkKind] = mapped_column(enum_column(LinkKind, 30))
    request_id: Mapped[int]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
