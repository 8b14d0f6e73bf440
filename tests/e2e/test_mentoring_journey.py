"""The mentoring journey in a real browser: a protégé finds a mentor, both declare, sign an agreement, meet."""

from __future__ import annotations

import re
import uuid
from datetime import date

from portal.workflows.programmes.rules import add_months
from tests.e2e.steps import register, screenshot, sign_in_staff, today


def set_up_programme(page, base: str) -> str:
    """The coordinator (an admin) opens a programme with the catalogue's defaults; returns its name."""
    name = f"Construction Mentor Programme {uuid.uuid4().hex[:4]}"
    page.goto(base + "/programmes/coordinator")
    screenshot(page, "mentoring-01-coordinator")
    page.click("a:has-text('Set up a programme')")
    page.fill("#name", name)
    page.fill("#description", "A year of mentoring toward certification.")
    page.check("#is_open")
    screenshot(page, "mentoring-02-programme-form")
    page.click("button:has-text('Save the programme')")
    page.wait_for_selector(f"text=“{name}” has been saved.")
    return name


def offer_to_mentor(page, base: str, expertise: str) -> None:
    page.goto(base + "/programmes/")
    screenshot(page, "mentoring-03-programmes")
    page.click("a:has-text('Offer to mentor')")
    page.fill("#expertise", expertise)
    page.fill("#sector", "Construction")
    page.fill("#region", "Ontario chapter")
    page.fill("#bio", "Twenty years on site and in the office.")
    page.fill("#capacity", "2")
    screenshot(page, "mentoring-04-mentor-profile")
    page.click("button:has-text('Save profile')")
    page.wait_for_selector("text=Your mentor profile has been saved.")


def declare_no_conflict(page, name: str) -> None:
    page.click("a:has-text('Make your declaration')")
    for question in ("is_manager_or_subordinate", "is_direct_competitor", "is_same_reporting_line"):
        page.check(f"input[name={question}][value=no]")
    screenshot(page, f"mentoring-08-declaration-{name}")
    page.click("button:has-text('Make my declaration')")
    page.wait_for_selector("text=Your declaration has been recorded.")


def sign_agreement(page, full_name: str, shot: str) -> None:
    page.fill("#full_name", full_name)
    page.check("#accept")
    page.click("button:has-text('Sign the agreement')")
    page.wait_for_selector("text=You have signed the agreement.")
    screenshot(page, shot)


def test_a_protege_finds_a_mentor_and_the_pair_agree_goals_and_meet(windows, live_portal):
    base = live_portal.url
    coordinator = windows()
    sign_in_staff(coordinator, live_portal, "admin")
    programme = set_up_programme(coordinator, base)

    mentor = windows()
    register(mentor, live_portal, name="Marta Mentor", prefix="marta")
    expertise = f"Contract claims {uuid.uuid4().hex[:6]}"  # found by search whatever other mentors exist
    offer_to_mentor(mentor, base, expertise)

    protege = windows()
    register(protege, live_portal, name="Pat Protege", prefix="pat")
    protege.goto(base + "/programmes/")
    protege.click("a:has-text('Find a mentor')")
    protege.fill("#q", expertise)
    protege.click("button:has-text('Search')")
    protege.wait_for_url(re.compile(r".*\?q=.*"))
    assert "1 mentor found." in protege.content()
    screenshot(protege, "mentoring-05-directory")
    protege.click("a:has-text('Ask Marta Mentor to mentor you')")
    protege.check(f"label:has-text('{programme}')")
    protege.fill("#message", "I would like to work on claims and on my CCM application.")
    protege.check("#guide_read")
    screenshot(protege, "mentoring-06-request")
    protege.click("button:has-text('Send request')")
    protege.wait_for_selector("text=Your request has gone to Marta Mentor.")
    pairing_url = protege.url

    mentor.goto(pairing_url)
    assert "Pat Protege has asked you to be their mentor." in mentor.content()
    screenshot(mentor, "mentoring-07-request-received")
    mentor.click("button:has-text('Accept')")
    mentor.wait_for_selector("text=You have accepted.")
    declare_no_conflict(mentor, "mentor")
    protege.goto(pairing_url)
    declare_no_conflict(protege, "protege")
    assert "Agree the term and 3 SMART goals" in protege.content()
    screenshot(protege, "mentoring-09-agreeing")

    start = date.today()
    mentor.goto(pairing_url)
    mentor.click("a:has-text('Write the agreement')")
    mentor.fill("#term_start", today())
    goals = [
        ("Clear the claims backlog", "Claims open over 90 days", 3),
        ("Submit the CCM application", "Application submitted", 6),
        ("Lead a site safety review", "Review report accepted", 9),
    ]
    for index, (goal, metric, months) in enumerate(goals):
        mentor.fill(f"#goals-{index}-description", goal)
        mentor.fill(f"#goals-{index}-metric", metric)
        mentor.fill(f"#goals-{index}-deadline", add_months(start, months).isoformat())
    screenshot(mentor, "mentoring-10-agreement-form")
    mentor.click("button:has-text('Save the agreement')")
    mentor.wait_for_selector("text=The agreement has been saved. Both of you now sign it.")
    sign_agreement(mentor, "Marta Mentor", "mentoring-11-mentor-signed")

    protege.goto(pairing_url)
    protege.click("a:has-text('Review and sign the agreement')")
    for goal, _, _ in goals:
        assert goal in protege.content()
    sign_agreement(protege, "Pat Protege", "mentoring-12-both-signed")
    protege.wait_for_url(pairing_url)
    assert "Active" in protege.inner_text("main")

    protege.click("a:has-text('Log a meeting')")
    protege.fill("#held_on", today())
    protege.fill("#starts_at", "14:30")
    protege.check("input[name=mode][value=in_person]")
    protege.fill("#duration_minutes", "60")
    protege.fill("#notes", "Went through the claims backlog together.")
    screenshot(protege, "mentoring-13-meeting-form")
    protege.click("button:has-text('Save the meeting')")
    protege.wait_for_selector("text=The meeting has been logged.")
    screenshot(protege, "mentoring-14-pairing-active")

    mentor.goto(pairing_url)
    assert "Went through the claims backlog together." in mentor.content()  # the pair share their notes
    screenshot(mentor, "mentoring-15-mentor-sees-meeting")
    coordinator.goto(base + "/programmes/coordinator")
    screenshot(coordinator, "mentoring-16-coordinator-after")
