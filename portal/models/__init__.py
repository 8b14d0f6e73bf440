"""Typed SQLAlchemy models, one module per aggregate."""
from portal.models.applications import Application, Engagement, TrainingRecord
from portal.models.audit import AuditEntry
from portal.models.documents import Document
from portal.models.operations import WorkerHeartbeat
from portal.models.outbox import EmailMessage, OutboxMessage
from portal.models.programmes import (ConflictDeclaration, Evaluation, Goal, GoalNote, Meeting, MentorProfile,
                                     PairCheckpoint, Pairing, Programme, ProgrammeCheckpoint, SupervisionSession)
from portal.models.references import ReferenceRequest, ReferenceStatus
from portal.models.users import User

__all__ = [
    "Application",
    "AuditEntry",
    "ConflictDeclaration",
    "Document",
    "EmailMessage",
    "Engagement",
    "Evaluation",
    "Goal",
    "GoalNote",
    "Meeting",
    "MentorProfile",
    "OutboxMessage",
    "PairCheckpoint",
    "Pairing",
    "Programme",
    "ProgrammeCheckpoint",
    "ReferenceRequest",
    "ReferenceStatus",
    "SupervisionSession",
    "TrainingRecord",
    "User",
    "WorkerHeartbeat",
]
