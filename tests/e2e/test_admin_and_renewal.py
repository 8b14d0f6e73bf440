"""The administrator's pages and a holder's renewal in a real browser: reviewers, fees, standard reasons,
credentials and exports; a credential near its expiry renewed from the holder's credentials page, and its
fee recorded."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date, timedelta

from portal.config import PROJECT_ROOT
from portal.workflows.catalogue import load_catalogue
from portal.workflows.credentials.rules import add_years
from tests.e2e.steps import (
    download,
    fee_of,
    issue_credential,
    record_payment,
    register,
    screenshot,
    sign_in_staff,
    submit,
    tab_to,
    type_with_keyboard,
)

CPM = load_catalogue(PROJECT_ROOT / "portal" / "workflows" / "catalogue.toml")["CPM"]


def near_expiry(days: int = 60) -> date:
    """The issue date of a CPM that expires in ``days``: inside its renewal window."""
    assert days < CPM.renewal.opens_days_before_expiry
    return add_years(date.today() + timedelta(days=days), -CPM.validity_years)


def declare_supervision_years_with_the_keyboard(page, sessions: list[int]) -> None:
    """Each year's sessions typed without a mouse; the supervisor carried from the first application stays."""
    for year, count in enumerate(sessions):
        type_with_keyboard(page, f"#years-{year}-sessions", str(count))
        assert page.input_value(f"#years-{year}-supervisor_name") == "Sam Supervisor"
    screenshot(page, "renewal-05-supervision-years")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")


def test_a_holder_renews_a_credential_near_its_expiry_and_the_admin_records_the_fee(windows, live_portal):
    base = live_portal.url
    holder = windows()
    email = register(holder, live_portal, name="Rosa Renewer", prefix="rosa")
    number = issue_credential(live_portal, email, near_expiry())

    holder.goto(base + "/credentials/")
    assert number in holder.content() and "Renew this credential" in holder.content()
    screenshot(holder, "renewal-01-credential-expiring")
    holder.click("button:has-text('Renew this credential')")
    holder.wait_for_url(re.compile(r".*/applications/\d+$"))
    url = holder.url
    task_list = holder.inner_text("main")
    assert "Renew your Certified Professional Mentor" in task_list
    assert "Mentoring training" not in task_list  # a renewal asks only for what changes
    screenshot(holder, "renewal-02-task-list")

    holder.click("a:has-text('About you')")
    assert holder.input_value("#postal_address") == "1 Road"  # carried from the application that earned it
    holder.fill("#postal_address", "7 Harbour Lane\nBristol BS1 4QA")
    screenshot(holder, "renewal-03-about-you")
    holder.click("button:has-text('Save and continue')")
    holder.wait_for_url(url)

    holder.click("a:has-text('Mentoring supervision')")
    holder.check("input[name=supervision_focus][value=both]")
    holder.fill("#supervision_sessions", str(CPM.renewal.supervision_sessions_per_year))
    screenshot(holder, "renewal-04-supervision")
    holder.click("button:has-text('Save and continue')")
    holder.wait_for_url(url)

    holder.click("a:has-text('Supervision in each year of your credential')")
    required = CPM.renewal.supervision_sessions_per_year
    sessions = [required + 1] + [required] * (CPM.validity_years - 1)
    declare_supervision_years_with_the_keyboard(holder, sessions)
    holder.wait_for_url(url)

    holder.click("a:has-text('Declaration of continuous learning')")
    assert number in holder.inner_text("main")  # the statement names the credential being renewed
    holder.check("#confirm")
    holder.click("button:has-text('Save and continue')")
    holder.wait_for_url(url)
    statuses = holder.locator(".task-list__item", has=holder.locator("a:has-text('Fee and submit')"))
    assert statuses.locator(".task-list__status").inner_text().strip() == "Ready"
    screenshot(holder, "renewal-06-task-list-complete")
    holder.goto(url + "/check")
    screenshot(holder, "renewal-07-check-answers")
    holder.goto(url + "/submit")
    assert "referees" not in holder.inner_text("main")  # a renewal has none
    screenshot(holder, "renewal-08-fee-and-submit")
    reference = submit(holder, url)
    screenshot(holder, "renewal-09-submitted")
    fee = fee_of(holder, url)

    admin = windows()
    sign_in_staff(admin, live_portal, "admin")
    record_payment(admin, base, reference, fee, shots="renewal-10-admin")
    holder.goto(url + "/status")
    assert "In review" in holder.inner_text("main")
    assert holder.locator("main a:has-text('Change')").count() == 0  # nothing can be changed in review
    screenshot(holder, "renewal-11-in-review")
    holder.goto(base + "/credentials/")
    assert f"Continue your renewal {reference}" in holder.content()


