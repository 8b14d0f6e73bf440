"""Renewal through HTTP: the catalogue's window, the renewal's own sections, the same review, and a CMM citing
a CPM held in the portal."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import select

from portal.db import db
from portal.enums import ApplicationKind, ApplicationState, SupervisionFocus, SupervisionStatus
from portal.models.applications import Application
from portal.models.credentials import IssuedCredential
from portal.models.outbox import EmailMessage
from portal.models.programmes import SupervisionSession
from portal.workflows.credentials.operations import sweep_expiry
from tests.factories import applications as data
from tests.factories import members
from tests.factories import review as flow
from tests.helpers import at, client_for, page


def confirmed_by_supervisor(holder, days: list[date]) -> None:
    """Supervision sessions the holder logged on ``days``, each confirmed by the supervisor from their link."""
    for held_on in days:
        moment = datetime.combine(held_on, datetime.min.time(), tzinfo=UTC)
        db.session.add(
            SupervisionSession(
                mentor=holder,
                supervisor_name="Sam Supervisor",
                supervisor_email="sam@supervision.example",
                held_on=held_on,
                duration_minutes=60,
                focus=SupervisionFocus.BOTH,
                status=SupervisionStatus.CONFIRMED,
                created_at=moment,
                last_message_at=moment,
                expires_at=moment + timedelta(days=30),
                answered_at=moment + timedelta(days=1),
            )
        )
    db.session.commit()


def renewal_of(credential: IssuedCredential) -> Application | None:
    db.session.expire_all()
    return db.session.scalar(select(Application).where(Application.renews_credential_id == credential.id))


def test_renewal_opens_and_closes_as_the_catalogue_says(app, applicant):
    credential = flow.issued(applicant, date(2024, 1, 15))  # expires 15 January 2026
    with at(date(2025, 7, 18)):  # 181 days before expiry
        holder = client_for(app, applicant)
        assert "Renewal opens on 19 July 2025, 180 days before your credential expires." in page(
            holder.get("/credentials/")
        )
        response = holder.post(f"/credentials/{credential.number}/renew", follow_redirects=True)
        assert "Renewal opens on 19 July 2025" in page(response) and renewal_of(credential) is None
    with at(date(2026, 4, 16)):  # 91 days after expiry
        holder = client_for(app, applicant)
        response = holder.post(f"/credentials/{credential.number}/renew", follow_redirects=True)
        assert "Renewal closed on 15 April 2026. Apply for the credential again." in page(response)
        assert renewal_of(credential) is None
    with at(date(2026, 4, 15)):  # still within the 90 days after expiry
        holder = client_for(app, applicant)
        assert holder.post(f"/credentials/{credential.number}/renew").status_code == 302
        renewal = renewal_of(credential)
        assert (renewal.kind, renewal.state) == (ApplicationKind.RENEWAL, ApplicationState.DRAFT)


def test_only_the_holder_renews_and_a_second_start_continues_the_first(app, applicant, other_applicant):
    credential = flow.issued(applicant, date(2024, 1, 15))
    with at(date(2025, 9, 1)):
        stranger = client_for(app, other_applicant)
        assert stranger.post(f"/credentials/{credential.number}/renew").status_code == 404
        holder = client_for(app, applicant)
        first = holder.post(f"/credentials/{credential.number}/renew")
        second = holder.post(f"/credentials/{credential.number}/renew")
        assert first.headers["Location"] == second.headers["Location"]
        assert "Continue your renewal" in page(holder.get("/credentials/"))


def test_a_renewal_asks_for_supervision_each_year_and_goes_through_the_same_review(
    app, applicant, reviewer, admin
):
    old = flow.issued(applicant, date(2024, 1, 15))
    with at(date(2025, 9, 1)):
        holder = client_for(app, applicant)
        response = holder.post(f"/credentials/{old.number}/renew")
        renewal = renewal_of(old)
        assert response.headers["Location"] == f"/applications/{renewal.id}"
        assert renewal.kind == ApplicationKind.RENEWAL and renewal.postal_address == "1 Road"  # carried over
        text = page(holder.get(f"/applications/{renewal.id}"))
        assert "Renew your Certified Professional Mentor" in text
        for section in (
            "About you",
            "Mentoring supervision",
            "Supervision in each year of your credential",
            "Declaration of continuous learning",
        ):
            assert section in text
        assert "Mentoring training" not in text and "Mentoring engagements" not in text
        assert (
            holder.post(f"/applications/{renewal.id}/supervision", data=data.supervision()).status_code == 302
        )
        form = holder.get(f"/applications/{renewal.id}/supervision-years")
        assert "Year 1: 15 January 2024 to 14 January 2025" in page(form)
        assert "Year 2: 15 January 2025 to 14 January 2026" in page(form)
        years = {
            "years-0-sessions": "6",
            "years-0-supervisor_name": "Sam Supervisor",
            "years-0-supervisor_email": "sam@supervision.example",
            "years-1-sessions": "4",
            "years-1-supervisor_name": "Sue Supervisor",
            "years-1-supervisor_email": "not-an-email",
        }
        response = holder.post(f"/applications/{renewal.id}/supervision-years", data=years)
        assert response.status_code == 200 and "Enter an email address like name@example.com." in page(
            response
        )
        years["years-1-supervisor_email"] = "sue@supervision.example"
        assert holder.post(f"/applications/{renewal.id}/supervision-years", data=years).status_code == 302
        assert (
            holder.post(f"/applications/{renewal.id}/declaration", data={"confirm": "y"}).status_code == 302
        )
        response = holder.post(f"/applications/{renewal.id}/submit")
        assert response.status_code == 422
        assert "Declare at least 5 supervision sessions, with your supervisor, for year 2" in page(response)
        years["years-1-sessions"] = "5"
        holder.post(f"/applications/{renewal.id}/supervision-years", data=years)
        assert holder.post(f"/applications/{renewal.id}/submit").status_code == 302
        renewal = renewal_of(old)
        assert renewal.state == ApplicationState.AWAITING_PAYMENT and str(renewal.fee_amount) == "398.00"
        declaration = renewal.declaration_statement
        assert f"In renewing credential {old.number}" in declaration

        flow.pay(renewal, admin)
        staff = client_for(app, reviewer)
        text = page(staff.get(f"/review/{renewal.id}"))
        assert f"renewal of {old.number}" in text and "Supervision sessions in year 2" in text
        assert "references confirmed" not in text  # a renewal has no referees
        # The yearly counts that decide are the sessions the supervisor confirmed, not the numbers typed.
        refused = staff.post(f"/review/{renewal.id}/approve")
        assert refused.status_code == 409
        assert "Year 2: 0 supervision sessions confirmed by the supervisor, 5 needed." in page(refused)
        confirmed_by_supervisor(applicant, [date(2024, 2, n) for n in range(1, 6)])
        confirmed_by_supervisor(applicant, [date(2025, 2, n) for n in range(1, 5)])
        refused = staff.post(f"/review/{renewal.id}/approve")
        assert "Year 2: 4 supervision sessions confirmed by the supervisor, 5 needed." in page(refused)
        assert "Year 1:" not in page(refused)
        confirmed_by_supervisor(applicant, [date(2025, 2, 5)])
        assert staff.post(f"/review/{renewal.id}/approve").status_code == 302
    new = db.session.scalar(select(IssuedCredential).where(IssuedCredential.previous_id == old.id))
    # Issued now; the new cycle runs on from the old expiry.
    assert (new.issued_on, new.expires_on, new.training_hours) == (date(2025, 9, 1), date(2028, 1, 15), 35)
    text = page(client_for(app).get(f"/verify/{old.number}"))
    assert "Renewed: the holder's current credential is" in text and new.number in text
    with at(date(2025, 12, 20)):  # the old one is about to expire, but it has been renewed
        sweep_expiry()
        db.session.commit()
    assert (
        db.session.scalar(select(EmailMessage).where(EmailMessage.template == "credential_expiring")) is None
    )


@time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=UTC), tick=False)
def test_a_cmm_applicant_holding_a_portal_cpm_for_a_full_cycle_needs_no_check(
    app, applicant, reviewer, admin, tmp_path
):
    cpm = flow.issued(applicant, date(2023, 2, 1))
    client = client_for(app, applicant)
    application_id = data.start_application(client, "CMM")
    text = page(client.get(f"/applications/{application_id}"))
    assert "must have been held" not in text and "Give the number and issue date" not in text
    data.fill_application(client, application_id, tmp_path, engagements=10, referees=5, hours="50")
    members.member()
    assert client.post(f"/applications/{application_id}/submit").status_code == 302
    application = db.session.get(Application, application_id)
    flow.pay(application, admin)
    flow.confirm_references(application)
    flow.settle_documents(application)
    staff = client_for(app, reviewer)
    assert f"{cpm.number}, issued by this portal" in page(staff.get(f"/review/{application_id}"))
    assert staff.post(f"/review/{application_id}/approve").status_code == 302


@time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=UTC), tick=False)
def test_a_portal_cpm_held_less_than_a_cycle_does_not_count(app, applicant):
    flow.issued(applicant, date(2024, 6, 1))
    client = client_for(app, applicant)
    application_id = data.start_application(client, "CMM")
    assert "Give the number and issue date of your Certified Professional Mentor (CPM)." in page(
        client.get(f"/applications/{application_id}")
    )


def test_supervision_logged_and_confirmed_in_the_portal_is_counted_for_each_year(app, applicant, reviewer):
    old = flow.issued(applicant, date(2024, 1, 15))  # year 1: 15 Jan 2024 – 14 Jan 2025; year 2 after
    supervisor = client_for(app)
    for held_on, answer in (("2024-03-04", "confirm"), ("2024-06-10", "confirm"), ("2025-02-03", "decline")):
        with at(date.fromisoformat(held_on)):
            mentor = client_for(app, applicant)
            assert (
                mentor.post(
                    "/programmes/supervision/new",
                    data={
                        "supervisor_name": "Sam Supervisor",
                        "supervisor_email": "sam@supervision.example",
                        "held_on": held_on,
                        "duration_minutes": "60",
                        "focus": "both",
                    },
                ).status_code
                == 302
            )
            email = db.session.scalars(
                select(EmailMessage)
                .where(EmailMessage.template == "supervision_confirmation")
                .order_by(EmailMessage.id.desc())
            ).first()
            link = re.search(r"/programmes/supervision/confirm/[\w-]+", email.text_body).group(0)
            assert "You have" in page(supervisor.post(link, data={"answer": answer}))

    with at(date(2025, 9, 1)):
        holder = client_for(app, applicant)  # signed in again: the earlier session has long expired
        holder.post(f"/credentials/{old.number}/renew")
        renewal = renewal_of(old)
        form = page(holder.get(f"/applications/{renewal.id}/supervision-years"))
        assert "2 sessions in this year were logged in the portal and confirmed by the supervisor." in form
        assert "No session in this year was logged in the portal" in form  # the declined one does not count
        assert 'value="2"' in form  # year 1 starts from what the portal knows
        holder.post(
            f"/applications/{renewal.id}/supervision-years",
            data={
                "years-0-sessions": "5",
                "years-0-supervisor_name": "Sam Supervisor",
                "years-0-supervisor_email": "sam@supervision.example",
                "years-1-sessions": "5",
                "years-1-supervisor_name": "Sam Supervisor",
                "years-1-supervisor_email": "sam@supervision.example",
            },
        )
        check = page(holder.get(f"/applications/{renewal.id}/check"))
        assert "5 (2 confirmed by the supervisor in the portal)" in check
        assert "5 (none confirmed in the portal)" in check
        # Another person's logged sessions are never counted for this holder.
        assert "confirmed by the supervisor" not in page(client_for(app, reviewer).get("/review/"))
