"""Payment rules on plain data: a credential's fees with an admin's overrides, and when review is due."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from portal.models.applications import Application
from portal.models.payments import FeeDifference
from portal.workflows.catalogue import Credential
from portal.workflows.registry import catalogue


def priced(credential: Credential, overrides: dict[tuple[str, bool], Decimal]) -> Credential:
    """``credential`` with the fees an admin set in place of the catalogue's."""
    return replace(
        credential,
        fee_member=overrides.get((credential.code, True), credential.fee_member),
        fee_non_member=overrides.get((credential.code, False), credential.fee_non_member),
    )


def review_due(application: Application):
    """Payment date plus the catalogue's review target for the application's training centres."""
    if application.paid_at is None:
        return None
    weeks = catalogue().review_weeks([record.centre_status for record in application.training_records])
    return application.paid_at + timedelta(weeks=weeks)


# The public page that shows every fee (the home page): its cached copy is replaced whenever a fee changes.
HOME_PAGE_KEY = "home"


def outstanding_difference(application: Application) -> FeeDifference | None:
    """The fee difference asked for after a false membership claim and not paid yet, if any."""
    difference = application.fee_difference
    return difference if difference is not None and not difference.is_paid else None


def fee_difference(non_member_fee: Decimal, fee_charged: Decimal | None) -> Decimal:
    """What a false claim to the member rate leaves unpaid: the non-member fee less the fee charged."""
    return max(non_member_fee - (fee_charged or Decimal(0)), Decimal(0))
