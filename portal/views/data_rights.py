"""Your data: the privacy notice, a copy of everything the portal holds about you, keeping a draft, and
deleting your account."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, logout_user

from portal import access
from portal.access import me
from portal.documents.storage import current_storage
from portal.extensions import limiter
from portal.forms.base import BaseForm
from portal.forms.data_rights import DeleteAccountForm
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.data_rights import operations as data_ops
from portal.workflows.data_rights import queries as data_queries
from portal.workflows.registry import catalogue

bp = Blueprint("data_rights", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.get("/privacy")
def privacy():
    return render_template(
        "data_rights/privacy.html",
        retention=catalogue().retention,
        credentials=catalogue().ordered(),
    )


@bp.get("/account/data")
@login_required
def index():
    user = me()
    drafts = data_queries.drafts_of(user)
    return render_template(
        "data_rights/index.html",
        requests=data_queries.requests_of(user),
        drafts=drafts,
        warnings=data_queries.warnings_of(drafts),
        form=BaseForm(),
    )


@bp.post("/account/data/export")
@login_required
def request_export():
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: data_ops.request_export(me()),
            done=_("We are preparing a copy of your data. We will email you a link when it is ready."),
            flash_refusal=True,
        )
    return redirect(url_for("data_rights.index"))


@bp.route("/account/data/exports/<token>", methods=["GET", "POST"])
@login_required
def download(token: str):
    # GET only shows a button (mail scanners open links); the POST downloads, once.
    user = me()
    try:
        export = data_ops.export_for_token(user, token)
    except data_ops.ExportUnavailable as gone:
        return (
            render_template(
                "auth/link_invalid.html",
                message=str(gone),
                again_url=url_for("data_rights.index"),
                again_label=_("Ask for a new copy from Your data"),
            ),
            410,
        )
    if export is None:
        abort(404)
    form = BaseForm()
    if not form.validate_on_submit():
        return render_template("data_rights/download.html", export=export, form=form)
    key = carry_out(lambda: data_ops.take_export(user, export), flash_refusal=True)
    if key is FAILED:
        return redirect(url_for("data_rights.index"))
    storage = current_storage()
    response = send_file(
        storage.path(key),
        as_attachment=True,
        download_name=f"my-data-{export.created_at:%Y-%m-%d}.zip",
        mimetype="application/zip",
    )
    response.call_on_close(lambda: storage.delete(key))  # the sweep removes it too, should this not run
    return response


@bp.post("/account/data/drafts/<int:application_id>/keep")
@login_required
def keep_draft(application_id: int):
    application = access.own_application(application_id)
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: data_ops.keep_draft(me(), application),
            done=_("Your draft %(reference)s will be kept.", reference=application.reference),
            flash_refusal=True,
        )
    return redirect(url_for("data_rights.index"))


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def delete_account():
    user = me()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        done = carry_out(lambda: data_ops.erase_account(user, form.password.data, form.code.data), form=form)
        if done is not FAILED:
            logout_user()
            session.clear()
            return redirect(url_for("data_rights.deleted"))
    return render_template(
        "data_rights/delete.html",
        form=form,
        summary=data_queries.erasure_summary(user),
        two_factor=user.has_two_factor,
    )


@bp.get("/account/deleted")
def deleted():
    return render_template("data_rights/deleted.html")
