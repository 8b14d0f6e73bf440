"""Email fan-out: 1,000 emails through the outbox, the broker and a real worker to a local SMTP sink.

    python bench/bench_email.py [--emails 1000] [--threads 8]

Checks that every message arrives exactly once, and compares the time with bare smtplib sending the same
messages to the same sink in the same run (one connection per message, as the worker does).
"""
from __future__ import annotations

import argparse
import smtplib
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Sink:
    def __init__(self):
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes

        message_id = message_from_bytes(envelope.content)["Message-ID"]
        with self.lock:
            self.ids[message_id] += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    import dramatiq
    from aiosmtpd.controller import Controller

    from portal import create_app
    from portal.db import db
    from portal.launcher import start_embedded_redis, stop_process
    from portal.mailer import build_mime, deliver
    from portal.models.outbox import EmailMessage, EmailStatus
    from portal.notifications import send_email

    folder = Path(tempfile.mkdtemp(prefix="portal-bench-mail-"))
    redis_process, socket_path = start_embedded_redis(folder / "redis", log=lambda message: None)
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'mail.db'}", "BROKER_URL": f"unix://{socket_path}",
                      "INSTANCE_PATH": str(folder), "SECRET_KEY": "bench", "SMTP_HOST": "127.0.0.1",
                      "SMTP_PORT": port, "SMTP_SECURITY": "none", "LOG_LEVEL": "WARNING",
                      "HEARTBEAT_SECONDS": 3600})
    try:
        with app.app_context():
            db.create_all()
            emails = []
            for n in range(args.emails):
                emails.append(send_email("password_reset", f"referee{n}@example.net",
                                         user=type("U", (), {"full_name": f"Referee {n}"})(),
                                         token=f"token-{n}", hours=2))
            # Baseline: bare smtplib, one connection per message, same messages, same sink.
            mimes = [build_mime(email, app.config) for email in emails]
            started = time.perf_counter()
            for mime in mimes:
                deliver(mime, app.config)
            bare_seconds = time.perf_counter() - started
            sink.ids.clear()

            from portal.tasks.broker import current_broker

            broker = current_broker()
            broker.emit_after("process_boot")
            worker = dramatiq.Worker(broker, worker_threads=args.threads, worker_timeout=100)
            started = time.perf_counter()
            db.session.commit()  # the outbox sends every message to the broker after this commit
            worker.start()
            broker.join("mail", timeout=600_000)
            worker.join()
            portal_seconds = time.perf_counter() - started
            worker.stop()
            db.session.expire_all()
            sent = db.session.scalar(db.select(db.func.count()).select_from(EmailMessage)
                                     .where(EmailMessage.status == EmailStatus.SENT))
    finally:
        controller.stop()
        stop_process(redis_process)
    duplicates = sum(1 for count in sink.ids.values() if count > 1)
    print(f"{'path':<46}{'seconds':>9}{'emails/s':>10}{'ratio':>8}")
    print(f"{'bare smtplib (baseline)':<46}{bare_seconds:>9.2f}{args.emails / bare_seconds:>10.1f}{1:>8.2f}")
    print(f"{f'outbox -> broker -> worker ({args.threads} threads)':<46}{portal_seconds:>9.2f}"
          f"{args.emails / portal_seconds:>10.1f}{portal_seconds / bare_seconds:>8.2f}")
    print(f"received {len(sink.ids)} distinct of {args.emails}; duplicates {duplicates}; recorded as sent {sent}")
    if len(sink.ids) != args.emails or duplicates or sent != args.emails:
        raise SystemExit("emails were lost or sent twice")


if __name__ == "__main__":
    main()
