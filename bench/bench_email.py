"""Email fan-out: referee requests through the outbox, the broker and a real worker to a local SMTP sink.

    python bench/bench_email.py [--emails 1000] [--processes 2] [--threads 4]
                                [--database auto|postgresql|sqlite] [--json FILE]

The realistic case: applications are submitted and each referee is asked, by email, to confirm an
engagement. The requests are made by the portal's own operation (``request_references``), which writes each
email and its delivery job in the outbox; the timing starts at the commit that sends them to the broker and
stops when the database records the last one as sent by the worker (``dramatiq portal.tasks.worker``, with
the README's production processes and threads). The baseline is bare smtplib sending the same messages to
the same sink from as many threads as the worker has in all, one connection per message as the worker
opens. Then a check that every message arrived exactly once (by Message-ID) and that every reference request
counts as sent.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import subprocess
import sys
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
            started, committed_at = time.perf_counter(), utcnow()
            db.session.commit()  # the outbox hands every delivery job to the broker after this commit
            handed_over = time.perf_counter() - started
            while True:
                sent = db.session.scalar(
                    select(func.count())
                    .select_from(EmailMessage)
                    .where(EmailMessage.status == EmailStatus.SENT)
                )
                db.session.rollback()
                if sent >= count or time.perf_counter() - started > 600:
                    break
                time.sleep(0.05)
            portal_seconds = time.perf_counter() - started
            time.sleep(3)  # long enough for a duplicate send to show up
        portal_received = received(log)
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

        # The baseline, to the same sink: bare smtplib sending the same messages, one connection per message,
        # from as many threads as the worker has in all.
        mimes = [build_mime(email, app.config) for email in db.session.scalars(select(EmailMessage))]
        db.session.remove()
        db.engine.dispose()

    def send(mime) -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.send_message(mime)

    started = time.perf_counter()
    with ThreadPoolExecutor(args.processes * args.threads) as pool:
        list(pool.map(send, mimes))
    bare_seconds = time.perf_counter() - started
    time.sleep(0.5)
    bare_received = len(received(log, skip=len(portal_received)))
    return (
        count,
        bare_seconds,
        bare_received,
        portal_seconds,
        handed_over,
        Counter(portal_received),
        failed,
        references_sent,
        latencies,
    )


def report(
    args,
    database: str,
    count,
    bare_seconds,
    bare_received,
    portal_seconds,
    handed_over,
    arrived,
    failed,
    references_sent,
    latencies,
) -> None:
    duplicates = sum(1 for times in arrived.values() if times > 1)
    out = Report("Email")
    out.table(
        f"Email fan-out: {count:,} referee requests to a local SMTP sink, {database}, worker "
        f"{args.processes} processes x {args.threads} threads",
        ["path", "seconds", "emails/s", "x bare", "received", "duplicates"],
        [
            [
                "bare smtplib, same messages, same threads (baseline)",
                bare_seconds,
                count / bare_seconds,
                "1.00",
                bare_received,
                "-",
            ],
            [
                "outbox -> broker -> worker -> SMTP, from the commit",
                portal_seconds,
                count / portal_seconds,
                f"{portal_seconds / bare_seconds:.2f}",
                len(arrived),
                duplicates,
            ],
        ],
        [
            (
                f"The hand-over after the commit (each outbox row sent to the broker, then all marked in one "
                f"statement) took "
                f"{handed_over:.1f}s of that. From the commit to each email recorded as sent: p50 "
                f"{percentile(latencies, 0.5):.1f}s, p95 {percentile(latencies, 0.95):.1f}s, last "
                f"{latencies[-1] if latencies else 0:.1f}s."
            ),
            (
                f"Every email recorded as sent: {count - failed:,} of {count:,}; reference requests marked sent: "
                f"{references_sent:,}."
            ),
        ],
    )
    intact = len(arrived) == count and duplicates == 0 and failed == 0 and references_sent == count
    out.target(
        "every email delivered exactly once",
        f"{len(arrived):,} distinct of {count:,}, {duplicates} duplicated, {failed} not recorded as sent",
        intact,
    )
    out.save(args.json)
    if not intact:
        raise SystemExit("emails were lost or sent twice")


if __name__ == "__main__":
    main()
