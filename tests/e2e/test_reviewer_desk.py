"""A reviewer works three applications from the queue on the desk alone: next and previous by keyboard, a
return, a rejection, a note and an assignment, with the decision panel in view beside the evidence."""

from __future__ import annotations

from tests.e2e.steps import (
    certificate_for,
    fee_of,
    fill_cpm_application,
    record_payment,
    register,
    screenshot,
    screenshot_phone,
    sign_in_staff,
    submit,
)


def test_a_reviewer_works_three_applications_from_the_desk(windows, live_portal, tmp_path):
    base = live_portal.url
    references = []
    for n, name in enumerate(("Ada Lovelace", "Grace Hopper", "Edsger Dijkstra")):
        applicant = windows()
        register(applicant, live_portal, name=name, prefix=f"desk{n}")
        folder = tmp_path / str(n)
        folder.mkdir()
        url = fill_cpm_application(applicant, base, certificate_for(folder, name))
        references.append((submit(applicant, url), fee_of(applicant, url)))
    first, second, third = (reference for reference, _ in references)

    admin = windows()
    sign_in_staff(admin, live_portal, "admin")
    for n, (reference, fee) in enumerate(references):
        record_payment(admin, base, reference, fee, shots=f"desk-admin-{n}")

    reviewer = windows()
    reviewer.on("dialog", lambda dialog: dialog.accept())  # rejecting asks "Reject this application?"
    sign_in_staff(reviewer, live_portal, "reviewer")
    assert reviewer.url.endswith("/review/")  # a reviewer starts on the queue
    assert "assigned to you" in reviewer.inner_text(".queue-counts")

    # Newest first: the three are the top of the queue, and the desk walks it in that order.
    reviewer.goto(base + "/review/?sort=newest")
    reviewer.click(f"a:has-text('{third}')")
    assert third in reviewer.inner_text("h1")
    panel = reviewer.locator(".desk__panel")
    assert (
        panel.is_visible() and panel.bounding_box()["y"] < 900
    )  # the decision is in view beside the evidence
    reviewer.keyboard.press("j")
    reviewer.wait_for_selector(f"h1:has-text('{second}')")
    assert "sort=newest" in reviewer.url  # the desk keeps to the queue the reviewer chose
    reviewer.keyboard.press("k")
    reviewer.wait_for_selector(f"h1:has-text('{third}')")
    screenshot(reviewer, "desk-01-application")
    screenshot_phone(reviewer, "desk-01-application")

    # The third: returned with one section reopened, from the panel.
    reviewer.click("summary:has-text('Return for changes')")
    reviewer.check("input[name=sections][value=supervision]")
    reviewer.fill("#reason", "Give your supervisor's postal address.")
    reviewer.click("button:has-text('Return to the applicant')")
    reviewer.wait_for_selector("text=The application has been returned to the applicant.")
    assert "Return to the applicant" not in reviewer.inner_text("main")  # what no longer applies is gone
    screenshot(reviewer, "desk-02-returned")

    # Next: the second, rejected.
    reviewer.keyboard.press("j")
    reviewer.wait_for_selector(f"h1:has-text('{second}')")
    reviewer.click("summary:has-text('Reject')")
    reviewer.fill("form[action*='/reject'] textarea", "The engagements are not mentoring.")
    reviewer.click("button:has-text('Reject the application')")
    reviewer.wait_for_selector("text=The application has been rejected.")
    assert "Assign to" not in reviewer.inner_text("main")

    # Next: the first, taken on with a note; approving lists what is still missing.
    reviewer.keyboard.press("j")
    reviewer.wait_for_selector(f"h1:has-text('{first}')")
    reviewer.select_option("#reviewer", label="Demo Reviewer")
    reviewer.click("form.desk__assign button:has-text('Assign')")
    reviewer.wait_for_selector("text=Assignment saved.")
    reviewer.click("summary:has-text('Add a note on “Fee paid”')")
    reviewer.fill("#note_fee_paid", "Bank transfer seen on the statement.")
    reviewer.click("button:has-text('Save notes')")
    reviewer.wait_for_selector("text=Your notes have been saved.")
    reviewer.click("summary:has-text('Approve')")
    assert "not met yet" in reviewer.inner_text("#approve")  # the referees have not answered
    screenshot(reviewer, "desk-03-approve-asks-first")
