"""Eligibility: what an application declares against what its credential requires (from the catalogue).

The same assessment serves the wizard's panel, the submit guard and the reviewer's checklist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from portal.dates import day
from portal.models.applications import Application, Engagement
from portal.workflows.catalogue import Catalogue, Credential
from portal.workflows.credentials.queries import qualifying_prerequisite, renewal_problems
from portal.workflows.credentials.rules import cycle_years
from portal.workflows.references.queries import set_aside_engagements
from portal.workflows.registry import catalogue as current_catalogue


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    required: str
    actual: str
    met: bool
    detail: str | None = None  # what to do when not met


@dataclass(frozen=True)
class Eligibility:
    credential: Credential
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def is_eligible(self) -> bool:
        return all(criterion.met for criterion in self.criteria)

    @property
    def missing(self) -> list[str]:
        return [criterion.detail or criterion.label for criterion in self.criteria if not criterion.met]


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}" if value % 1 else f"{int(value)}"


def assess(
    application: Application, catalogue: Catalogue | None = None, today: date | None = None
) -> Eligibility:
    """Assess ``application`` against its credential's rules."""
    catalogue = catalogue or current_catalogue()
    today = today or date.today()
    credential = catalogue[application.credential_code]
    if application.is_renewal:
        return Eligibility(
            credential=credential,
            criteria=[
                _about_you(application),
                *_renewal(application, credential, today),
                _supervision(application),
                _declaration(application),
            ],
        )
    criteria = [
        _about_you(application),
        *_prerequisite(application, credential, catalogue, today),
        *_training(application, credential),
        *_engagements(application, credential, today),
        _supervision(application),
        _declaration(application),
    ]
    return Eligibility(credential=credential, criteria=criteria)


def _about_you(application: Application) -> Criterion:
    complete = about_you_complete(application)
    return Criterion(
        "about",
        "Your details",
        "complete",
        "complete" if complete else "incomplete",
        complete,
        None if complete else "Complete “About you”: name, email, postal address and membership.",
    )


def about_you_complete(application: Application) -> bool:
    return bool(
        application.full_name
        and application.contact_email
        and application.postal_address
        and application.is_member is not None
        and (not application.is_member or application.member_number)
    )


def _prerequisite(application: Application, credential: Credential, catalogue: Catalogue, today: date):
    if credential.prerequisite is None:
        return []
    required = catalogue[credential.prerequisite.credential]
    years = required.validity_years * credential.prerequisite.full_cycles
    label = f"{required.code} held for {years} years"

    held = qualifying_prerequisite(application, today)
    if held is not None:
        return [
            Criterion(
                "prerequisite",
                label,
                f"{required.code} held for {years} years",
                f"{held.number}, issued by this portal on {day(held.issued_on)}",
                True,
            )
        ]
    issued = application.prior_credential_issued_on
    if not application.prior_credential_number or issued is None:
        return [
            Criterion(
                "prerequisite",
                label,
                f"{required.code} number and issue date",
                "not given",
                False,
                f"Give the number and issue date of your {required.name} ({required.code}).",
            )
        ]
    cutoff = _years_before(today, years)
    met = issued <= cutoff
    return [
        Criterion(
            "prerequisite",
            label,
            f"issued on or before {day(cutoff)}",
            f"issued {day(issued)}",
            met,
            None
            if met
            else f"Your {required.code} must have been held for {years} years "
            f"(issued on or before {day(cutoff)}).",
        )
    ]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _training(application: Application, credential: Credential) -> list[Criterion]:
    records = application.training_records
    hours = sum((record.hours for record in records), Decimal(0))
    hours_met = hours >= credential.training_hours
    with_certificate = sum(1 for record in records if record.certificate_id)
    certificates_met = bool(records) and with_certificate == len(records)
    return [
        Criterion(
            "training_hours",
            "Mentoring training hours",
            str(credential.training_hours),
            _hours(hours),
            hours_met,
            None
            if hours_met
            else f"Declare at least {credential.training_hours} hours of mentoring training "
            f"(you have declared {_hours(hours)}).",
        ),
        Criterion(
            "certificates",
            "Training certificates uploaded",
            "one per training record",
            f"{with_certificate} of {len(records)}",
            certificates_met,
            None if certificates_met else "Upload a certificate of completion for every training record.",
        ),
    ]


