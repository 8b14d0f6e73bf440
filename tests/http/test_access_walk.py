"""Every route of the portal, GET and POST, against every kind of visitor.

Applicant A owns everything the URLs point at: a returned CMM application (training record, engagements,
certificate, referee letter, references, payment and receipt), a credential and public profile, a pairing
as protégé (agreement, goals, checkpoints, a meeting) and two supervision sessions. Applicant B has an
application and a supervision session of their own, whose referee and supervisor are "the referee with another
reference's token" and "the supervisor with another session's token". The table says what each visitor gets;
every response is also checked for its security headers and for personal data: A's and B's reach no one but
themselves and staff, except the few facts an emailed link shows its holder on the page it opens.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.db import db
from portal.documents.storage import current_storage
from portal.enums import (
    CentreStatus,
    DeliveryStatus,
    DocumentPurpose,
    EngagementSetting,
    ReasonKind,
    Role,
    TrainingMode,
)
from portal.models.applications import Engagement, TrainingRecord
from portal.models.documents import Document
from portal.models.outbox import EmailMessage
from portal.models.references import ReferenceRequest
from portal.models.review import StandardReason
from portal.models.webhooks import WebhookDelivery, WebhookEndpoint, WebhookEvent
from portal.workflows.api_tokens.operations import create_token
from portal.workflows.programmes import operations as ops
from portal.workflows.review import operations as review
from portal.workflows.supervisors.queries import current_declaration
from portal.workflows.webhooks.rules import new_secret
from tests.factories import applications as data
from tests.factories import members
from tests.factories import programmes as pairs
from tests.factories import review as flow
from tests.helpers import client_for, make_user, sign_in

# People with no account who hold an emailed link: A's referee and supervisor, and B's ("wrong_"), whose
# links are to B's records.
LINK_HOLDERS = ("referee", "wrong_referee", "supervisor", "wrong_supervisor")
# In the order they visit: A last, since A's own POSTs resubmit and withdraw the application.
VISITORS = ("anonymous", *LINK_HOLDERS, "other", "reviewer", "admin", "owner")
STAFF = ("reviewer", "admin")
LOGIN = "login"  # a redirect to the sign-in page

# What each applicant's records say about them and the people they named: it may reach no one but themselves
# and staff. A's includes the length of A's second supervision session, which Sid's link must not show.
PERSONAL_DATA = {
    "owner": (
        "Ada Lovelace",
        "ada.applicant@example.com",
        "SW1Y 4JH",
        "Mentee Number",
        "mentee1@example.net",
        "Referee Number",
        "referee1@example.net",
        "Sid Supervisor",
        "sid@supervision.example",
        "Sue Second",
        "sue@second.example",
        "95 minutes",
    ),
    "other": (
        "Bob Other",
        "bob.other@example.com",
        "9 Elm Row",
        "Bobs Mentee",
        "bobs.mentee1@example.org",
        "Bobs Referee",
        "bobs.referee1@example.org",
        "Bea Boss",
        "bea@boss.example",
    ),
}
REFEREE_LINK = "/references/{reference_token}"
SUPERVISOR_LINK = "/programmes/supervision/confirm/{supervision_token}"
DECLARATION_LINK = "/supervisors/{declaration_token}"
# The page each link holder's link opens, whose record it is about, and what it shows of it: that record only,
# nowhere else. (A's referee was named for engagement 1; A's supervisor is Sid, for a 60-minute session.)
LINKS = {
    "referee": (REFEREE_LINK, "owner", ("Ada Lovelace", "Mentee Number1", "Referee Number1")),
    "wrong_referee": (REFEREE_LINK, "other", ("Bob Other", "Bobs Mentee1", "Bobs Referee1")),
    "supervisor": (SUPERVISOR_LINK, "owner", ("Ada Lovelace",)),
    "wrong_supervisor": (SUPERVISOR_LINK, "other", ("Bob Other",)),
}
# Pages that show A's name to anyone by A's own choice or by design, and why.
PUBLIC_BY_DESIGN = {
    "/verify/{number}": "the credential number is the capability to see the credential's public facts",
    "/mentors/{slug}": "A chose to publish a mentor profile",
    "/api/v1/credentials/{number}": "the same public facts as /verify/{number}, for machines",
}


def expect(anonymous, owner, other, reviewer, admin, **link_holders) -> dict:
    """Who gets what. Link holders have no account: unless told otherwise, they get what anonymous gets."""
    assert set(link_holders) <= set(LINK_HOLDERS), link_holders
    return {
        "anonymous": anonymous,
        "owner": owner,
        "other": other,
        "reviewer": reviewer,
        "admin": admin,
        **{holder: link_holders.get(holder, anonymous) for holder in LINK_HOLDERS},
    }


def everyone(code):
    return expect(code, code, code, code, code)


def signed_in(code):
    return expect(LOGIN, code, code, code, code)


def guests(code, signed_in_code=302):
    """Sign-up and sign-in: a signed-in visitor is sent on to their applications."""
    return expect(code, signed_in_code, signed_in_code, signed_in_code, signed_in_code)


def owner_only(code):
    return expect(LOGIN, code, 404, 404, 404)


def owner_and_staff(code):
    return expect(LOGIN, code, 404, code, code)


def owner_and_admin(code):
    return expect(LOGIN, code, 404, 404, code)


def staff(code):
    return expect(LOGIN, 403, 403, code, code)


def admin_only(code):
    return expect(LOGIN, 403, 403, 403, code)


def reviewers_only_document(code):
    """A referee's letter is written for the credentialing team, not for the applicant."""
    return expect(LOGIN, 404, 404, code, code)


def pair_only(code):
    """A pair's pages answer 404 to everyone outside the pair, signed in or not."""
    return expect(404, code, 404, 404, 404)


def coordinator_only(code, anonymous=LOGIN):
    return expect(anonymous, 404, 404, 404, code)


LATE = "late"  # POSTs that change what later requests see (resubmit, withdraw): sent after all others

APP = "/applications/{application}"
PAIR = "/programmes/pairings/{pairing}"

