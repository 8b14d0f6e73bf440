"""Typed SQLAlchemy models, one module per aggregate."""

from portal.enums import ReferenceStatus
from portal.models.applications import Application, Engagement, SupervisionYear, TrainingRecord
from portal.models.audit import AuditEntry
from portal.models.card_payments import CardEvent, Refund
from portal.models.credentials import CredentialNotice, IssuedCredential
from portal.models.documents import Document
from portal.models.operations import WorkerHeartbeat
from portal.models.outbox import EmailMessage, OutboxMessage
from portal.models.payments import FeeOverride, Payment
from portal.models.programmes import (
    ConflictDeclaration,
    Evaluation,
    Goal,
    GoalNote,
    Meeting,
    MentorProfile,
    PairCheckpoint,
    Pairing,
    Programme,
    ProgrammeCheckpoint,
    SupervisionSession,
)
from portal.models.references import ReferenceLink, ReferenceRequest, StaffVerification
from portal.models.review import ReviewNote, StandardReason
from portal.models.users import User
from portal.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "Application",
    "AuditEntry",
    "CardEvent",
    "CredentialNotice",
    "ConflictDeclaration",
    "Document",
    "EmailMessage",
    "Engagement",
    "FeeOverride",
    "IssuedCredential",
    "Evaluation",
    "Goal",
    "GoalNote",
    "Meeting",
    "MentorProfile",
    "OutboxMessage",
    "Payment",
    "PairCheckpoint",
    "Pairing",
    "Programme",
    "ProgrammeCheckpoint",
    "ReferenceLink",
    "ReferenceRequest",
    "ReferenceStatus",
    "Refund",
    "ReviewNote",
    "StaffVerification",
    "StandardReason",
    "SupervisionYear",
    "SupervisionSession",
    "TrainingRecord",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WorkerHeartbeat",
]