def counted_engagements(
    application: Application, today: date, aside: dict[int, str] | None = None
) -> list[Engagement]:
    """The engagements that count: ended by ``today`` and not disputed by a referee (nor excluded) unless a
    reviewer accepted them or a referee named since confirmed them (``aside``: those that do not, with why).
    The one rule for the task list, the eligibility panel, submission, resubmission and review."""
    if aside is None:
        aside = set_aside_engagements(application) if application.submitted_at else {}
    return [
        engagement
        for engagement in application.engagements
        if engagement.is_completed(today) and engagement.id not in aside
    ]


def _engagements(application: Application, credential: Credential, today: date) -> list[Criterion]:
    aside = set_aside_engagements(application) if application.submitted_at else {}
    completed = counted_engagements(application, today, aside)
    # A pre-verified engagement (a completed programme pairing) needs no referee.
    referenced = [e for e in completed if e.has_referee or e.is_pre_verified]
    completed_met = len(completed) >= credential.engagements
    referenced_met = len(referenced) >= credential.references
    not_ended = sum(1 for e in application.engagements if not e.is_completed(today))
    set_aside = len(application.engagements) - not_ended - len(completed)
    notes = []
    if not_ended:
        notes.append(f"{not_ended} not ended yet")
    if set_aside:
        notes.append(f"{set_aside} disputed by a referee or excluded by the reviewer")
    # Which engagements were set aside and why, told where it stops the application: at the first unmet count.
    why = "".join(
        f" {aside[engagement.id]}"
        for engagement in application.engagements
        if engagement.id in aside and engagement.is_completed(today)
    )
    shown = f" ({'; '.join(notes)})" if notes else ""
    return [
        Criterion(
            "engagements",
            "Completed mentoring engagements",
            str(credential.engagements),
            str(len(completed)) + shown,
            completed_met,
            None
            if completed_met
            else f"Declare at least {credential.engagements} completed mentoring "
            f"engagements (you have {len(completed)}{''.join(f'; {note}' for note in notes)}).{why}",
        ),
        Criterion(
            "references",
            "Completed engagements with a referee",
            str(credential.references),
            str(len(referenced)),
            referenced_met,
            None
            if referenced_met
            else f"Name a referee for at least {credential.references} completed "
            f"engagements (you have {len(referenced)}).{why if completed_met else ''}",
        ),
    ]


def supervision_complete(application: Application) -> bool:
    return bool(
        application.supervisor_name
        and application.supervisor_email
        and application.supervisor_address
        and application.supervision_focus
        and application.supervision_sessions is not None
    )


def _supervision(application: Application) -> Criterion:
    met = supervision_complete(application)
    return Criterion(
        "supervision",
        "Mentoring supervisor declared",
        "declared",
        "declared" if met else "not declared",
        met,
        None if met else "Declare your mentoring supervisor.",
    )


def _declaration(application: Application) -> Criterion:
    met = application.declaration_accepted_at is not None
    return Criterion(
        "declaration",
        "Declaration of continuous learning",
        "made",
        "made" if met else "not made",
        met,
        None if met else "Make the declaration of continuous learning and development.",
    )


def _renewal(application: Application, credential: Credential, today: date) -> list[Criterion]:

    held = application.renews_credential
    if held is None or credential.renewal is None:
        return [
            Criterion(
                "renewable",
                "Credential to renew",
                "a credential you hold",
                "none",
                False,
                "Start a renewal from the credential you hold.",
            )
        ]
    problems = [] if application.submitted_at else renewal_problems(held, application.applicant, today)
    criteria = [
        Criterion(
            "renewable",
            "Credential can be renewed",
            f"{held.number} within its renewal window",
            "yes" if not problems else "no",
            not problems,
            " ".join(problems) or None,
        )
    ]
    required = credential.renewal.supervision_sessions_per_year
    declared = {year.year_number: year for year in application.supervision_years}
    for cycle_year in cycle_years(held):
        year = declared.get(cycle_year.number)
        sessions = year.sessions if year else 0
        met = year is not None and sessions >= required
        span = f"{day(cycle_year.starts_on)} to {day(cycle_year.ends_on)}"
        criteria.append(
            Criterion(
                f"supervision_year_{cycle_year.number}",
                f"Supervision sessions in year {cycle_year.number} ({span})",
                str(required),
                str(sessions) if year else "not declared",
                met,
                None
                if met
                else f"Declare at least {required} supervision sessions, with your supervisor, for year "
                f"{cycle_year.number} of your credential ({span}).",
            )
        )
    return criteria


def submit_problems(application: Application, actor: object = None) -> list[str]:
    """What still stops the application being submitted (the submit and resubmit guard; anyone acting)."""
    return assess(application).missing
