"""The JSON API's OpenAPI 3.1 document, built from the routes themselves: each view carries its operation
(``@operation``), each path its parameters from the URL rule, and the schemas below are JSON Schema 2020-12
(what OpenAPI 3.1 uses), registered with apispec as components."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from apispec import APISpec
from flask import Flask

from portal.enums import ApplicationKind, ApplicationState, CredentialStatus, PaymentMethod

API_VERSION = "1.0.0"
PROBLEM = "application/problem+json"
BEARER = "bearerAuth"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema["type"]
    return {**schema, "type": [kind, "null"] if isinstance(kind, str) else [*kind, "null"]}


def _object(required: list[str] | None = None, **properties) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time"}
URI = {"type": "string", "format": "uri"}
MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["398.00"]}
CURRENCY = {"type": "string", "pattern": "^[A-Z]{3}$", "examples": ["USD"]}


def _enum(values) -> dict[str, Any]:
    return {"type": "string", "enum": [value.value for value in values]}


SCHEMAS: dict[str, dict[str, Any]] = {
    "OpenAPI": {"type": "object", "required": ["openapi", "info", "paths"]},
    "Problem": {
        **_object(
            ["type", "title", "status"],
            type={"type": "string", "format": "uri-reference", "default": "about:blank"},
            title=STRING,
            status={"type": "integer", "minimum": 100, "maximum": 599},
            detail=STRING,
            problems={
                "type": "array",
                "items": STRING,
                "description": "Every reason, when there are several.",
            },
            errors={
                "type": "array",
                "description": "What is wrong with each field: a body's as a JSON Pointer, a query's by name.",
                "items": _object(["detail"], detail=STRING, pointer=STRING, parameter=STRING),
            },
        ),
        "description": "RFC 9457 problem details.",
    },
    "CredentialType": _object(code={**STRING, "examples": ["CPM"]}, name=STRING),
    "CredentialLinks": _object(
        ["verification_page", "issuer", "status_list"],
        verification_page={**URI, "description": "The public verification page, for people."},
        issuer={**STRING, "description": "The issuer's did:web; its DID document lists the signing keys."},
        status_list=_nullable(
            {
                **URI,
                "description": "The signed revocation status list (a VC-JWT) holding this credential's bit.",
            }
        ),
        status_list_index=_nullable({**INTEGER, "description": "The credential's bit in that list."}),
    ),
    "PublicCredential": {
        **_object(
            number={**STRING, "examples": ["CPM-7K3M-Q9XD-2HFP"]},
            credential=_ref("CredentialType"),
            status=_enum(CredentialStatus),
            holder_name=STRING,
            issued_on=DATE,
            valid_until=DATE,
            revoked=BOOLEAN,
            revoked_on=_nullable(DATE),
            renewed_by=_nullable({**STRING, "description": "The number of the credential that renewed it."}),
            links=_ref("CredentialLinks"),
        ),
        "description": "What anyone may know of a credential from its number, as the verification page shows.",
    },
    "Person": _object(id=INTEGER, name=STRING, email={"type": "string", "format": "email"}),
    "Credential": {
        "description": "A credential as staff see it.",
        "allOf": [
            _ref("PublicCredential"),
            _object(
                holder=_ref("Person"),
                application_id=INTEGER,
                application_reference=STRING,
                training_hours={"type": "string", "pattern": r"^\d+\.\d$"},
                previous=_nullable({**STRING, "description": "The number of the credential it renews."}),
                revoked_at=_nullable(MOMENT),
                revoked_reason=_nullable(STRING),
                url=URI,
            ),
        ],
    },
    "Payment": _object(
        receipt_number={**STRING, "examples": ["RCT-000042"]},
        application_id=INTEGER,
        application_reference=STRING,
        method=_enum(PaymentMethod),
        amount=MONEY,
        currency=CURRENCY,
        transaction_reference=STRING,
        received_on=DATE,
        recorded_at=MOMENT,
    ),
    "Application": _object(
        id=INTEGER,
        reference={**STRING, "examples": ["CPM-000042"]},
        credential=_ref("CredentialType"),
        kind=_enum(ApplicationKind),
        state=_enum(ApplicationState),
        applicant=_ref("Person"),
        full_name=_nullable(STRING),
        contact_email=_nullable(STRING),
        is_member=_nullable(BOOLEAN),
        submitted_at=_nullable(MOMENT),
        paid_at=_nullable(MOMENT),
        review_due_at=_nullable(MOMENT),
        decided_at=_nullable(MOMENT),
        fee=_nullable(_object(amount=MONEY, currency=CURRENCY)),
        payment={"oneOf": [_ref("Payment"), {"type": "null"}]},
        credential_number=_nullable(STRING),
        url=URI,
    ),
    "Page": _object(
        page={"type": "integer", "minimum": 1},
        per_page={"type": "integer", "minimum": 1},
        total={"type": "integer", "minimum": 0},
        pages={"type": "integer", "minimum": 0},
        next=_nullable(URI),
        prev=_nullable(URI),
    ),
    "ApplicationPage": {
        "allOf": [
            _ref("Page"),
            _object(items={"type": "array", "items": _ref("Application")}),
        ]
    },
    "CredentialPage": {
        "allOf": [
            _ref("Page"),
            _object(items={"type": "array", "items": _ref("Credential")}),
        ]
    },
    "RevokeRequest": {
        **_object(reason={"type": "string", "minLength": 1, "maxLength": 5000}),
        "additionalProperties": False,
    },
    "PaymentRequest": {
        **_object(
            application_id=INTEGER,
            method=_enum(PaymentMethod),
            amount={"type": ["string", "number"], "description": 'The exact fee, e.g. "398.00".'},
            currency=CURRENCY,
            transaction_reference={"type": "string", "maxLength": 100},
            received_on=DATE,
        ),
        "additionalProperties": False,
    },
}


def _problem(description: str, **headers) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {PROBLEM: {"schema": "Problem"}}}
    if headers:
        response["headers"] = {name: {"schema": schema} for name, schema in headers.items()}
    return response


RESPONSES: dict[str, dict[str, Any]] = {
    "NotModified": {
        "description": "Unchanged since the ETag given in If-None-Match.",
        "headers": {"ETag": {"schema": STRING}},
    },
    "BadRequest": _problem("The request body is not a JSON object."),
    "Unauthorized": _problem(
        "No API token, or one that is unknown, revoked or expired, or whose admin no longer is one.",
        **{"WWW-Authenticate": STRING},
    ),
    "Forbidden": _problem(
        "The token may not do this: a read-only token writing, or its admin has a conflict of interest."
    ),
    "NotFound": _problem("There is no such thing (or it is not one the token's admin may see)."),
    "Unprocessable": _problem("The request cannot be carried out: `errors` says where, `detail` why."),
    "TooManyRequests": _problem(
        "Too many requests from this address: wait as long as Retry-After says.", **{"Retry-After": INTEGER}
    ),
}

# Added to every operation: the API answers these wherever they apply.
_TOKEN_RESPONSES = {"401": "Unauthorized"}
_WRITE_RESPONSES = {"403": "Forbidden", "422": "Unprocessable", "400": "BadRequest"}


def operation(
    summary: str,
    responses: dict[int, str | dict[str, Any]],
    *,
    description: str = "",
    parameters: Callable[[], list[dict[str, Any]]] | None = None,
    body: str | None = None,
    tags: tuple[str, ...] = (),
) -> Callable:
    """Describe the view's operation in the OpenAPI document. ``responses`` map a status to a response
    component's name, or to a response object (``json_response``). ``parameters`` gives the query parameters
    when the document is built (a form can only be made then, inside the app)."""

    def describe(view: Callable) -> Callable:
        view.openapi = {
            "summary": summary,
            "description": description,
            "parameters": parameters or list,
            "body": body,
            "responses": responses,
            "tags": list(tags),
        }
        return view

    return describe


def filter_parameters(form_class) -> Callable[[], list[dict[str, Any]]]:
    """The query parameters a filter form takes, each described by its field: one source for what is
    checked and what is documented."""
    return lambda: _parameters(form_class)


def _parameters(form_class) -> list[dict[str, Any]]:
    parameters = []
    for field in form_class(formdata=None, meta={"csrf": False}):
        if field.type in ("DateInput", "DateField"):
            schema = DATE
        elif field.type in ("IntegerInput", "IntegerField"):
            schema = {"type": "integer", "minimum": 1}
        elif field.type == "SelectField":
            schema = {"type": "string", "enum": [choice[0] for choice in field.iter_choices()]}
        else:
            schema = STRING
        parameters.append(
            {
                "name": field.name,
                "in": "query",
                "required": False,
                "description": field.description,
                "schema": schema,
            }
        )
    return parameters


def json_response(schema: str, description: str, etag: bool = False, **headers) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }
    if etag:
        headers["ETag"] = STRING
    if headers:
        response["headers"] = {name: {"schema": header} for name, header in headers.items()}
    return response


_BY_STATUS = {403: "Forbidden", 404: "NotFound", 422: "Unprocessable", 429: "TooManyRequests"}


def reads(schema: str, description: str, *errors: int) -> dict[int, str | dict[str, Any]]:
    """A read's responses: the JSON with its ETag, 304 when unchanged, and the ``errors`` it may answer."""
    return {
        200: json_response(schema, description, etag=True),
        304: "NotModified",
        **{status: _BY_STATUS[status] for status in errors},
    }


