"""Renewing a credential: starting from the credential, and the supervision declared for each year."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal import access
from portal.access import me
from portal.forms.base import BaseForm
from portal.forms.renewal import SupervisionYearsForm
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.applications import operations as application_ops
from portal.workflows.applications import queries as application_queries
from portal.workflows.applications.sections import can_edit
from portal.workflows.credentials import rules as credential_rules
from portal.workflows.registry import catalogue

bp = Blueprint("renewal", __name__)


@bp.before_request
@login_required
def _signed_in():
    """Holders only: each route checks the credential or application is the current user's."""


@bp.post("/credentials/<number>/renew")
def start(number: str):
    credential = access.own_credential(number)
    if BaseForm().validate_on_submit():
        application = carry_out(lambda: application_ops.start_renewal(credential, me()))
        if application is not FAILED:
            return redirect(url_for("apply.task_list", application_id=application.id))
    return redirect(url_for("credentials.mine"))


@bp.route("/applications/<int:application_id>/supervision-years", methods=["GET", "POST"])
def supervision_years(application_id: int):
    application = access.own_application(application_id)
    if not application.is_renewal or application.renews_credential is None:
        return redirect(url_for("apply.task_list", application_id=application.id))
    if not can_edit(application, "supervision_years"):
        flash(_("This part of the application can no longer be changed."), "warning")
        return redirect(url_for("apply.task_list", application_id=application.id))
    years = credential_rules.cycle_years(application.renews_credential)
    declared = {year.year_number: year for year in application.supervision_years}
    confirmed = application_queries.confirmed_sessions(application)
    form = SupervisionYearsForm(
        data={
            "years": [
                {
                    "sessions": declared[y.number].sessions
                    if y.number in declared
                    else (confirmed[y.number] or None),
                    "supervisor_name": declared[y.number].supervisor_name
                    if y.number in declared
                    else application.supervisor_name,
                    "supervisor_email": declared[y.number].supervisor_email
                    if y.number in declared
                    else application.supervisor_email,
                }
                for y in years
            ]
        }
    )
    if form.validate_on_submit() and len(form.years.entries) == len(years):
        carry_out(
            lambda: application_ops.save_supervision_years(application, form.values()["years"]),
            done=_("Saved."),
        )
        return redirect(url_for("apply.task_list", application_id=application.id))
    credential = catalogue()[application.credential_code]
    return render_template(
        "renewal/supervision_years.html",
        form=form,
        years=years,
        application=application,
        credential=credential,
        confirmed_sessions=confirmed,
    )
