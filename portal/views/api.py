"""The JSON API (``/api/v1``): public verification of a credential by its number, and for staff integrations,
with an administrator's API token, applications, credentials (revocation) and payments. A token acts as its
admin: the same loaders in ``access.py`` and the same operations as the admin's pages, so the same rules,
conflicts of interest and audit. Cookies never authenticate here, so the blueprint needs no CSRF token."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, g, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, NotFound, default_exceptions
from werkzeug.http import HTTP_STATUS_CODES

from portal import access
from portal.access import me
from portal.db import db
from portal.enums import PaymentMethod
from portal.extensions import csrf, limiter, login_manager
from portal.forms.api import (
    PER_PAGE,
    ApiPaymentForm,
    ApiRevokeForm,
    ApplicationFilterForm,
    CredentialFilterForm,
)
from portal.views import openapi
from portal.views.credentials import public_url
from portal.views.openapi import PROBLEM, filter_parameters, json_response, operation, reads
from portal.workflows.api_tokens import operations as token_ops
from portal.workflows.api_tokens import queries as token_queries
from portal.workflows.applications.records import applications_page
from portal.workflows.credentials import operations as credential_ops
from portal.workflows.credentials import queries as credential_queries
from portal.workflows.credentials import rules as credential_rules
from portal.workflows.credentials.records import credentials_page, successor_numbers
from portal.workflows.payments import operations as payment_ops
from portal.workflows.payments import providers as payment_providers
from portal.workflows.refusals import Refused
from portal.workflows.registry import catalogue

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)
csrf.exempt(bp)


class Problem(HTTPException):
    """An error answered as RFC 9457 problem details, with what is wrong at each field."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        problems: list[str] | None = None,
    ):
        super().__init__(detail)
        self.code, self.detail, self.errors, self.problems = status, detail, errors or [], problems or []


def _problem_response(status: int, detail: str, **extra: Any) -> Response:
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status}
    body["detail"] = detail
    body.update({name: value for name, value in extra.items() if value})
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM)
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


_DETAILS = {
    404: "There is nothing with this id or number, or nothing this token's administrator may see.",
    405: "This address does not take this method.",
}


@bp.errorhandler(HTTPException)
def problem(error: HTTPException):
    """Every error of the API as problem details: its own, the loaders' 403 and 404, the limiter's 429."""
    status = error.code or 500
    if isinstance(error, Problem):
        return _problem_response(status, error.detail, errors=error.errors, problems=error.problems)
    if status >= 500:
        db.session.rollback()
    if status == 429:
        detail = f"Too many requests from this address ({error.description}). Try again later."
    else:
        detail = _DETAILS.get(status) or error.description or HTTP_STATUS_CODES.get(status, "Error")
    # A conflict of interest says each reason, as the pages do.
    response = _problem_response(status, detail, problems=getattr(error, "problems", None))
    for name, value in error.get_headers():
        if name.lower() not in ("content-type", "content-length"):
            response.headers.setdefault(name, value)
    return response


# The app's pages answer these codes with HTML; a handler for a code wins over one for a class, so the API
# claims each code for its own requests.
for _code in default_exceptions:
    bp.register_error_handler(_code, problem)


