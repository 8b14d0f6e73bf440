"""The one way to read an uploaded document: sniff it, read it in the sandbox, find its facts."""

from __future__ import annotations

from pathlib import Path

from .extraction import MANUAL, READ, Extraction
from .limits import DEFAULT_LIMITS, Limits
from .sandbox import ExtractionPool, run_extraction

__all__ = ["MANUAL", "READ", "Extraction", "Limits", "extract"]


def extract(
    path: str | Path, limits: Limits = DEFAULT_LIMITS, *, pool: ExtractionPool | None = None
) -> Extraction:
    """Read ``path`` and return its outcome; a bad or hostile file never raises, it ends ``"manual"``.

    Sniffing, parsing and fact finding all run in a child process with ``limits`` applied, so a
    document that stalls or balloons costs a child, not the caller. A document that reads but
    states no fact is still ``"read"``: the cross-check then reports each field as not found.
    """
    return run_extraction(path, limits, pool=pool)
