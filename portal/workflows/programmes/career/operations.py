"""Changes to a career plan: written and changed by the pair, reviewed at a checkpoint. Audited; flush only."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.db import db
from portal.models.career_plans import CareerMilestone, CareerPlan, CareerPlanReview
from portal.models.programmes import Pairing
from portal.models.users import User
from portal.workflows.audit import record
from portal.workflows.programmes.career import rules
from portal.workflows.programmes.career.queries import may_change_plan, plan_of
from portal.workflows.programmes.rules import ProblemsFound, ProgrammeError, today


def _require_change(pairing: Pairing, actor: User) -> None:
    if not may_change_plan(pairing, actor):
        raise ProgrammeError(_("The career plan is written by the pair once the agreement is signed."))


def save_plan(
    pairing: Pairing, actor: User, aspiration: str, milestones: list[rules.MilestoneInput]
) -> CareerPlan:
    """Write the mentee's plan, or change it: the same plan follows them from pairing to pairing."""
    _require_change(pairing, actor)
    if problems := rules.milestone_problems(milestones, today()):
        raise ProblemsFound(problems)
    plan = plan_of(pairing.mentee)
    created = plan is None
    if plan is None:
        plan = CareerPlan(mentee_id=pairing.mentee_id)
        db.session.add(plan)
    plan.aspiration = aspiration.strip()
    existing = {m.horizon_years: m for m in plan.milestones}
    for given in milestones:
        milestone = existing.get(given.horizon_years)
        if milestone is None:
            milestone = CareerMilestone(horizon_years=given.horizon_years)
            plan.milestones.append(milestone)
        milestone.description, milestone.target_on = given.description.strip(), given.target_on
    db.session.flush()
    record(
        actor, plan, "write_career_plan" if created else "change_career_plan", reason=f"Pairing {pairing.id}"
    )
    record(actor, pairing, "write_career_plan" if created else "change_career_plan")
    return plan


def review_plan(pairing: Pairing, actor: User, checkpoint_month: int | None, note: str) -> CareerPlanReview:
    """Note how the plan stands at one of the pairing's checkpoints."""
    _require_change(pairing, actor)
    plan = plan_of(pairing.mentee)
    if plan is None:
        raise ProgrammeError(_("Write the career plan before reviewing it."))
    months = {c.month for c in pairing.checkpoints}
    if checkpoint_month is not None and checkpoint_month not in months:
        raise ProblemsFound({"checkpoint_month": _("Choose one of this pairing's checkpoints.")})
    review = CareerPlanReview(
        plan=plan,
        pairing_id=pairing.id,
        checkpoint_month=checkpoint_month,
        author_id=actor.id,
        note=note.strip(),
    )
    db.session.add(review)
    db.session.flush()
    reason = f"Month {checkpoint_month}" if checkpoint_month else None
    record(actor, plan, "review_career_plan", reason=reason)
    record(actor, pairing, "review_career_plan", reason=reason)
    return review
