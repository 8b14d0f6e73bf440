"""The applicant's pages: dashboard, task list, each section, check your answers, submit, status."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal import access
from portal.access import me
from portal.db import db
from portal.documents.sniff import MEDIA_TYPES
from portal.documents.storage import current_storage
from portal.enums import ApplicationState
from portal.forms import apply as forms
from portal.forms.base import BaseForm, clean_text, upload_of
from portal.forms.review import AnswerForm
from portal.models.applications import Application
from portal.views.carry_out import FAILED, carried, carry_out
from portal.workflows.applications import operations as application_ops
from portal.workflows.applications import queries as application_queries
from portal.workflows.applications import sections as application_sections
from portal.workflows.applications.eligibility import assess
from portal.workflows.applications.queries import applicant_status, confirmed_sessions, return_note
from portal.workflows.applications.sections import sections_for
from portal.workflows.audit import applicant_timeline
from portal.workflows.documents import reasons as document_reasons
from portal.workflows.membership.queries import check_of
from portal.workflows.payments.queries import priced_credential
from portal.workflows.references.queries import references_for
from portal.workflows.registry import catalogue
from portal.workflows.review import operations as review_ops
from portal.workflows.review import queries as review_queries

bp = Blueprint("apply", __name__, url_prefix="/applications")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user."""


def _editable_or_redirect(application: Application, section: str):
    if not application_sections.can_edit(application, section):
        flash(_("This part of the application can no longer be changed."), "warning")
        return redirect(url_for("apply.task_list", application_id=application.id))
    return None


def _context(application: Application, **extra):
    return {
        "application": application,
        "credential": catalogue()[application.credential_code],
        "confirmed_sessions": confirmed_sessions(application),
        **extra,
    }


@bp.app_template_filter("document_reason")
def _document_reason(reason: str) -> str:
    return document_reasons.shown(reason)


@bp.app_template_global("applicant_status")
def _applicant_status(application):
    return applicant_status(application)


@bp.get("/")
def dashboard():
    rows = application_queries.dashboard(me())
    if not rows and (current_user.is_admin or current_user.is_reviewer):
        # Staff start where their work is (signing in lands here), unless they apply themselves.
        return redirect(url_for("admin.index" if current_user.is_admin else "review.queue"))
    return render_template("apply/dashboard.html", rows=rows, catalogue=catalogue())


@bp.route("/new", methods=["GET", "POST"])
def start():
    form = forms.StartForm()
    form.credential.choices = forms.choices((c.code, c.label) for c in catalogue().ordered())
    if form.validate_on_submit():
        application = application_ops.start_application(me(), form.credential.data)
        db.session.commit()
        return redirect(url_for("apply.task_list", application_id=application.id))
    return render_template("apply/start.html", form=form, credentials=catalogue().ordered())


@bp.get("/<int:application_id>")
def task_list(application_id: int):
    application = access.own_application(application_id)
    if application.state not in (ApplicationState.DRAFT, ApplicationState.RETURNED):
        return redirect(url_for("apply.status", application_id=application.id))
    return render_template(
        "apply/task_list.html",
        **_context(
            application,
            sections=sections_for(application),
            eligibility=assess(application),
            returned=return_note(application),
        ),
    )


SINGLE_PAGE_SECTIONS = {
    "about": (forms.AboutForm, "apply/about.html"),
    "prerequisite": (forms.PrerequisiteForm, "apply/prerequisite.html"),
    "supervision": (forms.SupervisionForm, "apply/supervision.html"),
}


def _single_page_section(application_id: int, section: str):
    application = access.own_application(application_id)
    if (blocked := _editable_or_redirect(application, section)) is not None:
        return blocked
    form_class, template = SINGLE_PAGE_SECTIONS[section]
    form = form_class(obj=application)
    if section == "about" and request.method == "GET" and application.is_member is not None:
        form.is_member.data = application.is_member
    if form.validate_on_submit():
        application_ops.update_section(application, section, form.values())
        target = _next_url(application)  # before the commit expires the application, which costs a query
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(target)
    return render_template(template, form=form, **_context(application))


