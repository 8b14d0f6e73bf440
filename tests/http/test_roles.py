"""Every route of review, payments, credentials, renewal and administration against every kind of visitor:
anonymous, the applicant who owns the data (A), another applicant (B), a reviewer and an admin."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.db import db, utcnow
from portal.enums import ApplicationState, DocumentPurpose, EngagementSetting, PaymentMethod, ReasonKind
from portal.models.applications import Application, Engagement
from portal.models.documents import Document
from portal.models.payments import Payment
from portal.models.review import StandardReason
from tests.factories import members
from tests.factories import review as flow
from tests.helpers import client_for

ROLES = ("anonymous", "other_applicant", "reviewer", "owner", "admin")
LOGIN = "login"  # a redirect to the sign-in page
STAFF = {"anonymous": LOGIN, "other_applicant": 403, "owner": 403}
ADMIN = {**STAFF, "reviewer": 403}


def staff(ok) -> dict:
    return {**STAFF, "reviewer": ok, "admin": ok}


def admin_only(ok) -> dict:
    return {**ADMIN, "admin": ok}


def owner_and_admin(ok) -> dict:
    return {"anonymous": LOGIN, "other_applicant": 404, "reviewer": 404, "owner": ok, "admin": ok}


def owner_only(ok) -> dict:
    return {"anonymous": LOGIN, "other_applicant": 404, "reviewer": 404, "owner": ok, "admin": 404}


def everyone(ok) -> dict:
    return {role: ok for role in ROLES}


def signed_in(ok) -> dict:
    return {**everyone(ok), "anonymous": LOGIN}


# (method, path with {application} {document} {engagement} {number} {credential} {slug} {reason} {user}, data, expected)
ROUTES = [
    ("GET", "/review/", None, staff(200)),
    ("GET", "/review/queue.csv", None, staff(200)),
    ("GET", "/review/{application}", None, staff(200)),
    ("POST", "/review/{application}/assign", {"reviewer_id": "none"}, staff(302)),
    ("POST", "/review/{application}/notes", {"note_fee_paid": "Seen."}, staff(302)),
    ("POST", "/review/{application}/approve", {}, staff(409)),  # its references are not confirmed
    ("POST", "/review/{application}/return", {}, staff(422)),
    ("POST", "/review/{application}/reject", {}, staff(422)),
    ("POST", "/review/{application}/resume", {}, staff(409)),  # it is not resubmitted
    ("POST", "/review/{application}/questions", {}, staff(422)),  # no question written
    ("POST", "/review/{application}/questions/close", {}, staff(422)),
    ("POST", "/review/{application}/prerequisite-checked", {}, staff(422)),
    ("POST", "/review/{application}/membership", {}, staff(422)),
    ("POST", "/review/{application}/engagements/{engagement}/dispute", {}, staff(422)),
    ("POST", "/review/{application}/engagements/{engagement}/verification", {}, staff(422)),
    ("POST", "/review/{application}/engagements/{engagement}/letter", {}, staff(422)),
    ("POST", "/review/documents/{document}/reprocess", {}, staff(302)),
    ("POST", "/review/documents/{document}/checked", {}, staff(302)),
    ("GET", "/applications/{application}/payment", None, owner_and_admin(200)),
    ("GET", "/applications/{application}/receipt.pdf", None, owner_and_admin(200)),
    ("POST", "/applications/{application}/resubmit", {}, owner_only(302)),
    ("GET", "/applications/{application}/supervision-years", None, owner_only(302)),
    ("POST", "/applications/{application}/supervision-years", {}, owner_only(302)),  # not a renewal
    ("GET", "/admin/payments", None, admin_only(200)),
    ("POST", "/admin/payments", {}, admin_only(422)),
    ("GET", "/credentials/", None, signed_in(200)),
    ("POST", "/credentials/profile", {"is_profile_public": "y"}, signed_in(302)),
    ("GET", "/credentials/{number}/certificate.pdf", None, owner_only(200)),
    ("GET", "/credentials/{number}/badge.json", None, owner_only(200)),
    ("POST", "/credentials/{number}/renew", {}, owner_only(302)),
    ("GET", "/credentials/{number}/credential.jwt", None, owner_only(200)),
    ("GET", "/credentials/{number}/badge.svg", None, owner_only(200)),
    ("GET", "/badges/{code}.svg", None, everyone(200)),
    ("GET", "/.well-known/did.json", None, everyone(200)),
    ("GET", "/did.json", None, everyone(200)),
    ("GET", "/credentials/status/{list_number}", None, everyone(200)),
    ("GET", "/verify", None, everyone(200)),
    ("GET", "/verify/{number}", None, everyone(200)),
    ("GET", "/mentors/{slug}", None, everyone(200)),
    ("GET", "/admin/", None, admin_only(200)),
    ("GET", "/admin/reviewers", None, admin_only(200)),
    ("POST", "/admin/users/{user}/role", {"role": "applicant"}, admin_only(302)),
    ("GET", "/admin/fees", None, admin_only(200)),
    ("POST", "/admin/fees", {"credential": "CPM"}, admin_only(302)),
    ("GET", "/admin/reasons", None, admin_only(200)),
    ("POST", "/admin/reasons", {}, admin_only(422)),
    ("GET", "/admin/reasons/{reason}", None, admin_only(200)),
    ("POST", "/admin/reasons/{reason}", {}, admin_only(200)),
    ("GET", "/admin/credentials", None, admin_only(200)),
    ("GET", "/admin/credentials/{credential}/revoke", None, admin_only(200)),
    ("POST", "/admin/credentials/{credential}/revoke", {}, admin_only(422)),
    ("GET", "/admin/members", None, admin_only(200)),
    ("GET", "/admin/members/new", None, admin_only(200)),
    ("POST", "/admin/members/new", {}, admin_only(422)),
    ("GET", "/admin/members/{member}", None, admin_only(200)),
    ("POST", "/admin/members/{member}", {}, admin_only(422)),
    ("GET", "/admin/members/import", None, admin_only(200)),
    ("POST", "/admin/members/import", {}, admin_only(422)),
    ("GET", "/admin/exports/members.csv", None, admin_only(200)),
    ("GET", "/admin/exports/credentials.csv", None, admin_only(200)),
    ("GET", "/admin/exports/applications.csv", None, admin_only(200)),
    ("GET", "/admin/applications/{application}/dossier.zip", None, admin_only(200)),
]


@pytest.fixture
def world(app, applicant, other_applicant, reviewer, admin):
    """A's paid application in review with a document, A's credential and public profile, a standard reason."""
    application = Application(
        applicant=applicant,
        credential_code="CPM",
        state=ApplicationState.IN_REVIEW,
        submitted_at=utcnow(),
        paid_at=utcnow(),
        review_due_at=utcnow() + timedelta(weeks=4),
        full_name="Ada Lovelace",
        contact_email=applicant.email,
        fee_amount=Decimal(250),
        fee_currency="USD",
    )
    application.engagements.append(
        Engagement(
            mentee_name="Mia Mentee",
            mentee_email="mia@example.net",
            start_date=date(2022, 1, 1),
            end_date=date(2022, 6, 1),
            setting=EngagementSetting.EXTERNAL,
        )
    )
    db.session.add(application)
    db.session.flush()
    document = Document(
        application_id=application.id,
        purpose=DocumentPurpose.CERTIFICATE,
        storage_key="k" * 32,
        original_name="certificate.pdf",
        file_type="pdf",
        size_bytes=10,
        sha256="0" * 64,
    )
    db.session.add_all(
        [
            document,
            Payment(
                application=application,
                provider="manual",
                method=PaymentMethod.BANK_TRANSFER,
                amount=Decimal(250),
                currency="USD",
                transaction_reference="T1",
                received_on=date.today(),
            ),
        ]
    )
    reason = StandardReason(kind=ReasonKind.REJECT, title="Too short", text="Training too short.")
    db.session.add(reason)
    applicant.is_profile_public, applicant.profile_slug = True, "ada-lovelace-abc123"
    db.session.commit()
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    people = {
        "anonymous": None,
        "owner": applicant,
        "other_applicant": other_applicant,
        "reviewer": reviewer,
        "admin": admin,
    }
    values = {
        "application": application.id,
        "document": document.id,
        "engagement": application.engagements[0].id,
        "number": credential.number,
        "credential": credential.id,
        "slug": "ada-lovelace-abc123",
        "code": "CPM",
        "list_number": 1,
        "reason": reason.id,
        "user": other_applicant.id,
        "member": members.member().id,
    }
    return people, values


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_kind_of_visitor_as_its_role_allows(app, world, role):
    people, values = world
    client = client_for(app, people[role])
    for method, path, form, expected in ROUTES:
        url = path.format(**values)
        with client.open(url, method=method, data=form) as response:
            want = expected[role]
            if want == LOGIN:
                assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"], url
            else:
                assert response.status_code == want, (method, url, response.status_code)


def test_every_route_of_the_new_blueprints_is_in_the_table(app):
    import re

    def shape(path: str) -> str:
        return re.sub(r"[<{][^>}]*[>}]", "*", path)

    covered = {(method, shape(path)) for method, path, _, _ in ROUTES}
    blueprints = ("review", "payments", "credentials", "renewal", "admin")
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in blueprints or rule.endpoint == "apply.resubmit":
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (method, shape(rule.rule)) in covered, (method, rule.rule)
