"""Data-rights reads: a person's requests, what they hold here, what blocks erasure, what it would erase and
keep, and the drafts the sweep is due to warn about or erase."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_, select

from portal.db import db
from portal.enums import ApplicationState, DataRequestKind, DataRequestStatus
from portal.models.applications import Application
from portal.models.credentials import IssuedCredential
from portal.models.data_rights import DataRequest, DraftWarning
from portal.models.documents import Document
from portal.models.programmes import MentorProfile, Pairing, SupervisionSession
from portal.models.users import User
from portal.workflows.catalogue import Retention
from portal.workflows.data_rights.rules import (
    CLOSED,
    Blocker,
    KeptItem,
    application_blocker,
    application_kept_until,
    kept_application,
    kept_credential,
    kept_payment,
    pairing_blocker,
    staff_blocker,
)
from portal.workflows.registry import catalogue


def requests_of(user: User) -> list[DataRequest]:
    """The person's requests, newest first."""
    return list(
        db.session.scalars(
            select(DataRequest)
            .where(DataRequest.user_id == user.id)
            .order_by(DataRequest.created_at.desc(), DataRequest.id.desc())
        )
    )


def export_in_progress(user: User) -> DataRequest | None:
    return db.session.scalar(
        select(DataRequest).where(
            DataRequest.user_id == user.id,
            DataRequest.kind == DataRequestKind.EXPORT,
            DataRequest.status == DataRequestStatus.QUEUED,
        )
    )


def export_for_digest(digest: str) -> DataRequest | None:
    return db.session.scalar(select(DataRequest).where(DataRequest.token_digest == digest))


def applications_of(user: User) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application).where(Application.applicant_id == user.id).order_by(Application.id)
        )
    )


def drafts_of(user: User) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.applicant_id == user.id, Application.state == ApplicationState.DRAFT)
            .order_by(Application.id)
        )
    )


def pairings_of(user: User) -> list[Pairing]:
    return list(
        db.session.scalars(
            select(Pairing)
            .where(or_(Pairing.mentor_id == user.id, Pairing.mentee_id == user.id))
            .order_by(Pairing.id)
        )
    )


def credentials_of(user: User) -> list[IssuedCredential]:
    return list(
        db.session.scalars(
            select(IssuedCredential)
            .where(IssuedCredential.holder_id == user.id)
            .order_by(IssuedCredential.id)
        )
    )


def blockers(user: User) -> list[Blocker]:
    """What must be settled before the account can be erased, each with what the person can do."""
    found = [staff_blocker(user.role)]
    names = {credential.code: credential.name for credential in catalogue().ordered()}
    for application in applications_of(user):
        name = names.get(application.credential_code, application.credential_code)
        found.append(application_blocker(application.reference, name, application.state, application.id))
    for pairing in pairings_of(user):
        partner = pairing.partner_of(user).full_name
        found.append(
            pairing_blocker(pairing.programme.name, partner, pairing.state, pairing.term_end, pairing.id)
        )
    return [blocker for blocker in found if blocker is not None]


@dataclass
class ErasureSummary:
    """What deleting the account would do: erased at once, kept (until when, why), and what blocks it now."""

    erased: list[str] = field(default_factory=list)
    kept: list[KeptItem] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)


def erasure_summary(user: User) -> ErasureSummary:
    policy: Retention = catalogue().retention
    applications = applications_of(user)
    drafts = [a for a in applications if a.state == ApplicationState.DRAFT]
    closed = [a for a in applications if a.state in CLOSED]
    files = db.session.scalar(
        select(func.count())
        .select_from(Document)
        .where(Document.application_id.in_([a.id for a in applications]))
    )
    summary = ErasureSummary(blockers=blockers(user))
    summary.erased.append(
        _("Your name, email address, password, sign-in history, two-factor sign-in and public mentor profile")
    )
    if drafts:
        summary.erased.append(
            ngettext(
                "%(num)d draft application, with everything in it",
                "%(num)d draft applications, with everything in them",
                len(drafts),
            )
        )
    if files:
        summary.erased.append(
            ngettext(
                "%(num)d uploaded file (certificates and letters)",
                "%(num)d uploaded files (certificates and letters)",
                files,
            )
        )
    if closed:
        summary.erased.append(
            _(
                "From your other applications: your name, contact details, address, member number, "
                "supervisor's and instructors' details, mentees' and referees' names, and your declaration"
            )
        )
    sessions = db.session.scalar(
        select(func.count()).select_from(SupervisionSession).where(SupervisionSession.mentor_id == user.id)
    )
    if sessions:
        summary.erased.append(
            ngettext(
                "Your supervision log (%(num)d session)", "Your supervision log (%(num)d sessions)", sessions
            )
        )
    if db.session.scalar(select(MentorProfile.id).where(MentorProfile.user_id == user.id)):
        summary.erased.append(_("Your entry in the mentor directory"))
    if pairings_of(user):
        summary.erased.append(
            _(
                "What you wrote in mentoring pairings (evaluations, goal and meeting notes, declarations). The "
                "pairings stay for your partners, with you shown as a deleted account"
            )
        )
    summary.erased.append(
        _("The text of every email we sent you, and any copy of your data not yet downloaded")
    )
    names = {credential.code: credential.name for credential in catalogue().ordered()}
    credential_until = {}
    for credential in credentials_of(user):
        name = names.get(credential.credential_code, credential.credential_code)
        item = kept_credential(name, credential.number, credential.expires_on, policy)
        credential_until[credential.application_id] = item.until
        summary.kept.append(item)
    for application in closed:
        payment = application.payment
        until = application_kept_until(
            application.decided_at or application.updated_at,
            payment.received_on if payment else None,
            credential_until.get(application.id),
            policy,
        )
        summary.kept.append(kept_application(application.reference, until, policy.applications))
        if payment is not None:
            summary.kept.append(kept_payment(payment.receipt_number, until, policy.payments))
    return summary


