"""The supervisor declares from the emailed link, and the reviewer sees both declarations side by side."""

from __future__ import annotations

import uuid

from tests.e2e.steps import (
    assert_accessible,
    certificate_for,
    declare_as_supervisor,
    fee_of,
    fill_cpm_application,
    link_in,
    name_supervisor,
    record_payment,
    register,
    screenshot,
    sign_in_staff,
    submit,
    wait_for_mail,
)


def test_the_supervisor_answers_from_the_email_and_the_reviewer_sees_both_declarations(
    windows, live_portal, mail_sink, tmp_path
):
    base = live_portal.url
    applicant = windows()
    register(applicant, live_portal, name="Ada Lovelace", prefix="supervised")
    url = fill_cpm_application(applicant, base, certificate_for(tmp_path))
    supervisor_email = f"sam-{uuid.uuid4().hex[:6]}@supervision.example"
    name_supervisor(applicant, url, supervisor_email)
    reference = submit(applicant, url)
    fee = fee_of(applicant, url)

    message = wait_for_mail(mail_sink, supervisor_email, "Please confirm that you supervise Ada Lovelace")
    link = link_in(message, "/supervisors/")
    supervisor = windows()
    supervisor.goto(base + link)
    assert "Do you supervise Ada Lovelace?" in supervisor.inner_text("h1")
    assert "Sign in" not in supervisor.inner_text("header")  # a supervisor needs no account
    assert_accessible(supervisor, "the supervisor's declaration")
    declare_as_supervisor(supervisor, base, link)
    supervisor.goto(base + link)
    assert "This declaration has been answered" in supervisor.inner_text("h1")

    applicant.goto(url + "/status")
    section = applicant.locator("table", has_text=supervisor_email)
    assert "Confirmed" in section.inner_text()
    screenshot(applicant, "supervisor-03-applicant-status")

    admin = windows()
    sign_in_staff(admin, live_portal, "admin")
    record_payment(admin, base, reference, fee, shots="supervisor-admin")
    reviewer = windows()
    sign_in_staff(reviewer, live_portal, "reviewer")
    reviewer.goto(base + "/review/")
    reviewer.click(f"a:has-text('{reference}')")
    side_by_side = reviewer.locator("section.supervisor-declaration table")
    rows = {
        row.locator("th").inner_text().strip(): [
            cell.inner_text().strip() for cell in row.locator("td").all()
        ]
        for row in side_by_side.locator("tbody tr").all()
    }
    assert rows["Supervises the applicant"] == ["Yes", "Yes"]
    assert rows["Focus"] == ["Both", "Both"]
    assert rows["Sessions in the last 12 months"] == ["5", "6"]
    assert rows["Since"] == ["–", "1 September 2024"]
    # The supervisor answered within minutes of the request: a signal for the reviewer to weigh.
    signals = reviewer.locator("section.supervisor-declaration ul.list").inner_text()
    assert "after the request was sent" in signals
    reviewer.locator("section.supervisor-declaration").scroll_into_view_if_needed()
    screenshot(reviewer, "supervisor-04-desk-side-by-side")
    assert_accessible(reviewer, "the reviewer's desk with the supervisor's declaration")