def _next_url(application: Application) -> str:
    if request.args.get("return_to") == "check":
        return url_for("apply.check_answers", application_id=application.id)
    return url_for("apply.task_list", application_id=application.id)


@bp.route("/<int:application_id>/about", methods=["GET", "POST"])
def about(application_id: int):
    return _single_page_section(application_id, "about")


@bp.route("/<int:application_id>/prerequisite", methods=["GET", "POST"])
def prerequisite(application_id: int):
    application = access.own_application(application_id)
    if catalogue()[application.credential_code].prerequisite is None:
        abort(404)
    return _single_page_section(application_id, "prerequisite")


@bp.route("/<int:application_id>/supervision", methods=["GET", "POST"])
def supervision(application_id: int):
    return _single_page_section(application_id, "supervision")


@bp.route("/<int:application_id>/declaration", methods=["GET", "POST"])
def declaration(application_id: int):
    application = access.own_application(application_id)
    if (blocked := _editable_or_redirect(application, "declaration")) is not None:
        return blocked
    form = forms.DeclarationForm()
    statement = render_template("apply/_declaration_text.txt", **_context(application))
    if form.validate_on_submit():
        carry_out(
            lambda: application_ops.accept_declaration(application, statement), done=_("Declaration made.")
        )
        return redirect(_next_url(application))
    return render_template("apply/declaration.html", form=form, statement=statement, **_context(application))


# Training records and engagements: a list page, an add/edit form, and removal.
RECORD_KINDS = {
    "training": dict(
        form=forms.TrainingForm,
        template="apply/training_form.html",
        upload="certificate",
        load=access.own_training_record,
        save=application_ops.save_training_record,
        remove=application_ops.remove_training_record,
        saved=_l("The training record has been saved."),
        removed=_l("The training record has been removed."),
    ),
    "engagements": dict(
        form=forms.EngagementForm,
        template="apply/engagement_form.html",
        upload="letter",
        load=access.own_engagement,
        save=application_ops.save_engagement,
        remove=application_ops.remove_engagement,
        saved=_l("The engagement has been saved."),
        removed=_l("The engagement has been removed."),
    ),
}


@bp.get("/<int:application_id>/training")
def training(application_id: int):
    application = access.own_application(application_id)
    return render_template(
        "apply/training.html",
        **_context(
            application,
            editable=application_sections.can_edit(application, "training"),
            form=BaseForm(),
            eligibility=assess(application),
        ),
    )


@bp.get("/<int:application_id>/engagements")
def engagements(application_id: int):
    application = access.own_application(application_id)
    return render_template(
        "apply/engagements.html",
        **_context(
            application,
            editable=application_sections.can_edit(application, "engagements"),
            form=BaseForm(),
            eligibility=assess(application),
        ),
    )


@bp.route("/<int:application_id>/<any(training, engagements):kind>/new", methods=["GET", "POST"])
@bp.route("/<int:application_id>/<any(training, engagements):kind>/<int:record_id>", methods=["GET", "POST"])
def edit_record(application_id: int, kind: str, record_id: int | None = None):
    application = access.own_application(application_id)
    if (blocked := _editable_or_redirect(application, kind)) is not None:
        return blocked
    spec = RECORD_KINDS[kind]
    item = spec["load"](application, record_id) if record_id else None
    form = spec["form"](obj=item)
    if form.validate_on_submit():
        upload = upload_of(form[spec["upload"]])
        saved = carry_out(
            lambda: spec["save"](application, form.values(), me(), upload, item),
            done=str(spec["saved"]),
            field=form[spec["upload"]],
        )
        if saved is not FAILED:
            return redirect(url_for(f"apply.{kind}", application_id=application.id))
    return render_template(spec["template"], form=form, item=item, kind=kind, **_context(application))


