"""Fees: the catalogue's fees with an admin's overrides applied over them."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.enums import ApplicationState, CardEventOutcome
from portal.models.applications import Application
from portal.models.card_payments import CardEvent, Refund
from portal.models.payments import FeeDifference, FeeOverride, Payment
from portal.workflows.catalogue import Credential
from portal.workflows.payments.rules import priced
from portal.workflows.registry import catalogue


def _overrides() -> dict[tuple[str, bool], Decimal]:
    return {
        (row.credential_code, row.is_member): row.amount for row in db.session.scalars(select(FeeOverride))
    }


def priced_catalogue() -> list[Credential]:
    overrides = _overrides()
    return [priced(credential, overrides) for credential in catalogue().ordered()]


def priced_credential(credential_code: str) -> Credential:
    """The catalogue's credential with the fees it costs today."""
    return priced(catalogue()[credential_code], _overrides())


def fee_for(credential_code: str, is_member: bool) -> Decimal:
    return priced_credential(credential_code).fee(is_member)


def awaiting_payment(limit: int = 200) -> list[Application]:
    """Applications waiting for their fee, oldest first: what an admin matches bank statements against."""

    return list(
        db.session.scalars(
            select(Application)
            .where(Application.state == ApplicationState.AWAITING_PAYMENT)
            .options(joinedload(Application.applicant))
            .order_by(Application.submitted_at)
            .limit(limit)
        )
    )


def differences_awaiting_payment(limit: int = 200) -> list[FeeDifference]:
    """Fee differences asked for after a false membership claim and not paid yet, oldest first."""
    return list(
        db.session.scalars(
            select(FeeDifference)
            .where(FeeDifference.paid_at.is_(None))
            .options(joinedload(FeeDifference.application).joinedload(Application.applicant))
            .order_by(FeeDifference.requested_at)
            .limit(limit)
        )
    )


def card_events(limit: int = 200) -> list[CardEvent]:
    """The card processor's events, those needing an admin's attention first, then newest first."""
    return list(
        db.session.scalars(
            select(CardEvent)
            .options(joinedload(CardEvent.application))
            .order_by((CardEvent.outcome == CardEventOutcome.NEEDS_ATTENTION).desc(), CardEvent.id.desc())
            .limit(limit)
        )
    )


def refunds(limit: int = 200) -> list[Refund]:
    return list(
        db.session.scalars(
            select(Refund)
            .options(joinedload(Refund.payment).joinedload(Payment.application))
            .order_by(Refund.id.desc())
            .limit(limit)
        )
    )