# (method, URL rule exactly as in app.url_map) -> [(path, form data, expected, flags)]; a rule with an any()
# converter has a row for each of its values.
ROUTES: dict[tuple[str, str], list[tuple]] = {
    # Public pages
    ("GET", "/"): [("/", None, everyone(200))],
    ("GET", "/health"): [("/health", None, everyone(200))],
    ("GET", "/health/workers"): [("/health/workers", None, everyone(503))],  # no worker runs in this test
    ("GET", "/static/<path:filename>"): [("/static/css/portal.css", None, everyone(200))],
    ("GET", "/verify"): [("/verify", None, everyone(200))],
    ("GET", "/verify/<number>"): [("/verify/{number}", None, everyone(200))],
    ("GET", "/mentors/<slug>"): [("/mentors/{slug}", None, everyone(200))],
    # Accounts
    ("GET", "/account/register"): [("/account/register", None, guests(200))],
    ("POST", "/account/register"): [("/account/register", {}, guests(200))],
    ("GET", "/account/sign-in"): [("/account/sign-in", None, guests(200))],
    ("POST", "/account/sign-in"): [("/account/sign-in", {}, guests(200))],
    ("GET", "/account/forgot-password"): [("/account/forgot-password", None, everyone(200))],
    ("POST", "/account/forgot-password"): [("/account/forgot-password", {}, everyone(200))],
    ("GET", "/account/reset-password/<token>"): [("/account/reset-password/{token}", None, everyone(400))],
    ("POST", "/account/reset-password/<token>"): [("/account/reset-password/{token}", {}, everyone(400))],
    # Without a password just accepted there is no second step to take: back to the sign-in page.
    ("GET", "/account/sign-in/code"): [("/account/sign-in/code", None, everyone(302))],
    ("POST", "/account/sign-in/code"): [("/account/sign-in/code", {}, everyone(302))],
    ("GET", "/account/two-factor"): [("/account/two-factor", None, signed_in(200))],
    ("POST", "/account/two-factor"): [("/account/two-factor", {}, signed_in(200))],
    ("GET", "/account/password"): [("/account/password", None, signed_in(200))],
    ("POST", "/account/password"): [("/account/password", {}, signed_in(200))],
    ("GET", "/account/preferences"): [("/account/preferences", None, signed_in(200))],
    ("POST", "/account/preferences"): [("/account/preferences", {}, signed_in(200))],
    # The footer's language switch: anyone may pick a language (a cookie); a signed-in person's form also
    # keeps it in their account.
    ("GET", "/account/language/<code>"): [("/account/language/en", None, everyone(302))],
    ("POST", "/account/language/<code>"): [("/account/language/en", {}, everyone(302))],
    ("GET", "/account/confirm/<token>"): [("/account/confirm/{token}", None, everyone(400))],
    ("POST", "/account/confirm/<token>"): [("/account/confirm/{token}", {}, everyone(400))],
    ("POST", "/account/sign-out"): [],  # sent last by each visitor: see test_every_route_...
    # Data rights: the privacy notice, Your data, a copy's emailed link (someone else's, or none, is a 404)
    ("GET", "/privacy"): [("/privacy", None, everyone(200))],
    ("GET", "/account/data"): [("/account/data", None, signed_in(200))],
    ("POST", "/account/data/export"): [("/account/data/export", {}, signed_in(302))],
    ("GET", "/account/data/exports/<token>"): [("/account/data/exports/{token}", None, signed_in(404))],
    ("POST", "/account/data/exports/<token>"): [("/account/data/exports/{token}", {}, signed_in(404))],
    # A is refused (the application is not a draft) and sent back to Your data.
    ("POST", "/account/data/drafts/<int:application_id>/keep"): [
        ("/account/data/drafts/{application}/keep", {}, owner_only(302))
    ],
    ("GET", "/account/delete"): [("/account/delete", None, signed_in(200))],
    ("POST", "/account/delete"): [("/account/delete", {}, signed_in(200))],
    ("GET", "/account/deleted"): [("/account/deleted", None, everyone(200))],
    # The referee's emailed link
    ("GET", "/references/<token>"): [
        (REFEREE_LINK, None, expect(404, 404, 404, 404, 404, referee=200, wrong_referee=200))
    ],
    ("POST", "/references/<token>"): [
        (REFEREE_LINK, {}, expect(404, 404, 404, 404, 404, referee=200, wrong_referee=200))
    ],
    # The supervisor's declaration link: no link holder here holds one, and no other kind's token opens it.
    ("GET", "/supervisors/<token>"): [(DECLARATION_LINK, None, everyone(404))],
    ("POST", "/supervisors/<token>"): [(DECLARATION_LINK, {}, everyone(404))],
    # The applicant's pages
    # Staff with no applications of their own start where their work is: the queue, the admin page.
    ("GET", "/applications/"): [("/applications/", None, expect(LOGIN, 200, 200, 302, 302))],
    ("GET", "/applications/new"): [("/applications/new", None, signed_in(200))],
    ("POST", "/applications/new"): [("/applications/new", {}, signed_in(200))],
    ("GET", "/applications/<int:application_id>"): [(APP, None, owner_only(200))],
    ("GET", "/applications/<int:application_id>/about"): [(APP + "/about", None, owner_only(200))],
    ("POST", "/applications/<int:application_id>/about"): [(APP + "/about", {}, owner_only(200))],
    ("GET", "/applications/<int:application_id>/prerequisite"): [
        (APP + "/prerequisite", None, owner_only(200))
    ],
    ("POST", "/applications/<int:application_id>/prerequisite"): [
        (APP + "/prerequisite", {}, owner_only(200))
    ],
    ("GET", "/applications/<int:application_id>/supervision"): [
        (APP + "/supervision", None, owner_only(200))
    ],
    ("POST", "/applications/<int:application_id>/supervision"): [(APP + "/supervision", {}, owner_only(200))],
    ("GET", "/applications/<int:application_id>/declaration"): [
        (APP + "/declaration", None, owner_only(200))
    ],
    ("POST", "/applications/<int:application_id>/declaration"): [(APP + "/declaration", {}, owner_only(200))],
    ("GET", "/applications/<int:application_id>/training"): [(APP + "/training", None, owner_only(200))],
    ("GET", "/applications/<int:application_id>/engagements"): [
        (APP + "/engagements", None, owner_only(200))
    ],
    ("GET", "/applications/<int:application_id>/<any(training, engagements):kind>/new"): [
        (APP + "/training/new", None, owner_only(200)),
        (APP + "/engagements/new", None, owner_only(200)),
    ],
    ("POST", "/applications/<int:application_id>/<any(training, engagements):kind>/new"): [
        (APP + "/training/new", {}, owner_only(200)),
        (APP + "/engagements/new", {}, owner_only(200)),
    ],
    ("GET", "/applications/<int:application_id>/<any(training, engagements):kind>/<int:record_id>"): [
        (APP + "/training/{training}", None, owner_only(200)),
        (APP + "/engagements/{engagement}", None, owner_only(200)),
    ],
    ("POST", "/applications/<int:application_id>/<any(training, engagements):kind>/<int:record_id>"): [
        (APP + "/training/{training}", {}, owner_only(200)),
        (APP + "/engagements/{engagement}", {}, owner_only(200)),
    ],
    ("POST", "/applications/<int:application_id>/<any(training, engagements):kind>/<int:record_id>/remove"): [
        (APP + "/training/{spare_training}/remove", {}, owner_only(302)),
        (APP + "/engagements/{spare_engagement}/remove", {}, owner_only(302)),
    ],
    ("GET", "/applications/<int:application_id>/check"): [(APP + "/check", None, owner_only(200))],
    ("GET", "/applications/<int:application_id>/submit"): [
        (APP + "/submit", None, owner_only(302))
    ],  # submitted
    ("POST", "/applications/<int:application_id>/submit"): [(APP + "/submit", {}, owner_only(302))],
    ("GET", "/applications/<int:application_id>/status"): [(APP + "/status", None, owner_only(200))],
    ("POST", "/applications/<int:application_id>/answer"): [(APP + "/answer", {}, owner_only(422))],
    ("POST", "/applications/<int:application_id>/resubmit"): [(APP + "/resubmit", {}, owner_only(302), LATE)],
    ("POST", "/applications/<int:application_id>/withdraw"): [(APP + "/withdraw", {}, owner_only(302), LATE)],
    ("GET", "/applications/documents/<int:document_id>"): [
        ("/applications/documents/{document}", None, owner_and_staff(200)),
        ("/applications/documents/{letter}", None, reviewers_only_document(200)),
    ],
    ("GET", "/applications/<int:application_id>/supervision-years"): [
        (APP + "/supervision-years", None, owner_only(302))
    ],  # not a renewal: back to the task list
    ("POST", "/applications/<int:application_id>/supervision-years"): [
        (APP + "/supervision-years", {}, owner_only(302))
    ],
    ("POST", "/applications/<int:application_id>/references/<int:reference_id>/resend"): [
        (APP + "/references/{resent_reference}/resend", {}, owner_and_staff(302))
    ],
    ("GET", "/applications/<int:application_id>/references/<int:reference_id>/replace"): [
        (APP + "/references/{reference}/replace", None, owner_only(200))
    ],
    ("POST", "/applications/<int:application_id>/references/<int:reference_id>/replace"): [
        (APP + "/references/{reference}/replace", {}, owner_only(200))
    ],
    # The reviewer resends first (visitors walk in order), so the owner then finds the declaration replaced.
    ("POST", "/applications/<int:application_id>/supervisor/<int:declaration_id>/resend"): [
        (APP + "/supervisor/{declaration}/resend", {}, expect(LOGIN, 302, 404, 302, 302))
    ],
    ("GET", "/applications/<int:application_id>/supervisor/<int:declaration_id>/replace"): [
        (APP + "/supervisor/{declaration}/replace", None, owner_only(302))
    ],
    ("POST", "/applications/<int:application_id>/supervisor/<int:declaration_id>/replace"): [
        (APP + "/supervisor/{declaration}/replace", {}, owner_only(302))
    ],
    ("GET", "/applications/<int:application_id>/payment"): [(APP + "/payment", None, owner_and_admin(200))],
    ("GET", "/applications/<int:application_id>/receipt.pdf"): [
        (APP + "/receipt.pdf", None, owner_and_admin(200))
    ],
    # Review
    ("GET", "/review/"): [("/review/", None, staff(200))],
    ("GET", "/review/queue.csv"): [("/review/queue.csv", None, staff(200))],
    ("GET", "/review/<int:application_id>"): [("/review/{application}", None, staff(200))],
    ("POST", "/review/<int:application_id>/assign"): [
        ("/review/{application}/assign", {"reviewer_id": "none"}, staff(302))
    ],
    ("POST", "/review/<int:application_id>/notes"): [("/review/{application}/notes", {}, staff(302))],
    ("POST", "/review/<int:application_id>/approve"): [("/review/{application}/approve", {}, staff(409))],
    ("POST", "/review/<int:application_id>/return"): [("/review/{application}/return", {}, staff(422))],
    ("POST", "/review/<int:application_id>/reject"): [("/review/{application}/reject", {}, staff(422))],
    ("POST", "/review/<int:application_id>/resume"): [("/review/{application}/resume", {}, staff(409))],
    ("POST", "/review/<int:application_id>/questions"): [("/review/{application}/questions", {}, staff(422))],
    ("POST", "/review/<int:application_id>/questions/close"): [
        ("/review/{application}/questions/close", {}, staff(422))
    ],
    ("POST", "/review/<int:application_id>/prerequisite-checked"): [
        ("/review/{application}/prerequisite-checked", {}, staff(422))
    ],
    ("POST", "/review/<int:application_id>/membership"): [
        ("/review/{application}/membership", {}, staff(422))
    ],
    ("POST", "/review/<int:application_id>/engagements/<int:engagement_id>/dispute"): [
        ("/review/{application}/engagements/{engagement}/dispute", {}, staff(422))
    ],
    ("POST", "/review/<int:application_id>/engagements/<int:engagement_id>/verification"): [
        ("/review/{application}/engagements/{engagement}/verification", {}, staff(422))
    ],
    ("POST", "/review/<int:application_id>/engagements/<int:engagement_id>/letter"): [
        ("/review/{application}/engagements/{engagement}/letter", {}, staff(422))
    ],
    ("POST", "/review/documents/<int:document_id>/reprocess"): [
        ("/review/documents/{document}/reprocess", {}, staff(302))
    ],
    ("POST", "/review/documents/<int:document_id>/checked"): [
        ("/review/documents/{document}/checked", {}, staff(302))
    ],
    # Payments and credentials
    ("GET", "/admin/payments"): [("/admin/payments", None, admin_only(200))],
    ("POST", "/admin/payments"): [("/admin/payments", {}, admin_only(422))],
    ("GET", "/credentials/"): [("/credentials/", None, signed_in(200))],
    ("POST", "/credentials/profile"): [("/credentials/profile", {"is_profile_public": "y"}, signed_in(302))],
    ("GET", "/credentials/<number>/certificate.pdf"): [
        ("/credentials/{number}/certificate.pdf", None, owner_only(200))
    ],
    ("GET", "/credentials/<number>/badge.json"): [
        ("/credentials/{number}/badge.json", None, owner_only(200))
    ],
    ("GET", "/credentials/<number>/credential.jwt"): [
        ("/credentials/{number}/credential.jwt", None, owner_only(200))
    ],
    ("GET", "/credentials/<number>/badge.svg"): [("/credentials/{number}/badge.svg", None, owner_only(200))],
    # What verifiers of a signed credential fetch: no one's personal data.
    ("GET", "/badges/<code>.svg"): [("/badges/CPM.svg", None, everyone(200))],
    ("GET", "/.well-known/did.json"): [("/.well-known/did.json", None, everyone(200))],
    ("GET", "/did.json"): [("/did.json", None, everyone(200))],
    ("GET", "/credentials/status/<int:list_number>"): [("/credentials/status/1", None, everyone(200))],
    ("POST", "/credentials/<number>/renew"): [("/credentials/{number}/renew", {}, owner_only(302))],
    # Administration
    ("GET", "/admin/"): [("/admin/", None, admin_only(200))],
    ("GET", "/admin/reviewers"): [("/admin/reviewers", None, admin_only(200))],
    ("POST", "/admin/users/<int:user_id>/role"): [
        ("/admin/users/{other_user}/role", {"role": "applicant"}, admin_only(302))
    ],
    ("GET", "/admin/fees"): [("/admin/fees", None, admin_only(200))],
    ("POST", "/admin/fees"): [("/admin/fees", {"credential": "nothing"}, admin_only(200))],
    ("GET", "/admin/reasons"): [("/admin/reasons", None, admin_only(200))],
    ("POST", "/admin/reasons"): [("/admin/reasons", {}, admin_only(422))],
    ("GET", "/admin/reasons/<int:reason_id>"): [("/admin/reasons/{reason}", None, admin_only(200))],
    ("POST", "/admin/reasons/<int:reason_id>"): [("/admin/reasons/{reason}", {}, admin_only(200))],
    ("GET", "/admin/credentials"): [("/admin/credentials", None, admin_only(200))],
    ("GET", "/admin/credentials/<int:credential_id>/revoke"): [
        ("/admin/credentials/{credential}/revoke", None, admin_only(200))
    ],
    ("POST", "/admin/credentials/<int:credential_id>/revoke"): [
        ("/admin/credentials/{credential}/revoke", {}, admin_only(422))
    ],
    ("GET", "/admin/members"): [("/admin/members", None, admin_only(200))],
    ("GET", "/admin/members/new"): [("/admin/members/new", None, admin_only(200))],
    ("POST", "/admin/members/new"): [("/admin/members/new", {}, admin_only(422))],
    ("GET", "/admin/members/<int:member_id>"): [("/admin/members/{member}", None, admin_only(200))],
    ("POST", "/admin/members/<int:member_id>"): [("/admin/members/{member}", {}, admin_only(422))],
    ("GET", "/admin/members/import"): [("/admin/members/import", None, admin_only(200))],
    ("POST", "/admin/members/import"): [("/admin/members/import", {}, admin_only(422))],
    ("GET", "/admin/exports/members.csv"): [("/admin/exports/members.csv", None, admin_only(200))],
    ("GET", "/admin/api-tokens/"): [("/admin/api-tokens/", None, admin_only(200))],
    ("POST", "/admin/api-tokens/"): [("/admin/api-tokens/", {}, admin_only(422))],
    ("POST", "/admin/api-tokens/<int:token_id>/revoke"): [
        ("/admin/api-tokens/{api_token}/revoke", {}, admin_only(302))
    ],
    # The JSON API: a session cookie authenticates nothing there, so every visitor is anonymous to it.
    ("GET", "/api/v1/openapi.json"): [("/api/v1/openapi.json", None, everyone(200))],
    ("GET", "/api/v1/credentials/<number>"): [("/api/v1/credentials/{number}", None, everyone(200))],
    ("GET", "/api/v1/applications"): [("/api/v1/applications", None, everyone(401))],
    ("GET", "/api/v1/applications/<int:application_id>"): [
        ("/api/v1/applications/{application}", None, everyone(401))
    ],
    ("GET", "/api/v1/credentials"): [("/api/v1/credentials", None, everyone(401))],
    ("GET", "/api/v1/credentials/<number>/full"): [
        ("/api/v1/credentials/{number}/full", None, everyone(401))
    ],
    ("POST", "/api/v1/credentials/<number>/revoke"): [
        ("/api/v1/credentials/{number}/revoke", {}, everyone(401))
    ],
    ("POST", "/api/v1/payments"): [("/api/v1/payments", {}, everyone(401))],
    ("GET", "/admin/exports/credentials.csv"): [("/admin/exports/credentials.csv", None, admin_only(200))],
    ("GET", "/admin/exports/applications.csv"): [("/admin/exports/applications.csv", None, admin_only(200))],
    ("GET", "/admin/applications/<int:application_id>/dossier.zip"): [
        ("/admin/applications/{application}/dossier.zip", None, admin_only(200))
    ],
    # Card payments (the manual provider is configured here: no card checkout; no webhook secret: refused)
    ("POST", "/applications/<int:application_id>/payment/card"): [
        (APP + "/payment/card", {}, expect(LOGIN, 404, 404, 404, 404))
    ],
    ("GET", "/applications/<int:application_id>/payment/card/done"): [
        (APP + "/payment/card/done", None, owner_only(200))
    ],
    ("POST", "/payments/stripe/webhook"): [("/payments/stripe/webhook", {}, everyone(400))],
    ("GET", "/admin/payments/card"): [("/admin/payments/card", None, admin_only(200))],
    # Webhooks
    ("GET", "/admin/webhooks/"): [("/admin/webhooks/", None, admin_only(200))],
    ("GET", "/admin/webhooks/new"): [("/admin/webhooks/new", None, admin_only(200))],
    ("POST", "/admin/webhooks/new"): [("/admin/webhooks/new", {}, admin_only(422))],
    ("GET", "/admin/webhooks/<int:endpoint_id>"): [("/admin/webhooks/{endpoint}", None, admin_only(200))],
    ("POST", "/admin/webhooks/<int:endpoint_id>"): [("/admin/webhooks/{endpoint}", {}, admin_only(302))],
    ("POST", "/admin/webhooks/<int:endpoint_id>/enabled"): [
        ("/admin/webhooks/{endpoint}/enabled", {"enabled": "yes"}, admin_only(302))
    ],
    ("POST", "/admin/webhooks/<int:endpoint_id>/secret"): [
        ("/admin/webhooks/{endpoint}/secret", {}, admin_only(200))
    ],
    ("GET", "/admin/webhooks/deliveries"): [("/admin/webhooks/deliveries", None, admin_only(200))],
    ("POST", "/admin/webhooks/deliveries/<int:delivery_id>/redeliver"): [
        ("/admin/webhooks/deliveries/{delivery}/redeliver", {}, admin_only(302))
    ],
    # Mentoring programmes: the directory and one's own pages
    ("GET", "/programmes/"): [("/programmes/", None, signed_in(200))],
    ("GET", "/programmes/profile"): [("/programmes/profile", None, signed_in(200))],
    ("POST", "/programmes/profile"): [("/programmes/profile", {}, signed_in(200))],
    ("GET", "/programmes/mentors"): [("/programmes/mentors", None, signed_in(200))],
    ("GET", "/programmes/mentors/<int:profile_id>/request"): [
        ("/programmes/mentors/{profile}/request", None, signed_in(200))
    ],
    ("POST", "/programmes/mentors/<int:profile_id>/request"): [
        ("/programmes/mentors/{profile}/request", {}, signed_in(422))
    ],
    ("GET", "/programmes/<int:programme_id>/guide"): [
        ("/programmes/{programme}/guide", None, signed_in(200))
    ],
    ("POST", "/programmes/<int:programme_id>/guide/acknowledge"): [
        ("/programmes/{programme}/guide/acknowledge", {}, signed_in(302))
    ],
    ("GET", "/programmes/chapters"): [("/programmes/chapters", None, signed_in(200))],
    # No chapter in this world: the page answers 404 to everyone signed in (coordinators of it would see it).
    ("GET", "/programmes/chapters/<int:chapter_id>"): [("/programmes/chapters/999999", None, signed_in(404))],
    ("GET", "/programmes/coordinator/chapters"): [
        ("/programmes/coordinator/chapters", None, coordinator_only(200))
    ],
    ("POST", "/programmes/coordinator/chapters"): [
        ("/programmes/coordinator/chapters", {}, coordinator_only(422))
    ],
    ("GET", "/programmes/coordinator/chapters/<int:chapter_id>"): [
        ("/programmes/coordinator/chapters/999999", None, coordinator_only(404))
    ],
    ("POST", "/programmes/coordinator/chapters/<int:chapter_id>"): [
        ("/programmes/coordinator/chapters/999999", {}, coordinator_only(404))
    ],
    ("GET", "/programmes/supervision"): [("/programmes/supervision", None, signed_in(200))],
    ("GET", "/programmes/supervision/new"): [("/programmes/supervision/new", None, signed_in(200))],
    ("POST", "/programmes/supervision/new"): [("/programmes/supervision/new", {}, signed_in(422))],
    # The supervisor's emailed link: each supervisor confirms their own session (and is thanked), once
    ("GET", "/programmes/supervision/confirm/<token>"): [
        (SUPERVISOR_LINK, None, expect(404, 404, 404, 404, 404, supervisor=200, wrong_supervisor=200))
    ],
    ("POST", "/programmes/supervision/confirm/<token>"): [
        (
            SUPERVISOR_LINK,
            {"answer": "confirm"},
            expect(404, 404, 404, 404, 404, supervisor=200, wrong_supervisor=200),
        )
    ],
    ("POST", "/programmes/applications/<int:application_id>/import"): [
        ("/programmes/applications/{application}/import", {}, owner_only(302))
    ],
    # A pair's pages
    ("GET", "/programmes/pairings/<int:pairing_id>"): [(PAIR, None, pair_only(200))],
    ("POST", "/programmes/pairings/<int:pairing_id>/<any(accept, decline, withdraw):action>"): [
        (PAIR + "/accept", {}, pair_only(302)),
        (PAIR + "/decline", {}, pair_only(302)),
        (PAIR + "/withdraw", {}, pair_only(302)),
    ],  # refused and said so: the pairing is active
    ("POST", "/programmes/pairings/<int:pairing_id>/<any(confirm, renew):action>"): [
        (PAIR + "/confirm", {}, pair_only(302)),
        (PAIR + "/renew", {}, pair_only(302)),
    ],  # the term runs on
    ("GET", "/programmes/pairings/<int:pairing_id>/declaration"): [
        (PAIR + "/declaration", None, pair_only(302))
    ],
    ("POST", "/programmes/pairings/<int:pairing_id>/declaration"): [
        (PAIR + "/declaration", {}, pair_only(302))
    ],
    ("GET", "/programmes/pairings/<int:pairing_id>/agreement"): [(PAIR + "/agreement", None, pair_only(200))],
    ("POST", "/programmes/pairings/<int:pairing_id>/agreement"): [(PAIR + "/agreement", {}, pair_only(200))],
    ("POST", "/programmes/pairings/<int:pairing_id>/agreement/sign"): [
        (PAIR + "/agreement/sign", {}, pair_only(422))
    ],
    ("GET", "/programmes/pairings/<int:pairing_id>/agreement.docx"): [
        (PAIR + "/agreement.docx", None, pair_only(200))
    ],
    ("GET", "/programmes/pairings/<int:pairing_id>/career-plan"): [
        (PAIR + "/career-plan", None, pair_only(200))
    ],
    ("POST", "/programmes/pairings/<int:pairing_id>/career-plan"): [
        (PAIR + "/career-plan", {}, pair_only(422))
    ],
    ("POST", "/programmes/pairings/<int:pairing_id>/career-plan/review"): [
        (PAIR + "/career-plan/review", {}, pair_only(422))
    ],
    ("GET", "/programmes/pairings/<int:pairing_id>/experience"): [
        (PAIR + "/experience", None, pair_only(200))
    ],
    ("POST", "/programmes/pairings/<int:pairing_id>/experience"): [
        (PAIR + "/experience", {}, pair_only(422))
    ],
    ("POST", "/programmes/pairings/<int:pairing_id>/experience/<int:entry_id>/acknowledge"): [
        (PAIR + "/experience/999999/acknowledge", {}, pair_only(404))  # no such entry in this pairing
    ],
    ("GET", "/programmes/pairings/<int:pairing_id>/close-out"): [(PAIR + "/close-out", None, pair_only(200))],
    # The term has just begun: the close-out is not open yet, and the page says so.
    ("POST", "/programmes/pairings/<int:pairing_id>/close-out"): [(PAIR + "/close-out", {}, pair_only(200))],
    ("GET", "/programmes/pairings/<int:pairing_id>/agreement.pdf"): [
        (PAIR + "/agreement.pdf", None, pair_only(200))
    ],
    ("GET", "/programmes/pairings/<int:pairing_id>/summary.<any(pdf, docx):kind>"): [
        (PAIR + "/summary.pdf", None, pair_only(404)),  # only a completed pairing has a summary
        (PAIR + "/summary.docx", None, pair_only(404)),
    ],
    ("POST", "/programmes/pairings/<int:pairing_id>/chapter"): [(PAIR + "/chapter", {}, pair_only(302))],
    ("GET", "/programmes/pairings/<int:pairing_id>/checkpoints.ics"): [
        (PAIR + "/checkpoints.ics", None, pair_only(200))
    ],
    ("POST", "/programmes/pairings/<int:pairing_id>/checkpoints/<int:checkpoint_id>/done"): [
        (PAIR + "/checkpoints/{checkpoint}/done", {}, pair_only(302))
    ],
    ("GET", "/programmes/pairings/<int:pairing_id>/goals/<int:goal_id>"): [
        (PAIR + "/goals/{goal}", None, pair_only(200))
    ],
    ("POST", "/programmes/pairings/<int:pairing_id>/goals/<int:goal_id>"): [
        (PAIR + "/goals/{goal}", {}, pair_only(422))
    ],
    ("GET", "/programmes/pairings/<int:pairing_id>/meetings/new"): [
        (PAIR + "/meetings/new", None, pair_only(200))
    ],
    ("POST", "/programmes/pairings/<int:pairing_id>/meetings/new"): [
        (PAIR + "/meetings/new", {}, pair_only(422))
    ],
    ("GET", "/programmes/pairings/<int:pairing_id>/meetings/<int:meeting_id>.ics"): [
        (PAIR + "/meetings/{meeting}.ics", None, pair_only(200))
    ],
    ("GET", "/programmes/pairings/<int:pairing_id>/evaluation"): [
        (PAIR + "/evaluation", None, pair_only(200))
    ],
    ("POST", "/programmes/pairings/<int:pairing_id>/evaluation"): [
        (PAIR + "/evaluation", {}, pair_only(422))
    ],
    # The coordinator's pages (administrators coordinate the programmes)
    ("GET", "/programmes/coordinator"): [("/programmes/coordinator", None, coordinator_only(200))],
    ("GET", "/programmes/coordinator/suggestions"): [
        ("/programmes/coordinator/suggestions", None, coordinator_only(200))
    ],
    ("GET", "/programmes/coordinator/pair"): [("/programmes/coordinator/pair", None, coordinator_only(200))],
    ("POST", "/programmes/coordinator/pair"): [("/programmes/coordinator/pair", {}, coordinator_only(422))],
    ("GET", "/programmes/coordinator/programmes/new"): [
        ("/programmes/coordinator/programmes/new", None, coordinator_only(200))
    ],
    ("POST", "/programmes/coordinator/programmes/new"): [
        ("/programmes/coordinator/programmes/new", {}, coordinator_only(422))
    ],
    ("GET", "/programmes/coordinator/programmes/<int:programme_id>"): [
        ("/programmes/coordinator/programmes/{programme}", None, coordinator_only(200))
    ],
    ("POST", "/programmes/coordinator/programmes/<int:programme_id>"): [
        ("/programmes/coordinator/programmes/{programme}", {}, coordinator_only(422))
    ],
    ("GET", "/programmes/coordinator/programmes/<int:programme_id>/results"): [
        ("/programmes/coordinator/programmes/{programme}/results", None, coordinator_only(200))
    ],
    ("GET", "/programmes/coordinator/programmes/<int:programme_id>/experience-categories"): [
        ("/programmes/coordinator/programmes/{programme}/experience-categories", None, coordinator_only(200))
    ],
    ("POST", "/programmes/coordinator/programmes/<int:programme_id>/experience-categories"): [
        ("/programmes/coordinator/programmes/{programme}/experience-categories", {}, coordinator_only(422))
    ],
    ("GET", "/programmes/coordinator/programmes/<int:programme_id>/guide"): [
        ("/programmes/coordinator/programmes/{programme}/guide", None, coordinator_only(200))
    ],
    ("POST", "/programmes/coordinator/programmes/<int:programme_id>/guide"): [
        ("/programmes/coordinator/programmes/{programme}/guide", {}, coordinator_only(422))
    ],
    ("GET", "/programmes/coordinator/pairings/<int:pairing_id>"): [
        # Its path names a pairing, so like a pair's pages it answers 404 rather than asking to sign in.
        ("/programmes/coordinator/pairings/{pairing}", None, coordinator_only(200, anonymous=404))
    ],
    ("POST", "/programmes/coordinator/pairings/<int:pairing_id>/verify"): [
        # Not completed, so the coordinator is told why on the pairing's page.
        ("/programmes/coordinator/pairings/{pairing}/verify", {}, coordinator_only(302, anonymous=404))
    ],
    ("POST", "/programmes/coordinator/pairings/<int:pairing_id>/early-start"): [
        # Nothing filled in: the coordinator sees the form again with what is missing.
        ("/programmes/coordinator/pairings/{pairing}/early-start", {}, coordinator_only(422, anonymous=404))
    ],
}