@bp.after_request
def _readable_anywhere(response: Response) -> Response:
    """Public answers, errors and the 429 included, may be read by any site's scripts (no cookie counts)."""
    if request.endpoint in ("api.verify", "api.openapi_document"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# --- who is asking ------------------------------------------------------------------------------------------


@bp.before_request
def _authenticate():
    """A bearer token signs its admin in for this request only; a session cookie counts for nothing."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    token = token_queries.authenticate(secret) if scheme.lower() == "bearer" else None
    g.api_token = token
    g.api_token_presented = bool(header)
    login_manager._update_request_context_with_user(token.owner if token else None)
    if token is not None and token_ops.note_use(token, request.remote_addr):
        db.session.commit()


def token_required(scope: str = "read") -> Callable:
    """The view needs a working token, with write scope for ``scope="write"``; documented as such."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def checked(*args, **kwargs):
            token = g.get("api_token")
            if token is None:
                raise Problem(
                    401,
                    "This API token is unknown, revoked or expired."
                    if g.get("api_token_presented")
                    else "Send an administrator's API token: Authorization: Bearer imc_…",
                )
            if scope == "write" and not token.has_write_scope:
                raise Problem(403, "This token may only read. Make one that may write for this.")
            return view(*args, **kwargs)

        checked.token_scope = scope
        return checked

    return decorate


# --- how answers are made -----------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


def _read(data: Any, *, public: bool = False, headers: dict[str, str] | None = None) -> Response:
    """A read: JSON with an ETag, answered 304 when the client already has it."""
    body = json.dumps(data, default=_json, ensure_ascii=False, sort_keys=True).encode()
    response = Response(body, mimetype="application/json", headers=headers or {})
    # Asked for again each time (cheaply, through the ETag), so a revocation is seen at once; a staff
    # answer may stay in the integration's own cache, never in a shared one.
    response.headers["Cache-Control"] = "no-cache" if public else "private, no-cache"
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)


def _form_errors(form, where: str) -> list[dict[str, str]]:
    errors = []
    for name, messages in form.errors.items():
        for message in messages:
            errors.append({"detail": message, where: f"#/{name}" if where == "pointer" else name})
    return errors


def _invalid(form, where: str) -> Problem:
    errors = _form_errors(form, where)
    return Problem(422, " ".join(error["detail"] for error in errors), errors=errors)


def _submitted(form_class):
    """The JSON object sent, checked by the API's form (the shape the pages check), else 400 or 422 naming
    each field that is wrong, is not a single value, or is not one the request takes."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Problem(400, "Send a JSON object, with Content-Type: application/json.")
    form = form_class(
        formdata=MultiDict(
            {name: str(value) for name, value in data.items() if isinstance(value, str | int | float)}
        )
    )
    valid = form.validate()
    errors = _form_errors(form, "pointer") + [
        {
            "detail": "Not a field of this request." if name not in form else "Give a single value.",
            "pointer": f"#/{name}",
        }
        for name, value in data.items()
        if name not in form or (value is not None and not isinstance(value, str | int | float))
    ]
    if not valid or errors:
        raise Problem(422, " ".join(error["detail"] for error in errors), errors=errors)
    return form


def _carry_out(operation: Callable[[], Any]) -> Any:
    """Run one operation and commit, or roll back and answer 422 with the operation's reasons."""
    try:
        result = operation()
    except Refused as refused:
        db.session.rollback()
        errors = [{"detail": message, "pointer": f"#/{name}"} for name, message in refused.fields.items()]
        raise Problem(422, " ".join(refused.problems), errors=errors, problems=refused.problems) from None
    db.session.commit()
    return result


def _paged(pagination, endpoint: str, items: list[dict[str, Any]]) -> Response:
    """A page of a list, with the next and previous pages linked in the body and the Link header."""
    args = request.args.to_dict()

    def page_url(page: int) -> str:
        return url_for(endpoint, **{**args, "page": page, "per_page": pagination.per_page}, _external=True)

    links = {
        "next": page_url(pagination.page + 1) if pagination.has_next else None,
        "prev": page_url(pagination.page - 1) if pagination.has_prev and pagination.pages else None,
        "first": page_url(1),
        "last": page_url(max(pagination.pages, 1)),
    }
    data = {
        "items": items,
        "page": pagination.page,
        "per_page": pagination.per_page,
        "total": pagination.total,
        "pages": pagination.pages,
        "next": links["next"],
        "prev": links["prev"],
    }
    link_header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    return _read(data, headers={"Link": link_header})


# --- what a credential and an application look like ---------------------------------------------------------


def _credential_type(code: str) -> dict[str, str]:
    rules = catalogue().get(code)
    # The API is a machine format: the catalogue's English name, whatever the caller's Accept-Language says.
    return {"code": code, "name": rules.english_name if rules else code}


