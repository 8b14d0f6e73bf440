"""The database restarts under load: requests get the portal's 503 page, nothing is half-written, and the
portal serves again afterwards without being restarted itself."""

from __future__ import annotations

import io
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from portal import create_app
from portal.db import db
from portal.documents.storage import current_storage
from portal.enums import ApplicationState
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.documents import Document
from portal.models.outbox import EmailMessage, OutboxMessage
from portal.models.references import ReferenceRequest
from portal.outages import is_unavailable
from tests.factories import applications as data
from tests.helpers import PASSWORD, free_port, make_user, running_app, sign_in

UNAVAILABLE = "Service temporarily unavailable"
SERVER_ERROR = "Sorry, something went wrong"
APPLICANTS, VISITORS = 4, 2
LOAD_BEFORE, OUTAGE, LOAD_AFTER = 1.5, 1.0, 2.0  # seconds
WAIT = 30  # the most any single step may take, in seconds


def _postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder that has what this test needs."""
    folders = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    for folder in reversed(folders):
        if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _skip_reason() -> str | None:
    if _postgres_bin() is None:
        return "needs PostgreSQL's server binaries (initdb, pg_ctl, postgres) under /usr/lib/postgresql/*/bin"
    if os.geteuid() == 0:  # initdb refuses to run as root
        if shutil.which("runuser") is None:
            return "runs as root but runuser is missing (initdb refuses root)"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "runs as root but there is no postgres user to run initdb as"
    return None


class PrivatePostgres:
    """A PostgreSQL server of this test's own, in a temporary folder, on a free port."""

    def __init__(self, bin_folder: Path):
        self.bin = bin_folder
        # Not under pytest's tmp_path: that is private to root, and the server runs as postgres.
        self.folder = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres?connect_timeout=5"

    def _run(self, tool: str, *args: str) -> None:
        result = subprocess.run(
            [*self.as_postgres, str(self.bin / tool), *args],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=WAIT + 10,
        )
        assert result.returncode == 0, f"{tool} failed:\n{result.stdout}\n{result.stderr}\n{self.log()}"

    def initdb(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            # Its socket beside it, TCP on loopback only; no fsync: a fast shutdown checkpoints anyway.
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.folder}'\nfsync = off\nlogging_collector = off\n"
            )

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            str(WAIT),
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", str(WAIT), "stop")

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def close(self) -> None:
        """Stop the server if it runs, whatever state the test left it in, and remove its folder."""
        pid_file = self.data / "postmaster.pid"
        try:
            if pid_file.exists():
                self.stop("immediate")
        except (AssertionError, subprocess.TimeoutExpired):
            if pid_file.exists():  # pg_ctl could not stop it: end the server this test started, by its id
                os.kill(int(pid_file.read_text().split()[0]), 9)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    if reason := _skip_reason():
        pytest.skip(reason)
    server = PrivatePostgres(_postgres_bin())
    try:
        server.initdb()
        server.start()
        yield server
    finally:
        server.close()


@dataclass(frozen=True)
class Call:
    step: str
    started: float
    seconds: float
    status: int  # 0: the request raised instead of answering
    succeeded: bool  # a 2xx or 3xx, or the status the step expects
    clean: bool  # succeeded, or failed with the portal's own error page
    detail: str = ""


def _is_clean(response) -> bool:
    """Whether a failed request was answered with the portal's own error page."""
    body = response.get_data(as_text=True)
    if "Traceback" in body:
        return False
    if response.status_code == 503:
        return UNAVAILABLE in body and response.headers.get("Retry-After") == "30"
    return response.status_code == 500 and SERVER_ERROR in body


