"""Reads: a pairing's close-out, whether it is open, and the agreement and summary as printable reports."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from portal.dates import day, moment
from portal.db import db
from portal.enums import CertificationReadiness, GoalProgress, PairingState
from portal.models.closeouts import Closeout
from portal.models.programmes import PairCheckpoint, Pairing
from portal.reports import Report, Section, Table
from portal.workflows.programmes import rules as programme_rules
from portal.workflows.programmes.closeout import rules
from portal.workflows.programmes.experience.queries import progress_of
from portal.workflows.programmes.queries import latest_progress, meeting_terms

READINESS_LABELS = {
    CertificationReadiness.READY: lambda: _("Ready to apply for certification"),
    CertificationReadiness.PREPARING: lambda: _("Preparing: a few months away"),
    CertificationReadiness.NOT_YET: lambda: _("Not yet: more experience is needed first"),
}
PROGRESS_LABELS = {
    GoalProgress.NOT_STARTED: lambda: _("Not started"),
    GoalProgress.ON_TRACK: lambda: _("On track"),
    GoalProgress.AT_RISK: lambda: _("At risk"),
    GoalProgress.ACHIEVED: lambda: _("Achieved"),
}


def readiness_label(readiness: CertificationReadiness) -> str:
    return READINESS_LABELS[CertificationReadiness(readiness)]()


def progress_label(progress: GoalProgress) -> str:
    return PROGRESS_LABELS[GoalProgress(progress)]()


def closeout_of(pairing: Pairing) -> Closeout | None:
    return db.session.scalar(select(Closeout).where(Closeout.pairing_id == pairing.id))


def final_checkpoint(pairing: Pairing) -> PairCheckpoint | None:
    return pairing.checkpoints[-1] if pairing.checkpoints else None


def closeout_open(pairing: Pairing, on: date | None = None) -> bool:
    """Open from the final checkpoint's month while the pairing runs (it can be changed until it completes)."""
    final = final_checkpoint(pairing)
    if pairing.state != PairingState.ACTIVE or final is None or pairing.term_start is None:
        return False
    return (on or programme_rules.today()) >= rules.opens_on(pairing.term_start, final.month)


def agreement_report(pairing: Pairing) -> Report:
    """The agreement as the pair signed it (or as it stands), for the PDF."""
    signatures = [
        (_("Mentor"), pairing.mentor_signed_name, pairing.mentor_signed_at),
        (_("Protégé"), pairing.mentee_signed_name, pairing.mentee_signed_at),
    ]
    return Report(
        title=_("Mentor & Protégé Agreement"),
        subtitle=_("%(programme)s · pairing %(number)s", programme=pairing.programme.name, number=pairing.id),
        sections=[
            Section(
                _("The parties"),
                [
                    _("Mentor: %(name)s", name=pairing.mentor.full_name),
                    _("Protégé: %(name)s", name=pairing.mentee.full_name),
                ],
            ),
            Section(
                _("Term"),
                [
                    _(
                        "From %(start)s to %(end)s. The term may be renewed if both parties agree.",
                        start=day(pairing.term_start) or "–",
                        end=day(pairing.term_end) or "–",
                    )
                ],
            ),
            Section(
                _("Confidentiality"),
                [pairing.confidentiality_terms or pairing.programme.confidentiality_terms],
            ),
            Section(_("Meetings"), [meeting_terms(pairing.programme)]),
            Section(
                _("Protégé goals"),
                table=Table(
                    ("", _("Specific goal"), _("Metric"), _("Deadline")),
                    [(str(g.position), g.description, g.metric, day(g.deadline)) for g in pairing.goals],
                ),
            ),
            Section(
                _("Signatures"),
                [
                    _("%(role)s: %(name)s, accepted on %(when)s", role=role, name=name, when=moment(when))
                    if when
                    else _("%(role)s: not signed yet", role=role)
                    for role, name, when in signatures
                ],
            ),
        ],
    )


def summary_report(pairing: Pairing) -> Report:
    """A completed pairing in one document: the agreement, goals and where they ended, meetings, experience and
    the close-out. Meeting notes stay out: they are the pair's own."""
    closeout = closeout_of(pairing)
    outcomes = (closeout.goal_outcomes or {}) if closeout else {}
    goals = Table(
        ("", _("Specific goal"), _("Metric"), _("Deadline"), _("Outcome")),
        [
            (
                str(g.position),
                g.description,
                g.metric,
                day(g.deadline),
                " – ".join(
                    part
                    for part in (
                        progress_label(
                            outcomes.get(str(g.position), {}).get("progress") or latest_progress(g)
                        ),
                        outcomes.get(str(g.position), {}).get("comment", ""),
                    )
                    if part
                ),
            )
            for g in pairing.goals
        ],
    )
    meetings = sorted(pairing.meetings, key=lambda m: m.held_on)
    meeting_table = Table(
        (_("Date"), _("How"), _("Length")),
        [
            (day(m.held_on), m.mode.label, ngettext("%(num)d minute", "%(num)d minutes", m.duration_minutes))
            for m in meetings
        ],
    )
    experience = Table(
        (_("Category"), _("Acknowledged hours"), _("Target")),
        [
            (p.name, str(p.acknowledged_hours), str(p.target_hours) if p.target_hours else _("No target set"))
            for p in progress_of(pairing)
        ],
    )
    outcome = (
        [
            _("Readiness for certification: %(readiness)s", readiness=readiness_label(closeout.readiness)),
            _("Next steps: %(steps)s", steps=closeout.next_steps),
        ]
        if closeout
        else [_("No close-out was recorded.")]
    )
    agreement = agreement_report(pairing)
    return Report(
        title=_("Mentoring summary"),
        subtitle=_(
            "%(programme)s · %(mentor)s (mentor) and %(mentee)s (protégé) · %(start)s to %(end)s",
            programme=pairing.programme.name,
            mentor=pairing.mentor.full_name,
            mentee=pairing.mentee.full_name,
            start=day(pairing.term_start),
            end=day(pairing.term_end),
        ),
        sections=[
            *[s for s in agreement.sections if s.table is None and s.heading != _("Meetings")],
            Section(_("Goals and where they ended"), table=goals),
            Section(
                _("Meetings"),
                [ngettext("%(num)d meeting logged.", "%(num)d meetings logged.", len(meetings))],
                table=meeting_table,
            ),
            Section(_("Experience by category"), table=experience),
            Section(_("Outcomes"), outcome),
        ],
    )
