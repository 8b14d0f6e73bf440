"""The referee's page, reached from an emailed link without an account. GET only shows; the POST answers."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.db import db
from portal.extensions import limiter
from portal.forms.base import upload_of
from portal.forms.referee import RefereeAnswerForm
from portal.views import link_answers as links
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.external_requests.rules import LinkUnusable
from portal.workflows.references import operations as reference_ops
from portal.workflows.references import queries as reference_queries
from portal.workflows.references import rules as reference_rules

bp = Blueprint("referee", __name__, url_prefix="/references")


@bp.errorhandler(429)
def _throttled(error):
    """Too many answers from one address: the referee's page again with what they typed, not a bare error."""
    token = (request.view_args or {}).get("token", "")
    reference = reference_queries.request_for_token(token)
    if request.method != "POST" or reference_rules.link_state(reference) != reference_rules.LinkState.OPEN:
        return links.throttled()
    form = RefereeAnswerForm(formdata=request.form)
    return links.private(
        render_template("referee/answer.html", form=form, reference=reference, throttled=True), 429
    )


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(links.rate_limit)
def answer(token: str):
    # Mail scanners open links: a GET shows the page and changes nothing; only the POST uses the token.
    reference = reference_queries.request_for_token(token)
    state = reference_rules.link_state(reference)
    if state == reference_rules.LinkState.UNUSABLE:
        return links.unusable()
    if state == reference_rules.LinkState.ANSWERED:
        # A second answer (a stale tab, a resent form) changes nothing, and the page says so plainly.
        return links.answered(
            _("This reference has been answered"),
            second_answer=request.method == "POST",
            answered_at=reference.answered_at,
        )
    form = RefereeAnswerForm()
    if form.validate_on_submit():
        answer = reference_rules.RefereeAnswer(
            kind=form.answer.data,
            corrected_start_date=form.corrected_start_date.data,
            corrected_end_date=form.corrected_end_date.data,
            corrected_role=form.corrected_role.data,
            comment=form.comment.data,
        )
        try:
            answered = carry_out(
                lambda: reference_ops.answer_reference(
                    reference,
                    answer,
                    letter=upload_of(form.letter),
                    ip=request.remote_addr,
                    user_agent=request.user_agent.string,
                ),
                done=_("Thank you: your answer has been recorded."),
                field=form.letter,
            )
        except LinkUnusable:
            # Answered, expired or replaced a moment ago: the page for the link now says so, and no more.
            db.session.rollback()
            return redirect(url_for("referee.answer", token=token))
        if answered is not FAILED:
            return redirect(url_for("referee.answer", token=token))
    return links.private(render_template("referee/answer.html", form=form, reference=reference))
