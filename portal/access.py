"""Loaders that return only what the current user may see, else 404 (never a hint that it exists)."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from portal.db import db
from portal.models.applications import Application, Engagement, TrainingRecord
from portal.models.documents import Document


def _can_see(application: Application) -> bool:
    return current_user.is_authenticated and (
        application.applicant_id == current_user.id or current_user.is_reviewer
    )


def own_application(application_id: int) -> Application:
    """The current user's own application (applicant pages), else 404."""
    application = db.session.get(Application, application_id)
    if application is None or not current_user.is_authenticated or application.applicant_id != current_user.id:
        abort(404)
    return application


def visible_application(application_id: int) -> Application:
    """An application the current user may read: their own, or any for reviewers."""
    application = db.session.get(Application, application_id)
    if application is None or not _can_see(application):
        abort(404)
    return application


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
    return document
