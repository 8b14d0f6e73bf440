"""A worker killed mid-job: the message is redelivered to another worker and its effect happens once.

The workers are real processes started as the launcher starts them (``dramatiq portal.tasks.worker``), each in
a session of its own so that its whole family (the worker process, the document readers' fork server and
readers, multiprocessing's resource tracker) can be found in ``/proc`` and checked to be gone.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from portal.config import PROJECT_ROOT, SETTINGS
from portal.db import db
from portal.documents.storage import current_storage
from portal.enums import DocumentStatus, EmailStatus
from portal.launcher import stop_process
from portal.models.documents import Document
from portal.models.outbox import EmailMessage
from tests.factories import applications as data
from tests.helpers import MailSink, make_user, running_app, serving_smtp, sign_in

WAIT = 20  # the most any one step may take, in seconds

# The second worker runs the production command, except that every fetch also runs Redis's maintenance, which
# puts back on their queue the messages taken by workers silent for longer than BROKER_HEARTBEAT_SECONDS.
# Production leaves maintenance to a 1-in-1,000 chance per fetch, which a test cannot wait for. The CLI forks
# its worker processes (the default before Python 3.14), so they inherit the change.
EAGER_MAINTENANCE = """
import sys
from dramatiq.brokers.redis import MAINTENANCE_SCALE, RedisBroker
from dramatiq.cli import main
from portal.tasks import broker as module

build = module.build_broker

def build_broker(url, **options):
    broker = build(url, **options)
    if isinstance(broker, RedisBroker):
        broker.maintenance_chance = MAINTENANCE_SCALE
    return broker

module.build_broker = build_broker
sys.exit(main())
"""


class WorkerCommand:
    """One ``dramatiq portal.tasks.worker`` command (one worker process, two threads) with its log."""

    def __init__(self, config: dict, log: Path, *, eager_maintenance: bool = False, **settings):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env.update({s.name: str(config[s.name]) for s in SETTINGS if config.get(s.name) is not None})
        env.update({name: str(value) for name, value in settings.items()})
        program = ["-c", EAGER_MAINTENANCE] if eager_maintenance else ["-m", "dramatiq"]
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, *program, "portal.tasks.worker", "--processes", "1", "--threads", "2"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def family(self) -> list[int]:
        """Its live processes: everything in its session, however re-parented."""
        return [
            pid
            for pid, (state, _, session) in _processes().items()
            if session == self.process.pid and state != "Z"
        ]

    def worker_process(self) -> int:
        """The process that runs the jobs: the command's one child that is a fork of it, not a helper."""
        command = _cmdline(self.process.pid)
        forks = [
            pid
            for pid, (_, parent, _) in _processes().items()
            if parent == self.process.pid and _cmdline(pid) == command
        ]
        assert len(forks) == 1, (forks, self.tail())
        return forks[0]

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def stop(self) -> None:
        """Stop it as the launcher does (SIGTERM, and SIGKILL if it does not stop in time)."""
        stop_process(self.process, timeout=WAIT)

    def close(self) -> None:
        """Stop it, then end whatever of its family is left (all of it started here)."""
        self.stop()
        if self.family:
            os.killpg(self.process.pid, signal.SIGKILL)


