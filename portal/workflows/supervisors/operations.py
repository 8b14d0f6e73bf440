"""Supervisor declarations: asking, resending, naming another supervisor, the answer, and the sweep's part.

The named supervisor is emailed a single-use link (``portal.workflows.external_requests``) in the language the
applicant chose for them; every move of a declaration is a row of the transition table, applied and audited
by the engine. Operations flush, never commit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from portal.db import db, utcnow
from portal.enums import EmailStatus, LinkKind
from portal.models.applications import Application
from portal.models.outbox import EmailMessage
from portal.models.supervisors import SupervisorDeclaration
from portal.models.users import User
from portal.notifications import notify_applicant, on_delivery, send_email
from portal.workflows.audit import record
from portal.workflows.engine import TransitionRefused, apply_transition
from portal.workflows.external_requests.operations import LinkRequests, issue_link, register, sweep_kind
from portal.workflows.external_requests.rules import LinkState, LinkUnusable, expiry_days, redact_links
from portal.workflows.references.rules import ACTIVE_STATES
from portal.workflows.supervisors.queries import current_declaration
from portal.workflows.supervisors.rules import (
    WAITING,
    D,
    DeclarationRefused,
    SupervisorAnswer,
    answer_problems,
    link_state,
    matches,
    replace_problem,
    resend_problem,
    wants_declaration,
)
from portal.workflows.transitions import Transition


def _language(application: Application) -> str | None:
    """The supervisor is written to in the language the applicant chose for them, else the applicant's."""
    return application.supervisor_language or application.applicant.locale


def _issue(application: Application, actor: User | None, now: datetime) -> SupervisorDeclaration:
    declaration = SupervisorDeclaration(
        application=application,
        supervisor_name=(application.supervisor_name or "").strip(),
        supervisor_email=(application.supervisor_email or "").strip(),
        language=_language(application),
        status=D.PENDING,
        last_message_at=now,
        expires_at=now + timedelta(days=expiry_days()),
    )
    db.session.add(declaration)
    db.session.flush()
    token = issue_link(LinkKind.SUPERVISOR_DECLARATION, declaration.id, now)
    record(actor, declaration, "request", to_state=D.PENDING.value, reason=declaration.supervisor_email)
    send_email(
        "supervisor_declaration_request",
        declaration.supervisor_email,
        related=declaration,
        language=declaration.language,
        declaration=declaration,
        token=token,
    )
    return declaration


def _retire(old: SupervisorDeclaration, new: SupervisorDeclaration, actor: User | None) -> None:
    """Take ``old`` out of use: its links stop working, its answer (if any) is kept as history."""
    apply_transition(old, "supersede", actor, f"replaced by declaration {new.id}", replaced_by_id=new.id)


def request_declaration(application: Application, actor: User | None) -> SupervisorDeclaration | None:
    """Ask the named supervisor to declare, unless the current request already asks them. Called at
    submission and at resubmission (where a changed supervisor is asked afresh)."""
    existing = current_declaration(application)
    if not wants_declaration(application):
        return None
    if existing is not None and matches(existing, application):
        return None
    declaration = _issue(application, actor, utcnow())
    if existing is not None:
        _retire(existing, declaration, actor)
    return declaration


def resend_declaration(declaration: SupervisorDeclaration, actor: User) -> SupervisorDeclaration:
    """Email the same supervisor a new link; the earlier links stop working."""
    problem = resend_problem(declaration, actor)
    if problem:
        raise DeclarationRefused(problem)
    replacement = _issue(declaration.application, actor, utcnow())
    _retire(declaration, replacement, actor)
    return replacement


def replace_supervisor(
    declaration: SupervisorDeclaration, data: dict[str, Any], actor: User
) -> SupervisorDeclaration:
    """Name another supervisor and ask them; the earlier link stops working. Audited on the application."""
    problem = replace_problem(declaration, actor)
    if problem:
        raise DeclarationRefused(problem)
    application = declaration.application
    before = f"{application.supervisor_name} <{application.supervisor_email}>"
    application.supervisor_name = data["supervisor_name"].strip()
    application.supervisor_email = data["supervisor_email"].strip()
    application.supervisor_address = data.get("supervisor_address") or application.supervisor_address
    if "supervisor_language" in data:
        application.supervisor_language = data["supervisor_language"] or None
    record(
        actor,
        application,
        "name_supervisor",
        reason=f"{before} -> {application.supervisor_name} <{application.supervisor_email}>",
    )
    replacement = _issue(application, actor, utcnow())
    _retire(declaration, replacement, actor)
    return replacement


