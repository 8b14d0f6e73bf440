"""The supervisor's page, reached from an emailed link without an account (GET shows, the POST declares), and
the applicant's pages to resend the request or name another supervisor."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal import access
from portal.access import me
from portal.db import db
from portal.enums import SupervisionFocus, SupervisorConflict
from portal.extensions import limiter
from portal.forms.base import BaseForm
from portal.forms.supervisor import SupervisorDeclarationForm, SupervisorForm
from portal.models.supervisors import SupervisorDeclaration
from portal.views import link_answers as links
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.external_requests.rules import LinkState, LinkUnusable
from portal.workflows.supervisors import operations as supervisor_ops
from portal.workflows.supervisors import queries as supervisor_queries
from portal.workflows.supervisors import rules as supervisor_rules

bp = Blueprint("supervisor", __name__)


@bp.app_template_global()
def supervisor_declaration_of(application) -> SupervisorDeclaration | None:
    return supervisor_queries.current_declaration(application)


@bp.app_template_global()
def supervisor_desk(application) -> supervisor_queries.DeskDeclaration:
    return supervisor_queries.desk_declaration(application)


@bp.app_template_global()
def supervisor_next_reminder(declaration: SupervisorDeclaration):
    return supervisor_queries.next_reminder(declaration)


@bp.app_template_global()
def supervisor_actions(declaration: SupervisorDeclaration) -> supervisor_rules.Actions:
    return supervisor_queries.actions_for(declaration, me())


@bp.errorhandler(429)
def _throttled(error):
    """Too many answers from one address: the page again with what they typed, not a bare error."""
    declaration = supervisor_queries.declaration_for_token((request.view_args or {}).get("token", ""))
    if request.method != "POST" or supervisor_rules.link_state(declaration) != LinkState.OPEN:
        return links.throttled()
    form = SupervisorDeclarationForm(formdata=request.form)
    return links.private(
        render_template("supervisor/declare.html", form=form, declaration=declaration, throttled=True), 429
    )


def _answer_of(form: SupervisorDeclarationForm) -> supervisor_rules.SupervisorAnswer:
    return supervisor_rules.SupervisorAnswer(
        confirms=form.answer.data == "confirm",
        supervising_since=form.supervising_since.data,
        focus=SupervisionFocus(form.focus.data) if form.focus.data else None,
        practising_mentor=bool(form.practising_mentor.data),
        knows_imc_standards=bool(form.knows_imc_standards.data),
        sessions_last_year=form.sessions_last_year.data,
        conflicts=tuple(SupervisorConflict(value) for value in form.conflicts.data or ()),
        comment=form.comment.data,
    )


@bp.route("/supervisors/<token>", methods=["GET", "POST"])
@limiter.limit(links.rate_limit)
def declare(token: str):
    # Mail scanners open links: a GET shows the page and changes nothing; only the POST uses the token.
    declaration = supervisor_queries.declaration_for_token(token)
    state = supervisor_rules.link_state(declaration)
    if state == LinkState.UNUSABLE:
        return links.unusable()
    if state == LinkState.ANSWERED:
        return links.answered(
            _("This declaration has been answered"),
            second_answer=request.method == "POST",
            answered_at=declaration.answered_at,
        )
    form = SupervisorDeclarationForm()
    if form.validate_on_submit():
        try:
            answered = carry_out(
                lambda: supervisor_ops.answer_declaration(
                    declaration,
                    _answer_of(form),
                    ip=request.remote_addr,
                    user_agent=request.user_agent.string,
                ),
                done=_("Thank you: your answer has been recorded."),
                form=form,
            )
        except LinkUnusable:
            # Answered, expired or replaced a moment ago: the page for the link now says so, and no more.
            db.session.rollback()
            return redirect(url_for("supervisor.declare", token=token))
        if answered is not FAILED:
            return redirect(url_for("supervisor.declare", token=token))
    status = 422 if form.errors else 200
    return links.private(
        render_template("supervisor/declare.html", form=form, declaration=declaration), status
    )


def _status_page(application):
    return url_for("apply.status", application_id=application.id)


@bp.post("/applications/<int:application_id>/supervisor/<int:declaration_id>/resend")
@login_required
def resend(application_id: int, declaration_id: int):
    application = access.visible_application(application_id)
    declaration = access.application_declaration(application, declaration_id)
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: supervisor_ops.resend_declaration(declaration, me()),
            done=_("We have emailed your supervisor a new link. Earlier links no longer work."),
            flash_refusal=True,
        )
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return redirect(target)
    return redirect(_status_page(application))


@bp.route(
    "/applications/<int:application_id>/supervisor/<int:declaration_id>/replace", methods=["GET", "POST"]
)
@login_required
def replace(application_id: int, declaration_id: int):
    application = access.own_application(application_id)
    declaration = access.application_declaration(application, declaration_id)
    problem = supervisor_rules.replace_problem(declaration, me())
    if problem:
        flash(problem, "warning")
        return redirect(_status_page(application))
    form = SupervisorForm()
    if form.validate_on_submit():
        replaced = carry_out(
            lambda: supervisor_ops.replace_supervisor(declaration, form.values(), me()),
            done=_(
                "We have asked %(name)s to make the supervisor's declaration.", name=form.supervisor_name.data
            ),
            form=form,
        )
        if replaced is not FAILED:
            return redirect(_status_page(application))
    status = 422 if form.errors else 200
    return render_template(
        "supervisor/replace.html", form=form, application=application, declaration=declaration
    ), status
