"""A mentorship from guide to close-out in a real browser: the pair reads and acknowledges the programme's
guide, records a career plan with 4-year milestones, logs and acknowledges experience, closes out and
downloads its summary PDF; the chapter coordinator sees the pair on the chapter's page and in its report."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date, timedelta
from urllib.parse import quote

from pypdf import PdfReader

from portal.workflows.programmes.rules import add_months
from tests.e2e.steps import (
    assert_accessible,
    in_portal,
    register,
    screenshot,
    sign_in_staff,
    today,
    wait_for_mail,
)
from tests.e2e.test_mentoring_journey import (
    declare_no_conflict,
    offer_to_mentor,
    set_up_programme,
    sign_agreement,
)


def set_up_chapter(page, base: str, coordinator_email: str) -> str:
    name = f"Ontario chapter {uuid.uuid4().hex[:4]}"
    page.goto(base + "/programmes/coordinator")
    page.click("a:has-text('Chapters')")
    page.fill("#name", name)
    page.fill("#region", "Ontario")
    page.fill("#coordinators", coordinator_email)
    page.click("button:has-text('Save the chapter')")
    page.wait_for_selector("text=The chapter has been saved.")
    return name


def evaluate(page, pairing_url: str) -> None:
    page.goto(pairing_url)
    page.click("a:has-text('Evaluate')")
    for radio in page.query_selector_all("input[type=radio][value='4']"):
        radio.check()
    page.click("button:has-text('Submit my evaluation')")
    page.wait_for_selector("text=Thank you: your evaluation has been submitted.")


def test_a_pair_follows_the_guide_plans_logs_experience_and_closes_out(windows, live_portal):
    base = live_portal.url
    coordinator = windows()
    sign_in_staff(coordinator, live_portal, "admin")
    programme = set_up_programme(coordinator, base)
    lead = windows()
    lead_email = register(lead, live_portal, name="Carla Chapter", prefix="carla")
    chapter = set_up_chapter(coordinator, base, lead_email)

    mentor = windows()
    register(mentor, live_portal, name="Marta Mentor", prefix="marta")
    expertise = f"Contract claims {uuid.uuid4().hex[:6]}"
    offer_to_mentor(mentor, base, expertise)

    # The protégé searches, reads why this mentor, and reads the guide before asking.
    protege = windows()
    register(protege, live_portal, name="Zoé Protégée", prefix="zoe")
    protege.goto(base + "/programmes/mentors?q=" + quote(expertise))
    assert "Why this mentor: matches your goal" in protege.content()
    protege.click("a:has-text('Ask Marta Mentor to mentor you')")
    protege.click(f"a:has-text('Read the guide to {programme}')")
    assert "What mentoring is not" in protege.content()
    screenshot(protege, "programme-01-guide")
    protege.click("button:has-text('I have read the guide')")
    protege.wait_for_selector("text=Thank you: you have acknowledged the programme’s guide.")
    assert "You have acknowledged it." in protege.content()  # back on the request page
    protege.check(f"label:has-text('{programme}')")
    protege.check("#guide_read")
    protege.click("button:has-text('Send request')")
    protege.wait_for_selector("text=Your request has gone to Marta Mentor.")
    pairing_url = protege.url
    pairing_id = re.search(r"/pairings/(\d+)", pairing_url).group(1)

    mentor.goto(pairing_url)
    mentor.click("button:has-text('Accept')")
    mentor.wait_for_selector("text=You have accepted.")
    declare_no_conflict(mentor, "mentor")
    protege.goto(pairing_url)
    declare_no_conflict(protege, "protege")
    mentor.goto(pairing_url)
    mentor.click("a:has-text('Write the agreement')")
    mentor.fill("#term_start", today())
    for index in range(3):
        mentor.fill(f"#goals-{index}-description", f"Goal {index + 1}: lead a claims review")
        mentor.fill(f"#goals-{index}-metric", "Review report accepted")
        mentor.fill(f"#goals-{index}-deadline", add_months(date.today(), 3 * (index + 1)).isoformat())
    mentor.click("button:has-text('Save the agreement')")
    mentor.wait_for_selector("text=The agreement has been saved. Both of you now sign it.")
    assert "Before you sign: read what you each take on." in mentor.content()
    sign_agreement(mentor, "Marta Mentor", "programme-02-mentor-signed")  # signing acknowledges the guide
    protege.goto(pairing_url)
    protege.click("a:has-text('Review and sign the agreement')")
    sign_agreement(protege, "Zoé Protégée", "programme-03-both-signed")
    protege.wait_for_url(pairing_url)
    assert "At each checkpoint, look again at what you each took on" in protege.content()

    # The pair keeps its chapter informed.
    protege.select_option("#chapter_id", label=chapter)
    protege.click("button:has-text('Save the chapter')")
    protege.wait_for_selector("text=Your chapter has been saved")

    # The career plan: milestones at 1, 2 and 4 years, past the 12-month term.
    protege.click("a:has-text('Write the career plan')")
    for years, (text, months) in {
        1: ("Lead a small project as CM", 11),
        2: ("Sit the CCM exam", 23),
        4: ("Run a programme of projects", 47),
    }.items():
        protege.fill(f"#milestone_{years}_description", text)
        protege.fill(f"#milestone_{years}_target_on", add_months(date.today(), months).isoformat())
    protege.click("button:has-text('Save the career plan')")
    protege.wait_for_selector("text=The career plan has been saved.")
    assert "In 4 years" in protege.content() and "Run a programme of projects" in protege.content()
    screenshot(protege, "programme-04-career-plan")

    # Experience by category: the protégé logs, the mentor acknowledges.
    protege.goto(pairing_url)
    protege.click("a:has-text('Log and acknowledge experience')")
    protege.select_option("#category_id", index=0)
    protege.fill("#started_on", (date.today() - timedelta(days=6)).isoformat())
    protege.fill("#ended_on", (date.today() - timedelta(days=2)).isoformat())
    protege.fill("#hours", "30")
    protege.fill("#description", "Ran the site meetings on the school extension.")
    screenshot(protege, "programme-05-experience-form")
    protege.click("button:has-text('Log the experience')")
    protege.wait_for_selector("text=Your experience has been logged.")
    mentor.goto(pairing_url + "/experience")
    mentor.click("button:has-text('Acknowledge')")
    mentor.wait_for_selector("text=You have acknowledged this experience.")
    assert "30 hours" in mentor.inner_text("main")
    screenshot(mentor, "programme-06-experience-acknowledged")

    # A year later (a browser cannot travel in time: the term is moved back instead), the close-out.
    in_portal(live_portal, "tests.e2e.steps:_move_pairing_back_here", pairing_id, "12")
    protege.goto(pairing_url)
    protege.click("a:has-text('Record the close-out')")
    for position, progress in ((1, "achieved"), (2, "on_track"), (3, "at_risk")):
        protege.select_option(f"#goal_{position}_progress", progress)
    protege.fill("#next_steps", "Sit the CCM exam in the spring; keep logging RIC hours.")
    protege.check("input[name=readiness][value=preparing]")
    screenshot(protege, "programme-07-close-out")
    protege.click("button:has-text('Record the close-out')")
    protege.wait_for_selector("text=The close-out has been recorded")
    evaluate(protege, pairing_url)
    evaluate(mentor, pairing_url)
    protege.goto(pairing_url)
    protege.click("button:has-text('Confirm the engagement')")
    protege.wait_for_selector("text=Thank you for confirming the engagement.")
    assert "Completed" in protege.inner_text("main")
    with protege.expect_download() as started:
        protege.click("a:has-text('Download the summary (PDF)')")
    summary = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(started.value.path().read_bytes())).pages
    )
    assert "Mentoring summary" in summary and "Zoé Protégée" in summary
    assert "Readiness for certification: Preparing" in summary and "Sit the CCM exam in the spring" in summary

    # The chapter coordinator, who is no administrator, sees the pair and receives the quarterly report.
    lead.goto(base + "/programmes/")
    lead.click("a:has-text('Your chapters')")
    lead.click(f"a:has-text('{chapter}')")
    assert "Marta Mentor (mentor) and Zoé Protégée (protégé)" in lead.inner_text("main")
    assert_accessible(lead, "programme-08-chapter")
    screenshot(lead, "programme-08-chapter")
    assert lead.goto(base + "/programmes/coordinator").status == 404
    in_portal(live_portal, "tests.e2e.steps:_send_chapter_reports_here")
    report = wait_for_mail(live_portal.mail_sink, lead_email, "mentoring progress report")
    body = report.get_body(("plain",)).get_content()
    assert "Marta Mentor (mentor) and Zoé Protégée (protégé)" in body and "Completed" in body
