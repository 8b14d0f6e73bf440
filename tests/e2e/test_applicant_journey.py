"""An applicant's journey in a real browser against the running portal, with a real worker and SMTP sink."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.steps import (
    PASSWORD,
    certificate_for,
    fill_cpm_application,
    register,
    screenshot,
    wait_for_text,
)


def test_an_applicant_completes_uploads_and_submits_a_cpm_application(page, live_portal, tmp_path):
    base = live_portal.url
    certificate = certificate_for(tmp_path)
    page.goto(base + "/")
    screenshot(page, "applicant-01-home")
    register(page, live_portal)
    screenshot(page, "applicant-02-dashboard")
    url = fill_cpm_application(page, base, certificate)
    wait_for_text(page, url + "/training", ">Read<")
    screenshot(page, "applicant-05-training-read")
    page.goto(url)
    # What the applicant sees: the eligibility panel says every requirement is met, none is marked as not
    # met, and the last task, "Fee and submit", is ready.
    assert page.inner_text(".eligibility__summary").strip() == "All 7 requirements met"
    assert page.locator(".eligibility__item--not-met").count() == 0
    submit_task = page.locator(".task-list__item", has_text="Fee and submit")
    assert submit_task.locator(".task-list__status").inner_text().strip() == "Ready"
    screenshot(page, "applicant-06-task-list")
    page.goto(url + "/check")
    screenshot(page, "applicant-07-check-answers")
    page.goto(url + "/submit")
    screenshot(page, "applicant-08-fee-and-submit")
    page.click("button:has-text('Submit application')")
    page.wait_for_url("**/status?submitted=1")
    assert "Application submitted" in page.content()
    screenshot(page, "applicant-09-submitted")


def test_sign_in_works_with_the_keyboard_alone(page, live_portal):
    base = live_portal.url
    email = register(page, live_portal)
    page.goto(base + "/")
    page.click("button:has-text('Sign out')")
    page.goto(base + "/account/sign-in")
    page.keyboard.press("Tab")  # the skip link comes first
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.focus("#email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/applications/")
    assert "Your applications" in page.content()


def test_a_field_error_takes_focus_to_the_summary_and_links_to_the_field(page, live_portal):
    register(page, live_portal)
    page.click("text=Start a new application")
    page.check("input[value=CPM]")
    page.click("button:has-text('Start application')")
    page.click("text=About you")
    page.click("button:has-text('Save and continue')")
    # The summary takes the focus once the new page's script has run, which may be after the click returns.
    # (expect() polls from Playwright: a wait_for_function string would be evaluated in the page, which the
    # Content-Security-Policy forbids.)
    expect(page.locator(".error-summary")).to_be_focused(timeout=10_000)
    page.click(".error-summary a >> nth=0")
    expect(page.locator("#postal_address")).to_be_focused(timeout=10_000)
    screenshot(page, "applicant-10-field-errors")
