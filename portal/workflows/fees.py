"""Fees: the catalogue's fees with an admin's overrides applied over them."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from portal.db import db
from portal.models.payments import FeeOverride
from portal.models.users import User
from portal.workflows.audit import record
from portal.workflows.catalogue import Credential
from portal.workflows.registry import catalogue

# Fee changes are audited against the catalogue as a whole.
CATALOGUE_SUBJECT = SimpleNamespace(__tablename__="catalogue", id=0)


def _overrides() -> dict[tuple[str, bool], Decimal]:
    return {(row.credential_code, row.is_member): row.amount for row in db.session.scalars(select(FeeOverride))}


def priced(credential: Credential, overrides: dict[tuple[str, bool], Decimal] | None = None) -> Credential:
    """``credential`` with the fees an admin set in place of the catalogue's."""
    overrides = _overrides() if overrides is None else overrides
    return replace(
        credential,
        fee_member=overrides.get((credential.code, True), credential.fee_member),
        fee_non_member=overrides.get((credential.code, False), credential.fee_non_member),
    )


def priced_catalogue() -> list[Credential]:
    overrides = _overrides()
    return [priced(credential, overrides) for credential in catalogue().ordered()]


def fee_for(credential_code: str, is_member: bool) -> Decimal:
    return priced(catalogue()[credential_code]).fee(is_member)


def set_fee(credential_code: str, is_member: bool, amount: Decimal | None, actor: User) -> None:
    """Override a fee, or with ``amount`` None go back to the catalogue's. Applies to later submissions only."""
    credential = catalogue()[credential_code]
    row = db.session.scalar(select(FeeOverride).where(FeeOverride.credential_code == credential_code,
                                                      FeeOverride.is_member == is_member))
    before = row.amount if row else credential.fee(is_member)
    if amount is None or amount == credential.fee(is_member):
        if row is not None:
            db.session.delete(row)
        amount = credential.fee(is_member)
    elif row is None:
        row = FeeOverride(credential_code=credential_code, is_member=is_member, amount=amount, updated_by_id=actor.id)
        db.session.add(row)
    else:
        row.amount, row.updated_by_id = amount, actor.id
    db.session.flush()
    who = "members" if is_member else "non-members"
    record(actor, CATALOGUE_SUBJECT, "fee_changed",
           reason=f"{credential_code} fee for {who}: {before} → {amount} {credential.currency}")