def test_an_admin_manages_reviewers_fees_reasons_and_credentials_and_exports(windows, live_portal):
    base = live_portal.url
    admin = windows()
    sign_in_staff(admin, live_portal, "admin")
    admin.goto(base + "/admin/")
    screenshot(admin, "admin-10-index")

    # Reviewers: a new colleague registers, is made a reviewer, then has the role taken back.
    colleague = windows()
    colleague_email = register(colleague, live_portal, name="Rhea Reviewer", prefix="rhea")
    admin.click("a:has-text('Reviewers')")
    admin.fill("#email", colleague_email)
    admin.click("button:has-text('Find account')")
    assert "is an applicant" in admin.inner_text("main")
    screenshot(admin, "admin-11-reviewers-found")
    admin.click("button:has-text('Make reviewer')")
    admin.wait_for_selector("text=Rhea Reviewer is now a reviewer.")
    screenshot(admin, "admin-12-reviewers")
    admin.click(f"button:has-text('Remove reviewer role {colleague_email}')")
    admin.wait_for_selector("text=Rhea Reviewer is now an applicant.")

    # Fees: a fee of nothing is refused at its field; cleared boxes go back to the catalogue.
    admin.goto(base + "/admin/fees")
    screenshot(admin, "admin-13-fees")
    admin.fill("#CPM-fee_member", "0")
    admin.click("button:has-text('Save CPM fees')")
    admin.wait_for_selector(".error-summary")
    screenshot(admin, "admin-14-fees-error")
    admin.fill("#CPM-fee_member", "")
    admin.fill("#CPM-fee_non_member", "")
    admin.click("button:has-text('Save CPM fees')")
    admin.wait_for_selector("text=The CPM fees have been saved.")

    # Standard reasons: added with the keyboard alone, then changed so reviewers no longer see it.
    title = f"Supervisor not accredited {uuid.uuid4().hex[:4]}"
    admin.goto(base + "/admin/reasons")
    tab_to(admin, "input[name=kind]")  # Tab reaches a radio group once; arrows choose within it
    admin.keyboard.press("ArrowDown")
    assert admin.is_checked("input[name=kind][value=reject]")
    type_with_keyboard(admin, "#title", title)
    type_with_keyboard(admin, "#text", "Your supervisor must hold a current supervision credential.")
    screenshot(admin, "admin-15-reasons-form")
    tab_to(admin, "main button[type=submit]")
    admin.keyboard.press("Enter")
    admin.wait_for_selector("text=The standard reason has been added.")
    screenshot(admin, "admin-16-reasons")
    admin.click(f"a:has-text('Change {title}')")
    admin.uncheck("#is_active")
    screenshot(admin, "admin-17-reason-change")
    admin.click("button:has-text('Save')")
    admin.wait_for_selector("text=The standard reason has been saved.")
    row = admin.locator("tr", has=admin.locator(f"td:text-is('{title}')"))
    assert row.locator("td").nth(3).inner_text().strip() == "No"  # no longer offered to reviewers

    # Credentials: found by number, revoked with a reason; the public page says so at once.
    holder_email = register(windows(), live_portal, name="Otto Revoked", prefix="otto")
    number = issue_credential(live_portal, holder_email, date.today() - timedelta(days=30))
    admin.goto(base + "/admin/credentials")
    admin.fill("#q", number)
    admin.click("button:has-text('Search')")
    admin.wait_for_url(re.compile(r".*\?q=.*"))
    assert "Otto Revoked" in admin.inner_text("main")
    screenshot(admin, "admin-18-credentials")
    admin.click(f"a:has-text('Revoke {number}')")
    screenshot(admin, "admin-19-revoke")
    admin.fill("#reason", "The supervision evidence was found to be forged.")
    admin.click("button:has-text('Revoke the credential')")
    admin.wait_for_selector(f"text={number} has been revoked.")
    public = windows()
    public.goto(f"{base}/verify/{number}")
    verdict = public.inner_text("main")
    today = date.today()
    assert f"This credential was revoked on {today.day} {today:%B %Y}. It is no longer valid." in verdict
    assert "forged" not in verdict  # the reason stays between the portal and the holder

    # Exports: both CSVs download; the register lists the revoked credential with its reason, and the
    # applications list the one that earned it.
    admin.goto(base + "/admin/")
    credentials = {
        row["number"]: row for row in csv.DictReader(io.StringIO(download(admin, "Credentials (CSV)")))
    }
    revoked = credentials[number]
    assert (revoked["holder_email"], revoked["status"], revoked["revoked_reason"]) == (
        holder_email,
        "revoked",
        "The supervision evidence was found to be forged.",
    )
    applications = {
        row["reference"]: row for row in csv.DictReader(io.StringIO(download(admin, "Applications (CSV)")))
    }
    earned = applications[revoked["application"]]
    assert (earned["applicant_email"], earned["state"]) == (holder_email, "approved")
