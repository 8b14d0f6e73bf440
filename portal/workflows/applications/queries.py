"""Mentoring programme operations: programmes, the mentor directory, pairings and their agreement, meetings,
checkpoints and reminders, evaluations, the hand-over to credential applications, and supervision sessions.

Operations flush, never commit; they raise :class:`ProgrammeError` with a sentence a person can read.
Every state change is audited. The rules on plain data live in ``programme_rules``.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.db import db
from portal.models.applications import Application, Engagement
from portal.models.programmes import Pairing
from portal.workflows.credentials.rules import cycle_years
from portal.workflows.programmes.queries import confirmed_supervision_sessions
from portal.workflows.programmes.rules import S


def importable_pairings(application: Application) -> list[Pairing]:
    """The applicant's completed pairings as a mentor, confirmed by a coordinator, not yet in ``application``."""
    imported = select(Engagement.pairing_id).where(
        Engagement.application_id == application.id, Engagement.pairing_id.is_not(None)
    )
    return list(
        db.session.scalars(
            select(Pairing)
            .where(
                Pairing.mentor_id == application.applicant_id,
                Pairing.state == S.COMPLETED,
                Pairing.verified_at.is_not(None),
                Pairing.id.not_in(imported),
            )
            .order_by(Pairing.term_start)
        )
    )


def confirmed_sessions(application: Application) -> dict[int, int]:
    """For a renewal: the supervision sessions the holder logged in the portal and their supervisor confirmed,
    by year of the cycle. Evidence beside the numbers declared; empty for a first application."""
    if not application.is_renewal or application.renews_credential is None:
        return {}

    return {
        year.number: confirmed_supervision_sessions(application.applicant, year.starts_on, year.ends_on)
        for year in cycle_years(application.renews_credential)
    }