def _public_credential(credential, renewed_by: str | None) -> dict[str, Any]:
    list_number, bit = (
        credential_rules.status_list_place(credential.status_list_index)
        if credential.status_list_index is not None
        else (None, None)
    )
    return {
        "number": credential.number,
        "credential": _credential_type(credential.credential_code),
        "status": credential_rules.status(credential).value,
        "holder_name": credential.holder_name,
        "issued_on": credential.issued_on,
        "valid_until": credential.expires_on,
        "revoked": credential.revoked_at is not None,
        "revoked_on": credential.revoked_at.date() if credential.revoked_at else None,
        "renewed_by": renewed_by,
        "links": {
            "verification_page": public_url("credentials.verify", number=credential.number),
            "issuer": credential_queries.issuer_did(),
            "status_list": public_url("credentials.status_list", list_number=list_number)
            if list_number is not None
            else None,
            "status_list_index": bit,
        },
    }


def _credential(credential, successors: dict[int, str] | None = None) -> dict[str, Any]:
    """``successors``: the renewing credentials' numbers, read for a whole page at once."""
    if successors is None:
        successors = successor_numbers([credential])
    return {
        **_public_credential(credential, successors.get(credential.id)),
        "holder": _person(credential.holder),
        "application_id": credential.application_id,
        "application_reference": credential.application.reference,
        "training_hours": f"{credential.training_hours:.1f}",
        "previous": credential.previous.number if credential.previous else None,
        "revoked_at": credential.revoked_at,
        "revoked_reason": credential.revoked_reason,
        "url": url_for("api.credential_full", number=credential.number, _external=True),
    }


def _person(user) -> dict[str, Any]:
    return {"id": user.id, "name": user.full_name, "email": user.email}


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _payment(payment) -> dict[str, Any]:
    return {
        "receipt_number": payment.receipt_number,
        "application_id": payment.application_id,
        "application_reference": payment.application.reference,
        "method": payment.method.value,
        "amount": _money(payment.amount),
        "currency": payment.currency,
        "transaction_reference": payment.transaction_reference,
        "received_on": payment.received_on,
        "recorded_at": payment.recorded_at,
    }


def _application(application) -> dict[str, Any]:
    fee = application.fee_amount
    return {
        "id": application.id,
        "reference": application.reference,
        "credential": _credential_type(application.credential_code),
        "kind": application.kind.value,
        "state": application.state.value,
        "applicant": _person(application.applicant),
        "full_name": application.full_name,
        "contact_email": application.contact_email,
        "is_member": application.is_member,
        "submitted_at": application.submitted_at,
        "paid_at": application.paid_at,
        "review_due_at": application.review_due_at,
        "decided_at": application.decided_at,
        "fee": None if fee is None else {"amount": _money(fee), "currency": application.fee_currency},
        "payment": _payment(application.payment) if application.payment else None,
        "credential_number": application.issued_credential.number if application.issued_credential else None,
        "url": url_for("api.application", application_id=application.id, _external=True),
    }


# --- the document -------------------------------------------------------------------------------------------


@bp.get("/openapi.json")
@limiter.exempt
@operation(
    "This document",
    reads("OpenAPI", "The OpenAPI 3.1 document."),
    tags=("meta",),
)
def openapi_document():
    document = current_app.extensions.get("openapi")
    if document is None:
        document = current_app.extensions["openapi"] = openapi.build(current_app, bp.name, PREFIX)
    return _read(document, public=True)


# --- public verification ------------------------------------------------------------------------------------


def _verification_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


@bp.get("/credentials/<number>")
@limiter.limit(_verification_limit)
@operation(
    "Verify a credential",
    reads("PublicCredential", "The credential's public facts.", 404, 429),
    description="No key needed: the number is what a holder shares. Limited per address (API_RATE_LIMIT).",
    tags=("verification",),
)
def verify(number: str):
    found = credential_queries.verification(number)
    if found is None:
        raise Problem(404, "No credential has this number. Check it against the certificate.")
    credential, renewed_by = found
    return _read(_public_credential(credential, renewed_by), public=True)


# --- for staff integrations ---------------------------------------------------------------------------------


