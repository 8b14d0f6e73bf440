"""Renewal: who may renew a credential and when (from the catalogue), starting a renewal application, and
the supervision declared for each year of the credential's cycle."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from portal.db import db
from portal.models.applications import Application, ApplicationKind, ApplicationState, SupervisionYear
from portal.models.credentials import IssuedCredential
from portal.models.users import User
from portal.workflows.audit import record
from portal.workflows.engine import Refused
from portal.workflows.registry import catalogue

FINAL = (ApplicationState.APPROVED, ApplicationState.REJECTED, ApplicationState.WITHDRAWN)
# Carried from the application that earned the credential, so the holder only checks them.
CARRIED = ("full_name", "contact_email", "postal_address", "is_member", "member_number", "supervisor_name",
           "supervisor_email", "supervisor_address", "supervision_focus")


class RenewalRefused(Refused):
    """The credential cannot be renewed now (outside its window, not the holder's, already renewed)."""


@dataclass(frozen=True)
class CycleYear:
    number: int
    starts_on: date
    ends_on: date


def cycle_years(credential: IssuedCredential) -> list[CycleYear]:
    """The years of ``credential``'s cycle, counted back from its expiry."""
    from portal.workflows.credentials import add_years

    years = catalogue()[credential.credential_code].validity_years
    start = add_years(credential.expires_on, -years)
    return [CycleYear(n, add_years(start, n - 1), add_years(start, n) - timedelta(days=1))
            for n in range(1, years + 1)]


def confirmed_sessions(application: Application) -> dict[int, int]:
    """For a renewal: the supervision sessions the holder logged in the portal and their supervisor confirmed,
    by year of the cycle. Evidence beside the numbers declared; empty for a first application."""
    if not application.is_renewal or application.renews_credential is None:
        return {}
    from portal.workflows.programmes import confirmed_supervision_sessions

    return {year.number: confirmed_supervision_sessions(application.applicant, year.starts_on, year.ends_on)
            for year in cycle_years(application.renews_credential)}


def open_renewal(credential: IssuedCredential) -> Application | None:
    return db.session.scalar(
        select(Application).where(Application.renews_credential_id == credential.id,
                                  Application.state.not_in(FINAL)).limit(1)
    )


def window(credential: IssuedCredential) -> tuple[date, date] | None:
    rules = catalogue()[credential.credential_code].renewal
    if rules is None:
        return None
    return (credential.expires_on - timedelta(days=rules.opens_days_before_expiry),
            credential.expires_on + timedelta(days=rules.closes_days_after_expiry))


def renewal_problems(credential: IssuedCredential, user: User, today: date | None = None) -> list[str]:
    """Why ``user`` cannot renew ``credential`` today (none when they can)."""
    from portal.workflows.credentials import successor

    today = today or date.today()
    if credential.holder_id != user.id:
        return ["Only the holder can renew a credential."]
    if credential.revoked_at is not None:
        return ["A revoked credential cannot be renewed."]
    if successor(credential) is not None:
        return ["This credential has already been renewed."]
    span = window(credential)
    if span is None:
        return [f"The {credential.credential_code} cannot be renewed."]
    opens, closes = span
    if today < opens:
        return [(f"Renewal opens on {opens.day} {opens:%B %Y}, {(credential.expires_on - opens).days} days "
                 f"before your credential expires.")]
    if today > closes:
        return [f"Renewal closed on {closes.day} {closes:%B %Y}. Apply for the credential again."]
    return []


def start_renewal(credential: IssuedCredential, user: User, today: date | None = None) -> Application:
    """The holder's renewal application for ``credential``: an open one if it exists, else a new draft."""
    existing = open_renewal(credential)
    if existing is not None:
        return existing
    problems = renewal_problems(credential, user, today)
    if problems:
        raise RenewalRefused(problems)
    application = Application(applicant=user, credential_code=credential.credential_code,
                              kind=ApplicationKind.RENEWAL, renews_credential=credential)
    earned = credential.application
    for name in CARRIED:
        setattr(application, name, getattr(earned, name))
    application.full_name = application.full_name or user.full_name
    application.contact_email = application.contact_email or user.email
    db.session.add(application)
    db.session.flush()
    record(user, application, "start", to_state=ApplicationState.DRAFT.value,
           reason=f"Renewal of {credential.number}")
    record(user, credential, "renewal_started", reason=application.reference)
    return application


def save_supervision_years(application: Application, years: list[dict[str, Any]]) -> None:
    """Keep the sessions and supervisor declared for each year of the cycle being renewed."""
    from portal.workflows.applications import NotEditable
    from portal.workflows.wizard import can_edit

    if not can_edit(application, "supervision_years"):
        raise NotEditable("This part of the application can no longer be changed.")
    existing = {year.year_number: year for year in application.supervision_years}
    for cycle_year, data in zip(cycle_years(application.renews_credential), years):
        row = existing.get(cycle_year.number)
        if row is None:
            row = SupervisionYear(application=application, year_number=cycle_year.number,
                                  starts_on=cycle_year.starts_on, ends_on=cycle_year.ends_on)
            db.session.add(row)
        row.sessions = data["sessions"]
        row.supervisor_name = data["supervisor_name"]
        row.supervisor_email = data["supervisor_email"]
    db.session.flush()
