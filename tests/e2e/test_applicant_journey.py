"""An applicant's journey in a real browser against the running portal, with a real worker and SMTP sink."""
from __future__ import annotations

import time
import uuid

from tests.e2e.conftest import screenshot
from tests.factories.documents import make_pdf

PASSWORD = "correct horse battery staple"


def register(page, base: str, name: str = "Ada Lovelace") -> str:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(base + "/account/register")
    page.fill("#full_name", name)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("button:has-text('Create account')")
    return email


def fill_cpm_application(page, base: str, certificate) -> str:
    """Start a CPM application and complete every section; returns the application's URL."""
    page.click("text=Start a new application")
    page.check("input[value=CPM]")
    page.click("button:has-text('Start application')")
    url = page.url
    page.click("text=About you")
    page.fill("#postal_address", "12 St James's Square\nLondon")
    page.check("input[name=is_member][value=yes]")
    page.fill("#member_number", "IMC-4471")
    page.click("button:has-text('Save and continue')")
    page.goto(url + "/training/new")
    page.fill("#centre_name", "Northwind Mentoring Academy")
    page.check("input[name=centre_status][value=accredited]")
    page.fill("#programme_name", "Foundations of Professional Mentoring")
    page.fill("#hours", "35")
    page.check("input[name=mode][value=blended]")
    page.fill("#start_date", "2024-03-01")
    page.fill("#end_date", "2024-05-31")
    page.fill("#instructor_name", "Grace Hopper")
    page.fill("#instructor_email", "grace@northwind.example")
    page.set_input_files("#certificate", str(certificate))
    screenshot(page, "applicant-03-training-form")
    page.click("button:has-text('Save and continue')")
    for n in range(1, 4):
        page.goto(url + "/engagements/new")
        page.fill("#mentee_name", f"Mentee Number{n}")
        page.fill("#mentee_email", f"mentee{n}-{uuid.uuid4().hex[:6]}@example.net")
        page.fill("#start_date", "2023-01-01")
        page.fill("#end_date", "2023-06-01")
        page.check("input[name=setting][value=external]")
        if n < 3:
            page.fill("#referee_name", f"Referee Number{n}")
            page.fill("#referee_email", f"referee{n}-{uuid.uuid4().hex[:6]}@example.net")
            page.check("input[name=referee_relationship][value=mentee]")
        page.click("button:has-text('Save and continue')")
    screenshot(page, "applicant-04-engagements")
    page.goto(url + "/supervision")
    page.fill("#supervisor_name", "Sam Supervisor")
    page.fill("#supervisor_email", "sam@supervision.example")
    page.fill("#supervisor_address", "1 High Street, Oxford")
    page.check("input[name=supervision_focus][value=both]")
    page.fill("#supervision_sessions", "5")
    page.click("button:has-text('Save and continue')")
    page.goto(url + "/declaration")
    page.check("#confirm")
    page.click("button:has-text('Save and continue')")
    return url


def wait_for_text(page, url: str, text: str, seconds: float = 60) -> None:
    """Reload until the worker's result shows (the worker runs in another process)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page.goto(url)
        if text in page.content():
            return
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never appeared on {url}")


def test_an_applicant_completes_uploads_and_submits_a_cpm_application(page, live_portal, tmp_path):
    base = live_portal.url
    certificate = make_pdf(tmp_path / "certificate.pdf", [
        "Northwind Mentoring Academy", "Certificate of Completion", "This is to certify that Ada Lovelace",
        "has successfully completed Foundations of Professional Mentoring", "a total of 35 contact hours",
        "from 1 March 2024 to 31 May 2024", "Instructor: Grace Hopper"])
    page.goto(base + "/")
    screenshot(page, "applicant-01-home")
    register(page, base)
    screenshot(page, "applicant-02-dashboard")
    url = fill_cpm_application(page, base, certificate)
    wait_for_text(page, url + "/training", ">Read<")
    screenshot(page, "applicant-05-training-read")
    page.goto(url)
    assert "All 7 requirements met" in page.content() or "requirements met" in page.content()
    screenshot(page, "applicant-06-task-list")
    page.goto(url + "/check")
    screenshot(page, "applicant-07-check-answers")
    page.goto(url + "/submit")
    screenshot(page, "applicant-08-fee-and-submit")
    page.click("button:has-text('Submit application')")
    assert "Application submitted" in page.content()
    screenshot(page, "applicant-09-submitted")


def test_sign_in_works_with_the_keyboard_alone(page, live_portal):
    base = live_portal.url
    email = register(page, base)
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
    base = live_portal.url
    register(page, base)
    page.click("text=Start a new application")
    page.check("input[value=CPM]")
    page.click("button:has-text('Start application')")
    page.click("text=About you")
    page.click("button:has-text('Save and continue')")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    page.click(".error-summary a >> nth=0")
    assert page.evaluate("document.activeElement.id") == "postal_address"
    screenshot(page, "applicant-10-field-errors")
