"""Membership verified, through HTTP: the member register an admin keeps (one entry, CSV import and export),
applicants' claims to the member rate checked against it, and a reviewer's decision on a claim it did not back,
down to the fee difference asked for, paid and recorded."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from portal.db import db
from portal.enums import Role
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.members import Member
from portal.workflows.registry import catalogue
from tests.factories import applications as data
from tests.factories import members
from tests.factories import review as flow
from tests.helpers import client_for, emails, make_user, page


def _import(client, body: str, preview: bool = False):
    form = {"file": (io.BytesIO(body.encode()), "members.csv")}
    if preview:
        form["preview"] = "y"
    return client.post("/admin/members/import", data=form, content_type="multipart/form-data")


def _register() -> dict[str, Member]:
    db.session.expire_all()
    return {member.number: member for member in db.session.scalars(select(Member))}


def _difference() -> str:
    cpm = catalogue()["CPM"]
    return f"{cpm.fee_non_member - cpm.fee_member:.2f}"


# --- the register ---------------------------------------------------------------------------------------------


def test_an_admin_imports_a_csv_and_is_told_what_was_added_updated_and_rejected_by_line(app, admin):
    members.member("IMC1", "Ada Lovelace", "ada@example.com", date(2026, 12, 31))
    staff = client_for(app, admin)
    body = (
        " Member Number ,NAME,E-mail,valid_until\n"
        "IMC1,Ada Lovelace,ada.new@example.com,2027-06-30\n"
        "imc 2,Bo Brown,bo@example.com,30/06/2027\n"
        ",No Number,nn@example.com,2027-01-01\n"
        "IMC3,Cy Clark,not-an-email,2027-01-01\n"
        "IMC2,Bo Again,bo2@example.com,2027-01-01\n"
        "IMC4,Di Dunn,di@example.com,someday\n"
    )
    preview = page(_import(staff, body, preview=True))
    assert "What importing would do" in preview
    assert "1 added, 1 updated, 0 unchanged, 4 rejected: nothing has been changed yet." in preview
    assert set(_register()) == {"IMC1"}

    response = _import(staff, body)
    text = page(response)
    assert response.status_code == 200 and "The import is done" in text
    assert "1 added, 1 updated, 0 unchanged, 4 rejected." in text
    assert "Line 4: Enter the member number." in text
    assert "Line 5: “not-an-email” is not an email address." in text
    assert "Line 6: Number IMC2 is already on line 3." in text
    assert "Line 7: “someday” is not a date like 2027-06-30." in text
    assert (
        "IMC1 (line 2): email ada@example.com → ada.new@example.com; valid until 31 December 2026 → 30 June 2027"
        in text
    )
    register = _register()
    assert set(register) == {"IMC1", "IMC2"}
    assert (register["IMC2"].name, register["IMC2"].valid_until) == ("Bo Brown", date(2027, 6, 30))
    assert register["IMC2"].created_by_id == admin.id and register["IMC1"].updated_by_id == admin.id
    audited = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "member_register_imported")
    ).all()
    assert [entry.reason for entry in audited] == ["members.csv: 1 added, 1 updated, 0 unchanged, 4 rejected"]

    again = page(_import(staff, body))
    assert "0 added, 0 updated, 2 unchanged, 4 rejected." in again
    assert "Member register imported" in again and "adam.admin@example.org" in again  # who, on its history
    export = staff.get("/admin/exports/members.csv")
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    assert export.get_data(as_text=True).splitlines() == [
        "number,name,email,valid until",
        "IMC1,Ada Lovelace,ada.new@example.com,2027-06-30",
        "IMC2,Bo Brown,bo@example.com,2027-06-30",
    ]


def test_a_malformed_file_is_refused_with_the_reason_and_nothing_is_imported(app, admin):
    staff = client_for(app, admin)
    response = _import(staff, "number,name,email\nIMC1,Ada,ada@example.com\n")
    assert response.status_code == 422
    assert "The first line has no “valid until” column" in page(response)
    response = staff.post(
        "/admin/members/import",
        data={
            "file": (
                io.BytesIO(b"number,name,email,valid until\nIMC1,Ada,a@example.com,2027-01-01\n\xff"),
                "m.csv",
            )
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "The file is not UTF-8 text" in page(response)
    assert _register() == {}
    assert staff.post("/admin/members/import", data={}).status_code == 422


def test_an_admin_adds_and_changes_an_entry_with_errors_at_their_fields(app, admin):
    members.member("IMC7", "Taken Already", "taken@example.com")
    staff = client_for(app, admin)
    form = {"number": "imc 8", "name": "Zoë Zimmer", "email": "zoe@", "valid_until": "2027-02-30"}
    response = staff.post("/admin/members/new", data=form)
    text = page(response)
    assert response.status_code == 422
    assert "Enter an email address like name@example.com." in text
    assert "Enter the date valid until as a real date." in text
    assert 'value="Zoë Zimmer"' in text  # what was typed is kept
    response = staff.post(
        "/admin/members/new",
        data={**form, "number": "imc7", "email": "zoe@example.com", "valid_until": "2027-02-28"},
    )
    assert response.status_code == 422 and "Member IMC7 is already in the register." in page(response)
    response = staff.post(
        "/admin/members/new", data={**form, "email": "zoe@example.com", "valid_until": "2027-02-28"}
    )
    assert response.status_code == 302
    entry = _register()["IMC8"]
    assert page(staff.get("/admin/members?q=zimmer")).count("IMC8") >= 1
    assert "IMC7" not in page(staff.get("/admin/members?q=zimmer"))
    response = staff.post(
        f"/admin/members/{entry.id}",
        data={
            "number": "IMC8",
            "name": "Zoë Zimmer",
            "email": "zoe@example.com",
            "valid_until": "2028-02-28",
        },
    )
    assert response.status_code == 302
    history = page(staff.get(f"/admin/members/{entry.id}"))
    assert "Member changed in the register" in history and "28 February 2027 → 28 February 2028" in history
    reasons = db.session.scalars(
        select(AuditEntry.reason).where(
            AuditEntry.subject_type == "members", AuditEntry.subject_id == entry.id
        )
    ).all()
    assert reasons == [
        "IMC8, Zoë Zimmer, zoe@example.com, valid until 28 February 2027",
        "valid until 28 February 2027 → 28 February 2028",
    ]


def test_only_admins_reach_the_register(app, applicant, reviewer):
    for person in (applicant, reviewer):
        client = client_for(app, person)
        for url in (
            "/admin/members",
            "/admin/members/new",
            "/admin/members/import",
            "/admin/exports/members.csv",
        ):
            assert client.get(url).status_code == 403, (person.email, url)
    assert "/account/sign-in" in client_for(app).get("/admin/members").headers["Location"]


# --- claims -----------------------------------------------------------------------------------------------------


def test_a_claim_matching_the_register_is_verified_automatically(app, applicant, reviewer, admin, tmp_path):
    members.member("IMC-4471", "ADA  LOVELACE", "someone.else@example.com")  # the name matches, not the email
    application = data.submit(client_for(app, applicant), tmp_path)
    flow.pay(application, admin)
    flow.confirm_references(application)
    flow.settle_documents(application)
    text = page(client_for(app, reviewer).get(f"/review/{application.id}"))
    assert "Membership verified" in text
    assert (
        "Verified automatically: Number IMC-4471, valid until 31 December 2099; the name matches the register."
        in text
    )
    assert "Membership verified automatically" in text  # on the timeline
    owner = page(client_for(app, applicant).get(f"/applications/{application.id}/status"))
    assert "Membership IMC-4471: verified." in owner
    assert client_for(app, reviewer).post(f"/review/{application.id}/approve").status_code == 302


def test_a_claim_the_register_does_not_back_is_on_the_checklist_and_holds_approval(
    app, applicant, reviewer, admin, tmp_path
):
    members.member("IMC-4471", "Ada Lovelace", "ada.applicant@example.com", date.today() - timedelta(days=1))
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)
    flow.pay(application, admin)
    flow.confirm_references(application)
    flow.settle_documents(application)
    staff = client_for(app, reviewer)
    text = page(staff.get(f"/review/{application.id}"))
    expired = f"Membership IMC-4471 expired on {(date.today() - timedelta(days=1)).day}"
    assert "Membership verified" in text and expired in text
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409
    assert "The membership claimed (IMC-4471) is not verified: " + expired in page(response)

    # A reviewer confirms it by hand, with a reason: the line is met and the decision audited.
    response = staff.post(
        f"/review/{application.id}/membership", data={"decision": "confirmed", "reason": ""}
    )
    assert response.status_code == 422 and "Say why." in page(response)
    response = staff.post(
        f"/review/{application.id}/membership",
        data={
            "decision": "confirmed",
            "reason": "Renewed last week; the membership team confirmed by phone.",
        },
    )
    assert response.status_code == 302
    text = page(staff.get(f"/review/{application.id}"))
    assert "Confirmed by a reviewer: Renewed last week" in text
    assert "The membership was confirmed by a reviewer, not matched in the member register." in text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "membership_confirmed"))
    assert entry.actor_id == reviewer.id and "membership team confirmed" in entry.reason
    assert staff.post(f"/review/{application.id}/approve").status_code == 302


def test_a_false_claim_asks_for_the_fee_difference_and_review_waits_until_it_is_paid(
    app, applicant, reviewer, admin, tmp_path
):
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)  # IMC-4471 is in no register
    flow.pay(application, admin)
    flow.confirm_references(application)
    flow.settle_documents(application)
    staff = client_for(app, reviewer)
    assert "No member with number IMC-4471." in page(staff.get(f"/review/{application.id}"))
    assert "we could not match it in our member register; a reviewer will check it" in page(
        client.get(f"/applications/{application.id}/status")
    )

    response = staff.post(
        f"/review/{application.id}/membership",
        data={"decision": "false_claim", "reason": "IMC-4471 is not a number we have ever issued."},
    )
    assert response.status_code == 302
    difference = _difference()
    [email] = emails("fee_difference_requested", "ada.applicant@example.com")
    assert f"pay the difference of US${int(float(difference))}" in email.text_body
    assert "IMC-4471 is not a number we have ever issued." in email.text_body
    assert f"/applications/{application.id}/payment" in email.text_body

    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409
    assert (
        f"The membership claim was found false: the fee difference of {difference} USD has not been paid yet."
        in page(response)
    )
    payment_page = page(client.get(f"/applications/{application.id}/payment"))
    assert "Pay the fee difference" in payment_page and f"US${int(float(difference))}" in payment_page
    status = page(client.get(f"/applications/{application.id}/status"))
    assert (
        "not paid yet: the review waits for it" in status and "Non-member fee difference asked for" in status
    )

    office = client_for(app, admin)
    assert application.reference in page(office.get("/admin/payments"))
    receipt = {
        "reference": application.reference,
        "method": "bank_transfer",
        "currency": "USD",
        "transaction_reference": "BANK-DIFF-1",
        "received_on": date.today().isoformat(),
    }
    response = office.post("/admin/payments", data={**receipt, "amount": "250"})
    assert response.status_code == 422
    assert f"does not match the fee difference of {difference} USD" in page(response)
    response = office.post("/admin/payments", data={**receipt, "amount": difference})
    assert response.status_code == 302
    assert "Fee difference recorded" in page(office.get("/admin/payments"))

    assert "Non-member fee difference paid" in page(client.get(f"/applications/{application.id}/status"))
    assert staff.post(f"/review/{application.id}/approve").status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == "approved"
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject_type == "applications").order_by(AuditEntry.id)
    ).all()
    assert [
        "membership_unverified",
        "membership_false",
        "fee_difference_requested",
        "fee_difference_paid",
    ] == [action for action in actions if action.startswith(("membership", "fee_difference"))]


def test_staff_named_on_the_application_cannot_decide_its_membership_nor_record_its_fee_difference(
    app, applicant, reviewer, admin, tmp_path
):
    application = data.submit(client_for(app, applicant), tmp_path)
    flow.pay(application, admin)
    referee = make_user("referee1@example.net", Role.ADMIN, "Rhea Referee")
    conflicted = client_for(app, referee)
    decision = {"decision": "false_claim", "reason": "Not a member."}
    response = conflicted.post(f"/review/{application.id}/membership", data=decision)
    assert response.status_code == 403 and "appears on" in page(response)
    assert emails("fee_difference_requested") == []
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "membership_false")) is None

    assert (
        client_for(app, reviewer).post(f"/review/{application.id}/membership", data=decision).status_code
        == 302
    )
    response = conflicted.post(
        "/admin/payments",
        data={
            "reference": application.reference,
            "method": "bank_transfer",
            "amount": _difference(),
            "currency": "USD",
            "transaction_reference": "BANK-DIFF-2",
            "received_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "Rhea Referee appears on " + application.reference + " as a referee" in page(response)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "fee_difference_paid")) is None


def test_an_import_that_changes_the_matching_entry_checks_the_claim_again(
    app, applicant, reviewer, admin, tmp_path
):
    application = data.submit(client_for(app, applicant), tmp_path)
    flow.pay(application, admin)
    staff = client_for(app, reviewer)
    assert "No member with number IMC-4471." in page(staff.get(f"/review/{application.id}"))
    text = page(
        _import(
            client_for(app, admin),
            "number,name,email,valid until\nIMC-4471,Ada Lovelace,ada.applicant@example.com,2030-01-01\n",
        )
    )
    assert f"Membership checked again, with a different outcome, for {application.reference}." in text
    text = page(staff.get(f"/review/{application.id}"))
    assert "Verified automatically: Number IMC-4471" in text
    assert "(Checked after a change to the member register.)" in text


def test_a_number_corrected_after_a_return_is_checked_again_at_resubmission(
    app, applicant, reviewer, admin, tmp_path
):
    members.member()  # IMC-4471, Ada Lovelace
    client = client_for(app, applicant)
    application_id = data.start_application(client)
    data.fill_application(client, application_id, tmp_path)
    about = f"/applications/{application_id}/about"
    assert client.post(about, data=data.about(member_number="IMC-4417")).status_code == 302
    assert client.post(f"/applications/{application_id}/submit").status_code == 302
    application = db.session.get(Application, application_id)
    flow.pay(application, admin)
    staff = client_for(app, reviewer)
    assert "No member with number IMC-4417." in page(staff.get(f"/review/{application_id}"))
    response = staff.post(
        f"/review/{application_id}/return",
        data={"sections": ["about"], "reason": "IMC-4417 is not in our member register: check your number."},
    )
    assert response.status_code == 302
    assert client.post(about, data=data.about()).status_code == 302
    assert client.post(f"/applications/{application_id}/resubmit").status_code == 302
    text = page(staff.get(f"/review/{application_id}"))
    assert "Verified automatically: Number IMC-4471" in text and "is not verified" not in text
