"""What the benchmarks share: a database and a broker of their own, free ports, and the result files that
``bench/run_all.py`` gathers into one report."""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The machine's PostgreSQL; a benchmark creates its own database there and drops it when done.
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _admin(url: str):
    import psycopg

    return psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://") + "/postgres",
        autocommit=True,
        connect_timeout=3,
    )


def postgres_reachable() -> bool:
    try:
        _admin(POSTGRES).close()
        return True
    except Exception:
        return False


@contextmanager
def scratch_database(name: str, folder: Path, engine: str = "auto") -> Iterator[str]:
    """A SQLAlchemy URL for an empty database used by this run only: ``BENCH_DATABASE_URL`` if set, else a new
    PostgreSQL database when the server answers (``engine`` "auto" or "postgresql"), else SQLite in ``folder``."""
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        yield given
        return
    if engine == "sqlite" or (engine == "auto" and not postgres_reachable()):
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    database = f"portal_bench_{name}_{os.getpid()}"
    with _admin(POSTGRES) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    try:
        yield f"{POSTGRES}/{database}"
    finally:
        with _admin(POSTGRES) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def database_label(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


@contextmanager
def embedded_broker(folder: Path) -> Iterator[str]:
    """The same Redis server ``make run`` starts, on a unix socket of this run's own."""
    from portal.launcher import start_embedded_redis, stop_process

    process, socket_path = start_embedded_redis(folder / "redis", log=lambda message: None)
    try:
        yield f"unix://{socket_path}"
    finally:
        stop_process(process)


@contextmanager
def work_folder(prefix: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix=f"portal-bench-{prefix}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


class Report:
    """One benchmark's tables, printed as it runs and written as JSON for ``run_all.py``."""

    def __init__(self, title: str):
        self.title = title
        self.sections: list[dict] = []
        self.targets: list[dict] = []

    def table(
        self, heading: str, columns: list[str], rows: list[list], notes: list[str] | None = None
    ) -> None:
        section = {
            "heading": heading,
            "columns": columns,
            "rows": [[_cell(v) for v in row] for row in rows],
            "notes": notes or [],
        }
        self.sections.append(section)
        print(render_section(section), flush=True)

    def target(self, what: str, measured: str, met: bool) -> None:
        self.targets.append({"what": what, "measured": measured, "met": met})
        print(f"target: {what}: {measured} -> {'met' if met else 'MISSED'}", flush=True)

    def save(self, path: str | None) -> None:
        if path:
            Path(path).write_text(
                json.dumps(
                    {
                        "title": self.title,
                        "sections": self.sections,
                        "targets": self.targets,
                        "finished": time.time(),
                    },
                    indent=1,
                )
            )


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render_section(section: dict) -> str:
    columns, rows = section["columns"], section["rows"]
    lines = [
        f"\n{section['heading']}\n",
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(columns))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += [f"\n{note}" for note in section["notes"]]
    return "\n".join(lines)


@contextmanager
def worker_process(
    env: dict, processes: int, threads: int, queues: list[str], timeout: float = 120
) -> Iterator[None]:
    """The production worker command (``dramatiq portal.tasks.worker``) on ``queues``, ready when entered:
    each worker process records a heartbeat before it takes its first message."""
    import subprocess

    from sqlalchemy import create_engine, func, select

    from portal.models.operations import WorkerHeartbeat

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dramatiq",
            "portal.tasks.worker",
            "--processes",
            str(processes),
            "--threads",
            str(threads),
            "--queues",
            *queues,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    engine = create_engine(env["DATABASE_URL"])
    try:
        deadline = time.monotonic() + timeout
        while True:
            with engine.connect() as connection:
                if connection.scalar(select(func.count()).select_from(WorkerHeartbeat)) >= processes:
                    break
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the worker did not start")
            time.sleep(0.1)
        yield
    finally:
        engine.dispose()
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