def answer_declaration(
    declaration: SupervisorDeclaration,
    answer: SupervisorAnswer,
    *,
    ip: str | None = None,
    user_agent: str | None = None,
) -> SupervisorDeclaration:
    """Record the supervisor's declaration or refusal, once. Raises :class:`LinkUnusable` if the link
    cannot be used (now)."""
    if link_state(declaration) != LinkState.OPEN:
        raise LinkUnusable()
    problems = answer_problems(answer, date.today())
    if problems:
        raise DeclarationRefused(fields=problems)
    applicant = declaration.application.applicant
    values: dict[str, Any] = {
        "comment": (answer.comment or "").strip() or None,
        "answer_ip": (ip or "")[:64] or None,
        "answer_user_agent": (user_agent or "")[:400] or None,
        "applicant_ip": applicant.last_login_ip,
        "applicant_user_agent": applicant.last_login_user_agent,
    }
    if answer.confirms:
        values |= {
            "supervising_since": answer.supervising_since,
            "focus": answer.focus,
            "practising_mentor": answer.practising_mentor,
            "knows_imc_standards": answer.knows_imc_standards,
            "sessions_last_year": answer.sessions_last_year,
            "conflicts": [str(conflict) for conflict in answer.conflicts],
        }
    try:  # conditional, so two answers sent at once (a double click, two tabs) cannot both be recorded
        apply_transition(
            declaration,
            "confirm" if answer.confirms else "decline",
            None,
            answer.comment if not answer.confirms else None,
            where=(
                SupervisorDeclaration.replaced_by_id.is_(None),
                SupervisorDeclaration.expires_at > utcnow(),
            ),
            actor_label=f"Supervisor {declaration.supervisor_email}",
            **values,
        )
    except TransitionRefused:
        raise LinkUnusable() from None
    return declaration


def notify_declaration(
    declaration: SupervisorDeclaration, transition: Transition, actor: User | None, reason: str | None
) -> None:
    """The declarations machine's notifier: the applicant hears of the answer, and of a request that expired
    while the application is still under way."""
    if declaration.application.state in ACTIVE_STATES:
        notify_applicant(declaration.application, transition.notify, declaration=declaration)


def _send_reminder(declaration: SupervisorDeclaration, token: str, number: int) -> None:
    send_email(
        "supervisor_declaration_reminder",
        declaration.supervisor_email,
        related=declaration,
        language=declaration.language,
        declaration=declaration,
        token=token,
        reminder_number=number,
    )


DECLARATIONS = register(
    LinkRequests(
        kind=LinkKind.SUPERVISOR_DECLARATION,
        model=SupervisorDeclaration,
        waiting=WAITING,
        remindable=(D.SENT, D.REMINDED),
        send_reminder=_send_reminder,
        under_way=lambda declaration: declaration.application.state in ACTIVE_STATES,
    )
)


def sweep_declarations(now: datetime | None = None):
    """Expire and remind the supervisors' declarations (the sweep of every kind runs this with the others)."""
    return sweep_kind(DECLARATIONS, now)


@on_delivery(SupervisorDeclaration.__tablename__)
def record_delivery(email: EmailMessage) -> None:
    """The first email that leaves moves the declaration to sent; the stored copy keeps no working link."""
    email.text_body = redact_links(email.text_body)
    email.html_body = redact_links(email.html_body)
    declaration = db.session.get(SupervisorDeclaration, email.related_id)
    if declaration is None or email.status != EmailStatus.SENT or declaration.status != D.PENDING:
        return
    try:  # a redelivered job finds it sent already
        apply_transition(declaration, "send", None, sent_at=email.sent_at, last_message_at=email.sent_at)
    except TransitionRefused:
        pass
