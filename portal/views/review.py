"""The reviewers' pages: the queue (filters, assignment, CSV) and one application's review and decision."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from portal import access
from portal import fact_display as display
from portal.access import me
from portal.db import parse_id
from portal.enums import ApplicationState, DisputeOutcome, ReasonKind
from portal.forms import review as forms
from portal.forms.apply import choices
from portal.forms.base import BaseForm, upload_of
from portal.i18n import current_language
from portal.views.carry_out import FAILED, carried, carry_out
from portal.workflows.applications.queries import confirmed_sessions
from portal.workflows.documents import reasons
from portal.workflows.documents.operations import check_by_hand, reprocess
from portal.workflows.programmes.queries import evidence_of
from portal.workflows.references.queries import disputes_for, staff_verifications
from portal.workflows.registry import catalogue
from portal.workflows.review import operations as review_ops
from portal.workflows.review import queries as review_queries
from portal.workflows.review import rules as review_rules

bp = Blueprint("review", __name__, url_prefix="/review")

PER_PAGE = 25


@bp.before_request
@login_required
def _reviewers_only():
    access.require_reviewer()


def _filters():
    form = forms.QueueFilterForm(request.args)
    form.credential.choices = choices([("", _("Any"))] + [(c.code, c.label) for c in catalogue().ordered()])
    people = review_queries.reviewer_names()
    form.reviewer.choices = choices(
        [("", _("Anyone")), ("me", _("Me")), ("none", _("Unassigned"))]
        + [(str(person.id), person.full_name) for person in people]
    )
    form.validate()
    filters = review_rules.QueueFilters(
        state=form.state.data or "active",
        credential=form.credential.data or "",
        centre_status=form.centre_status.data or "",
        reviewer=form.reviewer.data or "",
        overdue=bool(form.overdue.data),
        sort=form.sort.data or "oldest",
    )
    return form, filters, people


@bp.context_processor
def _translators():
    # Texts the workers and earlier reviewers stored in English, shown in the reader's language.
    return {
        "document_reason": reasons.shown,
        "fact_label": display.fact_label,
        "check_label": display.check_label,
        "check_outcome": display.check_outcome,
        "check_declared": display.check_declared,
        "cross_check_text": review_rules.cross_check_shown,
        "timeline_reason": review_rules.reason_shown,
    }


@bp.get("/")
def queue():
    form, filters, people = _filters()
    per_page = min(max(request.args.get("per_page", PER_PAGE, type=int), 1), 100)
    pagination = review_queries.queue_page(
        filters, me(), per_page, after=request.args.get("after"), before=request.args.get("before")
    )
    rows = [(application, review_rules.clock(application)) for application in pagination.items]
    args = {key: value for key, value in request.args.items() if key not in ("page", "after", "before")}
    return render_template(
        "review/queue.html",
        form=form,
        filters_html=_filters_html(form, args, people),
        pagination=pagination,
        rows=rows,
        reviewers=people,
        args=args,
        queue_args=_queue_args(),
        counts=pagination.counts,
        assign_form=BaseForm(),
        catalogue=catalogue(),
        state_tags=_state_tags({application.state for application in pagination.items}),
    )


def _state_tags(states) -> dict:
    # A tag per state shown, rendered once for the page rather than by a macro call on each row.
    tag = get_template_attribute("_macros/ui.html", "tag")
    return {state: tag(state.label, state) for state in states}


# The filter form as rendered for a language, a query string and the reviewers it lists; it shows nothing else.
_rendered_filters: dict[tuple, Markup] = {}
_RENDERED_FILTERS_KEPT = 256


def _filters_html(form, args: dict[str, str], people) -> Markup:
    key = (
        current_language(),  # the form's labels and choices are in the reader's language
        tuple(sorted(args.items())),
        tuple((person.id, person.full_name) for person in people),
    )
    html = _rendered_filters.get(key)
    if html is None:
        if len(_rendered_filters) >= _RENDERED_FILTERS_KEPT:
            _rendered_filters.clear()
        html = _rendered_filters[key] = Markup(
            render_template("review/_queue_filters.html", form=form, args=args)
        )
    return html


@bp.get("/queue.csv")
def queue_csv():
    _, filters, _ = _filters()
    body = review_queries.queue_csv(filters, me())
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=review-queue.csv"}
    )


def _with_choices(form, options, kind: ReasonKind):
    sections, reasons = options
    form.standard_reason.choices = choices(
        [("", _("None: I will write my own"))] + [(str(r.id), r.title) for r in reasons[kind]]
    )
    if hasattr(form, "sections"):
        form.sections.choices = choices(sections)
    return form


# The queue's own filters, carried from the queue to each application so next and previous follow it.
QUEUE_ARGS = ("state", "credential", "centre_status", "reviewer", "overdue", "sort")
DECIDED = (ApplicationState.APPROVED, ApplicationState.REJECTED, ApplicationState.WITHDRAWN)


def _queue_args() -> dict[str, str]:
    return {key: request.args[key] for key in QUEUE_ARGS if request.args.get(key)}


def _page(application, status: int = 200, **given):
    sheet = review_queries.review_sheet(application, me())
    _, filters, _ = _filters()
    return render_template(
        "review/application.html",
        application=application,
        place=review_queries.queue_place(application.id, filters, me()),
        queue_args=_queue_args(),
        decided=application.state in DECIDED,
        credential=catalogue()[application.credential_code],
        sections=[],
        sheet=sheet,
        checklist=sheet.checklist,
        documents=sheet.documents,
        references=sheet.references,
        entries=sheet.entries,
        clock=sheet.clock,
        actions=sheet.actions,
        conflicts=sheet.conflicts,
        reviewers=sheet.reviewers,
        notes_form=forms.notes_form({item.key: item.label for item in sheet.checklist}, notes=sheet.notes),
        approve_form=forms.ApproveForm(),
        button_form=BaseForm(),
        return_form=_with_choices(
            given.get("return_form") or forms.ReturnForm(), sheet.options, ReasonKind.RETURN
        ),
        reject_form=_with_choices(
            given.get("reject_form") or forms.RejectForm(), sheet.options, ReasonKind.REJECT
        ),
        prerequisite_form=given.get("prerequisite_form") or forms.PrerequisiteCheckForm(),
        membership_form=given.get("membership_form") or forms.MembershipDecisionForm(),
        problems=given.get("problems", []),
        confirmed_sessions=confirmed_sessions(application),
        disputes=disputes_for(application),
        verifications=staff_verifications(application),
        verification_form=given.get("verification_form") or forms.VerificationForm(),
        letters=review_queries.letters_on_file(application),
        programme_evidence=[
            (engagement, evidence_of(engagement.pairing))
            for engagement in application.engagements
            if engagement.pairing is not None
        ],
        dispute_form=given.get("dispute_form") or forms.DisputeForm(),
        thread=review_queries.thread(application),
        question_form=given.get("question_form") or forms.QuestionForm(),
        close_form=given.get("close_form") or forms.CloseQuestionForm(),
    ), status


@bp.get("/<int:application_id>")
def application(application_id: int):
    return _page(access.reviewable_application(application_id))


def _back(application):
    # Back to the desk in the same queue, so next and previous carry on where the reviewer was.
    return redirect(url_for("review.application", application_id=application.id, **_queue_args()))


@bp.post("/<int:application_id>/assign")
def assign(application_id: int):
    application = access.reviewable_application(application_id)
    form = BaseForm()
    if form.validate_on_submit():
        carry_out(
            lambda: review_ops.assign_to(application, parse_id(request.form.get("reviewer_id")), me()),
            done=_("Assignment saved."),
        )
    return redirect(
        request.form.get("next")
        if request.form.get("next", "").startswith("/review")
        else url_for("review.application", application_id=application.id, **_queue_args())
    )


@bp.post("/<int:application_id>/notes")
def save_notes(application_id: int):
    application = access.reviewable_application(application_id)
    labels = {item.key: item.label for item in review_queries.checklist(application)}
    form = forms.notes_form(labels, formdata=request.form)
    if form.validate_on_submit():
        carry_out(
            lambda: review_ops.save_notes(
                application, {key: form[f"note_{key}"].data for key in labels}, me()
            ),
            done=_("Your notes have been saved."),
        )
    return _back(application)


def _decide(application, operation, success, **forms_):
    """Run a decision; ``success`` is the message, or a function of the operation's result giving it."""
    problems: list[str] = []
    result = carry_out(operation, into=problems)
    if result is FAILED:
        return _page(application, 409, problems=problems, **forms_)
    flash(success(result) if callable(success) else success, "success")
    return _back(application)


