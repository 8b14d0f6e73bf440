"""Data-rights changes: a copy of a person's data (requested, built by the worker, downloaded once), the
erasure of their account, keeping a draft, and the sweep that warns about and erases stale drafts.

Erasure keeps what the retention policy in the catalogue names, anonymised, and audits itself with counts:
never the values it erased. Files go only after the transaction commits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, delete, func, or_, select, update

from portal import jobs, outbox
from portal.db import after_commit, after_rollback, db, utcnow
from portal.documents.storage import current_storage
from portal.enums import (
    ApplicationState,
    DataRequestKind,
    DataRequestStatus,
    EmailStatus,
    LinkKind,
    MessageRole,
    PairingRole,
)
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.data_rights import DataRequest, DraftWarning
from portal.models.documents import Document
from portal.models.external_requests import ExternalLink
from portal.models.outbox import EmailMessage
from portal.models.programmes import MentorProfile, SupervisionSession
from portal.models.references import ReferenceRequest, StaffVerification
from portal.models.review import ApplicationMessage
from portal.models.supervisors import SupervisorDeclaration
from portal.models.users import User, new_session_token
from portal.notifications import notify_applicant, on_delivery, send_email
from portal.workflows.accounts.operations import confirm_identity
from portal.workflows.accounts.rules import new_token, token_digest
from portal.workflows.audit import record
from portal.workflows.data_rights import queries
from portal.workflows.data_rights.records import addresses_of, export_zip
from portal.workflows.data_rights.rules import (
    CLOSED,
    ERASED_NAME,
    ERASED_TEXT,
    application_retention_over,
    credential_retention_over,
    erase_after,
    placeholder_email,
    warn_untouched_since,
)
from portal.workflows.refusals import Refused
from portal.workflows.registry import catalogue

# A copy of one person's data: far above any real one (uploads are capped at MAX_UPLOAD_MB each).
EXPORT_MAX_BYTES = 4 * 1024**3


class ExportUnavailable(Refused):
    """The download link was good once, but has been used or has expired."""


# --- a copy of the person's data ----------------------------------------------------------------------------


def request_export(user: User) -> DataRequest:
    """Ask the worker for a copy of everything about ``user``; one at a time."""
    if queries.export_in_progress(user) is not None:
        raise Refused(_("Your copy is already being prepared. We will email you when it is ready."))
    request = DataRequest(user_id=user.id, kind=DataRequestKind.EXPORT, status=DataRequestStatus.QUEUED)
    db.session.add(request)
    db.session.flush()
    outbox.enqueue(jobs.BUILD_DATA_EXPORT, request.id)
    record(user, request, "data_export_requested")
    return request


def build_export(request_id: int) -> None:
    """Build the ZIP for a queued request, store it, and email its single-use link. Returns quietly when the
    request is gone or no longer queued (a redelivered job does nothing twice)."""
    request = db.session.get(DataRequest, request_id)
    if request is None or request.status != DataRequestStatus.QUEUED:
        return
    user = db.session.get(User, request.user_id)
    storage = current_storage()
    with export_zip(user) as archive:
        stored = storage.save(archive, EXPORT_MAX_BYTES)
    after_rollback(db.session(), lambda: storage.delete(stored.key))  # never a file without its row
    token = new_token()
    days = current_app.config["DATA_EXPORT_DAYS"]
    now = utcnow()
    request.status, request.completed_at = DataRequestStatus.READY, now
    request.storage_key, request.size_bytes = stored.key, stored.size
    request.token_digest, request.expires_at = token_digest(token), now + timedelta(days=days)
    request.attempts += 1
    send_email(
        "data_export_ready",
        user.email,
        related=request,
        language=user.locale,
        user=user,
        request=request,
        token=token,
    )
    db.session.flush()


def record_export_failure(request_id: int, reason: str) -> None:
    """The worker gave up on a copy: the request says so, with why, and the person is told."""
    request = db.session.get(DataRequest, request_id)
    if request is None or request.status != DataRequestStatus.QUEUED:
        return
    request.status, request.completed_at = DataRequestStatus.FAILED, utcnow()
    request.failure_reason = reason[:2000]
    user = db.session.get(User, request.user_id)
    send_email(
        "data_export_failed", user.email, related=request, language=user.locale, user=user, request=request
    )
    record(None, request, "data_export_failed", reason=reason[:500])
    db.session.flush()


def export_for_token(user: User, token: str) -> DataRequest | None:
    """The signed-in owner's export this link is for; None when it is nobody's or someone else's.
    Raises :class:`ExportUnavailable` when it has been used or has expired."""
    request = queries.export_for_digest(token_digest(token)) if token else None
    if request is None or request.user_id != user.id:
        return None
    if request.status == DataRequestStatus.DOWNLOADED:
        raise ExportUnavailable(
            _("This link has been used: each copy downloads once. Ask for a new copy from Your data.")
        )
    if request.status != DataRequestStatus.READY or request.expires_at <= utcnow():
        raise ExportUnavailable(_("This link has expired and the file has been removed. Ask for a new copy."))
    return request


def take_export(user: User, request: DataRequest) -> str:
    """Use the link: the request is marked downloaded (once, even with two clicks at once); returns the
    file's storage key. The file is removed once sent (and by the sweep, should that fail)."""
    taken = db.session.execute(
        update(DataRequest)
        .where(DataRequest.id == request.id, DataRequest.status == DataRequestStatus.READY)
        .values(status=DataRequestStatus.DOWNLOADED, downloaded_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not taken:
        raise ExportUnavailable("This link has been used: each copy downloads once.")
    record(user, request, "data_exported")
    return request.storage_key


# --- erasure ------------------------------------------------------------------------------------------------


def _erase_files(keys: list[str]) -> None:
    """Remove these stored files once the transaction that dropped their rows commits."""
    if keys:
        storage = current_storage()
        after_commit(db.session(), lambda: [storage.delete(key) for key in keys])


def _delete_applications(ids: list[int]) -> tuple[int, list[str]]:
    """Delete applications with everything in them (the database cascades); returns the number of files and
    their storage keys, to remove after commit."""
    if not ids:
        return 0, []
    keys = list(db.session.scalars(select(Document.storage_key).where(Document.application_id.in_(ids))))
    db.session.execute(delete(Application).where(Application.id.in_(ids)))
    return len(keys), keys


def _anonymise_application(application: Application) -> list[str]:
    """Keep the decision's record, without the person: returns the storage keys of its files (erased)."""
    closed_at = application.updated_at  # a withdrawal's time: its retention counts from it
    application.full_name = ERASED_NAME
    for name in (
        "contact_email",
        "postal_address",
        "member_number",
        "supervisor_name",
        "supervisor_email",
        "supervisor_address",
        "declaration_statement",
    ):
        setattr(application, name, None)
    for record_ in application.training_records:
        record_.instructor_name = record_.instructor_email = ERASED_TEXT
        record_.certificate_id = None
    for engagement in application.engagements:
        engagement.mentee_name = engagement.mentee_email = ERASED_TEXT
        engagement.referee_name = engagement.referee_email = None
        engagement.letter_id = None
    for year in application.supervision_years:
        year.supervisor_name = year.supervisor_email = ERASED_TEXT
    references = list(
        db.session.scalars(select(ReferenceRequest).where(ReferenceRequest.application_id == application.id))
    )
    for reference in references:
        reference.referee_name = reference.referee_email = ERASED_TEXT
        reference.declared_mentor_name = ERASED_NAME
        for name in (
            "declared_mentee_name",
            "comment",
            "letter_id",
            "answer_ip",
            "answer_user_agent",
            "applicant_ip",
            "applicant_user_agent",
        ):
            setattr(reference, name, None)
    if references:
        _delete_links(LinkKind.REFERENCE, [r.id for r in references])
    declarations = list(
        db.session.scalars(
            select(SupervisorDeclaration).where(SupervisorDeclaration.application_id == application.id)
        )
    )
    for declaration in declarations:
        declaration.supervisor_name = declaration.supervisor_email = ERASED_TEXT
        for name in ("comment", "answer_ip", "answer_user_agent", "applicant_ip", "applicant_user_agent"):
            setattr(declaration, name, None)
    if declarations:
        _delete_links(LinkKind.SUPERVISOR_DECLARATION, [d.id for d in declarations])
    db.session.execute(
        update(StaffVerification)
        .where(StaffVerification.application_id == application.id)
        .values(contact_name=ERASED_TEXT, note=ERASED_TEXT)
    )
    # The applicant's own answers are their words; the reviewers' questions stay, as staff reasons do.
    db.session.execute(
        update(ApplicationMessage)
        .where(
            ApplicationMessage.application_id == application.id,
            ApplicationMessage.role == MessageRole.APPLICANT,
        )
        .values(body=ERASED_TEXT)
    )
    db.session.flush()
    db.session.execute(
        update(Application)
        .where(Application.id == application.id)
        .values(updated_at=closed_at)
        .execution_options(synchronize_session=False)
    )
    keys = list(
        db.session.scalars(select(Document.storage_key).where(Document.application_id == application.id))
    )
    db.session.execute(delete(Document).where(Document.application_id == application.id))
    return keys


def _anonymise_pairings(user: User) -> int:
    pairings = queries.pairings_of(user)
    for pairing in pairings:
        if pairing.created_by_id == user.id:
            pairing.request_message = None
        if pairing.role_of(user) == PairingRole.MENTOR:
            pairing.decline_reason = None
            pairing.mentor_signed_name = ERASED_NAME if pairing.mentor_signed_name else None
        else:
            pairing.mentee_signed_name = ERASED_NAME if pairing.mentee_signed_name else None
        for goal in pairing.goals:
            for note in goal.notes:
                if note.author_id == user.id:
                    note.note = ERASED_TEXT
        for meeting in pairing.meetings:
            if meeting.logged_by_id == user.id:
                meeting.notes = None
        for declaration in pairing.declarations:
            if declaration.user_id == user.id:
                declaration.details = None
        for evaluation in pairing.evaluations:
            if evaluation.author_id == user.id:
                evaluation.about_partner = evaluation.about_programme = ERASED_TEXT
    return len(pairings)


def _erase_emails(user: User, addresses: set[str], related: dict[str, list[int]]) -> int:
    """Unsent emails to the person are dropped; every other email to them or about their records keeps only
    that it was sent (template, dates, outcome), not its text or the person's address."""
    to_them = func.lower(EmailMessage.recipient).in_(addresses)
    db.session.execute(delete(EmailMessage).where(to_them, EmailMessage.status == EmailStatus.QUEUED))
    about = [
        (EmailMessage.related_type == kind) & EmailMessage.related_id.in_(ids)
        for kind, ids in related.items()
        if ids
    ]
    return db.session.execute(
        update(EmailMessage)
        .where(or_(to_them, *about))
        .values(
            recipient=case((to_them, placeholder_email(user.id)), else_=EmailMessage.recipient),
            subject=ERASED_TEXT,
            text_body="",
            html_body="",
        )
        .execution_options(synchronize_session=False)
    ).rowcount


def erase_account(user: User, password: str, code: str | None) -> DataRequest:
    """Delete the person's account: drafts and personal data erased, the rest anonymised or kept as the
    catalogue's retention policy says, the erasure audited with counts only, a confirmation emailed to the
    address before it goes. Refused while something is in hand (an application in review, an active pairing)."""
    confirm_identity(user, password, code)
    blockers = queries.blockers(user)
    if blockers:
        raise Refused([blocker.problem for blocker in blockers])
    summary = queries.erasure_summary(user)
    address, name, language = user.email, user.full_name, user.locale
    counts: Counter[str] = Counter()
    applications = queries.applications_of(user)
    addresses = addresses_of(user, applications)
    related = {
        "users": [user.id],
        "applications": [a.id for a in applications],
        "reference_requests": list(
            db.session.scalars(
                select(ReferenceRequest.id).where(
                    ReferenceRequest.application_id.in_([a.id for a in applications])
                )
            )
        ),
        "pairings": [pairing.id for pairing in queries.pairings_of(user)],
        "credentials": [credential.id for credential in queries.credentials_of(user)],
        "data_requests": [request.id for request in queries.requests_of(user)],
    }
    counts["emails_erased"] = _erase_emails(user, addresses, related)

    drafts = [a.id for a in applications if a.state == ApplicationState.DRAFT]
    files, keys = _delete_applications(drafts)
    counts["drafts_erased"], counts["files_erased"] = len(drafts), files
    for application in applications:
        if application.state in CLOSED:
            application_keys = _anonymise_application(application)
            keys += application_keys
            counts["applications_anonymised"] += 1
            counts["files_erased"] += len(application_keys)

    policy = catalogue().retention
    for credential in queries.credentials_of(user):
        counts["credentials_kept"] += 1
        if not policy.show_holder_name:
            credential.holder_name = ERASED_NAME
    counts["pairings_anonymised"] = _anonymise_pairings(user)
    _delete_links(
        LinkKind.SUPERVISION_SESSION,
        list(
            db.session.scalars(select(SupervisionSession.id).where(SupervisionSession.mentor_id == user.id))
        ),
    )
    counts["supervision_sessions_erased"] = db.session.execute(
        delete(SupervisionSession).where(SupervisionSession.mentor_id == user.id)
    ).rowcount
    counts["mentor_profile_erased"] = db.session.execute(
        delete(MentorProfile).where(MentorProfile.user_id == user.id)
    ).rowcount
    for request in queries.requests_of(user):
        if request.storage_key:
            keys.append(request.storage_key)
            counts["exports_removed"] += 1
        if request.status in (DataRequestStatus.QUEUED, DataRequestStatus.READY):
            request.status = DataRequestStatus.EXPIRED
        request.storage_key = request.token_digest = None

    # Earlier audit entries keep who did what by account id; the person's name, address and own words go.
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor_id == user.id)
        .values(actor_label=ERASED_NAME, reason=None)
        .execution_options(synchronize_session=False)
    )
    _anonymise_user(user)
    erasure = DataRequest(
        user_id=user.id,
        kind=DataRequestKind.ERASURE,
        status=DataRequestStatus.DONE,
        completed_at=utcnow(),
        counts={key: value for key, value in sorted(counts.items()) if value},
    )
    db.session.add(erasure)
    db.session.flush()
    entry = record(None, user, "account_erased", reason=_counted(counts))
    entry.actor_id, entry.actor_label = user.id, ERASED_NAME
    # Sent to the address before it is gone; once delivered, the email's own copy is erased too.
    send_email("account_erased", address, related=erasure, language=language, name=name, summary=summary)
    _erase_files(keys)
    db.session.flush()
    return erasure