def _processes() -> dict[int, tuple[str, int, int]]:
    """Every process: pid -> (state, parent pid, session id)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # it ended meanwhile
                continue
            state, parent, _, session = stat.rsplit(")", 1)[1].split()[:4]  # the name may hold spaces
            found[int(entry.name)] = (state, int(parent), int(session))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _wait_for(condition: Callable[[], object], what: str, *workers: WorkerCommand):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"not within {WAIT} s: {what}\n" + "\n".join(w.tail() for w in workers))


def _fresh(model, row_id: int):
    db.session.rollback()  # a new transaction sees what the workers committed (SQLite reads from a snapshot)
    return db.session.get(model, row_id)


def _settled(model, row_id: int, pending, worker: WorkerCommand):
    """The row once ``worker`` has moved it out of the ``pending`` status."""
    return _wait_for(
        lambda: (row := _fresh(model, row_id)).status != pending and row,
        f"{worker.log.stem} worker finishes {model.__tablename__} {row_id}",
        worker,
    )


def _second_worker(config: dict, folder: Path) -> WorkerCommand:
    # A short heartbeat timeout, so that the killed worker soon counts as dead.
    return WorkerCommand(config, folder / "second.log", eager_maintenance=True, BROKER_HEARTBEAT_SECONDS=1)


class HoldingSink(MailSink):
    """An SMTP server that holds the first message it is given, without answering, until released.

    Released, it refuses that message: its sender was killed meanwhile, so the server never took it.
    """

    def __init__(self):
        super().__init__()
        self.holding, self.released = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.holding.is_set():
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait, WAIT)
            return "451 4.3.0 Not accepted: the connection is gone"
        return await super().handle_DATA(server, session, envelope)


def test_an_email_whose_worker_is_killed_while_sending_is_sent_once_by_another(app_config, _schema, tmp_path):
    sink = HoldingSink()
    workers: list[WorkerCommand] = []
    with serving_smtp(sink, app_config):  # stopped last: a held conversation is released first
        try:
            with running_app(app_config):
                from portal.notifications import send_email
                from portal.workflows.accounts.operations import reset_token

                user = make_user("patient@example.com")
                email_id = send_email(
                    "password_reset", user.email, related=user, user=user, token=reset_token(user), hours=2
                ).id
                db.session.commit()  # the outbox hands the job to the broker

                first = WorkerCommand(app_config, tmp_path / "first.log")
                workers.append(first)
                assert sink.holding.wait(WAIT), first.tail()  # the worker is inside the SMTP conversation
                email = _fresh(EmailMessage, email_id)
                assert email.status == EmailStatus.SENDING and email.attempts == 1 and email.claimed_by
                os.killpg(
                    first.process.pid, signal.SIGKILL
                )  # the plug is pulled on the worker and its family
                first.process.wait(WAIT)
                sink.released.set()

                second = _second_worker(app_config, tmp_path)
                workers.append(second)
                # Only the same message may take over the claim before it goes stale (minutes later): a prompt
                # delivery is the killed job's message, redelivered.
                email = _settled(EmailMessage, email_id, EmailStatus.SENDING, second)
                assert email.status == EmailStatus.SENT and email.sent_at is not None, email.last_error
                assert email.attempts == 2 and email.claimed_by is None
                assert len(sink.to("patient@example.com")) == 1
                second.stop()
                _wait_for(
                    lambda: not second.family, "every process of the stopped worker's family ends", second
                )
        finally:
            sink.released.set()
            for worker in workers:
                worker.close()


class FileLease:
    """A write lease on a file: whoever opens it next waits in ``open()`` until the lease is released.

    The kernel holds the opener for up to /proc/sys/fs/lease-break-time (45 s by default) and tells the
    holder; ``F_GETLEASE`` then answers the type the lease must be lowered to, which is how this notices.
    """

    def __init__(self, path: Path):
        # The kernel tells the holder with SIGIO, whose default action would end the test run.
        self._previous = signal.signal(signal.SIGIO, signal.SIG_IGN)
        self._fd: int | None = os.open(path, os.O_RDONLY)
        try:
            fcntl.fcntl(self._fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
        except OSError:
            self.release()
            raise

    def wait_for_opener(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if fcntl.fcntl(self._fd, fcntl.F_GETLEASE) != fcntl.F_WRLCK:
                return True
            time.sleep(0.02)
        return False

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            signal.signal(signal.SIGIO, self._previous)


def test_a_document_whose_worker_is_killed_while_reading_it_leaves_no_reader_behind_and_is_read_once(
    app_config, _schema, tmp_path
):
    workers: list[WorkerCommand] = []
    try:
        with running_app(app_config) as app:
            client = app.test_client()
            sign_in(client, make_user("ada.applicant@example.com", name="Ada Lovelace"))
            application_id = data.start_application(client)
            assert client.post(f"/applications/{application_id}/about", data=data.about()).status_code == 302
            response = client.post(
                f"/applications/{application_id}/training/new",
                data={**data.training(), "certificate": data.certificate_upload(tmp_path)},
                content_type="multipart/form-data",
            )
            assert response.status_code == 302, response.data
            document = db.session.scalar(select(Document))
            document_id = document.id

            lease = FileLease(current_storage().path(document.storage_key))
            try:
                first = WorkerCommand(app_config, tmp_path / "first.log")
                workers.append(first)
                # A document reader, in the sandbox, is opening the certificate: the job is mid-extraction.
                assert lease.wait_for_opener(WAIT), first.tail()
                # The command, its worker process, and the worker's resource tracker, fork server and reader.
                assert len(first.family) >= 4, first.family
                # The kernel's out-of-memory killer ends one process, not a group: the readers and the fork
                # server must notice on their own.
                os.kill(first.worker_process(), signal.SIGKILL)
                first.process.wait(WAIT)  # the command sees its worker die and stops
                document = _fresh(Document, document_id)
                assert document.status == DocumentStatus.QUEUED and document.processing_attempts == 0
            finally:
                lease.release()
            _wait_for(lambda: not first.family, "every process of the killed worker's family ends", first)

            second = _second_worker(app_config, tmp_path)
            workers.append(second)
            document = _settled(Document, document_id, DocumentStatus.QUEUED, second)
            assert document.status == DocumentStatus.READ, document.status_reason
            assert document.processing_attempts == 1 and document.facts["hours"] == 35
            second.stop()
            # Its helpers notice their parent has gone and end too, a moment later.
            _wait_for(lambda: not second.family, "every process of the stopped worker's family ends", second)
    finally:
        for worker in workers:
            worker.close()