@bp.post("/<int:application_id>/approve")
def approve(application_id: int):
    application = access.reviewable_application(application_id)
    if not forms.ApproveForm().validate_on_submit():
        return _back(application)
    return _decide(
        application,
        lambda: review_ops.approve(application, me()),
        lambda credential: (
            _("The application is approved and the credential issued.")
            if credential
            else _(
                "Your approval is recorded. A different reviewer gives the second, which issues the credential."
            )
        ),
    )


@bp.post("/<int:application_id>/return")
def return_for_changes(application_id: int):
    application = access.reviewable_application(application_id)
    form = _with_choices(forms.ReturnForm(), review_queries.decision_options(application), ReasonKind.RETURN)
    if not form.validate_on_submit():
        return _page(application, 422, return_form=form, problems=[_("Check the return form below.")])

    def operation():
        reason = review_queries.compose_reason(ReasonKind.RETURN, form.standard_reason.data, form.reason.data)
        review_ops.return_for_changes(application, me(), form.sections.data, reason)

    return _decide(
        application, operation, _("The application has been returned to the applicant."), return_form=form
    )


@bp.post("/<int:application_id>/reject")
def reject(application_id: int):
    application = access.reviewable_application(application_id)
    form = _with_choices(forms.RejectForm(), review_queries.decision_options(application), ReasonKind.REJECT)
    if not form.validate_on_submit():
        return _page(application, 422, reject_form=form, problems=[_("Check the reject form below.")])

    def operation():
        reason = review_queries.compose_reason(ReasonKind.REJECT, form.standard_reason.data, form.reason.data)
        review_ops.reject(application, me(), reason)

    return _decide(application, operation, _("The application has been rejected."), reject_form=form)


