"""HTTP under load: portal pages against a bare Flask endpoint served by the same server in the same run.

    python bench/bench_http.py [--applications 100000] [--seconds 10] [--database-url URL]

Loads the demo data, starts gunicorn for the portal and for the bare app (same worker count), and drives
each target from a second process (bench/loadgen.py) on loopback, bounded in time. Prints requests per
second and p50/p95/p99 latency, each as a ratio to the bare endpoint measured in the same run, then the
peak memory of a web process while ten 10 MB uploads stream in at once.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def gunicorn(module: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
                             str(workers), "--threads", "4", "--log-level", "warning", module],
                            cwd=ROOT, env=env)


def load(url: str, seconds: float, concurrency: int, method: str = "GET", data: str | None = None,
         cookie: str | None = None) -> dict:
    command = [sys.executable, str(ROOT / "bench" / "loadgen.py"), url, "--seconds", str(seconds),
               "--concurrency", str(concurrency), "--method", method]
    if data is not None:
        command += ["--data", data]
    if cookie:
        command += ["--cookie", cookie]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


class Browser:
    """A signed-in session against the running portal (cookies and the form token)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=30).read().decode()

    def token(self, path: str) -> str:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path))
        return match.group(1) if match else ""

    def post(self, path: str, data: dict) -> None:
        body = urllib.parse.urlencode({**data, "csrf_token": self.token(path)}).encode()
        self.opener.open(self.base + path, data=body, timeout=30).read()

    def sign_in(self, email: str, password: str) -> None:
        self.post("/account/sign-in", {"email": email, "password": password})

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def prepare(env: dict, applications: int) -> dict:
    """Migrate, seed, and create the accounts the targets use. Returns what the targets need."""
    os.environ.update(env)
    from flask_migrate import upgrade

    from portal import create_app
    from portal.db import db
    from portal.demo import DEMO_PASSWORD, seed
    from portal.models.users import Role
    from portal.workflows import accounts
    from portal.workflows.applications import start_application

    app = create_app()
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        seed(applications)
        print(f"seeded {applications} applications in {time.perf_counter() - started:.0f}s", flush=True)
        reviewer = accounts.register("bench.reviewer@example.org", DEMO_PASSWORD, "Bench Reviewer", Role.REVIEWER)
        applicant = accounts.register("bench.applicant@example.org", DEMO_PASSWORD, "Bench Applicant")
        draft = start_application(applicant, "CPM")
        db.session.commit()
        extra = {"draft_id": draft.id, "password": DEMO_PASSWORD}
        try:
            from portal.models.credentials import Credential

            number = db.session.scalar(db.select(Credential.number).limit(1))
            extra["credential_number"] = number
        except ImportError:
            extra["credential_number"] = None
        db.engine.dispose()
    return extra


