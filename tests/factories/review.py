"""Applications brought to each point of review (over HTTP or straight into the database), and credentials
issued on a given day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import time_machine
from sqlalchemy import update

from portal.db import db, utcnow
from portal.enums import (
    ApplicationState,
    CentreStatus,
    DeclarationStatus,
    DocumentStatus,
    PaymentMethod,
    ReferenceStatus,
    TrainingMode,
)
from portal.models.applications import Application, TrainingRecord
from portal.models.credentials import IssuedCredential
from portal.models.documents import Document
from portal.models.references import ReferenceRequest
from portal.models.supervisors import SupervisorDeclaration
from portal.models.users import User
from portal.workflows.credentials.operations import issue_credential
from portal.workflows.payments import operations as payment_ops
from portal.workflows.payments import providers as payment_providers
from tests.factories import applications as data
from tests.factories import members


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
    """Every referee, and the supervisor, confirmed what they were asked by link."""
    db.session.execute(
        update(ReferenceRequest)
        .where(ReferenceRequest.application_id == application.id)
        .values(status=ReferenceStatus.CONFIRMED)
    )
    confirm_supervisor(application)


def confirm_supervisor(application: Application) -> None:
    """The supervisor's current declaration stands confirmed, as if they had answered their link."""
    db.session.execute(
        update(SupervisorDeclaration)
        .where(
            SupervisorDeclaration.application_id == application.id,
            SupervisorDeclaration.replaced_by_id.is_(None),
        )
        .values(status=DeclarationStatus.CONFIRMED, answered_at=utcnow())
    )
    db.session.commit()


def settle_documents(application: Application, status: DocumentStatus = DocumentStatus.READ) -> None:
    db.session.execute(
        update(Document).where(Document.application_id == application.id).values(status=status)
    )
    db.session.commit()


SUBMITTED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def training_record(status: CentreStatus = CentreStatus.ACCREDITED, **overrides) -> TrainingRecord:
    """35 hours of training taken online early in 2024 at a centre of ``status``."""
    values = {
        "centre_name": f"{status.value} centre",
        "centre_status": status,
        "programme_name": "Foundations",
        "hours": Decimal(35),
        "mode": TrainingMode.ONLINE,
        "start_date": date(2024, 1, 1),
        "end_date": date(2024, 2, 1),
        "instructor_name": "Grace Hopper",
        "instructor_email": "grace@northwind.example",
    }
    return TrainingRecord(**{**values, **overrides})


def application(
    owner: User,
    code: str = "CPM",
    state: ApplicationState = ApplicationState.IN_REVIEW,
    centres: tuple[CentreStatus, ...] = (CentreStatus.ACCREDITED,),
    **values,
) -> Application:
    """An application made directly in the database (flushed, not committed), submitted at ``SUBMITTED_AT``,
    with one training record per training centre status in ``centres``."""
    made = Application(
        applicant=owner,
        credential_code=code,
        state=state,
        submitted_at=SUBMITTED_AT,
        full_name="Ada",
        contact_email=owner.email,
        **values,
    )
    made.training_records.extend(training_record(status) for status in centres)
    db.session.add(made)
    db.session.flush()
    return made


def ready_to_approve(client, folder: Path, admin: User, credential: str = "CPM") -> Application:
    """Submitted by a member in the register, paid, its references confirmed and its documents read: every
    guard but CMM's holds."""
    members.member()
    application = data.submit(client, folder, credential)
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
            training_record(hours=Decimal(hours), start_date=date(2015, 1, 1), end_date=date(2015, 2, 1))
        )
        db.session.add(application)
        db.session.flush()
        credential = issue_credential(application, None)
        db.session.commit()
    return credential