@bp.post("/<int:application_id>/resume")
def resume(application_id: int):
    application = access.reviewable_application(application_id)
    if not BaseForm().validate_on_submit():
        return _back(application)
    return _decide(
        application,
        lambda: review_ops.resume_review(application, me()),
        _("The application is back in review."),
    )


@bp.post("/<int:application_id>/prerequisite-checked")
def prerequisite_checked(application_id: int):
    application = access.reviewable_application(application_id)
    form = forms.PrerequisiteCheckForm()
    if not form.validate_on_submit():
        return _page(
            application, 422, prerequisite_form=form, problems=[_("Say how you checked the credential.")]
        )
    return _decide(
        application,
        lambda: review_ops.confirm_prior_credential(application, me(), form.note.data),
        _("The prior credential is recorded as checked."),
    )


@bp.post("/<int:application_id>/membership")
def decide_membership(application_id: int):
    application = access.reviewable_application(application_id)
    form = forms.MembershipDecisionForm()
    if not form.validate_on_submit():
        problems = [message for errors in form.errors.values() for message in errors]
        return _page(application, 422, membership_form=form, problems=problems)
    if form.decision.data == "confirmed":
        operation, done = review_ops.confirm_membership, _("The membership is recorded as confirmed.")
    else:
        operation = review_ops.mark_membership_false
        done = _("The membership claim is recorded as false; the applicant is asked for the fee difference.")
    return _decide(application, lambda: operation(application, me(), form.reason.data), done)


