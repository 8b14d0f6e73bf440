"""Loaders that return only what the current user may see, else 404 (never a hint that it exists)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from portal.db import db, parse_id
from portal.enums import ApplicationState
from portal.models.api_tokens import ApiToken
from portal.models.applications import Application, Engagement, TrainingRecord
from portal.models.credentials import IssuedCredential
from portal.models.documents import Document
from portal.models.members import Member
from portal.models.references import ReferenceRequest
from portal.models.review import StandardReason
from portal.models.supervisors import SupervisorDeclaration
from portal.models.users import User
from portal.models.webhooks import WebhookDelivery, WebhookEndpoint
from portal.workflows.credentials.queries import find
from portal.workflows.review.rules import conflicts


class ConflictOfInterest(Forbidden):
    """A member of staff appears on the application: they see why, and nothing of the application."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def refuse_if_conflicted(application: Application) -> None:
    """The one conflict rule, asked by every loader through which staff act on an application."""
    if current_user.is_authenticated and application.applicant_id != current_user.id:
        problems = conflicts(application, current_user._get_current_object())
        if problems:
            raise ConflictOfInterest(problems)


def _can_see(application: Application) -> bool:
    """The applicant's own; for staff, a submitted one they have no conflict with (else refused, with why)."""
    if not current_user.is_authenticated:
        return False
    if application.applicant_id == current_user.id:
        return True
    if not current_user.is_reviewer or application.state == ApplicationState.DRAFT:
        return False
    refuse_if_conflicted(application)
    return True


def own_application(application_id: int) -> Application:
    """The current user's own application (applicant pages), else 404."""
    application = db.session.get(Application, application_id)
    if (
        application is None
        or not current_user.is_authenticated
        or application.applicant_id != current_user.id
    ):
        abort(404)
    return application


def visible_application(application_id: int) -> Application:
    """An application the current user may read: their own, or any for reviewers."""
    application = db.session.get(Application, application_id)
    if application is None or not _can_see(application):
        abort(404)
    return application


def me() -> User:
    """The signed-in person as the account row itself (not Flask-Login's proxy), for operations and audit."""
    return current_user._get_current_object()


def own_training_record(application: Application, record_id: int) -> TrainingRecord:
    record = db.session.get(TrainingRecord, record_id)
    if record is None or record.application_id != application.id:
        abort(404)
    return record


def own_engagement(application: Application, engagement_id: int) -> Engagement:
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or engagement.application_id != application.id:
        abort(404)
    return engagement


def visible_document(document_id: int) -> Document:
    """A document of an application the current user may read, else 404."""
    document = db.session.get(Document, document_id)
    if document is None:
        abort(404)
    application = db.session.get(Application, document.application_id)
    if application is None or not _can_see(application):
        abort(404)
    # A referee's letter is written for the credentialing team, not for the applicant (even one on the team).
    if (
        application.applicant_id == current_user.id
        and db.session.scalar(db.select(ReferenceRequest.id).where(ReferenceRequest.letter_id == document.id))
        is not None
    ):
        abort(404)
    return document


def application_reference(application: Application, reference_id: int) -> ReferenceRequest:
    """A reference request of ``application`` (already loaded through one of the loaders above), else 404."""
    reference = db.session.get(ReferenceRequest, reference_id)
    if reference is None or reference.application_id != application.id:
        abort(404)
    return reference


def application_declaration(application: Application, declaration_id: int) -> SupervisorDeclaration:
    """A supervisor declaration of ``application`` (already loaded through a loader above), else 404."""
    declaration = db.session.get(SupervisorDeclaration, declaration_id)
    if declaration is None or declaration.application_id != application.id:
        abort(404)
    return declaration


def require_reviewer() -> None:
    """Reviewers' and admins' pages: anyone else is refused."""
    if not (current_user.is_authenticated and current_user.is_reviewer):
        abort(403)


def require_admin() -> None:
    if not (current_user.is_authenticated and current_user.is_admin):
        abort(403)


def reviewable_application(application_id: int) -> Application:
    """Any submitted application, for reviewers; drafts stay the applicant's own."""

    require_reviewer()
    application = db.session.get(Application, application_id)
    if application is None or application.state == ApplicationState.DRAFT:
        abort(404)
    refuse_if_conflicted(application)
    return application


def reviewable_document(document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        abort(404)
    reviewable_application(document.application_id)
    return document


def paying_application(application_id: int) -> Application:
    """An application whose fee and receipt the current user may see: their own, or any for admins."""
    application = db.session.get(Application, application_id)
    if (
        application is None
        or not current_user.is_authenticated
        or not (application.applicant_id == current_user.id or current_user.is_admin)
    ):
        abort(404)
    refuse_if_conflicted(application)
    return application


def application_by_reference(reference: str) -> Application | None:
    """The application a payment quotes (``CPM-000042``), for admins; None when there is no such one."""
    require_admin()
    code, _, number = (reference or "").strip().upper().rpartition("-")
    if (application_id := parse_id(number)) is None:
        return None
    application = db.session.get(Application, application_id)
    if application is None or application.credential_code != code:
        return None
    return application


def own_credential(number: str):
    """A credential the current user holds, by number, else 404."""

    credential = find(number)
    if credential is None or not current_user.is_authenticated or credential.holder_id != current_user.id:
        abort(404)
    return credential


def public_credential(number: str):
    """Any credential by its number: the number itself is the capability to see its public facts."""

    credential = find(number)
    if credential is None:
        abort(404)
    return credential


def _admin_get(model, object_id: int):
    """Any row of ``model`` for an administrator, else 404 (403 for anyone else)."""
    require_admin()
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def admin_credential(credential_id: int):
    """A credential for an administrator with no conflict of interest with its application."""
    return _unconflicted(_admin_get(IssuedCredential, credential_id))


def _unconflicted(credential: IssuedCredential) -> IssuedCredential:
    """Refused, with why, when the current user appears on the credential's application: its holder
    included, so no one revokes their own."""
    problems = conflicts(credential.application, me())
    if problems:
        raise ConflictOfInterest(problems)
    return credential


def admin_credential_by_number(number: str) -> IssuedCredential:
    """``admin_credential``, by the credential's number."""
    require_admin()
    credential = find(number)
    if credential is None:
        abort(404)
    return _unconflicted(credential)


def admin_application(application_id: int) -> Application:
    application = _admin_get(Application, application_id)
    refuse_if_conflicted(application)
    return application


def admin_user(user_id: int):

    return _admin_get(User, user_id)


def admin_member(member_id: int) -> Member:

    return _admin_get(Member, member_id)


def admin_standard_reason(reason_id: int):

    return _admin_get(StandardReason, reason_id)


def admin_api_token(token_id: int) -> ApiToken:
    """Any administrator's API token, for an administrator: any admin may revoke a leaver's."""
    return _admin_get(ApiToken, token_id)


def admin_webhook_endpoint(endpoint_id: int) -> WebhookEndpoint:
    return _admin_get(WebhookEndpoint, endpoint_id)


def admin_webhook_delivery(delivery_id: int) -> WebhookDelivery:
    return _admin_get(WebhookDelivery, delivery_id)
