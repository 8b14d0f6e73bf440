"""Applications brought to each point of review, and credentials issued on a given day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import time_machine
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import update

from portal.db import db
from portal.enums import (
    ApplicationState,
    CentreStatus,
    DocumentStatus,
    PaymentMethod,
    ReferenceStatus,
    TrainingMode,
)
from portal.models.applications import Application, TrainingRecord
from portal.models.credentials import IssuedCredential
from portal.models.documents import Document
from portal.models.references import ReferenceRequest
from portal.models.users import User
from portal.workflows.credentials.operations import issue_credential
from portal.workflows.payments import operations as payment_ops
from portal.workflows.payments import providers as payment_providers
from tests.conftest import sign_in
from tests.factories import applications as data


class PersonClient(FlaskClient):
    """A test client for one person among several in a test.

    The test's app context outlives each request, and Flask-Login caches the signed-in user on ``g`` there:
    forget it before each request so every client is seen as the person its own cookie says.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def client_for(app, user: User | None = None) -> PersonClient:
    client = PersonClient(app, app.response_class, use_cookies=True)
    if user is not None:
        sign_in(client, user)
    return client


def submit(client, folder: Path, credential: str = "CPM", **fill) -> Application:
    """Start, fill and submit an application over HTTP as the signed-in applicant: it waits for payment."""
    application_id = data.start_application(client, credential)
    if credential == "CMM":
        fill = {"engagements": 10, "referees": 5, "hours": "50", **fill}
        assert (
            client.post(
                f"/applications/{application_id}/prerequisite",
                data={"prior_credential_number": "CPM-OLD-1", "prior_credential_issued_on": "2019-06-01"},
            ).status_code
            == 302
        )
    data.fill_application(client, application_id, folder, **fill)
    response = client.post(f"/applications/{application_id}/submit")
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.get(Application, application_id)


def receipt(application: Application, **overrides) -> payment_providers.Receipt:
    values = {
        "reference": application.reference,
        "method": PaymentMethod.BANK_TRANSFER,
        "amount": application.fee_amount,
        "currency": application.fee_currency,
        "transaction_reference": "BANK-REF-1",
        "received_on": date.today(),
    }
    return payment_providers.Receipt(**{**values, **overrides})


def pay(application: Application, admin: User) -> None:
    payment_ops.record_payment(application, receipt(application), admin)
    db.session.commit()


def confirm_references(application: Application) -> None:
    db.session.execute(
        update(ReferenceRequest)
        .where(ReferenceRequest.application_id == application.id)
        .values(status=ReferenceStatus.CONFIRMED)
    )
    db.session.commit()


def settle_documents(application: Application, status: DocumentStatus = DocumentStatus.READ) -> None:
    db.session.execute(
        update(Document).where(Document.application_id == application.id).values(status=status)
    )
    db.session.commit()


def ready_to_approve(client, folder: Path, admin: User, credential: str = "CPM") -> Application:
    """Submitted, paid, its references confirmed and its documents read: every guard but CMM's holds."""
    application = submit(client, folder, credential)
    pay(application, admin)
    confirm_references(application)
    settle_documents(application)
    db.session.expire_all()
    return db.session.get(Application, application.id)


def issued(holder: User, issued_on: date, code: str = "CPM", hours: str = "35") -> IssuedCredential:
    """A credential issued on ``issued_on`` for an approved application made directly in the database."""
    moment = datetime.combine(issued_on, time(12), tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        application = Application(
            applicant=holder,
            credential_code=code,
            state=ApplicationState.APPROVED,
            submitted_at=moment,
            decided_at=moment,
            full_name=holder.full_name,
            contact_email=holder.email,
            postal_address="1 Road",
            is_member=False,
            supervisor_name="Sam Supervisor",
            supervisor_email="sam@supervision.example",
            supervisor_address="1 High Street",
            fee_amount=Decimal(398),
            fee_currency="USD",
        )
        application.training_records.append(
            TrainingRecord(
                centre_name="Northwind",
                centre_status=CentreStatus.ACCREDITED,
                programme_name="Foundations",
                hours=Decimal(hours),
                mode=TrainingMode.ONLINE,
                start_date=date(2015, 1, 1),
                end_date=date(2015, 2, 1),
                instructor_name="Grace Hopper",
                instructor_email="grace@northwind.example",
            )
        )
        db.session.add(application)
        db.session.flush()
        credential = issue_credential(application, None)
        db.session.commit()
    return credential
