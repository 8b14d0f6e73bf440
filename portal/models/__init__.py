"""Typed SQLAlchemy models, one module per aggregate."""

from portal.enums import ReferenceStatus
from portal.models.api_tokens import ApiToken
from portal.models.applications import Application, Engagement, SupervisionYear, TrainingRecord
from portal.models.audit import AuditEntry
from portal.models.card_payments import CardEvent, Refund
from portal.models.career_plans import CareerMilestone, CareerPlan, CareerPlanReview
from portal.models.chapters import Chapter, ChapterCoordinator, ChapterReport
from portal.models.closeouts import Closeout
from portal.models.credentials import CredentialNotice, IssuedCredential
from portal.models.data_rights import DataRequest, DraftWarning
from portal.models.documents import Document
from portal.models.experience import ExperienceCategory, ExperienceEntry
from portal.models.external_requests import ExternalLink
from portal.models.members import Member, MembershipCheck
from portal.models.operations import WorkerHeartbeat
from portal.models.outbox import EmailMessage, OutboxMessage
from portal.models.payments import FeeDifference, FeeOverride, Payment
from portal.models.programme_guides import GuideAcknowledgement, ProgrammeGuide
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
from portal.models.references import ReferenceRequest, StaffVerification
from portal.models.review import ApplicationMessage, ReviewNote, StandardReason
from portal.models.supervisors import SupervisorDeclaration
from portal.models.users import User
from portal.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "ApiToken",
    "Application",
    "ApplicationMessage",
    "AuditEntry",
    "CardEvent",
    "CareerMilestone",
    "CareerPlan",
    "CareerPlanReview",
    "Chapter",
    "ChapterCoordinator",
    "ChapterReport",
    "Closeout",
    "ConflictDeclaration",
    "CredentialNotice",
    "DataRequest",
    "Document",
    "DraftWarning",
    "EmailMessage",
    "ExternalLink",
    "Engagement",
    "Evaluation",
    "ExperienceCategory",
    "ExperienceEntry",
    "FeeDifference",
    "FeeOverride",
    "Goal",
    "GoalNote",
    "GuideAcknowledgement",
    "IssuedCredential",
    "Meeting",
    "Member",
    "MembershipCheck",
    "MentorProfile",
    "OutboxMessage",
    "PairCheckpoint",
    "Pairing",
    "Payment",
    "Programme",
    "ProgrammeCheckpoint",
    "ProgrammeGuide",
    "ReferenceRequest",
    "ReferenceStatus",
    "Refund",
    "ReviewNote",
    "StaffVerification",
    "StandardReason",
    "SupervisorDeclaration",
    "SupervisionYear",
    "SupervisionSession",
    "SupervisionYear",
    "TrainingRecord",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WorkerHeartbeat",
]
