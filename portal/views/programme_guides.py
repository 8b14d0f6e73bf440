"""A programme's guide: read and acknowledged by the pair, edited by a coordinator."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import access
from portal import programme_access as load
from portal.forms.base import BaseForm
from portal.forms.programme_guides import GuideForm
from portal.views.carry_out import carried, carry_out
from portal.views.programmes import signed_in
from portal.workflows.programmes.guidance import operations as guide_ops
from portal.workflows.programmes.guidance import queries as guide_queries

bp = Blueprint("programme_guides", __name__, url_prefix="/programmes")
bp.before_request(signed_in)


def _back_to(fallback: str) -> str:
    # Only a path on this site: the guide is reached from the request, agreement and pair pages.
    target = request.values.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else fallback


@bp.get("/<int:programme_id>/guide")
def guide(programme_id: int):
    programme = load.programme(programme_id)
    return render_template(
        "programmes/guide.html",
        programme=programme,
        sections=guide_queries.guide_sections(programme),
        acknowledgement=guide_queries.acknowledgement_of(programme, access.me()),
        form=BaseForm(),
        next=_back_to(""),
    )


@bp.post("/<int:programme_id>/guide/acknowledge")
def acknowledge(programme_id: int):
    programme = load.programme(programme_id)
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: guide_ops.acknowledge_guide(programme, access.me()),
            done=_("Thank you: you have acknowledged the programme’s guide."),
        )
    return redirect(_back_to(url_for("programme_guides.guide", programme_id=programme.id)))


@bp.route("/coordinator/programmes/<int:programme_id>/guide", methods=["GET", "POST"])
def edit_guide(programme_id: int):
    programme = load.coordinated_programme(programme_id)
    form = GuideForm(data=None if request.method == "POST" else guide_queries.guide_texts(programme))
    if carried(
        form,
        lambda: guide_ops.save_guide(programme, access.me(), form.values()),
        done=_("The guide of “%(name)s” has been saved.", name=programme.name),
    ):
        return redirect(url_for("programmes.coordinator"))
    return render_template("programmes/guide_form.html", form=form, programme=programme), (
        422 if form.errors else 200
    )
