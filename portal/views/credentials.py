"""Credentials: the holder's list, certificate PDF and Open Badge; the public verification page and profile."""

from __future__ import annotations

import json
from io import BytesIO

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from portal import access
from portal.access import me
from portal.db import db
from portal.documents.printing import CertificateData, certificate_pdf
from portal.extensions import limiter
from portal.forms.base import BaseForm
from portal.forms.credentials import ProfileForm, VerifyForm
from portal.page_cache import shared_page, shared_response
from portal.workflows.credentials import operations as credential_ops
from portal.workflows.credentials import queries as credential_queries
from portal.workflows.credentials import rules as credential_rules
from portal.workflows.credentials.queries import open_renewal, renewal_problems
from portal.workflows.registry import catalogue

bp = Blueprint("credentials", __name__)


def _verify_url(credential) -> str:
    return url_for("credentials.verify", number=credential.number, _external=True)


def _usable(credential):
    """Certificates and badges are for credentials that stand (valid or expired), never revoked ones."""
    if credential.revoked_at is not None:
        abort(404)
    return credential


@bp.get("/credentials/")
@login_required
def mine():
    held = credential_queries.holder_credentials(current_user)
    rows = [
        (
            credential,
            credential_rules.status(credential),
            renewal_problems(credential, current_user),
            open_renewal(credential),
        )
        for credential in held
    ]
    form = ProfileForm(is_profile_public=current_user.is_profile_public)
    return render_template(
        "credentials/mine.html", rows=rows, form=form, renew_form=BaseForm(), catalogue=catalogue()
    )


@bp.post("/credentials/profile")
@login_required
def profile():
    form = ProfileForm()
    if form.validate_on_submit():
        credential_ops.set_profile_visibility(me(), bool(form.is_profile_public.data))
        db.session.commit()
        flash(
            "Your public profile is now " + ("shown." if form.is_profile_public.data else "hidden."),
            "success",
        )
    return redirect(url_for("credentials.mine"))


@bp.get("/credentials/<number>/certificate.pdf")
@login_required
def certificate(number: str):
    credential = _usable(access.own_credential(number))
    rules = catalogue()[credential.credential_code]
    data = CertificateData(
        number=credential.number,
        holder_name=credential.holder_name,
        credential_name=rules.name,
        credential_code=rules.code,
        training_hours=credential.training_hours,
        issued_on=credential.issued_on,
        expires_on=credential.expires_on,
        verify_url=_verify_url(credential),
    )
    return send_file(
        BytesIO(certificate_pdf(data)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{credential.number}.pdf",
    )


@bp.get("/credentials/<number>/badge.json")
@login_required
def badge(number: str):
    credential = _usable(access.own_credential(number))
    holder = credential.holder
    document = credential_rules.open_badge(
        credential,
        verify_url=_verify_url(credential),
        issuer_url=url_for("public.home", _external=True),
        achievement_url=url_for("public.home", _external=True, _anchor=credential.credential_code),
        profile_url=url_for("credentials.mentor_profile", slug=holder.profile_slug, _external=True)
        if holder.is_profile_public
        else None,
    )
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False),
        mimetype="application/ld+json",
        headers={"Content-Disposition": f"attachment; filename={credential.number}.json"},
    )


@bp.get("/verify")
@shared_page(lambda: credential_rules.LOOKUP_PAGE_KEY)
def lookup():
    form = VerifyForm(request.args)
    if request.args and form.validate():
        return redirect(
            url_for("credentials.verify", number=credential_rules.normalise_number(form.number.data))
        )
    return render_template("credentials/lookup.html", form=form)


@bp.get("/verify/<number>")
@limiter.exempt  # numbers are random (60 bits): nothing to guess, and employers check many
# Pages for signed-out visitors with nothing in their session are the same for everyone: shared.
@shared_page(lambda number: credential_rules.verification_page_key(credential_rules.normalise_number(number)))
def verify(number: str):
    found = credential_queries.verification(number)
    if found is None:
        return render_template("credentials/not_found.html", number=number, form=VerifyForm()), 404
    credential, successor = found
    body = render_template(
        "credentials/verify.html",
        credential=credential,
        status=credential_rules.status(credential),
        successor=successor,
        rules=catalogue()[credential.credential_code],
    ).encode()
    return shared_response(body)


@bp.get("/mentors/<slug>")
def mentor_profile(slug: str):
    found = credential_queries.public_profile(slug)
    if found is None:
        abort(404)
    user, held = found
    return render_template(
        "credentials/profile.html",
        mentor=user,
        rows=[(credential, credential_rules.status(credential)) for credential in held],
        catalogue=catalogue(),
    )