def peak_rss_kb(pid: int) -> int:
    """The highest resident memory of ``pid`` and its children so far (VmHWM), in kB."""
    total = 0
    pids = [pid] + [int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(int(p)) == pid]
    for each in pids:
        try:
            status = Path(f"/proc/{each}/status").read_text()
            total = max(total, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))
        except (OSError, AttributeError):
            continue
    return total


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def upload_memory(base: str, browser: Browser, draft_id: int, web_pid: int, size_mb: int = 10, count: int = 10):
    """Peak RSS of the web processes while ``count`` uploads of ``size_mb`` stream in at once."""
    before = peak_rss_kb(web_pid)
    path = f"/applications/{draft_id}/training/new"
    token = browser.token(path)
    payload = b"%PDF-1.4\n" + os.urandom(size_mb * 1024 * 1024 - 64)
    boundary = "benchboundary"
    fields = {"csrf_token": token, "centre_name": "Bench Centre", "centre_status": "accredited",
              "programme_name": "Bench Programme", "hours": "35", "mode": "online", "start_date": "2024-01-01",
              "end_date": "2024-03-01", "instructor_name": "Bench", "instructor_email": "bench@example.org"}
    head = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                   for k, v in fields.items()).encode()
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="certificate"; filename="big.pdf"\r\n'
             "Content-Type: application/pdf\r\n\r\n").encode()
    body = head + payload + f"\r\n--{boundary}--\r\n".encode()

    def send():
        request = urllib.request.Request(base + path, data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": browser.cookie})
        urllib.request.urlopen(request, timeout=120).read()

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return before, peak_rss_kb(web_pid), size_mb * count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = dict(os.environ, INSTANCE_PATH=str(folder), UPLOAD_DIR=str(folder / "uploads"), SECRET_KEY="bench",
               RATELIMIT_STORAGE_URI="memory://", LOG_LEVEL="WARNING",
               DATABASE_URL=args.database_url or f"sqlite:///{folder / 'bench.db'}")
    env.setdefault("BROKER_URL", f"unix://{folder / 'no-broker.sock'}")  # writes queue in the outbox
    extra = prepare(env, args.applications)

    portal_port, bare_port = free_port(), free_port()
    servers = [gunicorn("wsgi:app", portal_port, args.workers, env),
               gunicorn("bench.bare_app:app", bare_port, args.workers, env)]
    try:
        portal, bare = f"http://127.0.0.1:{portal_port}", f"http://127.0.0.1:{bare_port}"
        wait_for(portal + "/health")
        wait_for(bare + "/")
        reviewer, applicant = Browser(portal), Browser(portal)
        reviewer.sign_in("bench.reviewer@example.org", extra["password"])
        applicant.sign_in("bench.applicant@example.org", extra["password"])
        about = f"/applications/{extra['draft_id']}/about"
        about_data = urllib.parse.urlencode({
            "csrf_token": applicant.token(about), "full_name": "Bench Applicant",
            "contact_email": "bench.applicant@example.org", "postal_address": "1 Bench Road", "is_member": "no"})

        targets = [("bare Flask endpoint (ceiling)", bare + "/", "GET", None, None)]
        if extra.get("credential_number"):
            targets.append(("public verification page", f"{portal}/verify/{extra['credential_number']}",
                            "GET", None, None))
        targets.append(("save a wizard step (About you)", portal + about, "POST", about_data, applicant.cookie))
        targets.append((f"reviewer queue ({args.applications:,} applications)", portal + "/review/", "GET", None,
                        reviewer.cookie))
        results = []
        for name, url, method, data, cookie in targets:
            probe = urllib.request.Request(url, headers={"Cookie": cookie or ""})
            try:
                urllib.request.urlopen(probe, timeout=60).read()
            except urllib.error.HTTPError as error:
                if method == "GET":
                    print(f"skipped {name}: {error.code}", flush=True)
                    continue
            results.append((name, load(url, args.seconds, args.concurrency, method, data, cookie)))
        ceiling = results[0][1]
        print(f"\nHTTP, {args.concurrency} connections, {args.seconds:g}s each, gunicorn {args.workers} workers, "
              f"{'PostgreSQL' if 'postgresql' in env['DATABASE_URL'] else 'SQLite'}")
        print(f"{'target':<44}{'rps':>9}{'x ceiling':>11}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
        for name, result in results:
            print(f"{name:<44}{result['rps']:>9.1f}{result['rps'] / ceiling['rps']:>11.2f}"
                  f"{result['p50_ms']:>9.1f}{result['p95_ms']:>9.1f}{result['p99_ms']:>9.1f}{result['errors']:>8}")
        idle, peak, streamed = upload_memory(portal, applicant, extra["draft_id"], servers[0].pid)
        print(f"\nUploads: {streamed} MB streamed at once; web process peak RSS {peak / 1024:.0f} MB "
              f"(idle {idle / 1024:.0f} MB, ratio {peak / max(idle, 1):.2f})")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(30)


if __name__ == "__main__":
    main()
