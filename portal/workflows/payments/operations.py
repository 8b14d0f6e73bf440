"""Fees: the catalogue's fees with an admin's overrides applied over them."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.db import after_commit, db, utcnow
from portal.enums import ApplicationState
from portal.models.applications import Application
from portal.models.payments import FeeDifference, FeeOverride, Payment
from portal.models.users import User
from portal.notifications import notify_applicant
from portal.workflows.audit import record
from portal.workflows.engine import apply_transition
from portal.workflows.payments.providers import PaymentRefused, Receipt, provider
from portal.workflows.payments.queries import fee_for
from portal.workflows.payments.rules import HOME_PAGE_KEY, fee_difference, outstanding_difference, review_due
from portal.workflows.registry import catalogue
from portal.workflows.transitions import guard

# The one conflict rule, named by path: it lives in review, above payments (see transitions.guard).
_not_conflicted = guard("portal.workflows.review.guards:not_conflicted")

# Fee changes are audited against the catalogue as a whole.
CATALOGUE_SUBJECT = SimpleNamespace(__tablename__="catalogue", id=0)


def set_fee(credential_code: str, is_member: bool, amount: Decimal | None, actor: User) -> None:
    """Override a fee, or with ``amount`` None go back to the catalogue's. Applies to later submissions only."""
    credential = catalogue()[credential_code]
    row = db.session.scalar(
        select(FeeOverride).where(
            FeeOverride.credential_code == credential_code, FeeOverride.is_member == is_member
        )
    )
    before = row.amount if row else credential.fee(is_member)
    if amount is None or amount == credential.fee(is_member):
        if row is not None:
            db.session.delete(row)
        amount = credential.fee(is_member)
    elif row is None:
        row = FeeOverride(
            credential_code=credential_code, is_member=is_member, amount=amount, updated_by_id=actor.id
        )
        db.session.add(row)
    else:
        row.amount, row.updated_by_id = amount, actor.id
    db.session.flush()
    who = "members" if is_member else "non-members"
    record(
        actor,
        CATALOGUE_SUBJECT,
        "fee_changed",
        reason=f"{credential_code} fee for {who}: {before} → {amount} {credential.currency}",
    )


def record_payment(
    application: Application, receipt: Receipt, actor: User | None, provider_name: str = "manual"
) -> Payment | FeeDifference:
    """Check and store a payment, then start the review. Flushes, never commits.

    After a false membership claim, the payment is of the fee difference asked for: see
    :func:`record_fee_difference`. Raises :class:`PaymentRefused` for a receipt that does not pay what is owed
    or an application not awaiting a payment.
    """
    if outstanding_difference(application) is not None:
        return record_fee_difference(application, receipt, actor, provider_name)
    if application.state != ApplicationState.AWAITING_PAYMENT or application.payment is not None:
        raise PaymentRefused(
            [
                _(
                    "%(reference)s is not awaiting payment (it is %(state)s).",
                    reference=application.reference,
                    state=_(application.state.label).lower(),  # the words the pages show for the state
                )
            ]
        )
    problems = provider(provider_name).check(application, receipt)
    if problems:
        raise PaymentRefused(problems)
    payment = Payment(
        application=application,
        provider=provider_name,
        method=receipt.method,
        amount=receipt.amount,
        currency=receipt.currency,
        transaction_reference=receipt.transaction_reference,
        received_on=receipt.received_on,
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(payment)
    reference = application.reference  # read now: after a failed flush the session can load nothing
    try:
        db.session.flush()
    except IntegrityError as error:  # another admin recorded it a moment ago
        raise PaymentRefused(
            [_("A payment for %(reference)s has already been recorded.", reference=reference)]
        ) from error
    application.paid_at = utcnow()
    application.review_due_at = review_due(application)
    apply_transition(
        application,
        "record_payment",
        actor,
        f"{receipt.method.label} {receipt.amount:.2f} {receipt.currency}, "
        f"ref. {receipt.transaction_reference}",
    )
    return payment


def request_fee_difference(application: Application, actor: User, reason: str) -> FeeDifference:
    """Ask the applicant for the non-member fee less the fee charged, after a false membership claim, by email.
    Flushes, never commits."""
    if application.fee_difference is not None:
        raise PaymentRefused(
            [
                _(
                    "The fee difference for %(reference)s has already been asked for.",
                    reference=application.reference,
                )
            ]
        )
    if application.fee_amount is None:
        raise PaymentRefused([_("%(reference)s has no fee fixed yet.", reference=application.reference)])
    amount = fee_difference(fee_for(application.credential_code, False), application.fee_amount)
    if not amount:
        raise PaymentRefused(
            [_("The fee charged is already the non-member fee: there is no difference to ask for.")]
        )
    difference = FeeDifference(
        application=application,
        amount=amount,
        currency=application.fee_currency,
        reason=reason.strip(),
        requested_by_id=actor.id,
    )
    db.session.add(difference)
    db.session.flush()
    record(
        actor,
        application,
        "fee_difference_requested",
        reason=f"{amount:.2f} {difference.currency}: {reason.strip()}",
    )
    notify_applicant(application, "fee_difference_requested", difference=difference)
    return difference


def record_fee_difference(
    application: Application, receipt: Receipt, actor: User | None, provider_name: str = "manual"
) -> FeeDifference:
    """Check and store the payment of the fee difference asked for; the review may then go on."""
    difference = outstanding_difference(application)
    if difference is None:
        raise PaymentRefused([_("%(reference)s owes no fee difference.", reference=application.reference)])
    problems = _not_conflicted(application, actor) or provider(provider_name).check(application, receipt)
    if problems:
        raise PaymentRefused(problems)
    difference.method, difference.transaction_reference = receipt.method, receipt.transaction_reference
    difference.received_on, difference.paid_at = receipt.received_on, utcnow()
    difference.recorded_by_id = actor.id if actor else None
    db.session.flush()
    record(
        actor,
        application,
        "fee_difference_paid",
        reason=(
            f"{receipt.method.label} {receipt.amount:.2f} {receipt.currency}, ref. {receipt.transaction_reference}"
        ),
    )
    return difference


@event.listens_for(Session, "after_flush")
def _fees_changed(session: Session, flush_context) -> None:
    """Once the transaction commits, drop the cached home page, which shows every fee."""
    if not any(isinstance(item, FeeOverride) for item in (*session.new, *session.dirty, *session.deleted)):
        return
    cache = current_app.extensions.get("page_cache") if has_app_context() else None
    if cache is not None:
        after_commit(session, lambda: cache.invalidate([HOME_PAGE_KEY]))
