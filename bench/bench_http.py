"""HTTP under load: portal pages against a bare Flask endpoint served by the same server in the same run.

    python bench/bench_http.py [--applications 100000] [--seconds 10] [--rounds 2] [--concurrency 8]
                               [--database auto|postgresql|sqlite] [--json FILE]

Loads the demo data (PostgreSQL in a database of its own when the server answers, else SQLite), starts
gunicorn for the portal and for the bare app with the same workers and threads, and drives each target from a
second process (bench/loadgen.py) on loopback, bounded in time. The targets take turns, round after round, so
a burst of noise from the machine's neighbours falls on all of them alike. Prints requests per second and
p50/p95/p99 latency, each as a ratio to the bare endpoint.

Then the memory of one web process (gunicorn, one worker with enough threads to take them all) while ten
10 MB uploads stream in at once: its VmHWM is reset just before, and read just after. The same uploads go to
a bare Flask endpoint that streams the file to disk (the floor) and one that holds the body in memory (the
control: it shows that the measurement would catch an upload held whole).
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
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
)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def gunicorn(module: str, port: int, workers: int, threads: int, env: dict) -> subprocess.Popen:
    # The production command line (README, `make run-prod`), without the access log for both servers.
    # Two servers run at once here: without --no-control-socket both would claim gunicorn's one control socket.
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            "--no-control-socket",
            module,
        ],
        cwd=ROOT,
        env=env,
    )


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def load(
    url: str,
    seconds: float,
    concurrency: int,
    method: str = "GET",
    data: str | None = None,
    cookie: str | None = None,
    paths_file: str | None = None,
) -> dict:
    command = [
        sys.executable,
        str(ROOT / "bench" / "loadgen.py"),
        url,
        "--seconds",
        str(seconds),
        "--concurrency",
        str(concurrency),
        "--method",
        method,
        "--raw",
    ]
    if paths_file:
        command += ["--paths-file", paths_file]
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
        return self.opener.open(self.base + path, timeout=60).read().decode()

    def token(self, path: str) -> str:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path))
        if not match:
            raise SystemExit(f"no form token on {path}")
        return match.group(1)

    def post(self, path: str, data: dict) -> None:
        body = urllib.parse.urlencode({**data, "csrf_token": self.token(path)}).encode()
        self.opener.open(self.base + path, data=body, timeout=60).read()

    def sign_in(self, email: str, password: str, totp_secret: str | None = None) -> None:
        self.post("/account/sign-in", {"email": email, "password": password})
        if totp_secret:  # staff sign in with a second factor
            import pyotp  # noqa: PLC0415  (only the reviewer's sign-in needs it)

            self.post("/account/sign-in/code", {"code": pyotp.TOTP(totp_secret).now()})
        if not any(cookie.name == "session" for cookie in self.jar):
            raise SystemExit(f"could not sign in as {email}")

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def prepare(env: dict, applications: int, folder: Path) -> dict:
    """Migrate, create the accounts the targets use, and load the demo data. Returns what the targets need."""
    os.environ.update(env)
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from portal import create_app
    from portal.db import db
    from portal.demo import DEMO_PASSWORD, seed
    from portal.enums import ApplicationState, Role
    from portal.models.applications import Application
    from portal.models.credentials import IssuedCredential
    from portal.workflows.accounts import operations as accounts
    from portal.workflows.applications.operations import start_application

    app = create_app()
    with app.app_context():
        upgrade()
        # The reviewer exists first, so the demo data assigns part of the queue to them.
        reviewer = accounts.register(
            "bench.reviewer@example.org", DEMO_PASSWORD, "Bench Reviewer", Role.REVIEWER
        )
        totp_secret, _codes = accounts.set_up_two_factor(reviewer)
        applicant = accounts.register("bench.applicant@example.org", DEMO_PASSWORD, "Bench Applicant")
        draft_id = start_application(applicant, "CPM").id
        db.session.commit()
        started = time.perf_counter()
        seed(applications)
        seconds = time.perf_counter() - started
        # Visitors check many credentials, each now and then: the load goes round a sample of them all
        # (valid, expiring, expired, revoked), not one row the database would keep hot.
        numbers = db.session.scalars(
            select(IssuedCredential.number).order_by(func.random()).limit(2000)
        ).all()
        paths = folder / "verify-paths.txt"
        paths.write_text("\n".join(f"/verify/{number}" for number in numbers))
        in_queue = db.session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.state.in_([ApplicationState.IN_REVIEW, ApplicationState.RESUBMITTED]))
        )
        db.session.remove()
        db.engine.dispose()
    print(
        f"seeded {applications:,} applications in {seconds:.0f}s ({in_queue:,} in the default queue view)",
        flush=True,
    )
    return {
        "draft_id": draft_id,
        "password": DEMO_PASSWORD,
        "totp_secret": totp_secret,
        "verify_paths": str(paths),
        "credentials_sampled": len(numbers),
        "seed_seconds": seconds,
        "in_queue": in_queue,
    }


# --- memory while uploads stream in -------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def memory_kb(pid: int, field: str) -> int:
    match = re.search(rf"{field}:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) if match else 0


def reset_peak(pid: int) -> None:
    # "5" resets the peak resident set size (VmHWM) to the current one: the peak read afterwards is this
    # phase's own, not whatever start-up or an earlier test reached.
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def multipart(fields: dict[str, str], size: int, boundary: str) -> tuple[bytes, bytes, int]:
    """The head and tail of a multipart body around a ``size``-byte PDF-looking file, and the total length."""
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ).encode()
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="certificate"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head, tail, len(head) + size + len(tail)


def stream_uploads(
    port: int, path: str, fields: dict[str, str], cookie: str | None, count: int, size: int, seconds: float
) -> list[tuple[float, float, int]]:
    """Send ``count`` uploads of ``size`` bytes at once, each paced to last about ``seconds``, so that all of
    them are in flight together. Returns (start, end, status) for each."""
    boundary = "benchboundary7MA4YWxkTrZu0gW"
    head, tail, length = multipart(fields, size, boundary)
    block = os.urandom(64 * 1024)
    first = b"%PDF-1.4\n" + block[9:]  # typed by its bytes: it must start like a PDF
    chunks = size // len(block)
    pause = seconds / max(chunks, 1)
    results: list[tuple[float, float, int]] = []
    lock = threading.Lock()

    def send() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        started = time.perf_counter()
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        connection.putheader("Content-Length", str(length))
        if cookie:
            connection.putheader("Cookie", cookie)
        connection.endheaders()
        connection.send(head)
        for index in range(chunks):
            connection.send(first if index == 0 else block)
            time.sleep(pause)
        remainder = size - chunks * len(block)
        if remainder:
            connection.send(b"0" * remainder)
        connection.send(tail)
        response = connection.getresponse()
        response.read()
        connection.close()
        with lock:
            results.append((started, time.perf_counter(), response.status))

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def upload_memory(env: dict, extra: dict, count: int, size_mb: int, seconds: float) -> list[list]:
    """Peak RSS of one web process while ``count`` uploads of ``size_mb`` stream in at once, for the portal
    and for the two bare endpoints."""
    size = size_mb * 1024 * 1024 - 4096  # under MAX_UPLOAD_MB with the form's other fields
    rows = []
    portal_port, bare_port = free_port(), free_port()
    servers = [
        gunicorn("wsgi:app", portal_port, 1, count + 2, env),
        gunicorn("bench.bare_app:app", bare_port, 1, count + 2, env),
    ]
    try:
        wait_for(f"http://127.0.0.1:{portal_port}/health")
        wait_for(f"http://127.0.0.1:{bare_port}/")
        applicant = Browser(f"http://127.0.0.1:{portal_port}")
        applicant.sign_in("bench.applicant@example.org", extra["password"])
        form = f"/applications/{extra['draft_id']}/training/new"
        fields = {
            "csrf_token": applicant.token(form),
            "centre_name": "Bench Centre",
            "centre_status": "accredited",
            "programme_name": "Bench Programme",
            "hours": "35",
            "mode": "online",
            "start_date": "2024-01-01",
            "end_date": "2024-03-01",
            "instructor_name": "Bench Instructor",
            "instructor_email": "bench@example.org",
        }
        cases = [
            ("portal: training record with certificate", portal_port, form, applicant.cookie, 302),
            ("bare Flask, file streamed to disk (floor)", bare_port, "/upload", None, 201),
            ("bare Flask, body held in memory (control)", bare_port, "/upload-in-memory", None, 201),
        ]
        for name, port, path, cookie, expected in cases:
            (worker,) = children(servers[0 if port == portal_port else 1].pid)
            # One small upload first, so imports and first-request work are not counted as upload memory.
            stream_uploads(port, path, fields, cookie, 1, 256 * 1024, 0.1)
            idle = memory_kb(worker, "VmRSS")
            reset_peak(worker)
            results = stream_uploads(port, path, fields, cookie, count, size, seconds)
            peak = memory_kb(worker, "VmHWM")
            together = max(start for start, _, _ in results) < min(end for _, end, _ in results)
            accepted = sum(1 for _, _, status in results if status == expected)
            rows.append(
                [
                    name,
                    f"{accepted} of {count}",
                    "yes" if together else "no",
                    round(idle / 1024),
                    round(peak / 1024),
                    round((peak - idle) / 1024),
                ]
            )
    finally:
        for server in servers:
            stop(server)
    return rows


# --- the run -------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--applications", type=int, default=int(os.environ.get("BENCH_APPLICATIONS", "100000"))
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=float(os.environ.get("BENCH_SECONDS", "10")),
        help="per target and round",
    )
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "2")))
    parser.add_argument(
        "--concurrency",
        type=int,
        default=int(os.environ.get("BENCH_CONCURRENCY", "8")),
        help="connections held open by the load generator",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--upload-mb", type=int, default=10)
    parser.add_argument(
        "--database",
        choices=["auto", "postgresql", "sqlite"],
        default=os.environ.get("BENCH_DATABASE", "auto"),
    )
    parser.add_argument("--json", help="write the report here as JSON")
    args = parser.parse_args()

    report = Report("HTTP")
    with (
        work_folder("http") as folder,
        scratch_database("http", folder, args.database) as url,
        embedded_broker(folder) as broker,
    ):
        env = dict(
            os.environ,
            INSTANCE_PATH=str(folder / "instance"),
            UPLOAD_DIR=str(folder / "uploads"),
            SECRET_KEY="bench",
            LOG_LEVEL="WARNING",
            DATABASE_URL=url,
            BROKER_URL=broker,
            HEARTBEAT_SECONDS="3600",
        )
        extra = prepare(env, args.applications, folder)
        database = database_label(url)
        results, alone = measure(env, extra, args)
        ceiling = results[0][1]
        rows = []
        for name, result in results:
            rows.append(
                [
                    name,
                    result["rps"],
                    f"{result['rps'] / ceiling['rps']:.2f}",
                    result["p50_ms"],
                    result["p95_ms"],
                    result["p99_ms"],
                    f"{result['p50_ms'] / ceiling['p50_ms']:.1f}",
                    f"{result['p95_ms'] / ceiling['p95_ms']:.1f}",
                    f"{result['p99_ms'] / ceiling['p99_ms']:.1f}",
                    result["errors"],
                ]
            )
        report.table(
            f"HTTP under load: gunicorn {args.workers} workers x {args.threads} threads, {args.concurrency} "
            f"keep-alive connections, {args.rounds} x {args.seconds:g}s per target, {database}, "
            f"{args.applications:,} applications",
            [
                "target",
                "req/s",
                "req/s x bare",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "p50 x bare",
                "p95 x bare",
                "p99 x bare",
                "errors",
            ],
            rows,
            [
                (
                    f"Demo data: {args.applications:,} applications loaded in {extra['seed_seconds']:.0f}s; "
                    f"{extra['in_queue']:,} in the queue's default view (in review or resubmitted). The verification "
                    f"page is asked for {extra['credentials_sampled']:,} different credentials in turn, each visited "
                    "once before the timing (the cache's steady state): a first visit renders the page from the "
                    "database, later ones are served from the shared page cache until the credential changes; "
                    "what a first visit costs is the cache-off row. The home page is the signed-out visitor's, cached the same way until a fee "
                    'changes. "Cache off" is the same portal with PAGE_CACHE_SECONDS=0.'
                )
            ],
        )
        floor = alone[0][1]
        report.table(
            "The same targets with one connection at a time (service time, no waiting for a free thread)",
            ["target", "req/s", "p50 ms", "p95 ms", "p99 ms", "p50 x bare", "p95 x bare"],
            [
                [
                    name,
                    result["rps"],
                    result["p50_ms"],
                    result["p95_ms"],
                    result["p99_ms"],
                    f"{result['p50_ms'] / floor['p50_ms']:.1f}",
                    f"{result['p95_ms'] / floor['p95_ms']:.1f}",
                ]
                for name, result in alone
            ],
        )
        by_name, alone_by_name = dict(results), dict(alone)
        for name in ("public verification page", "home page, signed out"):
            report.target(
                f"{name} >= 0.8 of the bare endpoint's req/s (signed-out GET, same run)",
                f"{by_name[name]['rps'] / ceiling['rps']:.2f}",
                by_name[name]["rps"] >= 0.8 * ceiling["rps"],
            )
        queue_name = next(name for name, _ in results if name.startswith("reviewer queue"))
        queue, queue_alone = by_name[queue_name], alone_by_name[queue_name]
        report.target(
            f"reviewer queue service time p95 <= 6 ms, one connection, {args.applications:,} applications "
            f"({database})",
            f"{queue_alone['p95_ms']:.1f} ms (bare endpoint {floor['p95_ms']:.1f} ms, "
            f"{queue_alone['p95_ms'] / floor['p95_ms']:.1f}x, same run)",
            queue_alone["p95_ms"] <= 6,
        )
        report.target(
            f"reviewer queue p95 < 80 ms under {args.concurrency} connections, {args.applications:,} "
            f"applications ({database})",
            f"{queue['p95_ms']:.0f} ms (bare endpoint {ceiling['p95_ms']:.1f} ms, "
            f"{queue['p95_ms'] / ceiling['p95_ms']:.0f}x, same run)",
            queue["p95_ms"] < 80,
        )

        memory = upload_memory(env, extra, args.uploads, args.upload_mb, seconds=3)
        report.table(
            f"Memory: one gunicorn worker process while {args.uploads} uploads of {args.upload_mb} MB stream in "
            f"at once ({args.uploads * args.upload_mb} MB in flight)",
            [
                "endpoint",
                "accepted",
                "all in flight together",
                "RSS before MB",
                "peak RSS MB (VmHWM)",
                "growth MB",
            ],
            memory,
            [
                "Peak RSS is the worker's VmHWM, reset through /proc/PID/clear_refs just before the uploads start."
            ],
        )
        portal_growth = memory[0][5]
        report.target(
            f"uploads streamed, not held in memory (portal growth well under the "
            f"{args.uploads * args.upload_mb} MB in flight)",
            f"{portal_growth} MB",
            portal_growth < args.uploads * args.upload_mb / 4
            and memory[0][1] == f"{args.uploads} of {args.uploads}",
        )
    report.save(args.json)


def measure(env: dict, extra: dict, args) -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    """Each target in turn, ``args.rounds`` times over, under load and then alone; latencies pooled across
    rounds."""
    portal_port, bare_port, uncached_port = free_port(), free_port(), free_port()
    servers = [
        gunicorn("wsgi:app", portal_port, args.workers, args.threads, env),
        gunicorn("bench.bare_app:app", bare_port, args.workers, args.threads, env),
        # The same portal with its page cache off: what every first visit after a change costs.
        gunicorn("wsgi:app", uncached_port, args.workers, args.threads, dict(env, PAGE_CACHE_SECONDS="0")),
    ]
    try:
        portal, bare = f"http://127.0.0.1:{portal_port}", f"http://127.0.0.1:{bare_port}"
        uncached = f"http://127.0.0.1:{uncached_port}"
        wait_for(portal + "/health")
        wait_for(uncached + "/health")
        wait_for(bare + "/")
        reviewer, applicant = Browser(portal), Browser(portal)
        reviewer.sign_in("bench.reviewer@example.org", extra["password"], extra["totp_secret"])
        applicant.sign_in("bench.applicant@example.org", extra["password"])
        about = f"/applications/{extra['draft_id']}/about"
        about_data = urllib.parse.urlencode(
            {
                "csrf_token": applicant.token(about),
                "full_name": "Bench Applicant",
                "contact_email": "bench.applicant@example.org",
                "postal_address": "1 Bench Road",
                "is_member": "no",
            }
        )
        first_credential = Path(extra["verify_paths"]).read_text().split()[0]
        targets = [
            ("bare Flask endpoint (ceiling)", bare + "/", "GET", None, None, 200, None),
            (
                "public verification page",
                portal + first_credential,
                "GET",
                None,
                None,
                200,
                extra["verify_paths"],
            ),
            ("home page, signed out", portal + "/", "GET", None, None, 200, None),
            ("home page, cache off", uncached + "/", "GET", None, None, 200, None),
            (
                "verification page, cache off",
                uncached + first_credential,
                "GET",
                None,
                None,
                200,
                extra["verify_paths"],
            ),
            (
                "save a wizard step (About you)",
                portal + about,
                "POST",
                about_data,
                applicant.cookie,
                302,
                None,
            ),
            (
                f"reviewer queue ({extra['in_queue']:,} in view)",
                portal + "/review/",
                "GET",
                None,
                reviewer.cookie,
                200,
                None,
            ),
        ]
        for name, url, method, data, cookie, expected, paths in targets:
            request = urllib.request.Request(
                url, data=data.encode() if data else None, method=method, headers={"Cookie": cookie or ""}
            )
            opener = urllib.request.build_opener(NoRedirect)
            try:
                status = opener.open(request, timeout=60).status
            except urllib.error.HTTPError as error:
                status = error.code
            if status != expected:
                raise SystemExit(f"{name}: {method} {url} answered {status}, expected {expected}")
            load(url, 1, args.concurrency, method, data, cookie, paths)  # warm-up, not counted
            if paths and "cache off" not in name:
                # The cache's steady state: each credential's page visited once before the timing. What a
                # first visit costs is the "cache off" target's figure.
                base = url.split("/verify/")[0]
                for path in Path(paths).read_text().split():
                    urllib.request.urlopen(base + path, timeout=60).read()
        pooled: dict[str, list[dict]] = {name: [] for name, *_ in targets}
        alone: dict[str, list[dict]] = {name: [] for name, *_ in targets}
        for round_number in range(args.rounds):
            for name, url, method, data, cookie, _, paths in targets:
                result = load(url, args.seconds, args.concurrency, method, data, cookie, paths)
                pooled[name].append(result)
                # The same with one connection: the service time, without waiting for a free thread.
                alone[name].append(load(url, min(args.seconds, 3), 1, method, data, cookie, paths))
                print(
                    f"round {round_number + 1}: {name}: {result['rps']:.0f} req/s, p95 {result['p95_ms']:.1f} ms, "
                    f"{result['errors']} errors",
                    flush=True,
                )
        return (
            [(name, _pool(runs)) for name, runs in pooled.items()],
            [(name, _pool(runs)) for name, runs in alone.items()],
        )
    finally:
        for server in servers:
            stop(server)


def _pool(runs: list[dict]) -> dict:
    latencies = [latency for run in runs for latency in run["latencies_ms"]]
    seconds = sum(run["seconds"] for run in runs)
    return {
        "rps": round(len(latencies) / seconds, 1),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "errors": sum(run["errors"] for run in runs),
        "requests": len(latencies),
    }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


if __name__ == "__main__":
    main()
