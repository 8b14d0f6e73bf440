"""Operations on an application: start it, save each section, manage records, submit it.

Each operation takes plain data from a form, checks the application may be changed, and flushes.
The caller commits once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import inspect

from portal.db import after_commit, db, utcnow
from portal.documents.storage import current_storage
from portal.enums import ApplicationKind, ApplicationState, DocumentPurpose, EngagementSetting
from portal.models.applications import Application, Engagement, SupervisionYear, TrainingRecord
from portal.models.credentials import IssuedCredential
from portal.models.documents import Document
from portal.models.users import User
from portal.workflows.applications.queries import importable_pairings
from portal.workflows.applications.rules import NotEditable, UnknownCredential
from portal.workflows.applications.sections import can_edit
from portal.workflows.audit import record
from portal.workflows.credentials.queries import open_renewal, renewal_problems
from portal.workflows.credentials.rules import cycle_years
from portal.workflows.documents.operations import accept_upload, reprocess_after_change
from portal.workflows.documents.rules import Upload
from portal.workflows.engine import apply_transition
from portal.workflows.membership.operations import check_claim
from portal.workflows.payments.queries import fee_for
from portal.workflows.programmes.rules import ProgrammeError
from portal.workflows.references.operations import request_references
from portal.workflows.refusals import Refused
from portal.workflows.registry import catalogue
from portal.workflows.supervisors.operations import request_declaration

# The model attributes each single-page section may set: nothing else can be written through a form.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "about": ("full_name", "contact_email", "postal_address", "is_member", "member_number"),
    "prerequisite": ("prior_credential_number", "prior_credential_issued_on"),
    "supervision": (
        "supervisor_name",
        "supervisor_email",
        "supervisor_address",
        "supervisor_language",
        "supervision_focus",
        "supervision_sessions",
    ),
}


TRAINING_FIELDS = (
    "centre_name",
    "centre_status",
    "programme_name",
    "hours",
    "mode",
    "start_date",
    "end_date",
    "instructor_name",
    "instructor_email",
)


ENGAGEMENT_FIELDS = (
    "mentee_name",
    "mentee_email",
    "start_date",
    "end_date",
    "setting",
    "is_confidential",
    "referee_name",
    "referee_email",
    "referee_relationship",
)


def start_application(applicant: User, credential_code: str) -> Application:
    if catalogue().get(credential_code) is None:
        raise UnknownCredential(_("There is no credential “%(code)s”.", code=credential_code))
    application = Application(
        applicant=applicant,
        credential_code=credential_code,
        full_name=applicant.full_name,
        contact_email=applicant.email,
    )
    db.session.add(application)
    db.session.flush()
    record(applicant, application, "start", to_state=ApplicationState.DRAFT.value)
    return application


def _ensure_editable(application: Application, section: str) -> None:
    if not can_edit(application, section):
        raise NotEditable(_("This part of the application can no longer be changed."))


def _assign(target: Any, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for key in allowed:
        if key in data:
            setattr(target, key, data[key])


def update_section(application: Application, section: str, data: dict[str, Any]) -> None:
    """Save a single-page section (about, prerequisite, supervision)."""
    _ensure_editable(application, section)
    if section == "about" and not data.get("is_member"):
        data = {**data, "member_number": None}
    _assign(application, data, SECTION_FIELDS[section])
    application.updated_at = utcnow()
    db.session.flush()


def accept_declaration(application: Application, statement: str) -> None:
    _ensure_editable(application, "declaration")
    application.declaration_accepted_at = utcnow()
    application.declaration_statement = statement
    db.session.flush()


def save_training_record(
    application: Application,
    data: dict[str, Any],
    actor: User,
    certificate: Upload | None = None,
    training: TrainingRecord | None = None,
) -> TrainingRecord:
    """Add a training record, or change ``training``; a new certificate replaces the old one."""
    _ensure_editable(application, "training")
    document = _accept(application, certificate, DocumentPurpose.CERTIFICATE, actor)
    if training is None:
        training = TrainingRecord(application=application)
        db.session.add(training)
    _assign(training, data, TRAINING_FIELDS)
    if document is not None:
        _discard(training.certificate)
        training.certificate = document
    elif training.certificate is not None and _declared_facts_changed(training):
        _requeue(training.certificate)  # the cross-check compares against what is declared now
    db.session.flush()
    return training


def remove_training_record(application: Application, training: TrainingRecord) -> None:
    _ensure_editable(application, "training")
    _discard(training.certificate)
    db.session.delete(training)
    db.session.flush()


def save_engagement(
    application: Application,
    data: dict[str, Any],
    actor: User,
    letter: Upload | None = None,
    engagement: Engagement | None = None,
) -> Engagement:
    """Add a mentoring engagement, or change ``engagement``; a new letter replaces the old one."""
    _ensure_editable(application, "engagements")
    document = _accept(application, letter, DocumentPurpose.REFERENCE_LETTER, actor)
    if engagement is None:
        engagement = Engagement(application=application)
        db.session.add(engagement)
    if not data.get("referee_email"):
        data = {**data, "referee_name": None, "referee_email": None, "referee_relationship": None}
    _assign(engagement, data, ENGAGEMENT_FIELDS)
    # What the programme verified may no longer be what is declared: it needs a referee like any other.
    engagement.pairing_id = None
    if document is not None:
        _discard(engagement.letter)
        engagement.letter = document
    elif engagement.letter is not None and _declared_facts_changed(engagement):
        _requeue(engagement.letter)
    db.session.flush()
    return engagement


def remove_engagement(application: Application, engagement: Engagement) -> None:
    _ensure_editable(application, "engagements")
    _discard(engagement.letter)
    db.session.delete(engagement)
    db.session.flush()


def submit_application(application: Application, actor: User) -> None:
    """Fix the fee from the catalogue and the membership, then move the draft to submitted."""
    credential = catalogue()[application.credential_code]
    application.fee_amount = fee_for(credential.code, bool(application.is_member))
    application.fee_currency = credential.currency
    apply_transition(application, "submit", actor)
    check_claim(application, None)
    apply_transition(application, "request_payment", None)
    request_references(application, actor)
    request_declaration(application, actor)


def resubmit_application(application: Application, actor: User) -> None:
    """Send a returned application back to review; referees are asked again where an engagement changed, and
    the supervisor where the applicant named another."""
    apply_transition(application, "resubmit", actor)
    check_claim(application, None)
    request_references(application, actor)
    request_declaration(application, actor)


def withdraw_application(application: Application, actor: User, reason: str | None) -> None:
    """The applicant takes the application back, at any stage before a decision."""
    apply_transition(application, "withdraw", actor, reason)


def _accept(application: Application, upload: Upload | None, purpose: DocumentPurpose, actor: User):
    if upload is None:
        return None
    return accept_upload(application, upload.stream, upload.filename, purpose, actor)


def _discard(document: Document | None) -> None:
    """Remove a replaced or orphaned document: its row now, its bytes once the change is committed."""
    if document is None:
        return
    key = document.storage_key
    db.session.delete(document)
    after_commit(db.session(), lambda: current_storage().delete(key))


def _declared_facts_changed(target) -> bool:

    state = inspect(target)
    return any(
        state.attrs[name].history.has_changes()
        for name in state.mapper.column_attrs.keys()
        if name not in ("id", "application_id", "certificate_id", "letter_id")
    )


def _requeue(document: Document) -> None:

    reprocess_after_change(document)


def import_pairings(application: Application, actor: User) -> list[Engagement]:
    """Add each completed pairing to the application as a pre-verified engagement: no referee is emailed."""
    if actor.id != application.applicant_id:
        raise ProgrammeError(_("Only the applicant can add engagements to this application."))
    if not can_edit(application, "engagements"):
        raise ProgrammeError(_("This part of the application can no longer be changed."))
    engagements = []
    for pairing in importable_pairings(application):
        engagement = Engagement(
            application=application,
            pairing_id=pairing.id,
            mentee_name=pairing.mentee.full_name,
            mentee_email=pairing.mentee.email,
            start_date=pairing.term_start,
            end_date=pairing.term_end,
            setting=EngagementSetting.EXTERNAL,
        )
        db.session.add(engagement)
        engagements.append(engagement)
    db.session.flush()
    for engagement in engagements:
        record(
            actor,
            application,
            "import_engagement",
            reason=f"Pairing {engagement.pairing_id} with {engagement.mentee_name}",
        )
    return engagements


# Carried from the application that earned the credential, so the holder only checks them.
CARRIED = (
    "full_name",
    "contact_email",
    "postal_address",
    "is_member",
    "member_number",
    "supervisor_name",
    "supervisor_email",
    "supervisor_address",
    "supervision_focus",
)


class RenewalRefused(Refused):
    """The credential cannot be renewed now (outside its window, not the holder's, already renewed)."""


def start_renewal(credential: IssuedCredential, user: User, today: date | None = None) -> Application:
    """The holder's renewal application for ``credential``: an open one if it exists, else a new draft."""
    existing = open_renewal(credential)
    if existing is not None:
        return existing
    problems = renewal_problems(credential, user, today)
    if problems:
        raise RenewalRefused(problems)
    application = Application(
        applicant=user,
        credential_code=credential.credential_code,
        kind=ApplicationKind.RENEWAL,
        renews_credential=credential,
    )
    earned = credential.application
    for name in CARRIED:
        setattr(application, name, getattr(earned, name))
    application.full_name = application.full_name or user.full_name
    application.contact_email = application.contact_email or user.email
    db.session.add(application)
    db.session.flush()
    record(
        user,
        application,
        "start",
        to_state=ApplicationState.DRAFT.value,
        reason=f"Renewal of {credential.number}",
    )
    record(user, credential, "renewal_started", reason=application.reference)
    return application


def save_supervision_years(application: Application, years: list[dict[str, Any]]) -> None:
    """Keep the sessions and supervisor declared for each year of the cycle being renewed."""

    if not can_edit(application, "supervision_years"):
        raise NotEditable(_("This part of the application can no longer be changed."))
    existing = {year.year_number: year for year in application.supervision_years}
    for cycle_year, data in zip(cycle_years(application.renews_credential), years):
        row = existing.get(cycle_year.number)
        if row is None:
            row = SupervisionYear(
                application=application,
                year_number=cycle_year.number,
                starts_on=cycle_year.starts_on,
                ends_on=cycle_year.ends_on,
            )
            db.session.add(row)
        row.sessions = data["sessions"]
        row.supervisor_name = data["supervisor_name"]
        row.supervisor_email = data["supervisor_email"]
    db.session.flush()
