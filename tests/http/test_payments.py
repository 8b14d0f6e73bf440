"""Fees and payments through HTTP: the payment page, recording a payment, the receipt, and fee overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pypdf
import time_machine
from sqlalchemy import select

from portal.db import db
from portal.enums import ApplicationState, PaymentMethod
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.payments import Payment
from portal.workflows.payments import operations as payment_ops
from portal.workflows.payments import providers as payment_providers
from tests.factories import applications as data
from tests.factories import review as flow
from tests.helpers import client_for, page


def payment_form(application: Application, **overrides) -> dict:
    return {
        "reference": application.reference,
        "method": "bank_transfer",
        "amount": str(application.fee_amount),
        "currency": "USD",
        "transaction_reference": "BARC-2026-0042",
        "received_on": date.today().isoformat(),
        **overrides,
    }


def test_the_applicant_sees_the_amount_reference_and_how_to_pay(app, applicant, other_applicant, tmp_path):
    app.config["PAYMENT_BANK_DETAILS"] = "International Mentoring Center\nIBAN GB00 TEST 0000 0000 0000 00"
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)
    text = page(client.get(f"/applications/{application.id}/payment"))
    assert "US$250" in text and application.reference in text and "IBAN GB00 TEST" in text
    assert "Pay the exact amount" in text
    assert f"/applications/{application.id}/payment" in page(
        client.get(f"/applications/{application.id}/status")
    )
    assert client_for(app, other_applicant).get(f"/applications/{application.id}/payment").status_code == 404
    anonymous = client_for(app).get(f"/applications/{application.id}/payment")
    assert anonymous.status_code == 302 and "/account/sign-in" in anonymous.headers["Location"]
    # No receipt before payment.
    assert client.get(f"/applications/{application.id}/receipt.pdf").status_code == 404


def test_without_bank_details_the_applicant_is_told_to_ask_support(app, applicant, tmp_path):
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)
    assert "credentialing-support@localhost" in page(client.get(f"/applications/{application.id}/payment"))


@time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=UTC), tick=False)
def test_an_admin_records_a_matching_payment_and_review_starts(app, applicant, admin, tmp_path):
    application = data.submit(client_for(app, applicant), tmp_path)
    staff = client_for(app, admin)
    text = page(staff.get("/admin/payments"))
    assert application.reference in text and "Waiting for payment" in text
    response = staff.post(
        "/admin/payments", data=payment_form(application, reference=application.reference.lower())
    )
    assert response.status_code == 302
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.state == ApplicationState.IN_REVIEW
    assert application.paid_at == datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert application.review_due_at == datetime(2026, 3, 30, 10, tzinfo=UTC)  # accredited: 4 weeks
    payment = db.session.scalar(select(Payment))
    assert (
        payment.provider,
        payment.method,
        payment.amount,
        payment.transaction_reference,
        payment.recorded_by_id,
    ) == ("manual", PaymentMethod.BANK_TRANSFER, Decimal("250.00"), "BARC-2026-0042", admin.id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "record_payment"))
    assert (entry.actor_id, entry.from_state, entry.to_state) == (admin.id, "awaiting_payment", "in_review")
    assert "BARC-2026-0042" in entry.reason


def test_a_payment_that_does_not_match_the_fee_is_refused_and_nothing_is_stored(
    app, applicant, admin, tmp_path
):
    application = data.submit(client_for(app, applicant), tmp_path)
    staff = client_for(app, admin)
    for overrides, message in [
        ({"amount": "249.99"}, "The amount received, 249.99, does not match the fee of 250.00 USD."),
        ({"currency": "EUR"}, "The payment is in EUR; the fee is in USD."),
        ({"reference": "CPM-999999"}, "There is no application with this reference."),
        ({"reference": f"CMM-{application.id:06d}"}, "There is no application with this reference."),
        ({"amount": "lots"}, "Enter the amount, like 250 or 250.00."),
        ({"received_on": "2999-01-01"}, "The date must be today or in the past."),
    ]:
        response = staff.post("/admin/payments", data=payment_form(application, **overrides))
        assert response.status_code == 422 and message in page(response), overrides
    assert db.session.scalar(select(Payment)) is None
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == ApplicationState.AWAITING_PAYMENT


def test_a_payment_is_recorded_once(app, applicant, admin, tmp_path):
    application = data.submit(client_for(app, applicant), tmp_path)
    staff = client_for(app, admin)
    assert staff.post("/admin/payments", data=payment_form(application)).status_code == 302
    response = staff.post("/admin/payments", data=payment_form(application))
    assert response.status_code == 422 and f"{application.reference} is not awaiting payment" in page(
        response
    )
    assert len(db.session.scalars(select(Payment)).all()) == 1


def test_only_admins_record_payments(app, applicant, reviewer, tmp_path):
    application = data.submit(client_for(app, applicant), tmp_path)
    for person in (applicant, reviewer):
        response = client_for(app, person).post("/admin/payments", data=payment_form(application))
        assert response.status_code == 403
    assert db.session.scalar(select(Payment)) is None


def test_the_receipt_is_a_pdf_for_the_payer_and_admins_once_paid(
    app, applicant, other_applicant, reviewer, admin, tmp_path
):
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)
    flow.pay(application, admin)
    response = client.get(f"/applications/{application.id}/receipt.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = pypdf.PdfReader(BytesIO(response.data)).pages[0].extract_text()
    payment = db.session.scalar(select(Payment))
    for shown in (
        payment.receipt_number,
        application.reference,
        "US$250",
        "Ada Lovelace",
        "Bank transfer",
        "Certified Professional Mentor (CPM)",
    ):
        assert shown in text, shown
    assert "Download your receipt" in page(client.get(f"/applications/{application.id}/status"))
    assert client_for(app, admin).get(f"/applications/{application.id}/receipt.pdf").status_code == 200
    for person in (other_applicant, reviewer):
        assert client_for(app, person).get(f"/applications/{application.id}/receipt.pdf").status_code == 404


def test_an_admins_fee_override_applies_to_later_submissions_only(
    app, applicant, other_applicant, admin, tmp_path
):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = data.submit(client_for(app, applicant), tmp_path / "a")
    staff = client_for(app, admin)
    assert "US$250" in page(staff.get("/admin/fees"))
    response = staff.post(
        "/admin/fees", data={"credential": "CPM", "CPM-fee_member": "300", "CPM-fee_non_member": ""}
    )
    assert response.status_code == 302
    assert "US$300" in page(client_for(app).get("/"))  # the public list of credentials shows it too
    second_client = client_for(app, other_applicant)
    application_id = data.start_application(second_client)
    data.fill_application(second_client, application_id, tmp_path / "b")
    assert "US$300" in page(second_client.get(f"/applications/{application_id}/submit"))
    second_client.post(f"/applications/{application_id}/submit")
    db.session.expire_all()
    assert db.session.get(Application, application_id).fee_amount == Decimal(300)
    assert db.session.get(Application, first.id).fee_amount == Decimal(250)  # fixed at its submission
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "fee_changed"))
    assert entry.actor_id == admin.id and "CPM fee for members: 250 → 300 USD" in entry.reason
    # Clearing the box goes back to the catalogue's fee.
    staff.post("/admin/fees", data={"credential": "CPM", "CPM-fee_member": "", "CPM-fee_non_member": ""})
    assert "US$300" not in page(client_for(app).get("/"))
    response = staff.post("/admin/fees", data={"credential": "CPM", "CPM-fee_member": "-5"})
    assert response.status_code == 422 and "Enter an amount above zero." in page(response)


def test_payment_providers_share_one_interface(app, applicant, admin, tmp_path):
    application = data.submit(client_for(app, applicant), tmp_path)

    class CardProcessor:
        """A provider that trusts its own receipts (as a card processor's webhook would)."""

        name = "cardco"

        def instructions(self, application):
            return payment_providers.Instructions(
                application.fee_amount,
                application.fee_currency,
                application.reference,
                ["Pay by card online."],
                "",
            )

        def check(self, application, receipt):
            return []

    payment_providers.PROVIDERS["cardco"] = CardProcessor()
    try:
        payment = payment_ops.record_payment(
            application, flow.receipt(application, method=PaymentMethod.CARD), None, provider_name="cardco"
        )
        db.session.commit()
    finally:
        del payment_providers.PROVIDERS["cardco"]
    assert payment.provider == "cardco" and application.state == ApplicationState.IN_REVIEW
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "record_payment"))
    assert entry.actor_label == "The portal"


def test_two_admins_recording_the_same_payment_at_once_both_get_a_normal_page(
    app, applicant, admin, tmp_path
):
    import threading

    application = data.submit(client_for(app, applicant), tmp_path)
    cookie = client_for(app, admin).get_cookie("session").value
    form = payment_form(application)
    responses = []
    start = threading.Barrier(2)

    def record() -> None:
        staff = app.test_client()
        staff.set_cookie("session", cookie)
        start.wait()
        responses.append(staff.post("/admin/payments", data=form))

    admins = [threading.Thread(target=record) for _ in range(2)]
    for thread in admins:
        thread.start()
    for thread in admins:
        thread.join()
    assert sorted(response.status_code for response in responses) in ([302, 422], [302, 302]), [
        (response.status_code, page(response)[:300]) for response in responses
    ]
    for response in responses:
        assert response.headers["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response.headers
    refused = [page(response) for response in responses if response.status_code != 302]
    assert all("already" in text or "not awaiting payment" in text for text in refused)
    db.session.expire_all()
    assert len(db.session.scalars(select(Payment)).all()) == 1
