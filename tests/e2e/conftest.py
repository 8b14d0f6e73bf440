"""End-to-end fixtures: the whole portal (web, worker, scheduler, broker) on loopback, a real SMTP sink, Chromium."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from portal.config import PROJECT_ROOT
from tests.helpers import MailSink, free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def mail_sink():
    from aiosmtpd.controller import Controller

    sink = MailSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.port = port
    yield sink
    controller.stop()


@pytest.fixture(scope="session")
def live_portal(tmp_path_factory, mail_sink):
    """``flask run-all`` with its own database, uploads and (unless BROKER_URL is set) embedded Redis."""
    folder = tmp_path_factory.mktemp("live")
    port = free_port()
    env = dict(
        os.environ,
        INSTANCE_PATH=str(folder / "instance"),
        UPLOAD_DIR=str(folder / "uploads"),
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(mail_sink.port),
        SMTP_SECURITY="none",
        BASE_URL=f"http://127.0.0.1:{port}",
        OUTBOX_SWEEP_SECONDS="3",
        LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL", None)  # its own SQLite database: the suite's tables are not its schema
    # Its own embedded Redis too: the suite flushes and consumes the shared broker's queues between tests.
    env.pop("BROKER_URL", None)
    with (folder / "portal.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "run-all", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/health", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("the portal did not start:\n" + (folder / "portal.log").read_text())
            time.sleep(0.3)
    output = (folder / "portal.log").read_text()
    passwords = dict(re.findall(r"(\S+@example\.org)\s+password: (\S+)", output))
    # Each demo staff account's two-factor secret, from the otpauth:// URI printed under its password.
    totp_secrets = dict(re.findall(r"two-factor: otpauth://totp/[^:]+:([^?\s]+)\?secret=(\w+)", output))
    totp_secrets = {email.replace("%40", "@"): secret for email, secret in totp_secrets.items()}
    # ``env`` lets a step run the portal's own code on its database and broker (steps.issue_credential).
    yield type(
        "Portal",
        (),
        {
            "url": base,
            "passwords": passwords,
            "totp_secrets": totp_secrets,
            "totp_steps": {},
            "mail_sink": mail_sink,
            "folder": folder,
            "env": env,
        },
    )
    process.send_signal(signal.SIGINT)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def windows(browser):
    """Opens a browser window with its own cookies, one per person in a journey; all closed after the test."""
    contexts = []

    def open_window():
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_window
    for context in contexts:
        context.close()
