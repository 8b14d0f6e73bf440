"""Paying the fee: the applicant's payment page and receipt, and the admin's page for recording a payment."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from portal import access
from portal.access import me
from portal.enums import PaymentMethod
from portal.forms.payments import RecordPaymentForm
from portal.printing import ReceiptData, receipt_pdf
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.payments import card as card_payments
from portal.workflows.payments import operations as payment_ops
from portal.workflows.payments import providers as payment_providers
from portal.workflows.payments import queries as payment_queries
from portal.workflows.payments import rules as payment_rules
from portal.workflows.registry import catalogue

bp = Blueprint("payments", __name__)

# How the receipt names the way the payer paid, in the payer's language.
_METHODS = {PaymentMethod.BANK_TRANSFER.value: _l("Bank transfer"), PaymentMethod.CARD.value: _l("Card")}


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user; each route checks whose payment it is."""


@bp.get("/applications/<int:application_id>/payment")
def payment(application_id: int):
    application = access.paying_application(application_id)
    if application.fee_amount is None:
        abort(404)
    return render_template(
        "payments/payment.html",
        application=application,
        credential=catalogue()[application.credential_code],
        instructions=payment_providers.provider().instructions(application),
        takes_cards=card_payments.card_provider() is not None,
    )


@bp.get("/applications/<int:application_id>/receipt.pdf")
def receipt(application_id: int):
    application = access.paying_application(application_id)
    paid = application.payment
    if paid is None:
        abort(404)
    credential = catalogue()[application.credential_code]
    data = ReceiptData(
        receipt_number=paid.receipt_number,
        application_reference=application.reference,
        payer_name=application.full_name or application.applicant.full_name,
        payer_address=application.postal_address or "",
        description=(
            _("Application fee: %(credential)s (renewal)", credential=credential.label)
            if application.is_renewal
            else _("Application fee: %(credential)s", credential=credential.label)
        ),
        amount=paid.amount,
        currency=paid.currency,
        method=str(_METHODS.get(paid.method.value, paid.method.label)),
        transaction_reference=paid.transaction_reference,
        received_on=paid.received_on,
        recorded_on=paid.recorded_at.date(),
    )
    return send_file(
        BytesIO(receipt_pdf(data)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"receipt-{application.reference}.pdf",
    )


@bp.route("/admin/payments", methods=["GET", "POST"])
def record():
    access.require_admin()
    form = RecordPaymentForm()
    problems: list[str] = []
    if form.validate_on_submit():
        application = access.application_by_reference(form.reference.data)
        if application is None:
            form.reference.errors = [
                *form.reference.errors,
                _("There is no application with this reference."),
            ]
        else:
            receipt_ = payment_providers.Receipt(
                reference=form.reference.data,
                method=PaymentMethod(form.method.data),
                amount=form.amount.data,
                currency=form.currency.data.upper(),
                transaction_reference=form.transaction_reference.data,
                received_on=form.received_on.data,
            )
            done = (
                _(
                    "Fee difference recorded for %(reference)s; its review can go on.",
                    reference=application.reference,
                )
                if payment_rules.outstanding_difference(application)
                else _(
                    "Payment recorded for %(reference)s; its review has started.",
                    reference=application.reference,
                )
            )
            recorded = carry_out(
                lambda: payment_ops.record_payment(application, receipt_, me()), done=done, into=problems
            )
            if recorded is not FAILED:
                return redirect(url_for("payments.record"))
    status = 422 if problems or form.errors else 200
    return render_template(
        "payments/record.html",
        form=form,
        problems=problems,
        awaiting=payment_queries.awaiting_payment(),
        differences=payment_queries.differences_awaiting_payment(),
    ), status