SIGN_OUT = ("/account/sign-out", {}, signed_in(302))


def _requests() -> list[tuple[str, str, dict | None, dict]]:
    """Every request of the walk, in the order sent: GETs, then POSTs, then the late POSTs, then sign-out."""
    rows = [(method, *row) for (method, _), entries in ROUTES.items() for row in entries]
    gets = [row for row in rows if row[0] == "GET"]
    posts = [row for row in rows if row[0] == "POST" and LATE not in row[4:]]
    late = [row for row in rows if row[0] == "POST" and LATE in row[4:]]
    return [row[:4] for row in gets + posts + late] + [("POST", *SIGN_OUT)]


# --- A's world ------------------------------------------------------------------------------------------------


def _submit_for_b(client, folder: Path) -> None:
    """B's own CPM application, submitted over HTTP with B's own mentees and referees."""
    application_id = data.start_application(client)
    base = f"/applications/{application_id}"
    client.post(
        f"{base}/about",
        data=data.about(
            full_name="Bob Other", contact_email="bob.other@example.com", postal_address="9 Elm Row, Leeds"
        ),
    )
    client.post(
        f"{base}/training/new",
        data={**data.training(), "certificate": data.certificate_upload(folder)},
        content_type="multipart/form-data",
    )
    for n in range(1, 4):
        referee = {"referee_name": f"Bobs Referee{n}", "referee_email": f"bobs.referee{n}@example.org"}
        client.post(
            f"{base}/engagements/new",
            data=data.engagement(
                n,
                referee=n <= 2,
                mentee_name=f"Bobs Mentee{n}",
                mentee_email=f"bobs.mentee{n}@example.org",
                **(referee if n <= 2 else {}),
            ),
        )
    client.post(f"{base}/supervision", data=data.supervision())
    client.post(f"{base}/declaration", data={"confirm": "y"})
    assert client.post(f"{base}/submit").status_code == 302