@bp.post("/documents/<int:document_id>/reprocess")
def reprocess_document(document_id: int):
    document = access.reviewable_document(document_id)
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: reprocess(document, me()),
            done=_("“%(file)s” will be read again.", file=document.original_name),
        )
    return redirect(
        url_for("review.application", application_id=document.application_id, _anchor="documents")
    )


@bp.post("/documents/<int:document_id>/checked")
def document_checked(document_id: int):
    document = access.reviewable_document(document_id)
    form = forms.CheckedByHandForm()
    if form.validate_on_submit():
        carry_out(
            lambda: check_by_hand(document, me(), form.note.data),
            done=_("“%(file)s” is marked as checked by hand.", file=document.original_name),
        )
    return redirect(
        url_for("review.application", application_id=document.application_id, _anchor="documents")
    )


def _on_engagement(application_id: int, engagement_id: int, form_class, name: str, operation, done: str):
    """Load, validate ``form_class`` (shown again as ``name`` when refused), run ``operation(application,
    engagement, form)``: the shape of every reviewer's action on one engagement."""
    application = access.reviewable_application(application_id)
    engagement = access.own_engagement(application, engagement_id)
    form = form_class()
    if not form.validate_on_submit():
        problems = [message for errors in form.errors.values() for message in errors]
        return _page(application, 422, problems=problems, **{name: form})
    return _decide(application, lambda: operation(application, engagement, form), done)


@bp.post("/<int:application_id>/engagements/<int:engagement_id>/dispute")
def resolve_dispute(application_id: int, engagement_id: int):
    return _on_engagement(
        application_id,
        engagement_id,
        forms.DisputeForm,
        "dispute_form",
        lambda application, engagement, form: review_ops.resolve_dispute(
            application, engagement, DisputeOutcome(form.outcome.data), form.reason.data, me()
        ),
        _("Your decision on the disputed engagement is recorded."),
    )


@bp.post("/<int:application_id>/engagements/<int:engagement_id>/verification")
def record_verification(application_id: int, engagement_id: int):
    return _on_engagement(
        application_id,
        engagement_id,
        forms.VerificationForm,
        "verification_form",
        lambda application, engagement, form: review_ops.record_verification(
            application, engagement, form.values(), me()
        ),
        _("The verification contact is recorded."),
    )


def _on_desk_form(application_id: int, form_class, name: str, operation, done: str, problem: str):
    """Load, validate ``form_class``, run ``operation(application, form)``; when refused the desk again with
    that form (as ``name``) showing why at its fields."""
    application = access.reviewable_application(application_id)
    form = form_class()
    if carried(form, lambda: operation(application, form), done=done):
        return _back(application)
    return _page(application, 422, problems=[problem], **{name: form})


@bp.post("/<int:application_id>/questions")
def ask_question(application_id: int):
    return _on_desk_form(
        application_id,
        forms.QuestionForm,
        "question_form",
        lambda application, form: review_ops.ask_question(
            application, me(), form.body.data, upload_of(form.attachment)
        ),
        _(
            "Your question has been emailed to the applicant. The review clock stands still until they answer."
        ),
        _("Check the question below."),
    )


@bp.post("/<int:application_id>/questions/close")
def close_question(application_id: int):
    return _on_desk_form(
        application_id,
        forms.CloseQuestionForm,
        "close_form",
        lambda application, form: review_ops.close_question(application, me(), form.reason.data),
        _("The question is closed and the application is back in review."),
        _("Check the form to close the question."),
    )


@bp.post("/<int:application_id>/engagements/<int:engagement_id>/letter")
def accept_letter(application_id: int, engagement_id: int):
    return _on_engagement(
        application_id,
        engagement_id,
        forms.LetterAcceptanceForm,
        "letter_form",
        lambda application, engagement, form: review_ops.accept_letter(
            application, engagement, parse_id(form.document_id.data), form.note.data, form.reason.data, me()
        ),
        _("The letter is accepted: the engagement counts as a confirmed reference."),
    )
