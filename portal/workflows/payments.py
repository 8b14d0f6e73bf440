"""Payments: how an applicant is asked to pay, and how a payment is recorded through a provider.

A provider turns what it knows about money received into a :class:`Receipt`; recording a receipt checks it
against the fee fixed at submission, stores the payment and starts the review. The built-in ``manual``
provider is an admin recording a bank transfer or a card receipt by hand; a card processor's webhook would
be another provider calling the same ``record_payment``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal.db import db, utcnow
from portal.models.applications import Application, ApplicationState
from portal.models.payments import Payment, PaymentMethod
from portal.models.users import User
from portal.workflows.engine import Refused, apply_transition
from portal.workflows.registry import catalogue


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
        """Problems with ``receipt`` as a payment of ``application``'s fee (none when it pays it)."""


class ManualProvider:
    """An admin records a bank transfer or card receipt against the application's reference."""

    name = "manual"

    def instructions(self, application: Application) -> Instructions:
        steps = [
            ("Pay by bank transfer to the account below, quoting your reference, or by card through the "
             "credentialing support team."),
            "Pay the exact amount: a different amount cannot be matched to your application.",
            "We record your payment when it reaches us and email you; review starts then.",
        ]
        return Instructions(application.fee_amount, application.fee_currency, application.reference, steps,
                            current_app.config["PAYMENT_BANK_DETAILS"])

    def check(self, application: Application, receipt: Receipt) -> list[str]:
        problems = []
        if receipt.reference.strip().upper() != application.reference:
            problems.append(f"The reference {receipt.reference} is not this application's ({application.reference}).")
        if receipt.currency != application.fee_currency:
            problems.append(f"The payment is in {receipt.currency}; the fee is in {application.fee_currency}.")
        if receipt.amount != application.fee_amount:
            problems.append(f"The amount received, {receipt.amount:.2f}, does not match the fee of "
                            f"{application.fee_amount:.2f} {application.fee_currency}.")
        if receipt.received_on > date.today():
            problems.append("The date received cannot be in the future.")
        return problems


PROVIDERS: dict[str, PaymentProvider] = {"manual": ManualProvider()}


def provider(name: str | None = None) -> PaymentProvider:
    return PROVIDERS[name or current_app.config["PAYMENT_PROVIDER"]]


def record_payment(application: Application, receipt: Receipt, actor: User | None,
                   provider_name: str = "manual") -> Payment:
    """Check and store a payment, then start the review. Flushes, never commits.

    Raises :class:`PaymentRefused` for a receipt that does not pay the fee or an application not awaiting one.
    """
    if application.state != ApplicationState.AWAITING_PAYMENT or application.payment is not None:
        raise PaymentRefused([(f"{application.reference} is not awaiting payment "
                               f"(it is {application.state.label.lower()}).")])
    problems = provider(provider_name).check(application, receipt)
    if problems:
        raise PaymentRefused(problems)
    payment = Payment(application=application, provider=provider_name, method=receipt.method,
                      amount=receipt.amount, currency=receipt.currency,
                      transaction_reference=receipt.transaction_reference, received_on=receipt.received_on,
                      recorded_by_id=actor.id if actor else None)
    db.session.add(payment)
    try:
        db.session.flush()
    except IntegrityError as error:  # another admin recorded it a moment ago
        raise PaymentRefused([f"A payment for {application.reference} has already been recorded."]) from error
    application.paid_at = utcnow()
    application.review_due_at = review_due(application)
    apply_transition(application, "record_payment", actor,
                     f"{receipt.method.label} {receipt.amount:.2f} {receipt.currency}, "
                     f"ref. {receipt.transaction_reference}")
    return payment


def review_due(application: Application):
    """Payment date plus the catalogue's review target for the application's training centres."""
    if application.paid_at is None:
        return None
    weeks = catalogue().review_weeks([record.centre_status for record in application.training_records])
    return application.paid_at + timedelta(weeks=weeks)


def awaiting_payment(limit: int = 200) -> list[Application]:
    """Applications waiting for their fee, oldest first: what an admin matches bank statements against."""
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(
        select(Application).where(Application.state == ApplicationState.AWAITING_PAYMENT)
        .options(joinedload(Application.applicant)).order_by(Application.submitted_at).limit(limit)
    ))