def _filters(form_class):
    """The list's filters from the query string: a 422 naming each parameter that is wrong or unknown."""
    form = form_class(formdata=request.args)
    unknown = sorted(set(request.args) - set(form._fields))
    if not form.validate() or unknown:
        problem = _invalid(form, "parameter")
        problem.errors += [{"detail": "Not a filter of this list.", "parameter": name} for name in unknown]
        problem.detail = " ".join(error["detail"] for error in problem.errors)
        raise problem
    return form.filters(), form.page.data or 1, form.per_page.data or PER_PAGE


@bp.get("/applications")
@token_required("read")
@operation(
    "List applications",
    reads("ApplicationPage", "A page of submitted applications, newest first.", 422),
    parameters=filter_parameters(ApplicationFilterForm),
    tags=("applications",),
)
def applications():
    filters, page, per_page = _filters(ApplicationFilterForm)
    pagination = applications_page(filters, page, per_page, me())
    return _paged(pagination, "api.applications", [_application(row) for row in pagination.items])


@bp.get("/applications/<int:application_id>")
@token_required("read")
@operation(
    "Read an application",
    reads("Application", "The application.", 403, 404),
    description="Refused (403) when the token's admin has a conflict of interest with the application.",
    tags=("applications",),
)
def application(application_id: int):
    return _read(_application(access.reviewable_application(application_id)))


@bp.get("/credentials")
@token_required("read")
@operation(
    "List credentials",
    reads("CredentialPage", "A page of credentials, most recently issued first.", 422),
    parameters=filter_parameters(CredentialFilterForm),
    tags=("credentials",),
)
def credentials():
    filters, page, per_page = _filters(CredentialFilterForm)
    pagination = credentials_page(filters, page, per_page)
    successors = successor_numbers(pagination.items)
    return _paged(pagination, "api.credentials", [_credential(row, successors) for row in pagination.items])


@bp.get("/credentials/<number>/full")
@token_required("read")
@operation(
    "Read a credential, as staff",
    reads("Credential", "The credential.", 403, 404),
    description="Refused (403) when the token's admin has a conflict of interest with its application.",
    tags=("credentials",),
)
def credential_full(number: str):
    return _read(_credential(access.admin_credential_by_number(number)))


@bp.post("/credentials/<number>/revoke")
@token_required("write")
@operation(
    "Revoke a credential",
    {200: json_response("Credential", "The credential, now revoked."), 404: "NotFound"},
    description="As on the admin's page: a reason is required, the holder is told, the audit names the "
    "token's admin. Refused (403) when the admin has a conflict of interest with its application.",
    body="RevokeRequest",
    tags=("credentials",),
)
def revoke(number: str):
    credential = access.admin_credential_by_number(number)
    form = _submitted(ApiRevokeForm)
    _carry_out(lambda: credential_ops.revoke(credential, me(), form.reason.data))
    return _read(_credential(credential))


@bp.post("/payments")
@token_required("write")
@operation(
    "Record a payment",
    {201: json_response("Payment", "Recorded: the application's review has started.", Location=openapi.URI)},
    description="As on the admin's payments page: the amount and currency must be the application's fee, "
    "the application must be awaiting payment. Refused (403) when the admin has a conflict of interest.",
    body="PaymentRequest",
    tags=("payments",),
)
def record_payment():
    form = _submitted(ApiPaymentForm)
    try:
        application = access.admin_application(form.application_id.data)
    except NotFound:
        detail = "There is no application with this id."
        raise Problem(422, detail, errors=[{"detail": detail, "pointer": "#/application_id"}]) from None
    receipt = payment_providers.Receipt(
        reference=application.reference,
        method=PaymentMethod(form.method.data),
        amount=form.amount.data,
        currency=form.currency.data.upper(),
        transaction_reference=form.transaction_reference.data,
        received_on=form.received_on.data,
    )
    payment = _carry_out(lambda: payment_ops.record_payment(application, receipt, me()))
    response = Response(json.dumps(_payment(payment), default=_json), status=201, mimetype="application/json")
    response.headers["Location"] = url_for("api.application", application_id=application.id, _external=True)
    return response
