"""Payments: how an applicant is asked to pay, and how a payment is recorded through a provider.

A provider turns what it knows about money received into a :class:`Receipt`; recording a receipt checks it
against the fee fixed at submission, stores the payment and starts the review. The built-in ``manual``
provider is an admin recording a bank transfer or a card receipt by hand; a card processor's webhook would
be another provider calling the same ``record_payment``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from flask import current_app

from portal.enums import PaymentMethod
from portal.models.applications import Application
from portal.workflows.payments.rules import outstanding_difference
from portal.workflows.refusals import Refused


class PaymentRefused(Refused):
    """The payment cannot be recorded; ``problems`` say why."""


@dataclass(frozen=True)
class Receipt:
    """Money received against an application's reference."""

    reference: str
    method: PaymentMethod
    amount: Decimal
    currency: str
    transaction_reference: str
    received_on: date


@dataclass(frozen=True)
class Instructions:
    """What the applicant is told to do to pay."""

    amount: Decimal
    currency: str
    reference: str
    steps: list[str]
    bank_details: str


class PaymentProvider(Protocol):
    name: str

    def instructions(self, application: Application) -> Instructions: ...

    def check(self, application: Application, receipt: Receipt) -> list[str]:
        """Problems with ``receipt`` as a payment of what ``application`` owes (none when it pays it): the fee,
        or after a false membership claim the fee difference."""


class ManualProvider:
    """An admin records a bank transfer or card receipt against the application's reference."""

    name = "manual"

    def instructions(self, application: Application) -> Instructions:
        steps = [
            (
                "Pay by bank transfer to the account below, quoting your reference, or by card through the "
                "credentialing support team."
            ),
            "Pay the exact amount: a different amount cannot be matched to your application.",
            "We record your payment when it reaches us and email you; review starts then.",
        ]
        difference = outstanding_difference(application)
        if difference is not None:
            steps[-1] = "We record your payment when it reaches us and email you; review continues then."
        return Instructions(
            difference.amount if difference else application.fee_amount,
            difference.currency if difference else application.fee_currency,
            application.reference,
            steps,
            current_app.config["PAYMENT_BANK_DETAILS"],
        )

    def check(self, application: Application, receipt: Receipt) -> list[str]:
        difference = outstanding_difference(application)
        amount, currency, what = (
            (difference.amount, difference.currency, "fee difference")
            if difference
            else (application.fee_amount, application.fee_currency, "fee")
        )
        problems = []
        if receipt.reference.strip().upper() != application.reference:
            problems.append(
                f"The reference {receipt.reference} is not this application's ({application.reference})."
            )
        if receipt.currency != currency:
            problems.append(f"The payment is in {receipt.currency}; the {what} is in {currency}.")
        if receipt.amount != amount:
            problems.append(
                f"The amount received, {receipt.amount:.2f}, does not match the {what} of {amount:.2f} {currency}."
            )
        if receipt.received_on > date.today():
            problems.append("The date received cannot be in the future.")
        return problems


PROVIDERS: dict[str, PaymentProvider] = {"manual": ManualProvider()}


def provider(name: str | None = None) -> PaymentProvider:
    return PROVIDERS[name or current_app.config["PAYMENT_PROVIDER"]]
