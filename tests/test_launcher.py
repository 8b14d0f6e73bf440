"""``flask run-all`` serves the portal with its worker, scheduler and embedded Redis, starts again a part that
stops on its own, and Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from portal.config import PROJECT_ROOT
from tests.helpers import free_port


def _descendants(pid: int) -> set[int]:
    children = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                children.add(int(entry))
    return children | {grandchild for child in children for grandchild in _descendants(child)}


def _state(pid: int) -> str | None:
    """The process's state letter (Z: a zombie), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def _worker_command(launcher_pid: int, program: bytes = b"dramatiq") -> int | None:
    """The launcher's child running ``program`` (by default the worker), if there is one alive."""
    for pid in _descendants(launcher_pid):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                argv = cmdline.read().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == launcher_pid and fields[0] != "Z" and any(program in arg for arg in argv):
            return pid
    return None


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find child processes")
def test_run_all_serves_and_stops_everything_on_ctrl_c(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "BROKER_URL")}
    env.update(
        INSTANCE_PATH=str(tmp_path / "instance"), UPLOAD_DIR=str(tmp_path / "uploads"), LOG_LEVEL="WARNING"
    )
    launcher = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "run-all", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
            except OSError:
                time.sleep(0.3)
        assert body is not None and "Certified Professional Mentor" in body
        children = _descendants(launcher.pid)
        assert len(children) >= 4  # redis, worker (and its process), scheduler, web
        assert (tmp_path / "instance" / "redis.sock").exists()

        # The worker is killed (as the kernel does when memory runs out): the launcher starts it again.
        worker = _worker_command(launcher.pid)
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _worker_command(launcher.pid) in (None, worker):
            time.sleep(0.2)
        restarted = _worker_command(launcher.pid)
        assert restarted not in (None, worker)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200

        # The embedded Redis is killed: the launcher starts it again, and the portal finds it back.
        children = _descendants(launcher.pid) | children
        redis_pid = _worker_command(launcher.pid, b"redis-server")
        os.kill(redis_pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _worker_command(launcher.pid, b"redis-server") in (
            None,
            redis_pid,
        ):
            time.sleep(0.2)
        assert _worker_command(launcher.pid, b"redis-server") not in (None, redis_pid)
        health = None
        while time.monotonic() < deadline and health != 200:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
                    health = response.status
            except OSError:  # 503 while the web process still holds the circuit open
                time.sleep(0.5)
        assert health == 200
        children = _descendants(launcher.pid) | children
        launcher.send_signal(signal.SIGINT)
        output, _ = launcher.communicate(timeout=60)
    finally:
        if launcher.poll() is None:
            launcher.kill()
    assert launcher.returncode == 0, output
    assert "Demo accounts created" in output and "Stopped." in output
    assert output.count("two-factor: otpauth://totp/") == 2  # the demo staff's secrets, shown this once
    assert "The worker stopped (status -9); starting it again." in output
    assert "The embedded Redis stopped (status -9); starting it again." in output
    time.sleep(0.5)
    alive = [pid for pid in children if _state(pid) not in (None, "Z")]
    assert alive == [], output
