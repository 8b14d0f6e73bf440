"""Mentoring programmes: the mentor directory, a pair's pages, the coordinator's, the supervisor's link."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import access
from portal import programme_access as load
from portal.agreements import agreement_docx, calendar
from portal.db import db
from portal.enums import PairingRole, PairingState
from portal.extensions import limiter
from portal.forms import programmes as forms
from portal.forms.base import BaseForm
from portal.views import link_answers as links
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.applications import operations as application_ops
from portal.workflows.programmes import operations as programme_ops
from portal.workflows.programmes import queries as programme_queries
from portal.workflows.programmes import rules
from portal.workflows.programmes import rules as programme_rules
from portal.workflows.programmes.career import queries as career_queries
from portal.workflows.programmes.chapters import queries as chapter_queries
from portal.workflows.programmes.closeout import queries as closeout_queries
from portal.workflows.programmes.experience import queries as experience_queries
from portal.workflows.programmes.guidance import queries as guide_queries
from portal.workflows.programmes.matching import queries as matching_queries

bp = Blueprint("programmes", __name__, url_prefix="/programmes")

# The supervisor answers from an emailed link, without an account.
PUBLIC_ENDPOINTS = {"programmes.supervision_answer"}


@bp.before_request
def signed_in():
    """Pages of the programmes need a signed-in person, except a pair's (their loader answers 404) and the
    supervisor's link; the other programme blueprints ask the same."""
    # A pair's pages answer 404 to everyone outside the pair, signed in or not: their loader decides.
    if "pairing_id" in (request.view_args or {}) or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def _pair_page(pairing) -> str:
    return url_for("programmes.pairing", pairing_id=pairing.id)


# The overview and the directory -------------------------------------------------------------------------


@bp.get("/")
def index():
    me = access.me()
    return render_template(
        "programmes/index.html",
        pairings=programme_queries.pairings_of(me),
        profile=programme_queries.profile_of(me),
        programmes=programme_queries.programmes(open_only=True),
        is_coordinator=programme_queries.is_coordinator(me),
        coordinates_chapters=bool(chapter_queries.chapters_coordinated_by(me)),
    )


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    existing = programme_queries.profile_of(access.me())
    form = forms.ProfileForm(obj=existing)
    if request.method == "GET" and existing is None:
        form.is_published.data, form.capacity.data = True, 1
    if form.validate_on_submit():
        carry_out(
            lambda: programme_ops.save_profile(access.me(), form.values()),
            done="Your mentor profile has been saved.",
        )
        return redirect(url_for("programmes.index"))
    return render_template("programmes/profile.html", form=form, profile=existing)


@bp.get("/mentors")
def directory():
    form = forms.DirectoryForm(formdata=request.args)
    sectors, regions = programme_queries.directory_choices()
    form.sector.choices = [("", "Any sector"), *[(s, s) for s in sectors]]
    form.region.choices = [("", "Any region or chapter"), *[(r, r) for r in regions]]
    form.validate()
    filters = programme_queries.DirectoryFilters(
        text=form.q.data or "",
        sector=form.sector.data or "",
        region=form.region.data or "",
        available_only=bool(form.available.data),
    )
    listings = programme_queries.search_mentors(filters, exclude=access.me())
    return render_template(
        "programmes/directory.html",
        form=form,
        listings=matching_queries.ranked_listings(
            listings, access.me(), filters.sector, filters.region, filters.text
        ),
    )


@bp.route("/mentors/<int:profile_id>/request", methods=["GET", "POST"])
def request_mentor(profile_id: int):
    profile = load.published_profile(profile_id)
    form = forms.RequestForm()
    open_programmes = programme_queries.programmes(open_only=True)
    form.programme.choices = [(p.id, p.name) for p in open_programmes]
    if len(open_programmes) == 1 and request.method == "GET":
        form.programme.data = open_programmes[0].id
    if form.validate_on_submit():
        pairing = carry_out(
            lambda: programme_ops.request_mentor(
                access.me(), profile, load.open_programme(form.programme.data), form.message.data
            ),
            form=form,
            done=f"Your request has gone to {profile.user.full_name}.",
        )
        if pairing is not FAILED:
            return redirect(_pair_page(pairing))
    return render_template(
        "programmes/request.html",
        form=form,
        profile=profile,
        places_left=programme_queries.places_left(profile),
        guides=[(p, guide_queries.has_acknowledged(p, access.me())) for p in open_programmes],
    ), (422 if form.errors else 200)


