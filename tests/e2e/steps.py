"""What people do in the browser, step by step: register, sign in, fill an application, follow an emailed link."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from datetime import date

from portal.config import PROJECT_ROOT
from tests.helpers import PASSWORD

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
LINK = re.compile(r"https?://[^/\s]+(/\S+)")


def register(page, portal, name: str = "Ada Lovelace", prefix: str = "ada") -> str:
    """Sign up, then open the emailed link and confirm: signed in on the applications page."""
    email = f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(portal.url + "/account/register")
    page.fill("#full_name", name)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("button:has-text('Create account')")
    page.wait_for_selector("h1:has-text('Check your email')")
    message = wait_for_mail(portal.mail_sink, email, "Confirm your email address")
    page.goto(portal.url + link_in(message, "/account/confirm/"))
    page.click("button:has-text('Confirm and sign in')")
    page.wait_for_url("**/applications/")
    return email


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(base + "/account/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")
    # Applicants land on their applications, reviewers on the queue, admins on the admin page.
    page.wait_for_url(re.compile(r".*/(applications|review|admin)/$"))


def sign_in_staff(page, portal, role: str) -> None:
    """Sign in as the demo ``admin`` or ``reviewer`` that ``flask run-all`` created, with a one-time code
    from the two-factor secret it printed."""
    import pyotp  # noqa: PLC0415  (only the staff steps need it)

    email = f"{role}@example.org"
    page.goto(portal.url + "/account/sign-in")
    page.fill("#email", email)
    page.fill("#password", portal.passwords[email])
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/account/sign-in/code")
    totp = pyotp.TOTP(portal.totp_secrets[email])
    # A code is accepted once, and the next step's code is accepted early (clock drift): a second sign-in
    # within 30 seconds takes that one; a third waits for the clock.
    while int(time.time()) // totp.interval + 1 <= portal.totp_steps.get(email, -1):
        time.sleep(0.5)
    step = max(int(time.time()) // totp.interval, portal.totp_steps.get(email, -1) + 1)
    portal.totp_steps[email] = step
    page.fill("#code", totp.at(step * totp.interval))
    page.click("button:has-text('Sign in')")
    # Reviewers land on the queue, admins on the admin page.
    page.wait_for_url(re.compile(r".*/(applications|review|admin)/$"))


def fill_cpm_application(page, base: str, certificate, referees: list[str] | None = None) -> str:
    """Start a CPM application and complete every section; returns the application's URL.

    ``referees`` are the email addresses of the referees of the first engagements (two by default).
    """
    referees = referees or [f"referee{n}-{uuid.uuid4().hex[:6]}@example.net" for n in (1, 2)]
    page.click("text=Start a new application")
    page.check("input[value=CPM]")
    page.click("button:has-text('Start application')")
    page.wait_for_url(re.compile(r".*/applications/\d+$"))
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
        if n <= len(referees):
            page.fill("#referee_name", f"Referee Number{n}")
            page.fill("#referee_email", referees[n - 1])
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
    page.wait_for_url(url)
    return url


def certificate_for(folder, name: str = "Ada Lovelace"):
    from tests.factories.documents import make_pdf

    return make_pdf(
        folder / "certificate.pdf",
        [
            "Northwind Mentoring Academy",
            "Certificate of Completion",
            f"This is to certify that {name}",
            "has successfully completed Foundations of Professional Mentoring",
            "a total of 35 contact hours",
            "from 1 March 2024 to 31 May 2024",
            "Instructor: Grace Hopper",
        ],
    )


def issue_credential(portal, email: str, issued_on: date, code: str = "CPM") -> str:
    """Give the account ``email`` a credential issued on ``issued_on``; returns its number.

    A browser cannot travel in time, so a credential near its expiry is made by the suite's own factory
    (``tests.factories.review.issued``: the portal's ``issue_credential`` at that date) in a child process
    on the live portal's database and broker, as ``flask shell`` would.
    """
    script = (
        "import sys; from tests.e2e.steps import _issue_here; "
        "_issue_here(sys.argv[1], sys.argv[2], sys.argv[3])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, email, issued_on.isoformat(), code],
        cwd=PROJECT_ROOT,
        env=portal.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[-1]


def _issue_here(email: str, issued_on: str, code: str) -> None:
    from sqlalchemy import select

    from portal import create_app
    from portal.db import db
    from portal.models.users import User
    from tests.factories.review import issued

    with create_app().app_context():
        holder = db.session.scalar(select(User).where(User.email == email))
        print(issued(holder, date.fromisoformat(issued_on), code).number)


def name_supervisor(page, url: str, email: str) -> None:
    """Give the application's supervisor an address of their own (the sink then holds only their emails)."""
    page.goto(url + "/supervision")
    page.fill("#supervisor_email", email)
    page.click("button:has-text('Save and continue')")
    page.wait_for_url(url)


def declare_as_supervisor(page, base: str, link: str, shots: str = "supervisor") -> None:
    """The supervisor opens the link from their email and declares, in their own name."""
    page.goto(base + link)
    screenshot(page, f"{shots}-01-declaration")
    page.check("input[name=answer][value=confirm]")
    page.fill("#supervising_since", "2024-09-01")
    page.check("input[name=focus][value=both]")
    page.check("#practising_mentor")
    page.check("#knows_imc_standards")
    page.fill("#sessions_last_year", "6")
    page.click("button:has-text('Send your declaration')")
    page.wait_for_selector("text=Thank you: your answer has been recorded.")
    screenshot(page, f"{shots}-02-declared")


def fee_of(page, url: str) -> str:
    """The fee an application's status page asks for, as the admin types it (``250``)."""
    page.goto(url + "/status")
    # The amount as the money filter writes it: "US$250" (or "USD 250" before languages came in).
    return re.search(r"Fee: <strong>[^<\d]*([\d,.]+)</strong>", page.content()).group(1).replace(",", "")


def submit(page, url: str) -> str:
    """Submit a complete application from its fee page; returns its reference (``CPM-000042``)."""
    page.goto(url + "/submit")
    page.click("button:has-text('Submit application')")
    page.wait_for_url("**/status?submitted=1")
    assert "Application submitted" in page.content()
    return page.inner_text(".panel--confirmation strong")


def record_payment(page, base: str, reference: str, amount: str, shots: str = "admin") -> None:
    """An admin records the bank transfer that pays ``reference``'s fee; its review starts."""
    page.goto(base + "/admin/payments")
    screenshot(page, f"{shots}-01-record-payment")
    page.fill("#reference", reference)
    page.check("input[name=method][value=bank_transfer]")
    page.fill("#amount", amount)
    page.fill("#currency", "USD")
    page.fill("#transaction_reference", f"BANK-{uuid.uuid4().hex[:8].upper()}")
    page.fill("#received_on", today())
    page.click("button:has-text('Record payment')")
    page.wait_for_selector(f"text=Payment recorded for {reference}")
    screenshot(page, f"{shots}-02-payment-recorded")


def on_the_desk(windows, portal, folder, prefix: str, shots: str):
    """An applicant registers and submits a complete CPM application, an admin records its fee, and a
    reviewer opens it from the queue. Returns (applicant's window, its application URL, its email, its
    reference, the reviewer's window on the desk)."""
    applicant = windows()
    email = register(applicant, portal, prefix=prefix)
    url = fill_cpm_application(applicant, portal.url, certificate_for(folder))
    reference = submit(applicant, url)
    fee = fee_of(applicant, url)

    admin = windows()
    sign_in_staff(admin, portal, "admin")
    record_payment(admin, portal.url, reference, fee, shots=shots)

    reviewer = windows()
    sign_in_staff(reviewer, portal, "reviewer")
    reviewer.goto(portal.url + "/review/")
    reviewer.click(f"a:has-text('{reference}')")
    return applicant, url, email, reference, reviewer


def import_member(page, base: str, tmp_path, number: str, name: str, email: str) -> None:
    """An admin imports a one-row member register; a claim already made on ``number`` is checked again."""
    register = tmp_path / "members.csv"
    register.write_text(f"Member number,Name,Email,Valid until\n{number},{name},{email},2099-12-31\n")
    page.goto(base + "/admin/members/import")
    page.set_input_files("#file", str(register))
    page.click("button:has-text('Import')")
    page.wait_for_selector("text=The import is done")
    screenshot(page, "admin-00-member-register-imported")


def wait_for_text(page, url: str, text: str, seconds: float = 60) -> None:
    """Reload until the worker's result shows (the worker runs in another process)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page.goto(url)
        if text in page.content():
            return
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never appeared on {url}")


def wait_for_mail(mail_sink, address: str, subject: str = "", seconds: float = 60):
    """The first message to ``address`` (whose subject contains ``subject``) the SMTP sink receives."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [m for m in mail_sink.to(address) if subject in m["Subject"]]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no email to {address} with {subject!r} in its subject")


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in an email's text that starts with ``path_prefix``."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    for found in LINK.finditer(text):
        if found.group(1).startswith(path_prefix):
            return found.group(1)
    raise AssertionError(f"no {path_prefix} link in:\n{text}")