class Load:
    """Clients doing real work on their own threads until told to stop; every request is recorded."""

    def __init__(self, certificate: bytes):
        self.certificate = certificate
        self.calls: list[Call] = []
        self.stopping = threading.Event()

    def call(self, client, step: str, method: str, path: str, expected: int | None = None, **kwargs):
        started = time.monotonic()
        try:
            response = client.open(path, method=method, **kwargs)
        except Exception:  # an exception escaping the app is exactly what must not happen
            self.calls.append(
                Call(
                    step, started, time.monotonic() - started, 0, False, False, traceback.format_exc()[-3000:]
                )
            )
            return None
        succeeded = response.status_code < 400 or response.status_code == expected
        clean = succeeded or _is_clean(response)
        self.calls.append(
            Call(
                step,
                started,
                time.monotonic() - started,
                response.status_code,
                succeeded,
                clean,
                "" if clean else response.get_data(as_text=True)[:500],
            )
        )
        return response if succeeded else None

    def applicant(self, client) -> None:
        """Start applications, fill every section and submit, over and over; after a failure, start afresh."""
        while not self.stopping.is_set():
            response = self.call(client, "start", "POST", "/applications/new", data={"credential": "CPM"})
            if response is None:
                time.sleep(0.05)  # the database is down: do not spin
                continue
            base = response.headers["Location"].rstrip("/")
            for step, method, path, kwargs in self._sections(base):
                if self.stopping.is_set():
                    return
                if self.call(client, step, method, path, **kwargs) is None:
                    time.sleep(0.05)
                    break

    def _sections(self, base: str):
        yield "about", "POST", f"{base}/about", {"data": data.about()}
        yield (
            "training",
            "POST",
            f"{base}/training/new",
            {
                "data": {**data.training(), "certificate": (io.BytesIO(self.certificate), "certificate.pdf")},
                "content_type": "multipart/form-data",
            },
        )
        for n in range(1, 4):
            engagement = data.engagement(n, referee=n <= 2)
            yield "engagement", "POST", f"{base}/engagements/new", {"data": engagement}
        yield "supervision", "POST", f"{base}/supervision", {"data": data.supervision()}
        yield "declaration", "POST", f"{base}/declaration", {"data": {"confirm": "y"}}
        yield "submit", "POST", f"{base}/submit", {}
        yield "status", "GET", f"{base}/status", {}

    def visitor(self, client) -> None:
        """Public pages: the home page, a credential check (an unknown number: 404), the sign-in page."""
        while not self.stopping.is_set():
            for step, path, expected in (
                ("home", "/", None),
                ("verify", "/verify/CPM-0000-0000-0000", 404),
                ("sign-in page", "/account/sign-in", None),
            ):
                if self.call(client, step, "GET", path, expected) is None:
                    time.sleep(0.05)


def test_a_database_restart_under_load_fails_cleanly_loses_nothing_and_recovers(
    private_postgres, app_config, tmp_path
):
    app_config.update(
        DATABASE_URL=private_postgres.url,
        # As in production: an error that escapes a view reaches the portal's 500 page, so the
        # test sees what a person would, instead of the exception.
        PROPAGATE_EXCEPTIONS=False,
    )
    with running_app(app_config) as app:
        db.create_all()
        certificate = data.certificate_upload(tmp_path)[0].getvalue()
        applicants = []
        for n in range(APPLICANTS):
            client = app.test_client()
            assert sign_in(client, make_user(f"applicant{n}@example.com")).status_code == 302
            applicants.append(client)
        load = Load(certificate)
        threads = [threading.Thread(target=load.applicant, args=(client,)) for client in applicants]
        threads += [threading.Thread(target=load.visitor, args=(app.test_client(),)) for _ in range(VISITORS)]
        db.session.remove()  # the test's own connection is not held across the restart

        began = time.monotonic()
        for thread in threads:
            thread.start()
        try:
            time.sleep(LOAD_BEFORE)
            down_at = time.monotonic()
            private_postgres.stop("fast")  # sessions in flight are terminated, as in a real restart
            stopped = time.monotonic() - down_at
            time.sleep(OUTAGE)  # requests now meet a database that refuses connections
            private_postgres.start()
            up_at, up_wall = time.monotonic(), datetime.now(UTC)
            time.sleep(LOAD_AFTER)
        finally:
            load.stopping.set()
            for thread in threads:
                thread.join(timeout=WAIT)
        assert not any(thread.is_alive() for thread in threads), "a client hung"

        def phase(call: Call) -> str:
            return "before" if call.started < down_at else "outage" if call.started < up_at else "after"

        by_phase = {
            name: Counter(c.status for c in load.calls if phase(c) == name)
            for name in ("before", "outage", "after")
        }
        print(
            f"\nserver stopped in {stopped:.2f}s, down for {up_at - down_at:.2f}s, load ran "
            f"{time.monotonic() - began:.1f}s; slowest request {max(c.seconds for c in load.calls):.2f}s"
        )
        for name, statuses in by_phase.items():
            print(f"{name:>7}: {sum(statuses.values())} requests, by status {dict(sorted(statuses.items()))}")

        unclean = [c for c in load.calls if not c.clean]
        assert not unclean, f"answers that are not the portal's own pages: {unclean[:5]}"
        assert max(c.seconds for c in load.calls) < WAIT
        assert by_phase["outage"][503] > 0, "the load never met the database while it was down"
        failed_after = [c for c in load.calls if phase(c) == "after" and not c.succeeded]
        assert not failed_after, f"the portal did not recover after the restart: {failed_after[:5]}"

        # And afterwards, every client is served again by the same app.
        for client in applicants:
            assert client.get("/applications/").status_code == 200
        assert app.test_client().get("/").status_code == 200

        applications = db.session.scalars(select(Application)).all()
        submitted = [a for a in applications if a.state != ApplicationState.DRAFT]
        assert any(a.submitted_at >= up_wall for a in submitted), "nothing was submitted after the restart"
        for application in applications:
            _assert_whole(application)
        _assert_every_email_is_queued_and_every_document_has_its_bytes()
        print(f"applications: {len(applications)}, submitted: {len(submitted)}")