def _anonymise_user(user: User) -> None:
    user.full_name, user.email = ERASED_NAME, placeholder_email(user.id)
    user.password_hash = "!erased"  # no password matches: argon2 refuses to read it
    user.is_active_account = False
    user.session_token = new_session_token()  # every session of the account ends
    for name in (
        "last_login_at",
        "last_login_ip",
        "last_login_user_agent",
        "profile_slug",
        "totp_secret",
        "totp_confirmed_at",
        "totp_last_step",
        "recovery_code_digests",
        "signup_token_digest",
        "signup_token_expires_at",
        "reset_token_digest",
        "reset_token_expires_at",
        "signup_address_digest",
        "signup_device_digest",
    ):
        setattr(user, name, None)
    user.is_profile_public = False


def _counted(counts: Counter[str]) -> str:
    return "; ".join(f"{key.replace('_', ' ')}: {value}" for key, value in sorted(counts.items()) if value)


@on_delivery(DataRequest.__tablename__)
def _erase_confirmation_once_sent(email: EmailMessage) -> None:
    """The confirmation of an erasure is the last thing that knew the address: erased once sent (or failed)."""
    request = db.session.get(DataRequest, email.related_id)
    if request is not None and request.kind == DataRequestKind.ERASURE:
        email.recipient = placeholder_email(request.user_id)
        email.subject, email.text_body, email.html_body = ERASED_TEXT, "", ""


