"""Typed SQLAlchemy models, one module per aggregate."""
from portal.models.applications import Application, Engagement, TrainingRecord
from portal.models.audit import AuditEntry
from portal.models.documents import Document
from portal.models.outbox import EmailMessage, OutboxMessage
from portal.models.references import ReferenceRequest, ReferenceStatus
from portal.models.users import User

__all__ = [
    "Application",
    "AuditEntry",
    "Document",
    "EmailMessage",
    "Engagement",
    "OutboxMessage",
    "ReferenceRequest",
    "ReferenceStatus",
    "TrainingRecord",
    "User",
]
