"""Payments: how an applicant is asked to pay, and how a payment is recorded through a provider.

A provider turns what it knows about money received into a :class:`Receipt`; recording a receipt checks it
against the fee fixed at submission, stores the payment and starts the review. The built-in ``manual``
provider is an admin recording a bank transfer or a card receipt by hand; the ``stripe`` provider also takes
cards through Stripe Checkout, and Stripe's signed webhook records the payment through the same
``record_payment``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

import stripe
from flask import current_app
from flask_babel import gettext as _

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
            _(
                "Pay by bank transfer to the account below, quoting your reference, or by card through the "
                "credentialing support team."
            ),
            _("Pay the exact amount: a different amount cannot be matched to your application."),
            _("We record your payment when it reaches us and email you; review starts then."),
        ]
        difference = outstanding_difference(application)
        if difference is not None:
            steps[-1] = _("We record your payment when it reaches us and email you; review continues then.")
        return Instructions(
            difference.amount if difference else application.fee_amount,
            difference.currency if difference else application.fee_currency,
            application.reference,
            steps,
            current_app.config["PAYMENT_BANK_DETAILS"],
        )

    def check(self, application: Application, receipt: Receipt) -> list[str]:
        difference = outstanding_difference(application)
        amount, currency = (
            (difference.amount, difference.currency)
            if difference
            else (application.fee_amount, application.fee_currency)
        )
        problems = []
        if receipt.reference.strip().upper() != application.reference:
            problems.append(
                _(
                    "The reference %(given)s is not this application's (%(reference)s).",
                    given=receipt.reference,
                    reference=application.reference,
                )
            )
        if receipt.currency != currency:
            problems.append(
                _(
                    "The payment is in %(paid)s; the fee difference is in %(owed)s.",
                    paid=receipt.currency,
                    owed=currency,
                )
                if difference
                else _(
                    "The payment is in %(paid)s; the fee is in %(owed)s.",
                    paid=receipt.currency,
                    owed=currency,
                )
            )
        if receipt.amount != amount:
            values = {"received": f"{receipt.amount:.2f}", "owed": f"{amount:.2f} {currency}"}
            problems.append(
                _(
                    "The amount received, %(received)s, does not match the fee difference of %(owed)s.",
                    **values,
                )
                if difference
                else _("The amount received, %(received)s, does not match the fee of %(owed)s.", **values)
            )
        if receipt.received_on > date.today():
            problems.append(_("The date received cannot be in the future."))
        return problems


class CardEventRejected(Exception):
    """A card processor's event that is not signed with the configured secret (or not an event at all)."""


# ISO 4217 currencies without minor units, as Stripe counts them: amounts are sent in whole units.
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())


def minor_units(amount: Decimal, currency: str) -> int:
    """``amount`` as the integer the card processor counts in (cents, or yen)."""
    return int(amount if currency.upper() in ZERO_DECIMAL else (amount * 100).quantize(Decimal(1)))


def from_minor_units(value: int, currency: str) -> Decimal:
    return (
        Decimal(value)
        if currency.upper() in ZERO_DECIMAL
        else (Decimal(value) / 100).quantize(Decimal("0.01"))
    )


@dataclass(frozen=True)
class Checkout:
    """A card payment page opened at the card processor: where to send the applicant, and its id."""

    id: str
    url: str


class StripeProvider(ManualProvider):
    """Bank transfers as with ``manual``, and cards through Stripe Checkout, confirmed by Stripe's webhook."""

    name = "stripe"
    takes_cards = True

    def instructions(self, application: Application) -> Instructions:
        manual = super().instructions(application)
        steps = [
            "Pay by card: choose “Pay by card” below; you pay on Stripe's secure page and come back here.",
            "Or pay by bank transfer to the account below, quoting your reference, for the exact amount.",
            "Review starts as soon as the payment is confirmed; we email you then.",
        ]
        return Instructions(manual.amount, manual.currency, manual.reference, steps, manual.bank_details)

    def _client(self) -> stripe.StripeClient:
        config = current_app.config
        base = config["STRIPE_API_BASE"].rstrip("/")
        return stripe.StripeClient(
            config["STRIPE_SECRET_KEY"],
            base_addresses={"api": base} if base else None,
            http_client=stripe.RequestsClient(timeout=20),
            max_network_retries=2,
        )

    def start_checkout(
        self, application: Application, label: str, success_url: str, cancel_url: str
    ) -> Checkout:
        """Open a Checkout Session for ``application``'s fee; its id comes back with the webhook."""
        currency = application.fee_currency
        try:
            session = self._create_session(application, label, currency, success_url, cancel_url)
        except stripe.StripeError as error:
            current_app.logger.warning("Stripe checkout for %s failed: %s", application.reference, error)
            raise PaymentRefused(
                [
                    _(
                        "Card payments are unavailable just now. Try again in a few minutes, or pay by bank transfer."
                    )
                ]
            ) from error
        return Checkout(id=session.id, url=session.url)

    def _create_session(self, application, label, currency, success_url, cancel_url):
        return self._client().v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "client_reference_id": str(application.id),
                "metadata": {"application_reference": application.reference},
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": currency.lower(),
                            "unit_amount": minor_units(application.fee_amount, currency),
                            "product_data": {"name": f"{label}: application fee ({application.reference})"},
                        },
                    }
                ],
                "success_url": success_url,
                "cancel_url": cancel_url,
            },
            # One session per application and amount, whatever the double clicks.
            options={"idempotency_key": f"checkout-{application.reference}-{application.fee_amount}"},
        )

    def verify_event(self, payload: bytes, signature_header: str | None) -> dict[str, Any]:
        """The event in ``payload`` once Stripe's signature on it is checked, else :class:`CardEventRejected`."""
        secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
        if not secret:
            raise CardEventRejected("No STRIPE_WEBHOOK_SECRET is configured.")
        try:
            event = stripe.Webhook.construct_event(payload, signature_header or "", secret)
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise CardEventRejected(str(error)) from error
        return event.to_dict()


PROVIDERS: dict[str, PaymentProvider] = {"manual": ManualProvider(), "stripe": StripeProvider()}


def provider(name: str | None = None) -> PaymentProvider:
    return PROVIDERS[name or current_app.config["PAYMENT_PROVIDER"]]
