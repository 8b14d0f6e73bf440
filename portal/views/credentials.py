"""Credentials: the holder's list, certificate PDF, Open Badge, signed credential and badge image; the public
verification page and profile; what machines verify with (the issuer's DID document and the status lists)."""

from __future__ import annotations

import hashlib
import json
from io import BytesIO
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import access
from portal.access import me
from portal.db import db
from portal.extensions import limiter
from portal.forms.base import BaseForm
from portal.forms.credentials import ProfileForm, VerifyForm
from portal.i18n import current_language
from portal.page_cache import shared_page, shared_response
from portal.printing import CertificateData, certificate_pdf
from portal.workflows.credentials import operations as credential_ops
from portal.workflows.credentials import queries as credential_queries
from portal.workflows.credentials import rules as credential_rules
from portal.workflows.credentials.queries import open_renewal, renewal_problems
from portal.workflows.registry import catalogue

bp = Blueprint("credentials", __name__)
VC_JWT = "application/vc+jwt"  # VC-JOSE-COSE's media type for a credential secured as a JWT


def _verify_url(credential) -> str:
    return url_for("credentials.verify", number=credential.number, _external=True)


def public_url(endpoint: str, **values) -> str:
    """An address under ``BASE_URL``, whichever host this request came to: what a credential names must be
    where its issuer's ``did:web`` says the issuer lives."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _addresses() -> credential_rules.Addresses:
    return credential_rules.Addresses(
        home=public_url("public.home"),
        verify=lambda number: public_url("credentials.verify", number=number),
        status_list=lambda list_number: public_url("credentials.status_list", list_number=list_number),
        achievement=lambda code: public_url("public.home") + f"#{code}",
        image=lambda code: public_url("credentials.achievement_image", code=code),
    )


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
    linkedin = {
        credential.number: credential_rules.linkedin_url(
            credential,
            current_app.config["ISSUER_NAME"],
            public_url("credentials.verify", number=credential.number),
        )
        for credential in held
    }
    return render_template(
        "credentials/mine.html",
        rows=rows,
        form=form,
        renew_form=BaseForm(),
        catalogue=catalogue(),
        linkedin=linkedin,
    )


@bp.post("/credentials/profile")
@login_required
def profile():
    form = ProfileForm()
    if form.validate_on_submit():
        credential_ops.set_profile_visibility(me(), bool(form.is_profile_public.data))
        db.session.commit()
        flash(
            _("Your public profile is now shown.")
            if form.is_profile_public.data
            else _("Your public profile is now hidden."),
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
    """The credential as readable JSON: what the signed credential (``credential.jwt``) carries."""
    credential = _usable(access.own_credential(number))
    document = credential_rules.open_badge(credential, _addresses(), credential_queries.issuer_did())
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False),
        mimetype="application/ld+json",
        headers={"Content-Disposition": f"attachment; filename={credential.number}.json"},
    )


@bp.get("/credentials/<number>/credential.jwt")
@login_required
def signed_credential(number: str):
    credential = _usable(access.own_credential(number))
    token = credential_queries.signed_credential(credential, _addresses())
    return Response(
        token,
        mimetype=VC_JWT,
        headers={"Content-Disposition": f"attachment; filename={credential.number}.jwt"},
    )


@bp.get("/credentials/<number>/badge.svg")
@login_required
def badge_image(number: str):
    """The badge image with the signed credential baked in (Open Badges 3.0, SVG baking)."""
    credential = _usable(access.own_credential(number))
    body = render_template(
        "credentials/badge.svg",
        rules=catalogue()[credential.credential_code],
        token=credential_queries.signed_credential(credential, _addresses()),
    )
    return Response(
        body,
        mimetype="image/svg+xml",
        headers={"Content-Disposition": f"attachment; filename={credential.number}.svg"},
    )


@bp.get("/badges/<code>.svg")
@limiter.exempt
def achievement_image(code: str):
    """The image of an achievement, as a credential names it."""
    rules = catalogue().get(code)
    if rules is None:
        abort(404)
    body = render_template("credentials/badge.svg", rules=rules, token=None)
    response = _machine_response(body.encode(), "image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/.well-known/did.json")
@bp.get("/did.json")  # did:web for a BASE_URL with a path: the document sits at <path>/did.json
@limiter.exempt
def did_document():
    document = credential_queries.issuer_did_document()
    return _machine_response(json.dumps(document, indent=2).encode(), "application/did+ld+json")


@bp.get("/credentials/status/<int:list_number>")
@limiter.exempt  # verifiers fetch it for every credential they check
def status_list(list_number: int):
    token = credential_queries.signed_status_list(list_number, _addresses())
    if token is None:
        abort(404)
    return _machine_response(token.encode(), VC_JWT)


def _machine_response(body: bytes, mimetype: str) -> Response:
    """A public document for verifiers: readable from any site's scripts, and asked for again each time
    (cheaply, through its ETag), so a revocation or a new key is seen at once."""
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)


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
    return shared_response(body, current_language())


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