def _touched_after(moment):
    """A draft changed after ``moment`` (a time, or a column): a section saved, or a file uploaded to it.
    (Its records carry no time of their own; saving one with a file counts through the file.)"""
    uploaded = (
        select(Document.id)
        .where(Document.application_id == Application.id, Document.created_at > moment)
        .exists()
    )
    return or_(Application.updated_at > moment, uploaded)


def drafts_to_warn(warn_before: datetime) -> list[Application]:
    """Drafts untouched since ``warn_before`` with no current warning."""
    return list(
        db.session.scalars(
            select(Application)
            .outerjoin(DraftWarning, DraftWarning.application_id == Application.id)
            .where(
                Application.state == ApplicationState.DRAFT,
                ~_touched_after(warn_before),
                DraftWarning.id.is_(None),
            )
            .order_by(Application.id)
        )
    )


def stale_warnings() -> list[DraftWarning]:
    """Warnings about drafts touched since: the person kept the draft, so the warning no longer stands."""
    return list(
        db.session.scalars(
            select(DraftWarning)
            .join(Application, Application.id == DraftWarning.application_id)
            .where(or_(_touched_after(DraftWarning.warned_at), Application.state != ApplicationState.DRAFT))
        )
    )


def drafts_to_erase(now: datetime) -> list[Application]:
    """Warned drafts, untouched since the warning, whose promised date has passed."""
    return list(
        db.session.scalars(
            select(Application)
            .join(DraftWarning, DraftWarning.application_id == Application.id)
            .where(
                Application.state == ApplicationState.DRAFT,
                ~_touched_after(DraftWarning.warned_at),
                DraftWarning.erase_after <= now,
            )
            .order_by(Application.id)
        )
    )


def warnings_of(applications: list[Application]) -> dict[int, DraftWarning]:
    ids = [a.id for a in applications]
    if not ids:
        return {}
    rows = db.session.scalars(select(DraftWarning).where(DraftWarning.application_id.in_(ids)))
    return {row.application_id: row for row in rows}


def exports_to_clear(now: datetime) -> list[DataRequest]:
    """Exports whose file must go: downloaded, or past their link's expiry."""
    return list(
        db.session.scalars(
            select(DataRequest).where(
                DataRequest.kind == DataRequestKind.EXPORT,
                or_(
                    (DataRequest.status == DataRequestStatus.READY) & (DataRequest.expires_at <= now),
                    DataRequest.storage_key.is_not(None) & (DataRequest.status != DataRequestStatus.READY),
                ),
            )
        )
    )


def _erased_people():
    return select(DataRequest.user_id).where(DataRequest.kind == DataRequestKind.ERASURE)


def kept_credentials() -> list[IssuedCredential]:
    """Credentials of erased accounts, kept under the retention policy until their time is over."""
    return list(
        db.session.scalars(
            select(IssuedCredential)
            .where(IssuedCredential.holder_id.in_(_erased_people()))
            .order_by(IssuedCredential.id)
        )
    )


def kept_applications() -> list[Application]:
    """Anonymised applications of erased accounts, kept under the retention policy."""
    return list(
        db.session.scalars(
            select(Application).where(Application.applicant_id.in_(_erased_people())).order_by(Application.id)
        )
    )


def has_credential(application: Application) -> bool:
    return (
        db.session.scalar(
            select(IssuedCredential.id).where(IssuedCredential.application_id == application.id)
        )
        is not None
    )
