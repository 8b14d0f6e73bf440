"""The JSON API (/api/v1): public verification, administrators' tokens, applications, credentials and
payments; errors as problem details, ETags, pages.

Every response these tests receive is checked against the OpenAPI document the API serves (the contract):
its status is documented for that path and method, its body matches the documented schema for its media
type, and its documented headers are there. The contract test walks every operation through every response
it documents.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_document
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from portal.db import db
from portal.enums import ApplicationState, Role
from portal.models.api_tokens import ApiToken
from portal.models.audit import AuditEntry
from portal.models.users import User
from portal.workflows.api_tokens import operations as token_ops
from tests.factories import review as flow
from tests.helpers import at, client_for, make_user, running_app, statements

PREFIX = "/api/v1"


# --- the contract -------------------------------------------------------------------------------------------


class Contract:
    """The served OpenAPI document, and a check of any response against it."""

    def __init__(self, document: dict):
        validate_document(document)  # the document itself is valid OpenAPI 3.1
        self.document = document
        self.registry = Registry().with_resource(
            "urn:api", Resource.from_contents(document, default_specification=DRAFT202012)
        )
        self.seen: set[tuple[str, str, str]] = set()

    def operation_for(self, method: str, path: str) -> tuple[str, dict]:
        path = urlsplit(path).path.removeprefix(PREFIX)
        for template, operations in self.document["paths"].items():
            if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path) and method.lower() in operations:
                return template, operations[method.lower()]
        raise AssertionError(f"{method} {path} is not in the OpenAPI document")

    def check(self, method: str, path: str, response) -> None:
        template, operation = self.operation_for(method, path)
        status = str(response.status_code)
        assert status in operation["responses"], f"{method} {template} answered {status}, not documented"
        self.seen.add((method.upper(), template, status))
        described = operation["responses"][status]
        pointer = f"#/paths/{_escape(template)}/{method.lower()}/responses/{status}"
        if "$ref" in described:
            pointer = described["$ref"]
            described = self.document["components"]["responses"][pointer.rsplit("/", 1)[1]]
        for header in described.get("headers", {}):
            assert header in response.headers, f"{method} {template} {status}: no {header} header"
        content = described.get("content")
        if not content:
            assert response.data == b"", f"{method} {template} {status}: a body where none is documented"
            return
        assert response.mimetype in content, f"{method} {template} {status}: {response.mimetype}"
        schema = f"urn:api{pointer}/content/{_escape(response.mimetype)}/schema"
        validator = Draft202012Validator(
            {"$ref": schema}, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        errors = [
            f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(response.json)
        ]
        assert not errors, f"{method} {template} {status} does not match its schema:\n" + "\n".join(errors)

    def documented(self) -> set[tuple[str, str, str]]:
        return {
            (method.upper(), template, status)
            for template, operations in self.document["paths"].items()
            for method, operation in operations.items()
            for status in operation["responses"]
        }


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


class ApiClient:
    """A client of the API, with or without a token, whose every response is checked against the contract."""

    def __init__(self, app, contract: Contract, token: str | None = None, client=None):
        self.client, self.contract = client or app.test_client(), contract
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def request(self, method: str, path: str, headers: dict | None = None, **kwargs):
        response = self.client.open(
            path, method=method, headers={**self.headers, **(headers or {})}, **kwargs
        )
        self.contract.check(method, path, response)
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)


@pytest.fixture
def contract(app) -> Contract:
    response = app.test_client().get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    return Contract(response.get_json())


def _token(owner: User, write: bool = True, expires_on: date | None = None) -> str:
    _, secret = token_ops.create_token(owner, "Finance system", write, expires_on)
    db.session.commit()
    return secret


@pytest.fixture
def api(app, contract):
    """The API without a token."""
    return ApiClient(app, contract)


@pytest.fixture
def writer(app, contract, admin):
    return ApiClient(app, contract, _token(admin, write=True))


@pytest.fixture
def reader(app, contract, admin):
    return ApiClient(app, contract, _token(admin, write=False))


def _awaiting_payment(owner: User, **values):
    application = flow.application(
        owner,
        state=ApplicationState.AWAITING_PAYMENT,
        fee_amount=Decimal("398.00"),
        fee_currency="USD",
        **values,
    )
    db.session.commit()
    return application


def _payment(application, **overrides) -> dict:
    return {
        "application_id": application.id,
        "method": "bank_transfer",
        "amount": "398.00",
        "currency": "USD",
        "transaction_reference": "BANK-REF-77",
        "received_on": date.today().isoformat(),
        **overrides,
    }


# --- the document -------------------------------------------------------------------------------------------


def test_an_address_under_the_api_that_does_not_exist_is_a_404_problem(client):
    response = client.get(f"{PREFIX}/nothing-here")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert response.json["status"] == 404


def test_the_openapi_document_is_valid_openapi_3_1_and_describes_every_route_of_the_api(app, contract):
    assert contract.document["openapi"] == "3.1.0"
    routes = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix(PREFIX))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    described = {(method.upper(), path) for path, ops in contract.document["paths"].items() for method in ops}
    assert routes == described
    for (_, path), operations in [
        ((m, p), ops) for p, ops in contract.document["paths"].items() for m in ops
    ]:
        for operation in operations.values():
            assert operation["responses"], path


# --- public verification ------------------------------------------------------------------------------------


def test_anyone_verifies_a_credential_by_its_number_without_a_key(api, applicant):
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    response = api.get(f"{PREFIX}/credentials/{credential.number.lower()}")
    assert response.status_code == 200
    body = response.json
    assert body["number"] == credential.number
    assert body["status"] == "valid" and body["revoked"] is False
    assert body["holder_name"] == "Ada Lovelace"
    assert body["credential"]["code"] == "CPM"
    assert body["links"]["issuer"].startswith("did:web:")
    assert body["links"]["status_list"].endswith("/credentials/status/1")
    assert body["links"]["status_list_index"] == credential.status_list_index
    # Nothing staff-only: the holder's account, email, the reason for a revocation.
    assert "holder" not in body and "ada.applicant@example.com" not in response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_number_is_a_404_problem_any_site_may_read(api):
    response = api.get(f"{PREFIX}/credentials/CPM-0000-0000-0000")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404 and response.json["title"] == "Not Found"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_read_carries_an_etag_and_an_unchanged_one_is_a_304_until_the_credential_changes(
    api, writer, applicant
):
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    url = f"{PREFIX}/credentials/{credential.number}"
    etag = api.get(url).headers["ETag"]
    again = api.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    writer.post(f"{url}/revoke", json={"reason": "Issued in error."})
    changed = api.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json["status"] == "revoked"
    assert changed.json["revoked_on"] == date.today().isoformat()


def test_verification_is_rate_limited_per_address_with_a_429_problem(app_config, _schema):
    from portal.extensions import limiter

    app_config.update(
        RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", API_RATE_LIMIT="2 per minute"
    )
    with running_app(app_config) as app:
        limiter.reset()
        contract = Contract(app.test_client().get(f"{PREFIX}/openapi.json").get_json())
        api = ApiClient(app, contract)
        codes = [api.get(f"{PREFIX}/credentials/CPM-0000-0000-0000").status_code for _ in range(3)]
        assert codes == [404, 404, 429]
        limited = api.get(f"{PREFIX}/credentials/CPM-0000-0000-0000")
        assert limited.mimetype == "application/problem+json" and limited.json["status"] == 429
        assert int(limited.headers["Retry-After"]) > 0
        limiter.reset()


# --- tokens -------------------------------------------------------------------------------------------------


def test_staff_endpoints_need_a_working_token(app, contract, admin):
    for token in (None, "imc_not-a-real-token-at-all-123", "Basic abc"):
        client = ApiClient(app, contract, token)
        response = client.get(f"{PREFIX}/applications")
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_does_not_authenticate_the_api(app, contract, admin):
    browser = client_for(app, admin)  # an admin signed in to the pages
    api = ApiClient(app, contract, client=browser)
    assert api.get(f"{PREFIX}/applications").status_code == 401
    assert api.post(f"{PREFIX}/payments", json={}).status_code == 401


def test_a_revoked_or_expired_token_or_one_whose_admin_left_stops_working(app, contract, admin):
    revoked_secret = _token(admin)
    token = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
    token_ops.revoke_token(token, admin)
    db.session.commit()
    assert ApiClient(app, contract, revoked_secret).get(f"{PREFIX}/credentials").status_code == 401

    expiring = ApiClient(app, contract, _token(admin, expires_on=date.today() + timedelta(days=1)))
    assert expiring.get(f"{PREFIX}/credentials").status_code == 200
    with at(date.today() + timedelta(days=2)):
        assert expiring.get(f"{PREFIX}/credentials").status_code == 401

    other_admin = make_user("olga.admin@example.org", Role.ADMIN, "Olga Admin")
    leaver = ApiClient(app, contract, _token(other_admin))
    assert leaver.get(f"{PREFIX}/credentials").status_code == 200
    other_admin.is_active_account = False
    db.session.commit()
    assert leaver.get(f"{PREFIX}/credentials").status_code == 401


def test_a_read_token_may_not_write(reader, applicant):
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    response = reader.post(f"{PREFIX}/credentials/{credential.number}/revoke", json={"reason": "x"})
    assert response.status_code == 403 and "only read" in response.json["detail"]
    assert credential.revoked_at is None


def test_a_token_records_when_and_from_where_it_was_last_used(writer, admin):
    writer.get(f"{PREFIX}/credentials")
    token = db.session.scalar(select(ApiToken))
    db.session.refresh(token)
    assert token.last_used_at is not None and token.last_used_ip == "127.0.0.1"


# --- applications -------------------------------------------------------------------------------------------


def test_staff_list_applications_filtered_and_paged_with_link_headers(reader, applicant, other_applicant):
    for _ in range(3):
        _awaiting_payment(applicant)
    flow.application(other_applicant, state=ApplicationState.IN_REVIEW, code="CMM")
    flow.application(other_applicant, state=ApplicationState.DRAFT)
    db.session.commit()

    first = reader.get(f"{PREFIX}/applications?state=awaiting_payment&per_page=2")
    assert first.status_code == 200
    assert [item["state"] for item in first.json["items"]] == ["awaiting_payment"] * 2
    assert first.json["total"] == 3 and first.json["pages"] == 2
    assert 'rel="next"' in first.headers["Link"]
    second = reader.get(urlsplit(first.json["next"]).path + "?" + urlsplit(first.json["next"]).query)
    assert len(second.json["items"]) == 1 and second.json["next"] is None

    everything_response = reader.get(f"{PREFIX}/applications")
    # The integration may keep it and revalidate by its ETag; no shared cache may.
    assert everything_response.headers["Cache-Control"] == "private, no-cache"
    assert "Access-Control-Allow-Origin" not in everything_response.headers
    everything = everything_response.json
    assert everything["total"] == 4, "drafts are the applicant's own"
    assert reader.get(f"{PREFIX}/applications?credential=CMM").json["total"] == 1
    assert reader.get(f"{PREFIX}/applications?submitted_after=2026-01-06").json["total"] == 0
    assert reader.get(f"{PREFIX}/applications?submitted_before=2026-01-06").json["total"] == 4


def test_bad_filters_are_a_422_problem_naming_each_parameter(reader):
    response = reader.get(f"{PREFIX}/applications?state=nonsense&submitted_after=yesterday&colour=blue")
    assert response.status_code == 422
    named = {error["parameter"] for error in response.json["errors"]}
    assert named == {"state", "submitted_after", "colour"}


def test_staff_read_an_application_unless_they_have_a_conflict_of_interest(reader, applicant, admin):
    application = _awaiting_payment(applicant)
    response = reader.get(f"{PREFIX}/applications/{application.id}")
    assert response.status_code == 200
    assert response.json["reference"] == application.reference
    assert response.json["fee"] == {"amount": "398.00", "currency": "USD"}
    conflicted = _awaiting_payment(applicant, supervisor_email=admin.email)
    refused = reader.get(f"{PREFIX}/applications/{conflicted.id}")
    assert refused.status_code == 403 and "supervisor" in " ".join(refused.json["problems"])
    assert reader.get(f"{PREFIX}/applications/999999").status_code == 404


# --- credentials --------------------------------------------------------------------------------------------


def test_staff_list_and_read_credentials(reader, applicant, other_applicant):
    kept = flow.issued(applicant, date(2025, 3, 1))
    flow.issued(other_applicant, date(2025, 6, 1), code="CMM")
    listed = reader.get(f"{PREFIX}/credentials?credential=CPM&revoked=false").json
    assert [item["number"] for item in listed["items"]] == [kept.number]
    assert listed["items"][0]["holder"]["email"] == "ada.applicant@example.com"
    assert reader.get(f"{PREFIX}/credentials?issued_after=2025-04-01").json["total"] == 1
    full = reader.get(f"{PREFIX}/credentials/{kept.number}/full")
    assert full.status_code == 200 and full.json["application_reference"].startswith("CPM-")


def test_a_page_of_applications_or_credentials_takes_as_many_queries_whatever_its_size(reader, applicant):
    for day in range(6):
        credential = flow.issued(applicant, date(2025, 1, 1) + timedelta(days=day))
        _awaiting_payment(applicant, renews_credential_id=credential.id)
    reader.get(f"{PREFIX}/credentials")  # the token's first use is written once
    for url in (f"{PREFIX}/credentials", f"{PREFIX}/applications"):
        counts = []
        for size in (1, 6):
            db.session.expunge_all()
            with statements() as seen:
                assert len(reader.get(f"{url}?per_page={size}").json["items"]) == size
            counts.append(len(seen))
        assert counts[0] == counts[1], (url, counts)


def test_revoking_through_the_api_is_the_admin_pages_revocation(writer, applicant, admin):
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    url = f"{PREFIX}/credentials/{credential.number}/revoke"
    missing = writer.post(url, json={"reason": "  "})
    assert missing.status_code == 422 and missing.json["errors"][0]["pointer"] == "#/reason"
    assert writer.post(url, data="not json", content_type="text/plain").status_code == 400
    odd = writer.post(url, json={"reason": ["a", "list"], "notify": False})
    assert odd.status_code == 422
    assert {error["pointer"] for error in odd.json["errors"]} == {"#/reason", "#/notify"}

    response = writer.post(url, json={"reason": "Issued in error."})
    assert response.status_code == 200
    assert response.json["revoked"] is True and response.json["revoked_reason"] == "Issued in error."
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "revoke"))
    assert entry.actor_id == admin.id and entry.reason == "Issued in error."

    again = writer.post(url, json={"reason": "Twice."})
    assert again.status_code == 422 and "already been revoked" in again.json["detail"]


def test_an_admins_token_cannot_revoke_a_credential_they_are_conflicted_on(app, writer, applicant, admin):
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    credential.application.supervisor_email = admin.email
    db.session.commit()
    response = writer.post(f"{PREFIX}/credentials/{credential.number}/revoke", json={"reason": "Because."})
    assert response.status_code == 403
    db.session.refresh(credential)
    assert credential.revoked_at is None
    # The admin's page refuses alike.
    page_response = client_for(app, admin).post(
        f"/admin/credentials/{credential.id}/revoke", data={"reason": "Because."}
    )
    assert page_response.status_code == 403 and "supervisor" in page_response.get_data(as_text=True)
    db.session.refresh(credential)
    assert credential.revoked_at is None


# --- payments -----------------------------------------------------------------------------------------------


def test_recording_a_payment_through_the_api_starts_the_review_as_the_admin_page_does(
    writer, applicant, admin
):
    application = _awaiting_payment(applicant)
    response = writer.post(f"{PREFIX}/payments", json=_payment(application))
    assert response.status_code == 201
    assert response.json["receipt_number"].startswith("RCT-")
    assert response.headers["Location"].endswith(f"/api/v1/applications/{application.id}")
    db.session.refresh(application)
    assert application.state == ApplicationState.IN_REVIEW
    assert application.payment.recorded_by_id == admin.id
    again = writer.post(f"{PREFIX}/payments", json=_payment(application))
    assert again.status_code == 422 and "not awaiting payment" in again.json["detail"]


def test_a_payment_that_does_not_pay_the_fee_is_a_422_with_field_errors(writer, applicant):
    application = _awaiting_payment(applicant)
    shape = writer.post(f"{PREFIX}/payments", json=_payment(application, amount="lots", received_on="soon"))
    assert shape.status_code == 422
    assert {error["pointer"] for error in shape.json["errors"]} == {"#/amount", "#/received_on"}
    wrong = writer.post(f"{PREFIX}/payments", json=_payment(application, amount="10.00"))
    assert wrong.status_code == 422 and "does not match the fee" in wrong.json["detail"]
    nowhere = writer.post(f"{PREFIX}/payments", json=_payment(application, application_id=999999))
    assert nowhere.status_code == 422 and nowhere.json["errors"][0]["pointer"] == "#/application_id"
    db.session.refresh(application)
    assert application.state == ApplicationState.AWAITING_PAYMENT


def test_an_admins_token_cannot_record_a_payment_for_an_application_they_are_conflicted_on(
    writer, applicant, admin
):
    application = _awaiting_payment(applicant, supervisor_email=admin.email)
    response = writer.post(f"{PREFIX}/payments", json=_payment(application))
    assert response.status_code == 403
    db.session.refresh(application)
    assert application.payment is None


# --- the contract, end to end -------------------------------------------------------------------------------


def test_every_operation_gives_every_response_it_documents_and_each_matches_the_document(app_config, _schema):
    """Walk each operation through each documented status; every response is checked as it arrives."""
    from portal.extensions import limiter

    app_config.update(
        RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", API_RATE_LIMIT="30 per minute"
    )
    with running_app(app_config) as app:
        limiter.reset()
        admin = make_user("adam.admin@example.org", Role.ADMIN, "Adam Admin")
        holder = make_user("ada.applicant@example.com", name="Ada Lovelace")
        contract = Contract(app.test_client().get(f"{PREFIX}/openapi.json").get_json())
        anonymous = ApiClient(app, contract)
        reader = ApiClient(app, contract, _token(admin, write=False))
        writer = ApiClient(app, contract, _token(admin, write=True))

        document = anonymous.get(f"{PREFIX}/openapi.json")
        anonymous.get(f"{PREFIX}/openapi.json", headers={"If-None-Match": document.headers["ETag"]})

        credential = flow.issued(holder, date.today() - timedelta(days=30))
        conflicted_credential = flow.issued(holder, date.today() - timedelta(days=60), code="CMM")
        conflicted_credential.application.supervisor_email = admin.email
        application = _awaiting_payment(holder)
        conflicted = _awaiting_payment(holder, supervisor_email=admin.email)
        public = f"{PREFIX}/credentials/{credential.number}"

        for url in (f"{PREFIX}/applications", f"{PREFIX}/credentials"):
            anonymous.get(url)
            etag = reader.get(url).headers["ETag"]
            reader.get(url, headers={"If-None-Match": etag})
            reader.get(url + "?page=0")
        for url in (f"{PREFIX}/applications/{application.id}", f"{public}/full"):
            anonymous.get(url)
            etag = reader.get(url).headers["ETag"]
            reader.get(url, headers={"If-None-Match": etag})
        reader.get(f"{PREFIX}/applications/{conflicted.id}")
        reader.get(f"{PREFIX}/applications/999999")
        reader.get(f"{PREFIX}/credentials/CPM-0000-0000-0000/full")
        reader.get(f"{PREFIX}/credentials/{conflicted_credential.number}/full")

        etag = anonymous.get(public).headers["ETag"]
        anonymous.get(public, headers={"If-None-Match": etag})
        anonymous.get(f"{PREFIX}/credentials/CPM-0000-0000-0000")

        revoke = f"{public}/revoke"
        anonymous.post(revoke, json={"reason": "x"})
        reader.post(revoke, json={"reason": "x"})
        writer.post(revoke, data="[]", content_type="application/json")
        writer.post(revoke, json={})
        writer.post(f"{PREFIX}/credentials/CPM-0000-0000-0000/revoke", json={"reason": "x"})
        writer.post(f"{PREFIX}/credentials/{conflicted_credential.number}/revoke", json={"reason": "x"})
        writer.post(revoke, json={"reason": "Issued in error."})

        anonymous.post(f"{PREFIX}/payments", json=_payment(application))
        reader.post(f"{PREFIX}/payments", json=_payment(application))
        writer.post(f"{PREFIX}/payments", data="nonsense", content_type="application/json")
        writer.post(f"{PREFIX}/payments", json=_payment(application, amount="1.00"))
        writer.post(f"{PREFIX}/payments", json=_payment(conflicted))
        writer.post(f"{PREFIX}/payments", json=_payment(application))

        limiter.reset()
        for _ in range(31):
            last = anonymous.get(public)
        assert last.status_code == 429
        limiter.reset()

        assert contract.documented() - contract.seen == set(), "documented responses never exercised"
