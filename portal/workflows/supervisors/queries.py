"""Reading supervisor declarations: the one a link opens, an application's current one, what the desk shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.db import db
from portal.enums import LinkKind
from portal.models.applications import Application
from portal.models.supervisors import SupervisorDeclaration
from portal.models.users import User
from portal.workflows.external_requests.queries import request_for_token as find_request
from portal.workflows.external_requests.rules import AnswerFacts, Trust, next_reminder_at, reminder_days
from portal.workflows.references.rules import ACTIVE_STATES, Actions
from portal.workflows.supervisors.rules import (
    D,
    DeclarationTrustFacts,
    assess_trust,
    replace_problem,
    resend_problem,
)


def declaration_for_token(token: str) -> SupervisorDeclaration | None:
    """The declaration a link opens (its first email's or a reminder's), else None."""
    return find_request(LinkKind.SUPERVISOR_DECLARATION, SupervisorDeclaration, token)


def declarations_for(application: Application) -> list[SupervisorDeclaration]:
    """Every declaration asked for ``application``, earlier (resent, replaced) ones included, oldest first."""
    return list(
        db.session.scalars(
            select(SupervisorDeclaration)
            .where(SupervisorDeclaration.application_id == application.id)
            .order_by(SupervisorDeclaration.id)
        )
    )


def current_declaration(application: Application) -> SupervisorDeclaration | None:
    """The declaration standing for the application now, or None when none was asked."""
    return db.session.scalars(
        select(SupervisorDeclaration)
        .where(
            SupervisorDeclaration.application_id == application.id,
            SupervisorDeclaration.replaced_by_id.is_(None),
            SupervisorDeclaration.status != D.SUPERSEDED,
        )
        .order_by(SupervisorDeclaration.id.desc())
        .limit(1)
    ).first()


def is_confirmed(application: Application) -> bool:
    declaration = current_declaration(application)
    return declaration is not None and declaration.status == D.CONFIRMED


def trust_for(declaration: SupervisorDeclaration) -> Trust:
    application = declaration.application
    return assess_trust(
        DeclarationTrustFacts(
            supervisor_email=declaration.supervisor_email,
            applicant_emails=(application.applicant.email, application.contact_email or ""),
            answer=AnswerFacts(
                requested_at=declaration.sent_at or declaration.created_at,
                answered_at=declaration.answered_at,
                answer_ip=declaration.answer_ip,
                answer_user_agent=declaration.answer_user_agent,
                applicant_ip=declaration.applicant_ip,
                applicant_user_agent=declaration.applicant_user_agent,
            ),
            conflicts=tuple(declaration.conflicts or ()),
        )
    )


def next_reminder(declaration: SupervisorDeclaration) -> datetime | None:
    """When the sweep will next remind the supervisor; None when it will not."""
    if (
        declaration.status not in (D.SENT, D.REMINDED)
        or not declaration.is_current
        or declaration.last_message_at is None
        or declaration.application.state not in ACTIVE_STATES
    ):
        return None
    return next_reminder_at(
        last_message_at=declaration.last_message_at,
        reminders_sent=declaration.reminders_sent,
        expires_at=declaration.expires_at,
        days=reminder_days(),
    )


def actions_for(declaration: SupervisorDeclaration, actor: User) -> Actions:
    return Actions(resend_problem(declaration, actor), replace_problem(declaration, actor))


@dataclass(frozen=True)
class DeskDeclaration:
    """The applicant's words and the supervisor's, side by side, with what the reviewer should weigh."""

    application: Application
    declaration: SupervisorDeclaration | None
    trust: Trust | None
    earlier: list[SupervisorDeclaration]


def desk_declaration(application: Application) -> DeskDeclaration:
    declaration = current_declaration(application)
    earlier = [d for d in declarations_for(application) if declaration is None or d.id != declaration.id]
    trust = trust_for(declaration) if declaration is not None and declaration.status.is_answer else None
    return DeskDeclaration(application, declaration, trust, earlier)
