"""A pair's experience log by category, the mentor's acknowledgement, and a coordinator's categories."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import access
from portal import programme_access as load
from portal.db import db
from portal.enums import ExperienceState, PairingState
from portal.forms.apply import choices
from portal.forms.base import BaseForm
from portal.forms.experience import CategoriesForm, ExperienceForm
from portal.models.experience import ExperienceEntry
from portal.views.carry_out import carried, carry_out
from portal.views.programmes import signed_in
from portal.workflows.programmes.experience import operations as experience_ops
from portal.workflows.programmes.experience import queries as experience_queries
from portal.workflows.programmes.experience import rules as experience_rules

bp = Blueprint("experience", __name__, url_prefix="/programmes")
bp.before_request(signed_in)


def _log_url(pairing) -> str:
    return url_for("experience.log", pairing_id=pairing.id)


@bp.route("/pairings/<int:pairing_id>/experience", methods=["GET", "POST"])
def log(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    me = access.me()
    form = ExperienceForm()
    categories = experience_queries.categories_of(pairing.programme)
    can_log = experience_queries.is_mentee(pairing, me) and pairing.state == PairingState.ACTIVE
    if can_log and not categories:
        categories = experience_ops.ensure_categories(pairing.programme)
        db.session.commit()
    form.category_id.choices = choices((c.id, c.name) for c in categories)
    if can_log and carried(
        form,
        lambda: experience_ops.log_experience(pairing, me, form.values()),
        done=_("Your experience has been logged. Your mentor acknowledges it."),
    ):
        return redirect(_log_url(pairing))
    return render_template(
        "programmes/experience.html",
        pairing=pairing,
        form=form,
        can_log=can_log,
        is_mentor=not experience_queries.is_mentee(pairing, me),
        entries=experience_queries.entries_of(pairing),
        progress=experience_queries.progress_of(pairing),
        acknowledge_form=BaseForm(),
        X=ExperienceState,
    ), (422 if form.errors else 200)


@bp.post("/pairings/<int:pairing_id>/experience/<int:entry_id>/acknowledge")
def acknowledge(pairing_id: int, entry_id: int):
    pairing = load.own_pairing(pairing_id)
    entry = db.session.get(ExperienceEntry, entry_id)
    if entry is None or entry.pairing_id != pairing.id:
        abort(404)
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: experience_ops.acknowledge_experience(entry, access.me()),
            done=_("You have acknowledged this experience."),
            flash_refusal=True,
        )
    return redirect(_log_url(pairing))


@bp.route("/coordinator/programmes/<int:programme_id>/experience-categories", methods=["GET", "POST"])
def categories(programme_id: int):
    programme = load.coordinated_programme(programme_id)
    form = CategoriesForm(
        data=None
        if request.method == "POST"
        else {"categories": experience_rules.category_text(experience_queries.category_inputs(programme))}
    )
    if carried(
        form,
        lambda: experience_ops.save_category_lines(programme, access.me(), form.categories.data),
        done=_("The experience categories of “%(name)s” have been saved.", name=programme.name),
    ):
        return redirect(url_for("programmes.coordinator"))
    return render_template("programmes/experience_categories.html", form=form, programme=programme), (
        422 if form.errors else 200
    )