# A pair's pages ------------------------------------------------------------------------------------------


@bp.get("/pairings/<int:pairing_id>")
def pairing(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    me = access.me()
    own_evaluation, partner_evaluation = programme_queries.visible_evaluations(pairing, me)
    return render_template(
        "programmes/pairing.html",
        pairing=pairing,
        role=pairing.role_of(me),
        partner=pairing.partner_of(me),
        overview=programme_queries.overview(pairing),
        declaration=programme_queries.declaration_of(pairing, me),
        own_evaluation=own_evaluation,
        partner_evaluation=partner_evaluation,
        partner_has_evaluated=programme_queries.evaluation_of(pairing, pairing.partner_of(me)) is not None,
        latest_progress=programme_queries.latest_progress,
        entries=programme_queries.pairing_timeline(pairing, me),
        form=BaseForm(),
        reason_form=forms.ReasonForm(),
        settings=rules.defaults(),
        guide_acknowledged=guide_queries.has_acknowledged(pairing.programme, me),
        sees_plan=career_queries.may_see_plan(pairing, me),
        career_plan=career_queries.plan_of(pairing.mentee),
        experience=experience_queries.progress_of(pairing) if pairing.term_start else [],
        experience_months=experience_queries.review_months(),
        closeout=closeout_queries.closeout_of(pairing),
        closeout_open=closeout_queries.closeout_open(pairing),
        readiness_label=closeout_queries.readiness_label,
        chapters=chapter_queries.chapters(),
        S=PairingState,
        R=PairingRole,
    )


PAIRING_ACTIONS = {
    "accept": (
        programme_ops.accept_request,
        "You have accepted. Both of you now declare any conflict of interest.",
    ),
    "decline": (programme_ops.decline_request, "You have declined the request."),
    "withdraw": (programme_ops.withdraw, "The pairing has been withdrawn."),
}


@bp.post("/pairings/<int:pairing_id>/<any(accept, decline, withdraw):action>")
def decide(pairing_id: int, action: str):
    pairing = load.own_pairing(pairing_id)
    form = forms.ReasonForm()
    if form.validate_on_submit():
        operation, message = PAIRING_ACTIONS[action]
        if action == "accept":
            carry_out(lambda: operation(pairing, access.me()), done=message)
        else:
            carry_out(lambda: operation(pairing, access.me(), form.reason.data), done=message)
    return redirect(_pair_page(pairing))


@bp.route("/pairings/<int:pairing_id>/declaration", methods=["GET", "POST"])
def declaration(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    if (
        pairing.state != PairingState.DECLARING
        or programme_queries.declaration_of(pairing, access.me()) is not None
    ):
        return redirect(_pair_page(pairing))
    form = forms.DeclarationForm()
    if form.validate_on_submit():
        declared = carry_out(lambda: programme_ops.declare_conflicts(pairing, access.me(), form.values()))
        if declared is not FAILED:
            flash(
                "Your declaration has been recorded. The coordinator will be in touch."
                if declared.has_conflict
                else "Your declaration has been recorded.",
                "success",
            )
        return redirect(_pair_page(pairing))
    return render_template(
        "programmes/declaration.html", form=form, pairing=pairing, partner=pairing.partner_of(access.me())
    )


@bp.route("/pairings/<int:pairing_id>/agreement", methods=["GET", "POST"])
def agreement(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    editable = pairing.state == PairingState.AGREEING
    form = forms.AgreementForm(
        data=None
        if request.method == "POST"
        else {
            "term_start": pairing.term_start,
            "goals": [
                {"description": g.description, "metric": g.metric, "deadline": g.deadline}
                for g in pairing.goals
            ],
        }
    )
    if editable and form.validate_on_submit():
        if (
            carry_out(
                lambda: programme_ops.save_agreement(
                    pairing, access.me(), form.term_start.data, form.goal_inputs()
                ),
                form=form,
                done="The agreement has been saved. Both of you now sign it.",
            )
            is not FAILED
        ):
            return redirect(url_for("programmes.agreement", pairing_id=pairing.id))
    return render_template(
        "programmes/agreement.html",
        form=form,
        sign_form=forms.SignForm(),
        pairing=pairing,
        role=pairing.role_of(access.me()),
        editable=editable,
        programme=pairing.programme,
        meeting_terms=programme_queries.meeting_terms(pairing.programme),
        term_months=pairing.programme.term_months,
        guide_acknowledged=guide_queries.has_acknowledged(pairing.programme, access.me()),
    ), (422 if form.errors else 200)


@bp.post("/pairings/<int:pairing_id>/agreement/sign")
def sign(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    form = forms.SignForm()
    if form.validate_on_submit():
        if (
            carry_out(
                lambda: programme_ops.sign_agreement(pairing, access.me(), form.full_name.data),
                form=form,
                done="You have signed the agreement.",
            )
            is not FAILED
        ):
            return redirect(
                _pair_page(pairing)
                if pairing.is_signed
                else url_for("programmes.agreement", pairing_id=pairing.id)
            )
    agreement_form = forms.AgreementForm(
        formdata=None,
        data={
            "term_start": pairing.term_start,
            "goals": [
                {"description": g.description, "metric": g.metric, "deadline": g.deadline}
                for g in pairing.goals
            ],
        },
    )
    return render_template(
        "programmes/agreement.html",
        form=agreement_form,
        sign_form=form,
        pairing=pairing,
        role=pairing.role_of(access.me()),
        editable=pairing.state == PairingState.AGREEING,
        programme=pairing.programme,
        meeting_terms=programme_queries.meeting_terms(pairing.programme),
        term_months=pairing.programme.term_months,
        guide_acknowledged=guide_queries.has_acknowledged(pairing.programme, access.me()),
    ), 422


@bp.get("/pairings/<int:pairing_id>/agreement.docx")
def agreement_download(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    return Response(
        agreement_docx(programme_queries.agreement_document(pairing)),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="agreement-{pairing.id}.docx"'},
    )


@bp.route("/pairings/<int:pairing_id>/meetings/new", methods=["GET", "POST"])
def log_meeting(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    form = forms.MeetingForm()
    if form.validate_on_submit():
        carry_out(
            lambda: programme_ops.log_meeting(pairing, access.me(), form.values()),
            form=form,
            flash_refusal=True,
            done="The meeting has been logged.",
        )
        # Only problems with the meeting keep the form open; a refusal is flashed on the pair's page.
        if not form.errors:
            return redirect(_pair_page(pairing))
    return render_template("programmes/meeting_form.html", form=form, pairing=pairing), (
        422 if form.errors else 200
    )


def _ics(events, filename: str, name: str) -> Response:
    domain = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return Response(
        calendar(events, domain, name),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/pairings/<int:pairing_id>/meetings/<int:meeting_id>.ics")
def meeting_invitation(pairing_id: int, meeting_id: int):
    pairing = load.own_pairing(pairing_id)
    meeting = load.own_meeting(pairing, meeting_id)
    return _ics(
        programme_queries.calendar_events(pairing, meeting), f"meeting-{meeting.id}.ics", "Mentoring meeting"
    )


@bp.get("/pairings/<int:pairing_id>/checkpoints.ics")
def checkpoint_calendar(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    return _ics(
        programme_queries.calendar_events(pairing),
        f"checkpoints-{pairing.id}.ics",
        f"{pairing.programme.name} checkpoints",
    )


@bp.post("/pairings/<int:pairing_id>/checkpoints/<int:checkpoint_id>/done")
def checkpoint_done(pairing_id: int, checkpoint_id: int):
    pairing = load.own_pairing(pairing_id)
    checkpoint = load.own_checkpoint(pairing, checkpoint_id)
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: programme_ops.complete_checkpoint(pairing, checkpoint, access.me()),
            done=f"“{checkpoint.title}” is done.",
        )
    return redirect(_pair_page(pairing))


@bp.route("/pairings/<int:pairing_id>/goals/<int:goal_id>", methods=["GET", "POST"])
def goal(pairing_id: int, goal_id: int):
    pairing = load.own_pairing(pairing_id)
    goal = load.own_goal(pairing, goal_id)
    form = forms.GoalNoteForm()
    if form.validate_on_submit():
        if (
            carry_out(
                lambda: programme_ops.add_goal_note(
                    pairing, goal, access.me(), form.progress.data, form.note.data
                ),
                form=form,
                done="Progress noted.",
            )
            is not FAILED
        ):
            return redirect(_pair_page(pairing))
    return render_template(
        "programmes/goal.html",
        form=form,
        pairing=pairing,
        goal=goal,
        progress=programme_queries.latest_progress(goal),
    ), (422 if form.errors else 200)


@bp.route("/pairings/<int:pairing_id>/evaluation", methods=["GET", "POST"])
def evaluation(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    me = access.me()
    if pairing.state != PairingState.ACTIVE or programme_queries.evaluation_of(pairing, me) is not None:
        return redirect(_pair_page(pairing))
    settings = rules.defaults()
    partner_label = "protégé" if pairing.role_of(me) == PairingRole.MENTOR else "mentor"
    form = forms.evaluation_form(settings, partner_label)()
    if form.validate_on_submit():
        carry_out(
            lambda: programme_ops.submit_evaluation(
                pairing, me, form.ratings(), form.about_partner.data, form.about_programme.data
            ),
            done="Thank you: your evaluation has been submitted.",
        )
        return redirect(_pair_page(pairing))
    return render_template(
        "programmes/evaluation.html",
        form=form,
        pairing=pairing,
        settings=settings,
        partner_label=partner_label,
        is_open=programme_queries.term_has_ended(pairing),
    ), (422 if form.errors else 200)


@bp.post("/pairings/<int:pairing_id>/<any(confirm, renew):action>")
def end_of_term(pairing_id: int, action: str):
    pairing = load.own_pairing(pairing_id)
    if BaseForm().validate_on_submit():
        if action == "confirm":
            carry_out(
                lambda: programme_ops.confirm_engagement(pairing, access.me()),
                done="Thank you for confirming the engagement.",
            )
        else:
            # The renewed pairing, or None while the partner has still to agree.
            renewed = carry_out(lambda: programme_ops.propose_renewal(pairing, access.me()))
            if renewed is None:
                flash("Renewal proposed: it goes ahead once your partner agrees.", "success")
            elif renewed is not FAILED:
                flash("You have both agreed to renew: a new term begins with your declarations.", "success")
                return redirect(_pair_page(renewed))
    return redirect(_pair_page(pairing))


# Evidence for a credential application -----------------------------------------------------------------


@bp.post("/applications/<int:application_id>/import")
def import_engagements(application_id: int):
    application = access.own_application(application_id)
    if BaseForm().validate_on_submit():
        imported = carry_out(lambda: application_ops.import_pairings(application, access.me()))
        if imported is not FAILED:
            if imported:
                plural = "s" if len(imported) != 1 else ""
                flash(
                    f"{len(imported)} completed mentoring programme engagement{plural} added, "
                    "already verified.",
                    "success",
                )
            else:
                flash(
                    "There are no completed pairings to add. A pairing can be added once its term has run "
                    "and a programme coordinator has confirmed it.",
                    "info",
                )
    return redirect(url_for("apply.engagements", application_id=application.id))


# Supervision -------------------------------------------------------------------------------------------


@bp.get("/supervision")
def supervision():
    return render_template(
        "programmes/supervision.html", sessions=programme_queries.supervision_sessions_of(access.me())
    )


@bp.route("/supervision/new", methods=["GET", "POST"])
def log_supervision():
    form = forms.SupervisionSessionForm()
    if form.validate_on_submit():
        session = carry_out(
            lambda: programme_ops.log_supervision_session(access.me(), form.values()),
            form=form,
            done="The session has been logged. Your supervisor has been asked to confirm it.",
        )
        if session is not FAILED:
            return redirect(url_for("programmes.supervision"))
    return render_template("programmes/supervision_form.html", form=form), (422 if form.errors else 200)


@bp.route("/supervision/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(links.rate_limit)
def supervision_answer(token: str):
    """A GET only shows the page (mail scanners open links); the POST uses the token."""
    session = load.supervision_session(token)
    if session is None:
        return links.unusable()
    form = BaseForm()
    if form.validate_on_submit() and request.form.get("answer") in ("confirm", "decline"):
        confirmed = request.form["answer"] == "confirm"
        try:
            programme_ops.answer_supervision_session(session, confirmed)
        except programme_rules.ProgrammeError:
            db.session.rollback()
            return links.unusable()
        db.session.commit()
        return links.private(
            render_template("programmes/supervision_answered.html", session=session, confirmed=confirmed)
        )
    return links.private(render_template("programmes/supervision_answer.html", form=form, session=session))


# The coordinator's pages --------------------------------------------------------------------------------


@bp.get("/coordinator")
def coordinator():
    load.coordinator()
    return render_template(
        "programmes/coordinator.html",
        programmes=programme_queries.programmes(),
        at_risk=programme_queries.pairs_at_risk(),
    )


@bp.route("/coordinator/programmes/new", methods=["GET", "POST"])
@bp.route("/coordinator/programmes/<int:programme_id>", methods=["GET", "POST"])
def edit_programme(programme_id: int | None = None):
    me = load.coordinator()
    programme = load.coordinated_programme(programme_id) if programme_id else None
    form = forms.ProgrammeForm(obj=programme)
    if request.method == "GET":
        if programme is None:
            values = programme_queries.programme_defaults()
            text = forms.ProgrammeForm.checkpoint_text(values["checkpoints"])
            form.process(data={**values, "checkpoints": text})
        else:
            form.checkpoints.data = forms.ProgrammeForm.checkpoint_text(
                (c.month, c.title, c.description) for c in programme.checkpoints
            )
    if form.validate_on_submit():
        saved = carry_out(lambda: programme_ops.save_programme(form.values(), me, programme), form=form)
        if saved is not FAILED:
            flash(f"“{saved.name}” has been saved.", "success")
            return redirect(url_for("programmes.coordinator"))
    return render_template("programmes/programme_form.html", form=form, programme=programme), (
        422 if form.errors else 200
    )


@bp.get("/coordinator/programmes/<int:programme_id>/results")
def results(programme_id: int):
    programme = load.coordinated_programme(programme_id)
    return render_template(
        "programmes/results.html",
        results=programme_queries.programme_results(programme),
        at_risk=programme_queries.pairs_at_risk(programme=programme),
        settings=rules.defaults(),
    )


@bp.get("/coordinator/suggestions")
def suggestions():
    load.coordinator()
    return render_template("programmes/suggestions.html", suggestions=matching_queries.suggested_pairs())


@bp.route("/coordinator/pair", methods=["GET", "POST"])
def pair():
    me = load.coordinator()
    form = forms.PairForm()
    form.programme.choices = [(p.id, p.name) for p in programme_queries.programmes(open_only=True)]
    if request.method == "GET":  # a suggested pair arrives with both addresses filled in
        form.mentor_email.data = request.args.get("mentor", "")[:254]
        form.mentee_email.data = request.args.get("mentee", "")[:254]
    if form.validate_on_submit():
        pairing = carry_out(
            lambda: programme_ops.pair_by_email(
                me, load.open_programme(form.programme.data), form.mentor_email.data, form.mentee_email.data
            ),
            form=form,
        )
        if pairing is not FAILED:
            flash(
                f"{pairing.mentor.full_name} and {pairing.mentee.full_name} have been paired. "
                "Both now declare any conflict of interest.",
                "success",
            )
            return redirect(url_for("programmes.coordinated_pairing", pairing_id=pairing.id))
    return render_template("programmes/pair_form.html", form=form), (422 if form.errors else 200)


def _coordinated_page(pairing, early_start_form=None):
    return render_template(
        "programmes/coordinated_pairing.html",
        pairing=pairing,
        overview=programme_queries.overview(pairing),
        entries=programme_queries.pairing_timeline(pairing),
        conflict_labels=programme_rules.CONFLICT_LABELS,
        evidence=programme_queries.evidence_of(pairing),
        flags=programme_queries.flags_of(pairing),
        verify_form=BaseForm(),
        early_start_form=early_start_form or forms.EarlyStartForm(formdata=None),
    ), (422 if early_start_form is not None else 200)


@bp.get("/coordinator/pairings/<int:pairing_id>")
def coordinated_pairing(pairing_id: int):
    return _coordinated_page(load.coordinated_pairing(pairing_id))


@bp.post("/coordinator/pairings/<int:pairing_id>/early-start")
def allow_early_start(pairing_id: int):
    pairing = load.coordinated_pairing(pairing_id)
    form = forms.EarlyStartForm()
    if form.validate_on_submit() and (
        carry_out(
            lambda: programme_ops.allow_early_start(
                pairing, access.me(), form.earliest.data, form.reason.data
            ),
            done="This agreement's term may now start from the date you gave.",
            form=form,
        )
        is not FAILED
    ):
        return redirect(url_for("programmes.coordinated_pairing", pairing_id=pairing.id))
    return _coordinated_page(pairing, form)


@bp.post("/coordinator/pairings/<int:pairing_id>/verify")
def verify_pairing(pairing_id: int):
    pairing = load.coordinated_pairing(pairing_id)
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: programme_ops.verify_pairing(pairing, access.me()),
            done="The pairing is confirmed: it counts as a verified reference for its mentor.",
            flash_refusal=True,
        )
    return redirect(url_for("programmes.coordinated_pairing", pairing_id=pairing.id))
