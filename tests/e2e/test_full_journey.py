"""From registration to a verified credential, in a real browser: applicant, referees, admin, reviewer, public."""

from __future__ import annotations

import re
import uuid

from tests.e2e.steps import (
    certificate_for,
    declare_as_supervisor,
    fee_of,
    fill_cpm_application,
    import_member,
    link_in,
    name_supervisor,
    record_payment,
    register,
    screenshot,
    sign_in_staff,
    submit,
    tab_to,
    wait_for_mail,
    wait_for_text,
)


def answer_reference(page, base: str, path: str, name: str, keyboard: bool = False) -> None:
    """A referee, without an account, confirms the engagement from the link in their email."""
    page.goto(base + path)
    assert "Confirm a mentoring engagement" in page.content()
    assert "Ada Lovelace" in page.content()
    screenshot(page, f"referee-01-answer-{name}")
    if keyboard:
        tab_to(page, "input[name=answer][value=confirm]")
        page.keyboard.press("Space")
        tab_to(page, "button[type=submit]")
        page.keyboard.press("Enter")
    else:
        page.check("input[name=answer][value=confirm]")
        page.fill("#comment", "A committed and thoughtful mentor.")
        page.click("button:has-text('Send your answer')")
    page.wait_for_selector("text=Thank you: your answer has been recorded.")
    screenshot(page, f"referee-02-answered-{name}")


def test_an_application_goes_from_registration_to_a_verified_credential(
    windows, live_portal, mail_sink, tmp_path
):
    base = live_portal.url
    applicant = windows()
    applicant.goto(base + "/")
    email = register(applicant, live_portal)
    referees = [f"referee{n}-{uuid.uuid4().hex[:6]}@example.net" for n in (1, 2)]
    url = fill_cpm_application(applicant, base, certificate_for(tmp_path), referees)
    supervisor_email = f"sam-{uuid.uuid4().hex[:6]}@supervision.example"
    name_supervisor(applicant, url, supervisor_email)
    wait_for_text(applicant, url + "/training", ">Read<")  # the worker has read the certificate
    reference = submit(applicant, url)
    screenshot(applicant, "journey-01-submitted")
    fee = fee_of(applicant, url)
    applicant.goto(url + "/payment")
    screenshot(applicant, "journey-02-how-to-pay")

    # Each referee follows the link in the email the SMTP sink received; one of them uses the keyboard only.
    for n, address in enumerate(referees, start=1):
        message = wait_for_mail(mail_sink, address)
        referee = windows()
        answer_reference(referee, base, link_in(message, "/references/"), f"{n}", keyboard=n == 2)
    # The supervisor declares from their email too: CPM approval waits for it.
    message = wait_for_mail(mail_sink, supervisor_email)
    declare_as_supervisor(windows(), base, link_in(message, "/supervisors/"), shots="journey-supervisor")

    admin = windows()
    sign_in_staff(admin, live_portal, "admin")
    import_member(admin, base, tmp_path, "IMC-4471", "Ada Lovelace", email)  # the member rate was claimed
    record_payment(admin, base, reference, fee)

    reviewer = windows()
    sign_in_staff(reviewer, live_portal, "reviewer")
    reviewer.goto(base + "/review/")
    screenshot(reviewer, "reviewer-01-queue")
    reviewer.click(f"a:has-text('{reference}')")
    # Each referee's card says the engagement is confirmed (the trust level's tag follows the status).
    statuses = reviewer.locator("section.references section.card > p > .tag:first-child")
    assert statuses.all_inner_texts() == ["Confirmed", "Confirmed"]
    screenshot(reviewer, "reviewer-02-application")
    reviewer.click("summary:has-text('Approve')")  # approving asks first, listing what was accepted by hand
    assert "Approving issues the credential at once" in reviewer.inner_text("#approve")
    reviewer.click("button:has-text('Approve and issue the credential')")
    reviewer.wait_for_selector("text=The application is approved and the credential issued.")
    screenshot(reviewer, "reviewer-03-approved")

    issued = wait_for_mail(mail_sink, email, "Your credential has been issued")
    applicant.goto(base + "/credentials/")
    screenshot(applicant, "journey-03-your-credentials")
    actions = applicant.locator(".card-grid li > :last-child").bounding_box()
    below = applicant.locator("h2:has-text('Public mentor profile')").bounding_box()
    assert actions["y"] + actions["height"] <= below["y"], "the credential's links run over the next section"
    number = re.search(r"CPM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", applicant.content()).group(0)

    public = windows()
    public.goto(base + "/verify")
    screenshot(public, "public-01-verify-lookup")
    public.fill("#number", number)
    public.click("button:has-text('Check')")
    public.wait_for_url(f"**/verify/{number}")
    text = public.inner_text("main")
    assert number in text and "Ada Lovelace" in text and "This credential is valid" in text
    assert number in issued.get_body(preferencelist=("plain",)).get_content()
    screenshot(public, "public-02-verified")
