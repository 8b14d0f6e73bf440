"""Card payments: opening the card processor's checkout for a fee, and applying its signed events once each.

A completed checkout records the payment through ``record_payment``, exactly as an admin's manual recording
does, so review starts the same way. A refund is recorded against the payment. An event that cannot be
applied (an unknown application, an amount that does not match the fee) is kept for an admin to look at and
still answered as received, so the processor does not send it again and again. Flush, never commit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.db import db, parse_id
from portal.enums import ApplicationState, CardEventOutcome, PaymentMethod
from portal.models.applications import Application
from portal.models.card_payments import CardEvent, Refund
from portal.models.payments import Payment
from portal.workflows.audit import record
from portal.workflows.payments.operations import record_payment
from portal.workflows.payments.providers import (
    Checkout,
    PaymentRefused,
    Receipt,
    StripeProvider,
    from_minor_units,
    provider,
)
from portal.workflows.refusals import Refused
from portal.workflows.registry import catalogue


def card_provider() -> StripeProvider | None:
    """The configured provider when it takes cards, else None (the manual provider: no card payments)."""
    chosen = provider()
    return chosen if getattr(chosen, "takes_cards", False) else None


def start_card_payment(application: Application, success_url: str, cancel_url: str) -> Checkout:
    """Open the card processor's checkout for ``application``'s fee. Raises PaymentRefused when it cannot."""
    chosen = card_provider()
    if chosen is None:
        raise PaymentRefused([_("Paying by card is not available.")])
    if application.state != ApplicationState.AWAITING_PAYMENT or application.payment is not None:
        raise PaymentRefused(
            [_("%(reference)s is not waiting for its fee.", reference=application.reference)]
        )
    label = catalogue()[application.credential_code].label
    return chosen.start_checkout(application, label, success_url, cancel_url)


def apply_card_event(payload: bytes, signature_header: str | None) -> CardEvent | None:
    """Verify and apply one event from the card processor. Returns its row, or None for a replay.

    Raises ``CardEventRejected`` for an event without a valid signature.
    """
    chosen = card_provider() or provider("stripe")
    event = chosen.verify_event(payload, signature_header)
    if db.session.scalar(select(CardEvent.id).where(CardEvent.event_id == event["id"])) is not None:
        return None
    row = CardEvent(
        provider=chosen.name, event_id=event["id"], type=event["type"], outcome=CardEventOutcome.IGNORED
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the same event, applied a moment ago by another request
        return None
    handler = HANDLERS.get(event["type"])
    if handler is not None:
        handler(row, event["data"]["object"], event)
    db.session.flush()
    return row


def _completed(row: CardEvent, session: dict[str, Any], event: dict[str, Any]) -> None:
    application_id = parse_id(session.get("client_reference_id"))
    application = db.session.get(Application, application_id) if application_id else None
    if application is None:
        _attention(row, f"No application matches client_reference_id {session.get('client_reference_id')!r}.")
        return
    row.application_id = application.id
    if session.get("payment_status") != "paid":
        row.note = (
            f"Checkout completed with payment status {session.get('payment_status')!r}: nothing paid yet."
        )
        return
    currency = (session.get("currency") or "").upper()
    receipt = Receipt(
        reference=application.reference,
        method=PaymentMethod.CARD,
        amount=from_minor_units(session.get("amount_total") or 0, currency),
        currency=currency,
        transaction_reference=str(session.get("payment_intent") or session["id"])[:100],
        received_on=datetime.fromtimestamp(event["created"], UTC).date(),
    )
    try:
        with db.session.begin_nested():
            record_payment(application, receipt, None, row.provider)
    except Refused as refused:  # the amount or currency does not match, or it is no longer awaiting payment
        _attention(row, " ".join(refused.problems))
        return
    row.outcome, row.note = CardEventOutcome.APPLIED, f"Payment recorded: {receipt.amount:.2f} {currency}."


def _refunded(row: CardEvent, charge: dict[str, Any], event: dict[str, Any]) -> None:
    reference = charge.get("payment_intent") or charge.get("id")
    payment = db.session.scalar(select(Payment).where(Payment.transaction_reference == reference))
    if payment is None:
        _attention(row, f"A refund of charge {charge.get('id')} matches no recorded payment.")
        return
    row.application_id = payment.application_id
    currency = (charge.get("currency") or payment.currency).upper()
    refunded = from_minor_units(charge.get("amount_refunded") or 0, currency)
    already = db.session.scalar(
        select(func.coalesce(func.sum(Refund.amount), 0)).where(Refund.payment_id == payment.id)
    )
    amount = refunded - Decimal(already)
    if amount <= 0:
        row.note = "Refund already recorded."
        return
    db.session.add(
        Refund(
            payment_id=payment.id, amount=amount, currency=currency, transaction_reference=str(charge["id"])
        )
    )
    row.outcome, row.note = CardEventOutcome.APPLIED, f"Refund recorded: {amount:.2f} {currency}."
    db.session.flush()
    record(
        None,
        payment.application,
        "payment_refunded",
        reason=f"{amount:.2f} {currency} refunded by card, charge {charge['id']}",
    )


def _attention(row: CardEvent, note: str) -> None:
    row.outcome, row.note = CardEventOutcome.NEEDS_ATTENTION, note


HANDLERS = {"checkout.session.completed": _completed, "charge.refunded": _refunded}