# --- drafts -------------------------------------------------------------------------------------------------


def keep_draft(user: User, application: Application) -> None:
    """The person wants a warned draft kept: it counts as touched now, and the warning no longer stands."""
    if application.state != ApplicationState.DRAFT:
        raise Refused(_("Only a draft can be kept this way."))
    application.updated_at = utcnow()
    db.session.execute(delete(DraftWarning).where(DraftWarning.application_id == application.id))
    record(user, application, "draft_kept")
    db.session.flush()


@dataclass
class SweepResult:
    warned: int = 0
    erased: int = 0
    exports_cleared: int = 0
    retention_ended: int = 0


def _end_retention(today: date) -> int:
    """What an erased account left behind goes once the policy's years are over: its credentials, then the
    anonymised applications (with their payments) that nothing rests on any more. Audited by id alone."""
    policy = catalogue().retention
    ended = 0
    for credential in queries.kept_credentials():
        if credential_retention_over(credential.expires_on, today, policy.credentials):
            record(
                None,
                credential,
                "retention_ended",
                reason=f"kept {policy.credentials.years} years after expiry",
            )
            db.session.delete(credential)
            ended += 1
    db.session.flush()
    over = []
    for application in queries.kept_applications():
        paid_on = application.payment.received_on if application.payment else None
        closed_on = application.decided_at or application.updated_at
        if application_retention_over(closed_on, paid_on, queries.has_credential(application), today, policy):
            record(None, application, "retention_ended", reason=f"kept {policy.applications.years} years")
            over.append(application.id)
    _delete_applications(over)  # no files: they went with the account
    return ended + len(over)


