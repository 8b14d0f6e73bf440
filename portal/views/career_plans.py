"""A pair's career plan page: the mentee's milestones at 1, 2 and 4 years, and their reviews at checkpoints."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal import access
from portal import programme_access as load
from portal.forms.apply import choices
from portal.forms.career_plans import CareerPlanForm, PlanReviewForm
from portal.views.carry_out import carried
from portal.views.programmes import signed_in
from portal.workflows.programmes.career import operations as career_ops
from portal.workflows.programmes.career import queries as career_queries
from portal.workflows.programmes.career.rules import HORIZONS

bp = Blueprint("career_plans", __name__, url_prefix="/programmes")
bp.before_request(signed_in)


def _plan_form(plan, posted: bool) -> CareerPlanForm:
    if posted:
        return CareerPlanForm()
    if plan is None:
        return CareerPlanForm(formdata=None)
    values = {"aspiration": plan.aspiration}
    for milestone in plan.milestones:
        values[f"milestone_{milestone.horizon_years}_description"] = milestone.description
        values[f"milestone_{milestone.horizon_years}_target_on"] = milestone.target_on
    return CareerPlanForm(formdata=None, data=values)


def _review_form(pairing) -> PlanReviewForm:
    form = PlanReviewForm(formdata=request.form if request.endpoint == "career_plans.review" else None)
    form.checkpoint_month.choices = choices(
        [("", _("Between checkpoints"))]
        + [
            (str(c.month), _("Month %(month)s: %(title)s", month=c.month, title=c.title))
            for c in pairing.checkpoints
        ]
    )
    return form


def _page(pairing, form, review_form):
    me = access.me()
    return render_template(
        "programmes/career_plan.html",
        pairing=pairing,
        plan=career_queries.plan_of(pairing.mentee),
        form=form,
        review_form=review_form,
        editable=career_queries.may_change_plan(pairing, me),
        horizons=[(years, ngettext("In %(num)d year", "In %(num)d years", years)) for years in HORIZONS],
    ), (422 if form.errors or review_form.errors else 200)


@bp.route("/pairings/<int:pairing_id>/career-plan", methods=["GET", "POST"])
def career_plan(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    if not career_queries.may_see_plan(pairing, access.me()):
        abort(404)
    form = _plan_form(career_queries.plan_of(pairing.mentee), posted=request.method == "POST")
    if carried(
        form,
        lambda: career_ops.save_plan(pairing, access.me(), form.aspiration.data or "", form.milestones()),
        done=_("The career plan has been saved."),
    ):
        return redirect(url_for("career_plans.career_plan", pairing_id=pairing.id))
    return _page(pairing, form, _review_form(pairing))


@bp.post("/pairings/<int:pairing_id>/career-plan/review")
def review(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    if not career_queries.may_see_plan(pairing, access.me()):
        abort(404)
    form = _review_form(pairing)
    if carried(
        form,
        lambda: career_ops.review_plan(pairing, access.me(), form.checkpoint_month.data, form.note.data),
        done=_("Your review of the career plan has been noted."),
    ):
        return redirect(url_for("career_plans.career_plan", pairing_id=pairing.id))
    return _page(pairing, _plan_form(career_queries.plan_of(pairing.mentee), posted=False), form)
