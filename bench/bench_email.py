"""Email fan-out: referee requests through the outbox, the broker and a real worker to a local SMTP sink.

    python bench/bench_email.py [--emails 1000] [--processes 2] [--threads 4]
                                [--database auto|postgresql|sqlite] [--json FILE]

The realistic case: applications are submitted and each referee is asked, by email, to confirm an
engagement. The requests are made by the portal's own operation (``request_references``), which writes each
email and its delivery job in the outbox; the timing starts at the commit that sends them to the broker and
stops when the database records the last one as sent by the worker (``dramatiq portal.tasks.worker``, with
the README's production processes and threads; the outbox hands the fan-out over in batches of
``MAIL_BATCH_SIZE`` and each worker process keeps its SMTP connections open). The baseline is bare smtplib
sending the same messages to the same sink from as many threads as the worker has in all, one connection per
message; it runs before and after the portal, and the two are averaged, so a neighbour's burst of work falls
on both sides alike. For comparison, bare smtplib with one connection kept open per thread (not the target's
baseline). Then a check that every message arrived exactly once (by Message-ID) and that every reference
request counts as sent.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    Report,
    database_label,
    embedded_broker,
    free_port,
    percentile,
    scratch_database,
    work_folder,
    worker_process,
)


def start_sink(port: int, path: Path) -> subprocess.Popen:
    sink = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(port), str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    if sink.stdout.readline().strip() != "ready":
        raise SystemExit("the SMTP sink did not start")
    return sink


def received(path: Path, skip: int = 0) -> list[str]:
    """Message-IDs the sink has taken so far, past the first ``skip``."""
    return path.read_text().split()[skip:] if path.exists() else []


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--emails", type=int, default=int(os.environ.get("BENCH_EMAILS", "1000")))
    parser.add_argument("--processes", type=int, default=2, help="worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    parser.add_argument(
        "--database",
        choices=["auto", "postgresql", "sqlite"],
        default=os.environ.get("BENCH_DATABASE", "auto"),
    )
    parser.add_argument("--json", help="write the report here as JSON")
    args = parser.parse_args()

    with (
        work_folder("email") as folder,
        scratch_database("email", folder, args.database) as url,
        embedded_broker(folder) as broker,
    ):
        port = free_port()
        env = dict(
            os.environ,
            DATABASE_URL=url,
            BROKER_URL=broker,
            INSTANCE_PATH=str(folder / "instance"),
            UPLOAD_DIR=str(folder / "uploads"),
            SECRET_KEY="bench",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(port),
            SMTP_SECURITY="none",
            LOG_LEVEL="WARNING",
            HEARTBEAT_SECONDS="3600",
        )
        os.environ.update(env)
        sink = start_sink(port, folder / "received.txt")
        try:
            result = run(args, env, folder / "received.txt", port)
        finally:
            sink.terminate()
            sink.wait(10)
    report(args, database_label(url), *result)


def run(args, env: dict, log: Path, port: int):
    from flask_migrate import upgrade
    from sqlalchemy import func, select
    from sqlalchemy.orm import selectinload

    from portal import create_app
    from portal.db import db, utcnow
    from portal.demo import seed
    from portal.enums import ApplicationState, EmailStatus, ReferenceStatus
    from portal.mailer import build_mime
    from portal.models.applications import Application
    from portal.models.outbox import EmailMessage
    from portal.models.references import ReferenceRequest
    from portal.workflows.references.operations import request_references

    app = create_app()
    with app.app_context():
        upgrade()
        # CPM drafts, each with two engagements that name a referee: two requests per application.
        seed(-(-args.emails // 2), states={ApplicationState.DRAFT: 1}, credentials=["CPM"], documents=False)
        db.session.remove()
        # The worker is up and idle first (on SQLite, the transaction below would keep it from starting).
        with worker_process(env, args.processes, args.threads, ["mail"]):
            for application in db.session.scalars(
                select(Application).options(selectinload(Application.engagements))
            ):
                request_references(application, None)
            db.session.flush()
            count = db.session.scalar(select(func.count()).select_from(EmailMessage))
            # The baseline's first half, with the same messages, while the worker waits.
            mimes = [build_mime(email, app.config) for email in db.session.scalars(select(EmailMessage))]
            bare_before = _bare(mimes, args, port, log)
            started, committed_at = time.perf_counter(), utcnow()
            db.session.commit()  # the outbox hands every delivery job to the broker after this commit
            handed_over = time.perf_counter() - started
            while True:
                # Done when every email is recorded as sent and every request it was about counts as sent.
                sent = db.session.scalar(
                    select(func.count())
                    .select_from(EmailMessage)
                    .where(EmailMessage.status == EmailStatus.SENT)
                )
                followed_up = db.session.scalar(
                    select(func.count())
                    .select_from(ReferenceRequest)
                    .where(ReferenceRequest.status == ReferenceStatus.SENT)
                )
                db.session.rollback()
                if min(sent, followed_up) >= count or time.perf_counter() - started > 600:
                    break
                time.sleep(0.05)
            portal_seconds = time.perf_counter() - started
            time.sleep(3)  # long enough for a duplicate send to show up
        portal_received = received(log, skip=bare_before[1])
        latencies = sorted(
            (moment - committed_at).total_seconds()
            for moment in db.session.scalars(select(EmailMessage.sent_at))
            if moment is not None
        )
        failed = db.session.scalar(
            select(func.count()).select_from(EmailMessage).where(EmailMessage.status != EmailStatus.SENT)
        )
        references_sent = db.session.scalar(
            select(func.count())
            .select_from(ReferenceRequest)
            .where(ReferenceRequest.status == ReferenceStatus.SENT)
        )

        db.session.remove()
        db.engine.dispose()

    # The baseline's second half, then bare smtplib with its connections kept open (for comparison).
    skip = bare_before[1] + len(portal_received)
    bare_after = _bare(mimes, args, port, log, skip=skip)
    reused = _bare(mimes, args, port, log, skip=skip + bare_after[1], keep_open=True)
    bare_seconds = (bare_before[0] + bare_after[0]) / 2
    return (
        count,
        bare_seconds,
        min(bare_before[1], bare_after[1]),
        reused,
        portal_seconds,
        handed_over,
        Counter(portal_received),
        failed,
        references_sent,
        latencies,
    )


def _bare(mimes, args, port: int, log: Path, skip: int = 0, keep_open: bool = False) -> tuple[float, int]:
    """Bare smtplib sends ``mimes`` from the worker's number of threads: (seconds, messages received)."""
    local = threading.local()

    def send(mime) -> None:
        if not keep_open:
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
                client.send_message(mime)
            return
        if getattr(local, "client", None) is None:
            local.client = smtplib.SMTP("127.0.0.1", port, timeout=30)
            opened.append(local.client)
        local.client.send_message(mime)

    opened: list[smtplib.SMTP] = []
    started = time.perf_counter()
    with ThreadPoolExecutor(args.processes * args.threads) as pool:
        list(pool.map(send, mimes))
    seconds = time.perf_counter() - started
    for client in opened:
        client.quit()
    time.sleep(0.5)
    return seconds, len(received(log, skip=skip))