def sweep_data_rights(now: datetime | None = None) -> SweepResult:
    """Idempotent, hourly: remove export files that were downloaded or expired; remove what erased accounts
    left once the retention policy's years are over; warn the owners of drafts
    untouched for ``DRAFT_RETENTION_DAYS`` minus ``DRAFT_WARNING_DAYS``; erase the warned ones, untouched
    since, whose date has come. Each draft is warned once per stretch of inactivity."""
    now = now or utcnow()
    result = SweepResult()
    keys: list[str] = []
    for request in queries.exports_to_clear(now):
        if request.storage_key:
            keys.append(request.storage_key)
        if request.status == DataRequestStatus.READY:
            request.status = DataRequestStatus.EXPIRED
        request.storage_key = None
        result.exports_cleared += 1
    result.retention_ended = _end_retention(now.date())
    retention, warning = current_app.config["DRAFT_RETENTION_DAYS"], current_app.config["DRAFT_WARNING_DAYS"]
    if retention > 0:
        for stale in queries.stale_warnings():
            db.session.delete(stale)
        db.session.flush()
        for application in queries.drafts_to_warn(warn_untouched_since(now, retention, warning)):
            when = erase_after(application.updated_at, now, retention, warning)
            db.session.add(DraftWarning(application_id=application.id, warned_at=now, erase_after=when))
            notify_applicant(application, "draft_erasure_warning", erase_on=when, days=retention)
            result.warned += 1
        erasable = queries.drafts_to_erase(now)
        for application in erasable:
            files = db.session.scalar(
                select(func.count()).select_from(Document).where(Document.application_id == application.id)
            )
            record(
                None,
                application,
                "draft_erased",
                reason=f"untouched for {retention} days after a warning; files erased: {files}",
            )
        _count, draft_keys = _delete_applications([a.id for a in erasable])
        keys += draft_keys
        result.erased = len(erasable)
    _erase_files(keys)
    db.session.flush()
    return result


def _delete_links(kind: LinkKind, request_ids: list[int]) -> None:
    """The links to erased requests stop working: their rows go."""
    if request_ids:
        db.session.execute(
            delete(ExternalLink).where(ExternalLink.kind == kind, ExternalLink.request_id.in_(request_ids))
        )
