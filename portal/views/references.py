"""Managing an application's referees after submission: resend a request, name another referee."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from portal import access
from portal.access import me
from portal.forms.base import BaseForm
from portal.forms.references import RefereeForm
from portal.models.references import ReferenceRequest
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.references import operations as reference_ops
from portal.workflows.references import queries as reference_queries
from portal.workflows.references import rules as reference_rules
from portal.workflows.registry import catalogue

bp = Blueprint("references", __name__, url_prefix="/applications/<int:application_id>/references")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


@bp.app_template_global()
def reference_trust(reference: ReferenceRequest) -> reference_rules.Trust:
    return reference_queries.trust_for(reference)


@bp.app_template_global()
def next_reminder(reference: ReferenceRequest):
    return reference_queries.next_reminder(reference)


@bp.app_template_global()
def reference_actions(reference: ReferenceRequest) -> reference_rules.Actions:
    return reference_queries.actions_for(reference, me())


def _back(application) -> str:
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("apply.status", application_id=application.id)


@bp.post("/<int:reference_id>/resend")
def resend(application_id: int, reference_id: int):
    application = access.visible_application(application_id)
    reference = access.application_reference(application, reference_id)
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: reference_ops.resend_reference(reference, me()),
            done="We have emailed the referee a new link. Earlier links no longer work.",
        )
    return redirect(_back(application))


@bp.route("/<int:reference_id>/replace", methods=["GET", "POST"])
def replace(application_id: int, reference_id: int):
    application = access.own_application(application_id)
    reference = access.application_reference(application, reference_id)
    problem = reference_rules.replace_problem(reference, me())
    if problem:
        flash(problem, "warning")
        return redirect(url_for("apply.status", application_id=application.id))
    form = RefereeForm()
    if form.validate_on_submit():
        replaced = carry_out(
            lambda: reference_ops.replace_referee(reference, form.values(), me()),
            done=f"We have asked {form.referee_name.data} to confirm the engagement.",
            form=form,
        )
        if replaced is not FAILED:
            return redirect(url_for("apply.status", application_id=application.id))
    return render_template(
        "references/replace.html",
        form=form,
        reference=reference,
        application=application,
        credential=catalogue()[application.credential_code],
    )
