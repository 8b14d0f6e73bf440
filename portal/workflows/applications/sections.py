"""The application's task list: its sections, each one's status, and whether it can be edited now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from portal.enums import ApplicationKind, ApplicationState
from portal.models.applications import Application
from portal.workflows.applications.eligibility import (
    about_you_complete,
    counted_engagements,
    supervision_complete,
)
from portal.workflows.catalogue import Credential
from portal.workflows.credentials.queries import qualifying_prerequisite
from portal.workflows.registry import catalogue


class SectionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


_STATUS_LABELS = {
    SectionStatus.NOT_STARTED: _l("Not started"),
    SectionStatus.IN_PROGRESS: _l("In progress"),
    SectionStatus.COMPLETED: _l("Completed"),
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # lazily translated: read in the language of the page that shows it
    endpoint: str
    status: Callable[[Application, Credential], SectionStatus]
    applies: Callable[[Credential], bool] = lambda credential: True
    kinds: frozenset[ApplicationKind] = frozenset({ApplicationKind.INITIAL})


def _status(started: bool, complete: bool) -> SectionStatus:
    if complete:
        return SectionStatus.COMPLETED
    return SectionStatus.IN_PROGRESS if started else SectionStatus.NOT_STARTED


def _about(application: Application, credential: Credential) -> SectionStatus:
    started = any([application.postal_address, application.is_member is not None])
    return _status(started, about_you_complete(application))


def _prerequisite(application: Application, credential: Credential) -> SectionStatus:

    if qualifying_prerequisite(application) is not None:  # held in the portal: nothing to declare
        return SectionStatus.COMPLETED
    given = [application.prior_credential_number, application.prior_credential_issued_on]
    return _status(any(given), all(given))


def _training(application: Application, credential: Credential) -> SectionStatus:
    records = application.training_records
    hours = sum((record.hours for record in records), Decimal(0))
    complete = hours >= credential.training_hours and all(record.certificate_id for record in records)
    return _status(bool(records), bool(records) and complete)


def _engagements(application: Application, credential: Credential) -> SectionStatus:
    # Completed means what submission will count: engagements that have ended (the same rule).
    engagements = counted_engagements(application, date.today())
    with_referee = sum(
        1 for engagement in engagements if engagement.has_referee or engagement.is_pre_verified
    )
    complete = len(engagements) >= credential.engagements and with_referee >= credential.references
    return _status(bool(application.engagements), complete)


def _supervision(application: Application, credential: Credential) -> SectionStatus:
    started = any([application.supervisor_name, application.supervisor_email, application.supervision_focus])
    return _status(started, supervision_complete(application))


def _declaration(application: Application, credential: Credential) -> SectionStatus:
    return _status(False, application.declaration_accepted_at is not None)


def _supervision_years(application: Application, credential: Credential) -> SectionStatus:
    years = application.supervision_years
    needed = credential.validity_years
    return _status(bool(years), len(years) >= needed)


BOTH = frozenset(ApplicationKind)


SECTIONS: tuple[Section, ...] = (
    Section("about", _l("About you"), "apply.about", _about, kinds=BOTH),
    Section(
        "prerequisite",
        _l("Prerequisite credential"),
        "apply.prerequisite",
        _prerequisite,
        applies=lambda credential: credential.prerequisite is not None,
    ),
    Section("training", _l("Mentoring training"), "apply.training", _training),
    Section("engagements", _l("Mentoring engagements and references"), "apply.engagements", _engagements),
    Section("supervision", _l("Mentoring supervision"), "apply.supervision", _supervision, kinds=BOTH),
    Section(
        "supervision_years",
        _l("Supervision in each year of your credential"),
        "renewal.supervision_years",
        _supervision_years,
        kinds=frozenset({ApplicationKind.RENEWAL}),
    ),
    Section(
        "declaration", _l("Declaration of continuous learning"), "apply.declaration", _declaration, kinds=BOTH
    ),
)


SECTION_KEYS = tuple(section.key for section in SECTIONS)


@dataclass(frozen=True)
class SectionView:
    section: Section
    status: SectionStatus
    editable: bool


def sections_for(application: Application) -> list[SectionView]:
    """The sections of ``application``'s credential with their status and whether they can be edited."""
    credential = catalogue()[application.credential_code]
    return [
        SectionView(section, section.status(application, credential), can_edit(application, section.key))
        for section in SECTIONS
        if section.applies(credential) and application.kind in section.kinds
    ]


def can_edit(application: Application, section_key: str) -> bool:
    """Drafts are editable throughout; a returned application only in the sections the reviewer reopened."""
    if application.state == ApplicationState.DRAFT:
        return True
    if application.state == ApplicationState.RETURNED:
        return section_key in (application.reopened_sections or [])
    return False
