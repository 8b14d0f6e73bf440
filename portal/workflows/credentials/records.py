"""Issued credentials as records for staff integrations (the JSON API): filtered and paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.models.credentials import IssuedCredential


@dataclass(frozen=True)
class CredentialFilters:
    credential_code: str | None = None
    revoked: bool | None = None
    issued_after: date | None = None  # on or after this day
    issued_before: date | None = None  # before this day


def credentials_page(filters: CredentialFilters, page: int, per_page: int):
    """Credentials, most recently issued first."""
    statement = (
        select(IssuedCredential)
        .options(
            joinedload(IssuedCredential.holder),
            joinedload(IssuedCredential.application),
            joinedload(IssuedCredential.previous),
        )
        .order_by(IssuedCredential.issued_on.desc(), IssuedCredential.id.desc())
    )
    if filters.credential_code:
        statement = statement.where(IssuedCredential.credential_code == filters.credential_code)
    if filters.revoked is not None:
        revoked = IssuedCredential.revoked_at.is_not(None)
        statement = statement.where(revoked if filters.revoked else ~revoked)
    if filters.issued_after is not None:
        statement = statement.where(IssuedCredential.issued_on >= filters.issued_after)
    if filters.issued_before is not None:
        statement = statement.where(IssuedCredential.issued_on < filters.issued_before)
    return db.paginate(statement, page=page, per_page=per_page, max_per_page=per_page, error_out=False)


def successor_numbers(credentials: list[IssuedCredential]) -> dict[int, str]:
    """The number of the credential that renewed each of ``credentials`` (by id), read in one query."""
    ids = [credential.id for credential in credentials]
    if not ids:
        return {}
    rows = db.session.execute(
        select(IssuedCredential.previous_id, IssuedCredential.number)
        .where(IssuedCredential.previous_id.in_(ids))
        .order_by(IssuedCredential.id.desc())
    )
    return {previous_id: number for previous_id, number in rows}