def tab_to(page, selector: str, presses: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus: it is reachable by keyboard."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def type_with_keyboard(page, selector: str, text: str) -> None:
    """Tab to a text field and type into it, replacing what it held, as someone without a mouse does."""
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def download(page, link_text: str) -> str:
    """Follow a download link; returns the file's text."""
    with page.expect_download() as started:
        page.click(f"a:has-text('{link_text}')")
    return started.value.path().read_text()


def today() -> str:
    return date.today().isoformat()


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot as a test artifact and check the page for accessibility faults
    (axe: moderate, serious or critical)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert_accessible(page, name)


# The outermost elements that reach past the screen's right edge, as "tag.class (right edge)".
_TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 391 && !(e.parentElement.getBoundingClientRect().right > 391))
  .slice(0, 8).map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)})`)"""


def screenshot_phone(page, name: str) -> None:
    """The same page on a phone-sized screen (390 px wide): saved, checked with axe, and nothing wider than
    the screen, so nobody has to scroll sideways to read it."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        screenshot(page, f"{name}-390")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390, f"{name}: the page is {overflow} px wide on a 390 px screen: " + ", ".join(
            page.evaluate(_TOO_WIDE)
        )
    finally:
        page.set_viewport_size(size)


def assert_accessible(page, name: str) -> None:
    """Fail on any moderate, serious or critical axe violation, naming each rule, its help and where it is."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = [
        v for v in results.response["violations"] if v.get("impact") in ("moderate", "serious", "critical")
    ]
    assert not found, f"{name} ({page.url}): " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:3])
        for v in found
    )


def in_portal(portal, function: str, *args: str) -> str:
    """Run ``function`` (``"tests.e2e.steps:_name"``) in a child process on the live portal's database and
    broker, as ``flask shell`` would; returns what it printed."""
    module, _, name = function.partition(":")
    script = f"import sys; from {module} import {name}; {name}(*sys.argv[1:])"
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=PROJECT_ROOT,
        env=portal.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _move_pairing_back_here(pairing_id: str, months: str) -> None:
    """A browser cannot travel in time: a pairing's term (its dates, checkpoints and goals' deadlines) is
    moved ``months`` into the past, as if the pair had started then."""
    from portal import create_app
    from portal.db import db
    from portal.models.programmes import Pairing
    from portal.workflows.programmes import rules

    with create_app().app_context():
        pairing = db.session.get(Pairing, int(pairing_id))
        back = -int(months)
        pairing.term_start = rules.add_months(pairing.term_start, back)
        pairing.term_end = rules.term_end(pairing.term_start, pairing.programme.term_months)
        for checkpoint in pairing.checkpoints:
            checkpoint.due_on = rules.checkpoint_due(pairing.term_start, checkpoint.month)
        for goal in pairing.goals:
            goal.deadline = rules.add_months(goal.deadline, back)
        db.session.commit()


def _send_chapter_reports_here() -> None:
    """The daily sweep that queues each chapter's quarterly report, run now (the scheduler runs it once a day)."""
    from portal import create_app
    from portal.db import db
    from portal.workflows.programmes.chapters.operations import queue_chapter_reports

    with create_app().app_context():
        print(queue_chapter_reports())
        db.session.commit()
