"""``flask run-all`` serves the portal with its worker, scheduler and embedded Redis, and Ctrl-C stops them all."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from portal.config import PROJECT_ROOT
from tests.conftest import free_port


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


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find child processes")
def test_run_all_serves_and_stops_everything_on_ctrl_c(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "BROKER_URL")}
    env.update(INSTANCE_PATH=str(tmp_path / "instance"), UPLOAD_DIR=str(tmp_path / "uploads"), LOG_LEVEL="WARNING")
    launcher = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "run-all", "--port", str(port)],
                                cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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
        launcher.send_signal(signal.SIGINT)
        output, _ = launcher.communicate(timeout=60)
    finally:
        if launcher.poll() is None:
            launcher.kill()
    assert launcher.returncode == 0, output
    assert "Demo accounts created" in output and "Stopped." in output
    time.sleep(0.5)
    alive = [pid for pid in children if os.path.exists(f"/proc/{pid}") and
             open(f"/proc/{pid}/stat").read().split()[2] != "Z"]
    assert alive == [], output
