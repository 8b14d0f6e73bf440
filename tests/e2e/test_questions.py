"""A reviewer asks the applicant a question from the desk; the applicant follows the emailed link and answers
with a file; the reviewer, emailed in turn, reads the answer and may decide again."""

from __future__ import annotations

from tests.e2e.steps import certificate_for, link_in, on_the_desk, screenshot, wait_for_mail

QUESTION = "Which organisation did you mentor Mentee Number1 for?"
ANSWER = "Northwind Traders: the attached letter from its HR team says so."


def test_a_question_is_answered_with_a_file_while_the_review_waits(windows, live_portal, tmp_path):
    base = live_portal.url
    applicant, _, email, _, reviewer = on_the_desk(windows, live_portal, tmp_path, "asked", "questions-admin")
    desk = reviewer.url
    reviewer.click("summary:has-text('Request information')")
    reviewer.fill("#body", QUESTION)
    screenshot(reviewer, "questions-01-asking")
    reviewer.click("button:has-text('Send the question')")
    reviewer.wait_for_selector("text=Your question has been emailed to the applicant.")
    panel = reviewer.inner_text(".desk__panel")
    assert "Waiting for the applicant" in panel and "None while waiting for the applicant" in panel
    assert reviewer.locator("button:has-text('Approve and issue the credential')").count() == 0
    screenshot(reviewer, "questions-02-waiting")

    # The applicant follows the emailed link to the question and answers it with a letter.
    message = wait_for_mail(live_portal.mail_sink, email, "A reviewer has a question")
    link = link_in(message, "/applications/")
    assert link.endswith("/status#questions")
    applicant.goto(base + "/applications/")  # from elsewhere, as from an email: the page loads afresh
    applicant.goto(base + link)
    status = applicant.inner_text("main")
    assert "Waiting for your answer" in status and QUESTION in status and "Expected decision by" not in status
    (tmp_path / "letter").mkdir()
    letter = certificate_for(tmp_path / "letter", "Northwind Traders HR")
    applicant.fill("#body", ANSWER)
    applicant.set_input_files("#attachment", str(letter))
    screenshot(applicant, "questions-03-answering")
    applicant.click("button:has-text('Send your answer')")
    applicant.wait_for_selector("text=Your answer has been sent to the reviewer")
    status = applicant.inner_text("main")
    assert "Expected decision by" in status and "You answered" in status and "certificate.pdf" in status
    screenshot(applicant, "questions-04-answered")

    # The reviewer is emailed, and finds the answer and its file on the desk, with the decisions back.
    message = wait_for_mail(live_portal.mail_sink, "reviewer@example.org", "The applicant has answered")
    assert link_in(message, "/review/").startswith(desk.removeprefix(base).split("?")[0])
    reviewer.goto(desk)
    questions = reviewer.inner_text("main")
    assert ANSWER in questions and "Attached: certificate.pdf" in questions
    assert reviewer.locator("summary:has-text('Approve')").count() == 1
    assert "Answered" in reviewer.inner_text("main").split("What has happened", 1)[1]
    screenshot(reviewer, "questions-05-answered-on-the-desk")
