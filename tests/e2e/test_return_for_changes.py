"""A reviewer returns an application with one section reopened; the applicant changes only that and resubmits."""

from __future__ import annotations

from tests.e2e.steps import on_the_desk, screenshot, screenshot_phone


def test_a_returned_application_is_changed_where_reopened_and_comes_back_to_review(
    windows, live_portal, tmp_path
):
    base = live_portal.url
    applicant, url, _, reference, reviewer = on_the_desk(
        windows, live_portal, tmp_path, "ada", "return-admin"
    )
    review_url = reviewer.url
    reviewer.click("summary:has-text('Return for changes')")
    reviewer.check("input[name=sections][value=supervision]")
    reviewer.fill("#reason", "Your supervisor must hold a current supervision credential: name another.")
    screenshot(reviewer, "return-01-reviewer-returns")
    reviewer.click("button:has-text('Return to the applicant')")
    reviewer.wait_for_selector("text=The application has been returned to the applicant.")
    screenshot(reviewer, "return-02-returned")

    applicant.goto(url + "/status")
    status = applicant.inner_text("main")
    assert "Needs your changes" in status and "Expected decision" not in status
    screenshot(applicant, "return-03-applicant-status")
    screenshot_phone(applicant, "return-03-applicant-status")
    applicant.click("text=Make the changes asked for")
    applicant.wait_for_url(url)
    task_list = applicant.inner_text("main")
    # What to fix comes first: the reviewer's message, then the one section tagged for changes.
    top = applicant.inner_text(".returned")
    assert "A reviewer returned your application" in top
    assert "Your supervisor must hold a current supervision credential: name another." in top
    assert "Mentoring supervision" in top
    assert "Completed (locked)" in task_list  # the sections not reopened
    assert (
        applicant.inner_text("a:has-text('Mentoring supervision') >> xpath=../..").count("Needs changes") == 1
    )
    assert applicant.locator("a:has-text('Mentoring supervision')").count() == 1
    assert applicant.locator("a:has-text('About you')").count() == 0
    screenshot(applicant, "return-04-task-list")
    screenshot_phone(applicant, "return-04-task-list")

    applicant.goto(url + "/about")  # a section that was not reopened stays as it was
    applicant.wait_for_url(url)
    assert "This part of the application can no longer be changed." in applicant.content()

    applicant.click("a:has-text('Mentoring supervision')")
    applicant.fill("#supervisor_name", "Sue Newsupervisor")
    applicant.fill("#supervisor_email", "sue@supervision.example")
    screenshot(applicant, "return-05-supervision-form")
    applicant.click("button:has-text('Save and continue')")
    applicant.wait_for_url(url)
    applicant.click("button:has-text('Resubmit your application')")
    applicant.wait_for_selector("text=Your changes have been sent to the reviewer.")
    assert "Changes sent" in applicant.inner_text("main")
    screenshot(applicant, "return-06-resubmitted")

    reviewer.goto(base + "/review/")
    row = reviewer.locator("tr", has=reviewer.locator(f"a:has-text('{reference}')"))
    assert "Resubmitted" in row.inner_text()
    assert reviewer.evaluate(
        "(c) => c.scrollWidth <= c.clientWidth", reviewer.locator(".table-container").element_handle()
    ), "the queue is wider than a laptop's window"
    screenshot(reviewer, "return-07-queue")
    reviewer.goto(review_url)
    assert "Sue Newsupervisor" in reviewer.content()
    reviewer.click("button:has-text('Take back into review')")
    reviewer.wait_for_selector("text=The application is back in review.")
    assert "In review" in reviewer.inner_text("main")
    screenshot(reviewer, "return-08-back-in-review")
