"""Eligibility: what an application declares against what its credential requires (from the catalogue).

The same assessment serves the wizard's panel, the submit guard and the reviewer's checklist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.dates import day, number
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
        _("Your details"),
        _("complete"),
        _("complete") if complete else _("incomplete"),
        complete,
        None if complete else _("Complete “About you”: name, email, postal address and membership."),
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
    label = _("%(code)s held for %(years)s years", code=required.code, years=years)

    held = qualifying_prerequisite(application, today)
    if held is not None:
        return [
            Criterion(
                "prerequisite",
                label,
                label,
                _(
                    "%(number)s, issued by this portal on %(day)s",
                    number=held.number,
                    day=day(held.issued_on),
                ),
                True,
            )
        ]
    issued = application.prior_credential_issued_on
    if not application.prior_credential_number or issued is None:
        return [
            Criterion(
                "prerequisite",
                label,
                _("%(code)s number and issue date", code=required.code),
                _("not given"),
                False,
                _(
                    "Give the number and issue date of your %(name)s (%(code)s).",
                    name=required.name,
                    code=required.code,
                ),
            )
        ]
    cutoff = _years_before(today, years)
    met = issued <= cutoff
    return [
        Criterion(
            "prerequisite",
            label,
            _("issued on or before %(day)s", day=day(cutoff)),
            _("issued %(day)s", day=day(issued)),
            met,
            None
            if met
            else _(
                "Your %(code)s must have been held for %(years)s years (issued on or before %(day)s).",
                code=required.code,
                years=years,
                day=day(cutoff),
            ),
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
            _("Mentoring training hours"),
            str(credential.training_hours),
            number(hours),
            hours_met,
            None
            if hours_met
            else _(
                "Declare at least %(required)s hours of mentoring training (you have declared %(hours)s).",
                required=credential.training_hours,
                hours=number(hours),
            ),
        ),
        Criterion(
            "certificates",
            _("Training certificates uploaded"),
            _("one per training record"),
            _("%(count)s of %(total)s", count=with_certificate, total=len(records)),
            certificates_met,
            None if certificates_met else _("Upload a certificate of completion for every training record."),
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
        notes.append(ngettext("%(num)d not ended yet", "%(num)d not ended yet", not_ended))
    if set_aside:
        notes.append(
            ngettext(
                "%(num)d disputed by a referee or excluded by the reviewer",
                "%(num)d disputed by a referee or excluded by the reviewer",
                set_aside,
            )
        )
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
            _("Completed mentoring engagements"),
            str(credential.engagements),
            str(len(completed)) + shown,
            completed_met,
            None
            if completed_met
            else _(
                "Declare at least %(required)s completed mentoring engagements (you have %(count)s).",
                required=credential.engagements,
                count="; ".join([str(len(completed)), *notes]),
            )
            + why,
        ),
        Criterion(
            "references",
            _("Completed engagements with a referee"),
            str(credential.references),
            str(len(referenced)),
            referenced_met,
            None
            if referenced_met
            else _(
                "Name a referee for at least %(required)s completed engagements (you have %(count)s).",
                required=credential.references,
                count=len(referenced),
            )
            + (why if completed_met else ""),
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
        _("Mentoring supervisor declared"),
        _("declared"),
        _("declared") if met else _("not declared"),
        met,
        None if met else _("Declare your mentoring supervisor."),
    )


def _declaration(application: Application) -> Criterion:
    met = application.declaration_accepted_at is not None
    return Criterion(
        "declaration",
        _("Declaration of continuous learning"),
        _("made"),
        _("made") if met else _("not made"),
        met,
        None if met else _("Make the declaration of continuous learning and development."),
    )


def _renewal(application: Application, credential: Credential, today: date) -> list[Criterion]:

    held = application.renews_credential
    if held is None or credential.renewal is None:
        return [
            Criterion(
                "renewable",
                _("Credential to renew"),
                _("a credential you hold"),
                _("none"),
                False,
                _("Start a renewal from the credential you hold."),
            )
        ]
    problems = [] if application.submitted_at else renewal_problems(held, application.applicant, today)
    criteria = [
        Criterion(
            "renewable",
            _("Credential can be renewed"),
            _("%(number)s within its renewal window", number=held.number),
            _("yes") if not problems else _("no"),
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
        span = _("%(start)s to %(end)s", start=day(cycle_year.starts_on), end=day(cycle_year.ends_on))
        criteria.append(
            Criterion(
                f"supervision_year_{cycle_year.number}",
                _("Supervision sessions in year %(year)s (%(span)s)", year=cycle_year.number, span=span),
                str(required),
                str(sessions) if year else _("not declared"),
                met,
                None
                if met
                else _(
                    "Declare at least %(required)s supervision sessions, with your supervisor, for year "
                    "%(year)s of your credential (%(span)s).",
                    required=required,
                    year=cycle_year.number,
                    span=span,
                ),
            )
        )
    return criteria


def submit_problems(application: Application, actor: object = None) -> list[str]:
    """What still stops the application being submitted (the submit and resubmit guard; anyone acting)."""
    return assess(application).missing
