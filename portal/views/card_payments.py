"""Paying the fee by card: the applicant's checkout and return page, the card processor's signed webhook, and
the admin's list of card events and refunds."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import login_required

from portal import access
from portal.db import db
from portal.extensions import csrf, limiter
from portal.views.carry_out import FAILED, carry_out
from portal.views.credentials import public_url
from portal.workflows.payments import card
from portal.workflows.payments import queries as payment_queries
from portal.workflows.payments.providers import CardEventRejected

bp = Blueprint("card_payments", __name__)


@bp.post("/applications/<int:application_id>/payment/card")
@login_required
def pay_by_card(application_id: int):
    application = access.own_application(application_id)
    if card.card_provider() is None:
        abort(404)
    # Under BASE_URL, whichever host this request came to: the card processor sends the applicant there.
    success = public_url("card_payments.paid_by_card", application_id=application.id)
    cancel = public_url("payments.payment", application_id=application.id)
    checkout = carry_out(lambda: card.start_card_payment(application, success, cancel), flash_refusal=True)
    if checkout is FAILED:
        return redirect(url_for("payments.payment", application_id=application.id))
    return redirect(checkout.url, code=303)


@bp.get("/applications/<int:application_id>/payment/card/done")
@login_required
def paid_by_card(application_id: int):
    application = access.own_application(application_id)
    return render_template("payments/card_done.html", application=application)


@bp.post("/payments/stripe/webhook")
@csrf.exempt  # signed by the card processor instead
@limiter.exempt  # the processor's retries must not be turned away
def stripe_webhook():
    try:
        card.apply_card_event(request.get_data(), request.headers.get("Stripe-Signature"))
    except CardEventRejected:
        db.session.rollback()
        return {"error": "invalid signature"}, 400
    db.session.commit()
    return {"received": True}, 200


@bp.get("/admin/payments/card")
@login_required
def card_events():
    access.require_admin()
    return render_template(
        "payments/card_events.html", events=payment_queries.card_events(), refunds=payment_queries.refunds()
    )