@bp.post("/<int:application_id>/<any(training, engagements):kind>/<int:record_id>/remove")
def remove_record(application_id: int, kind: str, record_id: int):
    application = access.own_application(application_id)
    if (blocked := _editable_or_redirect(application, kind)) is not None:
        return blocked
    spec = RECORD_KINDS[kind]
    item = spec["load"](application, record_id)
    if BaseForm().validate_on_submit():
        carry_out(lambda: spec["remove"](application, item), done=str(spec["removed"]))
    return redirect(url_for(f"apply.{kind}", application_id=application.id))


@bp.get("/<int:application_id>/check")
def check_answers(application_id: int):
    application = access.own_application(application_id)
    return render_template(
        "apply/check_answers.html",
        **_context(
            application,
            sections=sections_for(application),
            eligibility=assess(application),
            returned=return_note(application),
        ),
    )


@bp.route("/<int:application_id>/submit", methods=["GET", "POST"])
def submit(application_id: int):
    application = access.own_application(application_id)
    if application.state != ApplicationState.DRAFT:
        return redirect(url_for("apply.status", application_id=application.id))
    form = BaseForm()
    problems: list[str] = []
    if form.validate_on_submit():
        submitted = carry_out(lambda: application_ops.submit_application(application, me()), into=problems)
        if submitted is not FAILED:
            return redirect(url_for("apply.status", application_id=application.id, submitted=1))
    credential = priced_credential(application.credential_code)
    fee = credential.fee(bool(application.is_member))
    return render_template(
        "apply/submit.html",
        form=form,
        fee=fee,
        problems=problems,
        **{**_context(application, eligibility=assess(application)), "credential": credential},
    ), (422 if problems else 200)


@bp.get("/<int:application_id>/status")
def status(application_id: int):
    return _status_page(access.own_application(application_id))


def _status_page(application: Application, answer_form=None, status: int = 200):
    return render_template(
        "apply/status.html",
        **_context(
            application,
            entries=applicant_timeline(application),
            sections=sections_for(application),
            just_submitted=bool(request.args.get("submitted")),
            withdraw_form=BaseForm(),
            references=references_for(application),
            returned=return_note(application),
            thread=review_queries.thread(application),
            answer_form=answer_form or AnswerForm(),
            membership=check_of(application) if application.is_member else None,
        ),
    ), status


@bp.post("/<int:application_id>/answer")
def answer_question(application_id: int):
    application = access.own_application(application_id)
    form = AnswerForm()
    if carried(
        form,
        lambda: review_ops.answer_question(application, me(), form.body.data, upload_of(form.attachment)),
        done=_("Your answer has been sent to the reviewer, and the review goes on."),
    ):
        return redirect(url_for("apply.status", application_id=application.id, _anchor="questions"))
    return _status_page(application, form, 422)


@bp.post("/<int:application_id>/resubmit")
def resubmit(application_id: int):
    application = access.own_application(application_id)
    if BaseForm().validate_on_submit():
        resubmitted = carry_out(
            lambda: application_ops.resubmit_application(application, me()),
            done=_("Your changes have been sent to the reviewer."),
        )
        if resubmitted is FAILED:
            return redirect(url_for("apply.task_list", application_id=application.id))
    return redirect(url_for("apply.status", application_id=application.id))


@bp.post("/<int:application_id>/withdraw")
def withdraw(application_id: int):
    application = access.own_application(application_id)
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: application_ops.withdraw_application(
                application, me(), clean_text(request.form.get("reason"))
            ),
            done=_("Your application has been withdrawn."),
        )
    return redirect(url_for("apply.status", application_id=application.id))


@bp.get("/documents/<int:document_id>")
def download_document(document_id: int):
    document = access.visible_document(document_id)
    return send_file(
        current_storage().path(document.storage_key),
        as_attachment=True,
        download_name=document.original_name,
        mimetype=MEDIA_TYPES.get(document.file_type, "application/octet-stream"),
    )