def _emailed_path(recipient: str, template: str) -> str:
    """The path of the portal's link in the latest email of ``template`` to ``recipient``."""
    message = db.session.scalars(
        select(EmailMessage)
        .where(EmailMessage.recipient == recipient, EmailMessage.template == template)
        .order_by(EmailMessage.id.desc())
    ).first()
    assert message is not None, f"no {template} email to {recipient}"
    return re.search(r"https?://[^/\s]+(/\S+)", message.text_body).group(1)


def _failed_webhook_delivery() -> WebhookDelivery:
    """A webhook endpoint with one delivery that failed: what the webhook pages and redelivery act on."""
    endpoint = WebhookEndpoint(
        url="https://hooks.example.org/portal", event_types=["application.submitted"], secret=new_secret()
    )
    event = WebhookEvent(message_id="msg_walk", type="application.submitted", payload={"data": {}})
    db.session.add_all([endpoint, event])
    db.session.flush()
    delivery = WebhookDelivery(
        event_id=event.id, endpoint_id=endpoint.id, status=DeliveryStatus.FAILED, attempts=1
    )
    db.session.add(delivery)
    db.session.commit()
    return delivery


def _emailed_token(recipient: str, template: str) -> str:
    return _emailed_path(recipient, template).rsplit("/", 1)[1]


