"""The administrators' API tokens page: make a token (its secret shown once), see when each was last used and
from where, revoke one."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal import access
from portal.access import me
from portal.forms.api import ApiTokenForm
from portal.forms.base import BaseForm
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.api_tokens import operations as token_ops
from portal.workflows.api_tokens import queries as token_queries

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")


@bp.before_request
@login_required
def _admins_only():
    access.require_admin()


@bp.route("/", methods=["GET", "POST"])
def tokens():
    form = ApiTokenForm()
    made = None
    if form.validate_on_submit():
        made = carry_out(
            lambda: token_ops.create_token(
                me(), form.name.data, form.scope.data == "write", form.expires_on.data
            ),
            form=form,
        )
        if made is not FAILED:
            form = ApiTokenForm(formdata=None)
        else:
            made = None
    return render_template(
        "admin/api_tokens.html",
        form=form,
        made=made,
        tokens=token_queries.all_tokens(),
        revoke_form=BaseForm(),
    ), (422 if form.errors else 201 if made else 200)


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    token = access.admin_api_token(token_id)
    if BaseForm().validate_on_submit():
        carry_out(
            lambda: token_ops.revoke_token(token, me()),
            done=_("The token “%(name)s” has been revoked: it stops working at once.", name=token.name),
            flash_refusal=True,
        )
    return redirect(url_for("api_tokens.tokens"))
