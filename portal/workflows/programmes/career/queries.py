"""Reads: a mentee's career plan, and who may see it through a pairing."""

from __future__ import annotations

from sqlalchemy import select

from portal.db import db
from portal.enums import PairingRole, PairingState
from portal.models.career_plans import CareerPlan
from portal.models.programmes import Pairing
from portal.models.users import User

# A mentor works on the protégé's plan while they mentor them; afterwards it is the protégé's and their next
# mentor's, not every mentor's they ever had.
MENTOR_SEES_IN = (PairingState.AGREEING, PairingState.ACTIVE)


def plan_of(mentee: User) -> CareerPlan | None:
    return db.session.scalar(select(CareerPlan).where(CareerPlan.mentee_id == mentee.id))


def may_see_plan(pairing: Pairing, viewer: User) -> bool:
    role = pairing.role_of(viewer)
    return role == PairingRole.MENTEE or (role == PairingRole.MENTOR and pairing.state in MENTOR_SEES_IN)


def may_change_plan(pairing: Pairing, viewer: User) -> bool:
    return may_see_plan(pairing, viewer) and pairing.state in (PairingState.ACTIVE, PairingState.COMPLETED)