def _stored(application_id: int, purpose: DocumentPurpose, name: str) -> Document:
    stored = current_storage().save(io.BytesIO(b"%PDF-1.4\n% a letter\n"), max_bytes=1024)
    document = Document(
        application_id=application_id,
        purpose=purpose,
        storage_key=stored.key,
        original_name=name,
        file_type="pdf",
        size_bytes=stored.size,
        sha256=stored.sha256,
    )
    db.session.add(document)
    db.session.flush()
    return document


@pytest.fixture
def world(app, applicant, other_applicant, reviewer, admin, tmp_path):
    a_client, b_client = client_for(app, applicant), client_for(app, other_applicant)
    application = data.submit(a_client, tmp_path, "CMM")
    flow.pay(application, admin)
    review.return_for_changes(
        application,
        reviewer,
        ["about", "prerequisite", "training", "engagements", "supervision", "declaration"],
        "Please check everything.",
    )
    db.session.commit()
    reference_token = _emailed_token("referee1@example.net", "reference_request")
    _submit_for_b(b_client, tmp_path)
    other_token = _emailed_token("bobs.referee1@example.org", "reference_request")

    # The first is replaced, the second resent: each walk's POSTs then leave the other alone.
    reference, resent_reference = db.session.scalars(
        select(ReferenceRequest)
        .where(ReferenceRequest.application_id == application.id)
        .order_by(ReferenceRequest.id)
    ).all()[:2]
    letter = _stored(application.id, DocumentPurpose.REFERENCE_LETTER, "letter.pdf")
    reference.letter_id = letter.id
    spare_training = TrainingRecord(
        application_id=application.id,
        centre_name="Spare Centre",
        centre_status=CentreStatus.ACCREDITED,
        programme_name="Spare",
        hours=1,
        mode=TrainingMode.ONLINE,
        start_date=date(2020, 1, 1),
        end_date=date(2020, 1, 2),
        instructor_name="Spare Instructor",
        instructor_email="spare@example.com",
    )
    spare_engagement = Engagement(
        application_id=application.id,
        mentee_name="Spare Mentee",
        mentee_email="spare.mentee@example.com",
        start_date=date(2020, 1, 1),
        end_date=date(2020, 6, 1),
        setting=EngagementSetting.EXTERNAL,
    )
    db.session.add_all([spare_training, spare_engagement])
    reason = StandardReason(kind=ReasonKind.REJECT, title="Too short", text="Training too short.")
    db.session.add(reason)
    applicant.is_profile_public, applicant.profile_slug = True, "ada-lovelace-abc123"
    db.session.commit()
    credential = flow.issued(applicant, date.today() - timedelta(days=30))
    api_token, _ = create_token(admin, "Finance system", True, None)
    db.session.commit()
    delivery = _failed_webhook_delivery()

    mentor = make_user("mona.mentor@example.org", Role.APPLICANT, "Mona Mentor")
    profile = ops.save_profile(mentor, {**pairs.profile(), "capacity": 2, "is_published": True})
    db.session.commit()
    pairing = pairs.active_pairing(admin, mentor, applicant, date.today())
    meeting = ops.log_meeting(
        pairing,
        applicant,
        {
            "held_on": date.today(),
            "starts_at": None,
            "mode": "in_person",
            "duration_minutes": 60,
            "notes": "Private notes of the pair.",
        },
    )
    for person, supervisor, email, minutes in (
        (applicant, "Sid Supervisor", "sid@supervision.example", 60),
        (applicant, "Sue Second", "sue@second.example", 95),
        (other_applicant, "Bea Boss", "bea@boss.example", 60),
    ):
        ops.log_supervision_session(
            person,
            {
                "supervisor_name": supervisor,
                "supervisor_email": email,
                "held_on": date.today(),
                "duration_minutes": minutes,
                "focus": "both",
            },
        )
    db.session.commit()

    document = db.session.scalar(
        select(Document).where(
            Document.application_id == application.id, Document.purpose == DocumentPurpose.CERTIFICATE
        )
    )
    values = {
        "application": application.id,
        "training": application.training_records[0].id,
        "engagement": application.engagements[0].id,
        "spare_training": spare_training.id,
        "spare_engagement": spare_engagement.id,
        "document": document.id,
        "letter": letter.id,
        "reference": reference.id,
        "resent_reference": resent_reference.id,
        "declaration": current_declaration(application).id,
        "number": credential.number,
        "credential": credential.id,
        "slug": "ada-lovelace-abc123",
        "reason": reason.id,
        "api_token": api_token.id,
        "endpoint": delivery.endpoint_id,
        "delivery": delivery.id,
        "other_user": other_applicant.id,
        "member": members.member().id,
        "profile": profile.id,
        "programme": pairing.programme_id,
        "pairing": pairing.id,
        "checkpoint": pairing.checkpoints[0].id,
        "goal": pairing.goals[0].id,
        "meeting": meeting.id,
        "token": "not-a-real-token",
        "reference_token": "not-a-real-token",
        "supervision_token": "not-a-real-token",
        "declaration_token": "not-a-real-token",
    }
    # Each link holder's token, tried in every link's URL: a referee's token opens no supervision page, nor a
    # supervisor's a reference. The referee and supervisor hold A's (Sid's) links, the wrong ones B's.
    links = {
        "referee": reference_token,
        "wrong_referee": other_token,
        "supervisor": _emailed_token("sid@supervision.example", "supervision_confirmation"),
        "wrong_supervisor": _emailed_token("bea@boss.example", "supervision_confirmation"),
    }
    tokens = {
        holder: {"reference_token": token, "supervision_token": token, "declaration_token": token}
        for holder, token in links.items()
    }
    people = {
        "anonymous": None,
        **dict.fromkeys(LINK_HOLDERS),
        "owner": applicant,
        "other": other_applicant,
        "reviewer": reviewer,
        "admin": admin,
    }
    return people, values, tokens