def report(
    args,
    database: str,
    count,
    bare_seconds,
    bare_received,
    reused,
    portal_seconds,
    handed_over,
    arrived,
    failed,
    references_sent,
    latencies,
) -> None:
    duplicates = sum(1 for times in arrived.values() if times > 1)
    ratio = bare_seconds / portal_seconds
    out = Report("Email")
    out.table(
        f"Email fan-out: {count:,} referee requests to a local SMTP sink, {database}, worker "
        f"{args.processes} processes x {args.threads} threads",
        ["path", "seconds", "emails/s", "x bare throughput", "received", "duplicates"],
        [
            [
                "bare smtplib, same messages, same threads, a connection each (baseline)",
                bare_seconds,
                count / bare_seconds,
                "1.00",
                bare_received,
                "-",
            ],
            [
                "bare smtplib, same threads, connections kept open (for comparison)",
                reused[0],
                count / reused[0],
                f"{bare_seconds / reused[0]:.2f}",
                reused[1],
                "-",
            ],
            [
                "outbox -> broker -> worker -> SMTP, from the commit",
                portal_seconds,
                count / portal_seconds,
                f"{ratio:.2f}",
                len(arrived),
                duplicates,
            ],
        ],
        [
            (
                f"The hand-over after the commit (the outbox rows sent to the broker in batches of "
                f"{os.environ.get('MAIL_BATCH_SIZE', '20')}, then all marked in one statement) took "
                f"{handed_over:.1f}s of that. From the commit to each email recorded as sent: p50 "
                f"{percentile(latencies, 0.5):.1f}s, p95 {percentile(latencies, 0.95):.1f}s, last "
                f"{latencies[-1] if latencies else 0:.1f}s. The portal's time ends when every reference "
                f"request also counts as sent."
            ),
            (
                f"Every email recorded as sent: {count - failed:,} of {count:,}; reference requests marked sent: "
                f"{references_sent:,}. The baseline is the mean of a run before and one after the portal's."
            ),
        ],
    )
    intact = len(arrived) == count and duplicates == 0 and failed == 0 and references_sent == count
    out.target(
        "every email delivered exactly once",
        f"{len(arrived):,} distinct of {count:,}, {duplicates} duplicated, {failed} not recorded as sent",
        intact,
    )
    out.target(
        f"email fan-out >= 0.6 of bare smtplib's throughput ({count:,} emails, same threads)",
        f"{ratio:.2f} ({count / portal_seconds:.0f} against {count / bare_seconds:.0f} emails/s, same run)",
        ratio >= 0.6,
    )
    out.save(args.json)
    if not intact:
        raise SystemExit("emails were lost or sent twice")


if __name__ == "__main__":
    main()