def _count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def _assert_whole(application: Application) -> None:
    """What submitting writes in one transaction is all there, or none of it is."""
    actions = Counter(
        db.session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.subject_type == "applications", AuditEntry.subject_id == application.id
            )
        )
    )
    emails = Counter(
        db.session.scalars(
            select(EmailMessage.template).where(
                EmailMessage.related_type == "applications", EmailMessage.related_id == application.id
            )
        )
    )
    references = _count(ReferenceRequest, ReferenceRequest.application_id == application.id)
    # Submitting moves draft -> submitted -> awaiting payment in the same transaction: never left between.
    assert application.state in (ApplicationState.DRAFT, ApplicationState.AWAITING_PAYMENT), application.state
    if application.state == ApplicationState.DRAFT:
        assert (application.submitted_at, application.fee_amount) == (None, None)
        assert not (actions & Counter(submit=1, request_payment=1)) and not emails and references == 0
    else:
        assert application.submitted_at is not None and application.fee_amount is not None
        assert (actions["submit"], actions["request_payment"]) == (1, 1), actions
        assert (emails["application_received"], emails["payment_requested"]) == (1, 1), emails
        assert references == 2


def _assert_every_email_is_queued_and_every_document_has_its_bytes() -> None:
    email_ids = set(db.session.scalars(select(EmailMessage.id)))
    queued = Counter(
        args[0]
        for args in db.session.scalars(
            select(OutboxMessage.args).where(OutboxMessage.actor_name == "deliver_email")
        )
    )
    assert email_ids and set(queued) == email_ids and set(queued.values()) == {1}
    documents = db.session.scalars(select(Document)).all()
    assert _count(OutboxMessage, OutboxMessage.actor_name == "process_document") == len(documents)
    assert all(current_storage().path(document.storage_key).exists() for document in documents)


def test_a_database_that_cannot_be_reached_gets_the_unavailable_page_until_it_is_back(app_config, tmp_path):
    """The same on SQLite: its folder moved away is a database that refuses connections."""
    folder = tmp_path / "database"
    folder.mkdir()
    app_config["DATABASE_URL"] = f"sqlite:///{folder / 'portal.db'}"
    app = create_app(app_config)
    with app.app_context():
        db.create_all()
        email = make_user("ada.applicant@example.com").email
        with pytest.raises(OperationalError) as mistake:  # a mistake in the SQL is no outage: it stays a 500
            db.session.execute(text("SELECT * FROM no_such_table"))
        assert not is_unavailable(mistake.value)
        db.session.remove()
    client = app.test_client()
    assert client.post("/account/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    try:
        with app.app_context():
            db.engine.dispose()  # pooled connections would keep the moved file open
        folder.rename(tmp_path / "elsewhere")
        for response in (client.get("/applications/"), app.test_client().get("/verify/CPM-0000-0000-0000")):
            body = response.get_data(as_text=True)
            assert response.status_code == 503 and response.headers["Retry-After"] == "30"
            assert UNAVAILABLE in body and "Sign in" in body  # shown as to a visitor: no user can be loaded
        (tmp_path / "elsewhere").rename(folder)
        assert client.get("/applications/").status_code == 200  # still signed in, without a restart
    finally:
        with app.app_context():
            db.engine.dispose()
