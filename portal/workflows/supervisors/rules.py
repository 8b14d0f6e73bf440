"""Supervisor declarations: when one is asked, what an answer must say, who may resend, and the trust signals.

The supervisor answers by link through the mechanism every request answered by link shares
(``portal.workflows.external_requests``); this module adds only what is the supervisor's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.db import utcnow
from portal.enums import DeclarationStatus, SupervisionFocus, SupervisorConflict
from portal.models.applications import Application
from portal.models.supervisors import SupervisorDeclaration
from portal.models.users import User
from portal.workflows.external_requests.rules import (
    AddressFacts,
    AnswerFacts,
    Level,
    LinkState,
    Signal,
    Trust,
    answer_signals,
)
from portal.workflows.references.rules import ACTIVE_STATES
from portal.workflows.references.rules import link_state as application_request_link_state
from portal.workflows.refusals import Refused

D = DeclarationStatus
WAITING = (D.PENDING, D.SENT, D.REMINDED)

# Applicants may not turn resending into a way of pestering their supervisor; staff may resend at any time.
APPLICANT_RESEND_INTERVAL = timedelta(days=1)


class DeclarationRefused(Refused):
    """A resend, a replacement or an answer is not possible now; the message says why."""


def wants_declaration(application: Application) -> bool:
    """A supervisor is asked whenever the application names one."""
    return bool((application.supervisor_email or "").strip() and (application.supervisor_name or "").strip())


def matches(declaration: SupervisorDeclaration, application: Application) -> bool:
    """Whether the declaration still asks the supervisor the application names now."""
    return (
        declaration.supervisor_email.strip().lower() == (application.supervisor_email or "").strip().lower()
        and declaration.supervisor_name.strip() == (application.supervisor_name or "").strip()
    )


def link_state(declaration: SupervisorDeclaration | None, now: datetime | None = None) -> LinkState:
    """The same rule as a referee's link: usable while current and the application still takes answers."""
    return application_request_link_state(declaration, now)


@dataclass(frozen=True)
class SupervisorAnswer:
    """What the supervisor declared, in their own name, or why they decline."""

    confirms: bool
    supervising_since: date | None = None
    focus: SupervisionFocus | None = None
    practising_mentor: bool = False
    knows_imc_standards: bool = False
    sessions_last_year: int | None = None
    conflicts: tuple[SupervisorConflict, ...] = field(default=())
    comment: str | None = None


def answer_problems(answer: SupervisorAnswer, today: date) -> dict[str, str]:
    """The fields an answer leaves wrong, by field name, in words the supervisor can act on."""
    if not answer.confirms:
        if not (answer.comment or "").strip():
            return {"comment": _("Say why you decline: the applicant's reviewer reads it.")}
        return {}
    problems: dict[str, str] = {}
    if answer.supervising_since is None:
        problems["supervising_since"] = _("Enter the date you started supervising the applicant.")
    elif answer.supervising_since > today:
        problems["supervising_since"] = _("The date you started supervising cannot be in the future.")
    if answer.focus is None:
        problems["focus"] = _("Choose the focus of the supervision.")
    if not answer.practising_mentor:
        problems["practising_mentor"] = _("Confirm that you are a practising mentor, or decline instead.")
    if not answer.knows_imc_standards:
        problems["knows_imc_standards"] = _(
            "Confirm that you know IMC's Mentoring Definition, Core Competencies and Code of Ethics, "
            "or decline instead."
        )
    if answer.sessions_last_year is None or answer.sessions_last_year < 0:
        problems["sessions_last_year"] = _("Enter the number of sessions, like 5.")
    return problems


def _is_staff(actor: User) -> bool:
    return actor.is_reviewer


def resend_problem(
    declaration: SupervisorDeclaration, actor: User, now: datetime | None = None
) -> str | None:
    """Why ``actor`` cannot email the same supervisor a new link now, or None."""
    now = now or utcnow()
    if actor.id != declaration.application.applicant_id and not _is_staff(actor):
        return _("You cannot change the supervisor of this application.")
    if declaration.application.state not in ACTIVE_STATES:
        return _("The supervisor of this application can no longer be changed.")
    if not declaration.is_current:
        return _("This request has already been resent or replaced.")
    if declaration.status.is_answer:
        return _("The supervisor has answered: there is nothing to resend.")
    if not _is_staff(actor) and declaration.status.is_open and declaration.last_message_at is not None:
        if now < declaration.last_message_at + APPLICANT_RESEND_INTERVAL:
            return _("We emailed your supervisor less than a day ago: you can resend a day after that.")
    return None


def replace_problem(declaration: SupervisorDeclaration, actor: User) -> str | None:
    """Why ``actor`` cannot name another supervisor now, or None (with :class:`Actions`, what the pages offer)."""
    if actor.id != declaration.application.applicant_id:
        return _("Only the applicant can name another supervisor.")
    if declaration.application.state not in ACTIVE_STATES:
        return _("The supervisor of this application can no longer be changed.")
    if not declaration.is_current:
        return _("This request has already been resent or replaced.")
    return None


@dataclass(frozen=True)
class DeclarationTrustFacts:
    """Plain data the signals are drawn from, so the rules are tested without a database."""

    supervisor_email: str
    applicant_emails: tuple[str, ...]
    answer: AnswerFacts
    conflicts: tuple[str, ...] = ()


def assess_trust(facts: DeclarationTrustFacts) -> Trust:
    """What a reviewer should weigh about a supervisor's declaration; never a decision by itself."""
    address = AddressFacts(facts.supervisor_email, facts.applicant_emails)
    signals: list[Signal] = []
    if address.own:
        signals.append(Signal(Level.RED, _("The supervisor's email address is the applicant's own.")))
    elif address.same_domain:
        signals.append(
            Signal(
                Level.AMBER,
                _(
                    "The supervisor's address is on the applicant's own email domain (%(domain)s): "
                    "check the supervision is independent of their work.",
                    domain=address.domain,
                ),
            )
        )
    if address.free_mail:
        signals.append(Signal(Level.AMBER, _("A free email address (%(domain)s).", domain=address.domain)))
    for conflict in facts.conflicts:
        signals.append(
            Signal(
                Level.AMBER,
                _("The supervisor declared a conflict: %(conflict)s.", conflict=str(CONFLICTS[conflict])),
            )
        )
    signals.extend(answer_signals(facts.answer))
    return Trust(tuple(signals))


# How a declared conflict reads to a reviewer.
CONFLICTS = {
    SupervisorConflict.LINE_MANAGER.value: _l("line manager"),
    SupervisorConflict.CLOSE_RELATIVE.value: _l("close relative"),
    SupervisorConflict.BUSINESS_PARTNER.value: _l("business partner"),
}