def _path(rule) -> tuple[str, list[dict[str, Any]]]:
    """``/credentials/<number>/full`` as ``/credentials/{number}/full``, with its path parameters."""
    parameters = []
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule):
        schema = INTEGER if converter == "int" else STRING
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), parameters


def _operation(view: Callable, path_parameters: list[dict[str, Any]]) -> dict[str, Any]:
    described = view.openapi
    scope = getattr(view, "token_scope", None)
    responses = {str(status): response for status, response in described["responses"].items()}
    if scope is not None:
        responses = {**_TOKEN_RESPONSES, **(_WRITE_RESPONSES if scope == "write" else {}), **responses}
    result: dict[str, Any] = {
        "summary": described["summary"],
        "operationId": view.__name__,
        "parameters": path_parameters + described["parameters"](),
        "responses": dict(sorted(responses.items())),
        "security": [{BEARER: [scope]}] if scope else [],
    }
    if described["description"]:
        result["description"] = described["description"]
    if described["tags"]:
        result["tags"] = described["tags"]
    if described["body"]:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": described["body"]}},
        }
    return result


def build(app: Flask, blueprint: str, server: str) -> dict[str, Any]:
    """The document for the routes of ``blueprint``, served under ``server``."""
    spec = APISpec(
        title=f"{app.config['ISSUER_NAME']} credentials API",
        version=API_VERSION,
        openapi_version="3.1.0",
        info={
            "description": (
                "Verify a credential by its number (no key needed), and, for staff integrations with an "
                "administrator's API token, read applications and credentials, revoke credentials and "
                "record payments. Errors are RFC 9457 problem details; reads carry ETags; lists are paged "
                "with Link headers."
            )
        },
        servers=[{"url": server}],
    )
    spec.components.security_scheme(
        BEARER,
        {
            "type": "http",
            "scheme": "bearer",
            "description": "An administrator's API token (imc_…), made on the admin's API tokens page. "
            "Scopes: read; write (revoke, record payments).",
        },
    )
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema)
    for name, response in RESPONSES.items():
        spec.components.response(name, response)
    prefix = server.rstrip("/")
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if rule.endpoint.partition(".")[0] != blueprint:
            continue
        view = app.view_functions[rule.endpoint]
        if not hasattr(view, "openapi"):
            continue
        path, parameters = _path(rule)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        spec.path(
            path=path.removeprefix(prefix) or "/",
            operations={method.lower(): _operation(view, parameters) for method in methods},
        )
    return spec.to_dict()
