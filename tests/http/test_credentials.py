"""Credentials through HTTP: issue on approval, public verification in every status, certificate, badge,
profile, revocation, and the expiry sweep."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from io import BytesIO

import pypdf
import pytest
import time_machine
from sqlalchemy import select

from portal.db import db
from portal.models.audit import AuditEntry
from portal.models.credentials import CredentialNotice, IssuedCredential
from portal.workflows.credentials.operations import sweep_expiry
from tests.factories import review as flow
from tests.helpers import client_for, emails, page

NUMBER = re.compile(r"^CPM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


@time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=UTC), tick=False)
def test_approval_issues_a_credential_with_a_random_number_and_the_catalogues_validity(
    app, applicant, reviewer, admin, tmp_path
):
    client = client_for(app, applicant)
    application = flow.ready_to_approve(client, tmp_path, admin)
    assert client_for(app, reviewer).post(f"/review/{application.id}/approve").status_code == 302
    credential = db.session.scalar(select(IssuedCredential))
    assert NUMBER.match(credential.number), credential.number
    assert (credential.issued_on, credential.expires_on) == (date(2026, 3, 2), date(2028, 3, 2))
    assert credential.training_hours == 35 and credential.holder_name == "Ada Lovelace"
    email = emails("credential_issued")[0]
    assert email.recipient == "ada.applicant@example.com" and credential.number in email.subject
    assert f"/verify/{credential.number}" in email.text_body
    assert credential.number in page(client.get("/credentials/"))
    assert credential.number in page(client.get(f"/applications/{application.id}/status"))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "issue"))
    assert (entry.subject_type, entry.subject_id, entry.actor_id) == (
        "credentials",
        credential.id,
        reviewer.id,
    )


@pytest.mark.parametrize(
    "today, status, shown",
    [
        (date(2025, 6, 1), "Valid", "This credential is valid."),
        (date(2025, 10, 16), "Valid", "This credential is valid."),  # 91 days before expiry
        (date(2025, 10, 17), "Expiring soon", "expires on 15 January 2026"),  # 90 days before
        (date(2026, 1, 15), "Expiring soon", "expires on 15 January 2026"),  # its last day
        (date(2026, 1, 16), "Expired", "This credential expired on 15 January 2026."),
    ],
)
def test_the_public_verification_page_shows_the_status_as_time_passes(app, applicant, today, status, shown):
    credential = flow.issued(applicant, date(2024, 1, 15))
    with time_machine.travel(datetime.combine(today, datetime.min.time(), tzinfo=UTC), tick=False):
        response = client_for(app).get(f"/verify/{credential.number}")
    text = page(response)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    assert (
        f'tag--{"green" if status == "Valid" else "yellow" if status == "Expiring soon" else "grey"}">{status}'
        in text
    )
    assert shown in text
    for public in (
        "Ada Lovelace",
        "Certified Professional Mentor (CPM)",
        credential.number,
        "35 hours",
        "15 January 2024",
        "15 January 2026",
    ):
        assert public in text, public
    for private in (
        "ada.applicant@example.com",
        "1 Road",
        "Sam Supervisor",
        credential.application.reference,
    ):
        assert private not in text, private


def test_a_revoked_credential_shows_as_revoked_without_the_reason(app, applicant, admin):
    credential = flow.issued(applicant, date.today())
    staff = client_for(app, admin)
    assert staff.post(f"/admin/credentials/{credential.id}/revoke", data={"reason": ""}).status_code == 422
    response = staff.post(
        f"/admin/credentials/{credential.id}/revoke", data={"reason": "The training certificate was forged."}
    )
    assert response.status_code == 302
    text = page(client_for(app).get(f"/verify/{credential.number}"))
    assert 'tag--red">Revoked' in text and "It is no longer valid." in text
    assert "forged" not in text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "revoke"))
    assert (entry.actor_id, entry.to_state, entry.reason) == (
        admin.id,
        "revoked",
        "The training certificate was forged.",
    )
    assert "forged" in emails("credential_revoked")[0].text_body
    response = staff.post(f"/admin/credentials/{credential.id}/revoke", data={"reason": "Again."})
    assert response.status_code == 422 and "already been revoked" in page(response)
    # A revoked credential gives no certificate or badge.
    holder = client_for(app, applicant)
    assert holder.get(f"/credentials/{credential.number}/certificate.pdf").status_code == 404
    assert holder.get(f"/credentials/{credential.number}/badge.json").status_code == 404


def test_an_unknown_number_is_not_found_and_the_lookup_forgives_case_and_spaces(app, applicant):
    credential = flow.issued(applicant, date.today())
    visitor = client_for(app)
    response = visitor.get("/verify/CPM-AAAA-BBBB-CCCC")
    assert response.status_code == 404 and "No credential has this number" in page(response)
    response = visitor.get("/verify", query_string={"number": f" {credential.number.lower()} "})
    assert response.status_code == 302 and response.headers["Location"] == f"/verify/{credential.number}"
    assert visitor.get(f"/verify/{credential.number.lower()}").status_code == 200
    assert "Enter the credential number" in page(visitor.get("/verify?number="))


def test_the_holder_downloads_a_certificate_with_a_qr_code_to_the_verification_page(
    app, applicant, other_applicant
):
    credential = flow.issued(applicant, date(2026, 1, 10))
    holder = client_for(app, applicant)
    response = holder.get(f"/credentials/{credential.number}/certificate.pdf")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    reader = pypdf.PdfReader(BytesIO(response.data))
    text = reader.pages[0].extract_text()
    for shown in (
        "Ada Lovelace",
        "Certified Professional Mentor (CPM)",
        credential.number,
        "35 hours",
        "10 January 2026",
        "10 January 2028",
        f"http://localhost/verify/{credential.number}",
    ):
        assert shown in text, shown
    assert len(reader.pages[0].images) == 1  # the QR code
    assert (
        client_for(app, other_applicant).get(f"/credentials/{credential.number}/certificate.pdf").status_code
        == 404
    )
    anonymous = client_for(app).get(f"/credentials/{credential.number}/certificate.pdf")
    assert anonymous.status_code == 302 and "/account/sign-in" in anonymous.headers["Location"]


def test_the_qr_code_encodes_the_verification_address():
    import qrcode

    from portal.printing import CertificateData, certificate_pdf

    url = "https://credentials.example.org/verify/CPM-AAAA-BBBB-CCCC"
    data = CertificateData(
        "CPM-AAAA-BBBB-CCCC",
        "Ada",
        "Certified Professional Mentor",
        "CPM",
        35,
        date(2026, 1, 1),
        date(2028, 1, 1),
        url,
    )
    image = pypdf.PdfReader(BytesIO(certificate_pdf(data))).pages[0].images[0].image.convert("1")
    expected = qrcode.make(url, border=2).get_image().convert("1")
    assert image.size == expected.size and image.tobytes() == expected.tobytes()


def test_the_holder_downloads_an_open_badges_3_credential(app, applicant):
    credential = flow.issued(applicant, date(2026, 1, 10))
    response = client_for(app, applicant).get(f"/credentials/{credential.number}/badge.json")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    badge = json.loads(response.data)
    assert badge["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert badge["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/context")
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    # Every address in it is under BASE_URL, where its issuer's did:web lives, whichever host served it.
    assert badge["id"] == f"http://127.0.0.1:5000/verify/{credential.number}"
    assert (
        badge["issuer"]["type"] == ["Profile"] and badge["issuer"]["name"] == "International Mentoring Center"
    )
    assert (badge["validFrom"], badge["validUntil"]) == ("2026-01-10T00:00:00Z", "2028-01-10T23:59:59Z")
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert (
        achievement["type"] == ["Achievement"]
        and achievement["name"] == "Certified Professional Mentor (CPM)"
    )
    assert "35 hours of mentoring training" in achievement["criteria"]["narrative"]
    identities = {identity["identityType"]: identity for identity in subject["identifier"]}
    assert identities["name"]["identityHash"] == "Ada Lovelace"
    assert identities["emailAddress"]["hashed"] is True
    assert identities["emailAddress"]["identityHash"].startswith("sha256$")
    assert "ada.applicant@example.com" not in response.get_data(as_text=True)


def test_the_public_mentor_profile_is_opt_in_and_lists_current_credentials_as_badges(app, applicant):
    valid = flow.issued(applicant, date.today())
    expired = flow.issued(applicant, date(2015, 1, 1))
    holder = client_for(app, applicant)
    assert "Show my credentials on a public mentor profile" in page(holder.get("/credentials/"))
    assert holder.post("/credentials/profile", data={"is_profile_public": "y"}).status_code == 302
    db.session.expire_all()
    slug = db.session.get(type(applicant), applicant.id).profile_slug
    assert slug.startswith("ada-lovelace-")
    text = page(client_for(app).get(f"/mentors/{slug}"))
    assert "Ada Lovelace" in text and valid.number in text and expired.number not in text
    assert "ada.applicant@example.com" not in text
    holder.post("/credentials/profile", data={})
    assert client_for(app).get(f"/mentors/{slug}").status_code == 404
    holder.post("/credentials/profile", data={"is_profile_public": "y"})
    db.session.expire_all()
    assert db.session.get(type(applicant), applicant.id).profile_slug == slug  # the address stays the same


def test_the_expiry_sweep_reminds_at_90_and_30_days_and_marks_expiry_each_once(app, applicant):
    credential = flow.issued(applicant, date(2024, 1, 15))  # expires 15 January 2026
    for day, reminders, expired in [
        (date(2025, 10, 16), [], 0),  # 91 days left
        (date(2025, 10, 17), ["90"], 0),  # 90 days left
        (date(2025, 10, 18), ["90"], 0),  # the next run sends nothing new
        (date(2025, 12, 16), ["90", "30"], 0),  # 30 days left
        (date(2026, 1, 15), ["90", "30"], 0),  # its last valid day
        (date(2026, 1, 16), ["90", "30"], 1),  # expired
        (date(2026, 1, 17), ["90", "30"], 1),
    ]:
        with time_machine.travel(datetime.combine(day, datetime.min.time(), tzinfo=UTC), tick=False):
            sweep_expiry()
            db.session.commit()
        sent = [re.search(r"expires in (\d+) days", e.subject) for e in emails("credential_expiring")]
        assert [s.group(1) for s in sent] == reminders, day
        assert len(emails("credential_expired")) == expired, day
    db.session.expire_all()
    assert db.session.get(IssuedCredential, credential.id).expired_at is not None
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "expire")).all()) == 1


def test_a_late_first_sweep_sends_only_the_nearest_reminder(app, applicant):
    flow.issued(applicant, date(2024, 1, 15))
    with time_machine.travel(
        datetime(2025, 12, 20, tzinfo=UTC), tick=False
    ):  # 26 days left, nothing sent yet
        sweep_expiry()
        sweep_expiry()
        db.session.commit()
    assert [e.subject.split(" – ")[0] for e in emails("credential_expiring")] == [
        "Your credential expires in 26 days"
    ]
    kinds = set(db.session.scalars(select(CredentialNotice.kind)))
    assert kinds == {"expiring_90", "expiring_30"}


def test_revoked_and_renewed_credentials_get_no_reminders(app, applicant, admin):
    from portal.workflows.credentials.operations import revoke

    revoked = flow.issued(applicant, date(2024, 1, 15))
    revoke(revoked, admin, "Withdrawn by the body.")
    db.session.commit()
    with time_machine.travel(datetime(2025, 12, 20, tzinfo=UTC), tick=False):
        sweep_expiry()
        db.session.commit()
    assert emails("credential_expiring") == []


def test_the_sweep_runs_as_a_periodic_actor_on_a_real_worker(app, applicant, worker):
    from portal.tasks.broker import current_broker
    from portal.tasks.scheduler import PERIODIC

    assert PERIODIC["sweep_credentials"] == 3600
    credential = flow.issued(applicant, date(2000, 1, 1))
    current_broker().get_actor("sweep_credentials").send()
    worker.drain()
    db.session.expire_all()
    assert db.session.get(IssuedCredential, credential.id).expired_at is not None
    assert len(emails("credential_expired")) == 1
