"""Administration: reviewers, fees, standard reasons, credentials (revocation), the member register, exports
and dossiers."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal import access
from portal.access import me
from portal.db import db, page_number
from portal.enums import Role
from portal.forms import admin as forms
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.admin import operations as admin_ops
from portal.workflows.admin import queries as admin_queries
from portal.workflows.admin import records
from portal.workflows.credentials import operations as credential_ops
from portal.workflows.credentials import rules as credential_rules
from portal.workflows.membership import operations as membership_ops
from portal.workflows.membership import queries as membership_queries
from portal.workflows.payments import operations as payment_ops
from portal.workflows.payments import queries as payment_queries
from portal.workflows.registry import catalogue

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    access.require_admin()


def _csv(body: str, name: str) -> Response:
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={name}"}
    )


@bp.get("/")
def index():
    return render_template("admin/index.html")


@bp.get("/reviewers")
def reviewers():
    form = forms.FindUserForm(request.args)
    found = admin_queries.find_account(form.email.data) if form.email.data else None
    return render_template(
        "admin/reviewers.html",
        staff=admin_queries.staff(),
        form=form,
        found=found,
        searched=bool(form.email.data),
        role_form=forms.RoleForm(),
    )


@bp.post("/users/<int:user_id>/role")
def set_role(user_id: int):
    user = access.admin_user(user_id)
    form = forms.RoleForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        carry_out(
            lambda: admin_ops.set_role(user, role, me()),
            done=(
                _("%(person)s is now a reviewer.", person=user.full_name)
                if role == Role.REVIEWER
                else _("%(person)s is now an applicant.", person=user.full_name)
            ),
        )
    return redirect(url_for("admin.reviewers"))


@bp.route("/fees", methods=["GET", "POST"])
def fee_settings():
    priced = {credential.code: credential for credential in payment_queries.priced_catalogue()}
    code = request.form.get("credential", "")
    form = forms.FeeForm(prefix=code)
    if request.method == "POST" and code in priced and form.validate_on_submit():
        payment_ops.set_fee(code, True, form.fee_member.data, me())
        payment_ops.set_fee(code, False, form.fee_non_member.data, me())
        db.session.commit()
        flash(
            _(
                "The %(code)s fees have been saved. They apply to applications submitted from now on.",
                code=code,
            ),
            "success",
        )
        return redirect(url_for("admin.fee_settings"))
    rows = [
        (
            catalogue()[c],
            priced[c],
            form
            if c == code and form.errors
            else forms.FeeForm(
                formdata=None,
                prefix=c,
                data={"fee_member": priced[c].fee_member, "fee_non_member": priced[c].fee_non_member},
            ),
        )
        for c in priced
    ]
    return render_template("admin/fees.html", rows=rows), (422 if form.errors else 200)


@bp.route("/reasons", methods=["GET", "POST"])
def reasons():
    form = forms.StandardReasonForm()
    if form.validate_on_submit():
        carry_out(
            lambda: admin_ops.save_standard_reason(None, form.values(), me()),
            done=_("The standard reason has been added."),
        )
        return redirect(url_for("admin.reasons"))
    return render_template("admin/reasons.html", form=form, reasons=admin_queries.all_standard_reasons()), (
        422 if form.errors else 200
    )


@bp.route("/reasons/<int:reason_id>", methods=["GET", "POST"])
def edit_reason(reason_id: int):
    reason = access.admin_standard_reason(reason_id)
    form = forms.StandardReasonForm(obj=reason)
    if form.validate_on_submit():
        carry_out(
            lambda: admin_ops.save_standard_reason(reason, form.values(), me()),
            done=_("The standard reason has been saved."),
        )
        return redirect(url_for("admin.reasons"))
    return render_template("admin/reason_form.html", form=form, reason=reason)


@bp.get("/credentials")
def credential_list():
    page = page_number(request.args.get("page", 1, type=int))
    pagination = admin_queries.credentials_page(request.args.get("q", ""), page)
    return render_template(
        "admin/credentials.html",
        pagination=pagination,
        q=request.args.get("q", ""),
        rows=[(c, credential_rules.status(c)) for c in pagination.items],
        catalogue=catalogue(),
    )


@bp.route("/credentials/<int:credential_id>/revoke", methods=["GET", "POST"])
def revoke(credential_id: int):
    credential = access.admin_credential(credential_id)
    form = forms.RevokeForm()
    if form.validate_on_submit():
        revoked = carry_out(
            lambda: credential_ops.revoke(credential, me(), form.reason.data),
            done=_("%(number)s has been revoked.", number=credential.number),
            field=form.reason,
        )
        if revoked is not FAILED:
            return redirect(url_for("admin.credential_list"))
    return render_template(
        "admin/revoke.html",
        form=form,
        credential=credential,
        status=credential_rules.status(credential),
        rules=catalogue()[credential.credential_code],
    ), (422 if form.errors else 200)


@bp.get("/members")
def members():
    q = request.args.get("q", "")
    pagination = membership_queries.register_page(q, page_number(request.args.get("page", 1, type=int)))
    return render_template("admin/members.html", pagination=pagination, q=q, today=date.today())


@bp.route("/members/new", methods=["GET", "POST"], defaults={"member_id": None})
@bp.route("/members/<int:member_id>", methods=["GET", "POST"])
def edit_member(member_id: int | None):
    member = access.admin_member(member_id) if member_id is not None else None
    form = forms.MemberForm(obj=member)
    if form.validate_on_submit():
        saved = carry_out(
            lambda: membership_ops.save_entry(member, form.values(), me()),
            done=_("The member register has been saved."),
            form=form,
        )
        if saved is not FAILED:
            return redirect(url_for("admin.members", q=saved.number))
    return render_template(
        "admin/member_form.html",
        form=form,
        member=member,
        entries=membership_queries.history(member) if member else [],
    ), (422 if form.errors else 200)


@bp.route("/members/import", methods=["GET", "POST"])
def import_members():
    form = forms.MemberImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = carry_out(
            lambda: membership_ops.import_register(
                upload.read(), upload.filename or "members.csv", me(), preview=form.preview.data
            ),
            form=form,
        )
        if report is FAILED:
            report = None
    return render_template(
        "admin/member_import.html", form=form, report=report, entries=membership_queries.history()
    ), (422 if form.errors else 200)


@bp.get("/exports/members.csv")
def export_members():
    return _csv(membership_queries.register_csv(), "members.csv")


@bp.get("/exports/credentials.csv")
def export_credentials():
    return _csv(records.credentials_csv(), "credentials.csv")


@bp.get("/exports/applications.csv")
def export_applications():
    return _csv(records.applications_csv(), "applications.csv")


@bp.get("/applications/<int:application_id>/dossier.zip")
def dossier(application_id: int):
    application = access.admin_application(application_id)
    return send_file(
        records.dossier(application),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"dossier-{application.reference}.zip",
    )
