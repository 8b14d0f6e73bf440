"""Tests that need an outside program (Tesseract, LibreOffice, Chromium, pdftoppm) skip without it, except in CI."""

from __future__ import annotations

import os
import shutil

import pytest


def require_programs(*programs: str, purpose: str) -> None:
    """Skip (fail under CI, where ``.ci/run`` installs them) when a program is not on PATH."""
    missing = [program for program in programs if shutil.which(program) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed: {purpose}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (.ci/run installs it)")
    pytest.skip(message)


def slow_tests_enabled() -> bool:
    """Slow tests (a corpus made with LibreOffice and Chromium) run when PORTAL_SLOW_TESTS=1, as in .ci/run."""
    return os.environ.get("PORTAL_SLOW_TESTS") == "1"