# --- the walk ---------------------------------------------------------------------------------------------


def _status_problem(response, want) -> str | None:
    if want == LOGIN:
        if response.status_code == 302 and "/account/sign-in" in response.headers.get("Location", ""):
            return None
        return f"{response.status_code} {response.headers.get('Location', '')} (wanted the sign-in page)"
    return None if response.status_code == want else f"{response.status_code} (wanted {want})"


def _header_problems(response) -> list[str]:
    policy = response.headers.get("Content-Security-Policy", "")
    problems = []
    if "default-src 'self'" not in policy or "'unsafe-inline'" in policy or "'unsafe-eval'" in policy:
        problems.append(f"weak Content-Security-Policy: {policy!r}")
    if "frame-ancestors 'none'" not in policy or response.headers.get("X-Frame-Options") != "DENY":
        problems.append("may be framed")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    return problems


def _personal_data_problems(visitor: str, path: str, response) -> list[str]:
    """Personal data the visitor should not see; on their link's page, what it should show but does not."""
    if visitor in STAFF or path in PUBLIC_BY_DESIGN:
        return []
    body, problems = response.get_data(), []
    link_page, whose, shown = LINKS.get(visitor, (None, None, ()))
    for person, items in PERSONAL_DATA.items():
        if person == visitor:
            continue
        seen = body
        if path == link_page and person == whose:
            problems += [f"does not show {item!r}" for item in shown if item.encode() not in body]
            for item in shown:  # a whole word only: "Mentee Number1" does not excuse "Mentee Number10"
                seen = re.sub(re.escape(item.encode()) + rb"(?!\w)", b"", seen)
        problems += [f"shows {person}'s {item!r}" for item in items if item.encode() in seen]
    return problems


