"""Applications as records for staff integrations (the JSON API): filtered and paged, drafts never shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.enums import ApplicationState
from portal.models.applications import Application
from portal.models.users import User


@dataclass(frozen=True)
class ApplicationFilters:
    state: ApplicationState | None = None
    credential_code: str | None = None
    submitted_after: date | None = None  # on or after this day (UTC)
    submitted_before: date | None = None  # before this day (UTC)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def applications_page(filters: ApplicationFilters, page: int, per_page: int, viewer: User):
    """Submitted applications, newest first, as staff see them: a draft is still the applicant's own, and
    no one is listed their own application."""
    statement = (
        select(Application)
        .options(
            joinedload(Application.applicant),
            joinedload(Application.payment),
            joinedload(Application.issued_credential),
        )
        .where(Application.state != ApplicationState.DRAFT, Application.applicant_id != viewer.id)
        .order_by(Application.submitted_at.desc(), Application.id.desc())
    )
    if filters.state is not None:
        statement = statement.where(Application.state == filters.state)
    if filters.credential_code:
        statement = statement.where(Application.credential_code == filters.credential_code)
    if filters.submitted_after is not None:
        statement = statement.where(Application.submitted_at >= _start(filters.submitted_after))
    if filters.submitted_before is not None:
        statement = statement.where(Application.submitted_at < _start(filters.submitted_before))
    return db.paginate(statement, page=page, per_page=per_page, max_per_page=per_page, error_out=False)