def test_every_route_answers_every_kind_of_visitor_as_the_table_says(app, world):
    people, values, tokens = world
    problems, checked = [], 0
    for visitor in VISITORS:
        client = client_for(app, people[visitor])
        placeholders = {**values, **tokens.get(visitor, {})}
        for method, path, form, expected in _requests():
            url = path.format(**placeholders)
            with client.open(url, method=method, data=form) as response:
                checked += 1
                where = f"{visitor} {method} {url}"
                if (problem := _status_problem(response, expected[visitor])) is not None:
                    problems.append(f"{where}: {problem}")
                problems += [f"{where}: {problem}" for problem in _header_problems(response)]
                problems += [
                    f"{where}: {problem}" for problem in _personal_data_problems(visitor, path, response)
                ]
    assert not problems, f"{len(problems)} of {checked} requests went wrong:\n" + "\n".join(problems)


def test_a_get_only_route_refuses_a_post(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods and not rule.arguments:
            response = client.post(rule.rule)
            assert response.status_code == 405, rule.rule
            assert not _header_problems(response), rule.rule


def test_every_route_has_an_expectation_in_the_table(app):
    """A new route fails here until the table says who may use it."""
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - set(ROUTES) == set(), "routes without expectations"
    assert set(ROUTES) - routes == set(), "expectations for routes that no longer exist"
    for (method, rule), rows in ROUTES.items():
        assert rows or rule == "/account/sign-out", rule
        for path, *_ in rows:
            shape = re.sub(r"\{[^}]+\}", "*", path)
            pattern = re.sub(r"<path:[^>]+>", ".+", rule.replace(".", r"\."))
            assert re.fullmatch(re.sub(r"<[^>]+>", "[^/]+", pattern), shape.replace("*", "x")), (rule, path)


# --- sessions: what tests/http/test_auth.py does not already cover ------------------------------------------


def _reset_path(email: str) -> str:
    return _emailed_path(email, "password_reset")


def test_a_session_cookie_set_before_sign_in_is_not_signed_in_afterwards(app, applicant):
    client = client_for(app)
    with client.session_transaction() as session:  # a session an attacker started and fixed in the browser
        session["csrf_token"] = "the attacker's"
    planted = client.get_cookie("session").value
    assert sign_in(client, applicant).status_code == 302
    assert client.get_cookie("session").value != planted
    attacker = client_for(app)
    attacker.set_cookie("session", planted)
    assert _status_problem(attacker.get("/applications/"), LOGIN) is None


def test_signing_out_ends_the_session_on_every_device(app, applicant):
    laptop, phone = client_for(app, applicant), client_for(app, applicant)
    assert phone.get("/applications/").status_code == 200
    laptop.post("/account/sign-out")
    assert _status_problem(phone.get("/applications/"), LOGIN) is None


def test_a_password_reset_ends_older_sessions_and_older_reset_links(app, applicant):
    signed_in_elsewhere = client_for(app, applicant)
    client = client_for(app)
    client.post("/account/forgot-password", data={"email": applicant.email})
    first = _reset_path(applicant.email)
    client.post("/account/forgot-password", data={"email": applicant.email})
    second = _reset_path(applicant.email)
    password = "a brand new passphrase"
    assert client.post(second, data={"password": password, "confirm": password}).status_code == 302
    for used_or_older in (first, second):
        response = client.post(
            used_or_older, data={"password": "another passphrase", "confirm": "another passphrase"}
        )
        assert response.status_code == 400 and b"already been used" in response.data
    assert _status_problem(signed_in_elsewhere.get("/applications/"), LOGIN) is None


def test_the_session_cookie_is_kept_from_scripts_and_other_sites(app, applicant):
    response = sign_in(client_for(app), applicant)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
