"""Operations on an application: start it, save each section, manage records, submit it.

Each operation takes plain data from a form, checks the application may be changed, and flushes.
The caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from portal.workflows.refusals import Refused


@dataclass(frozen=True)
class Upload:
    stream: BinaryIO
    filename: str


def without_nul(value):
    """``value`` with NUL characters removed: PDFs may carry them, and PostgreSQL text refuses them."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    return value


class UploadRejected(Refused):
    """The upload was refused; ``str(error)`` tells the uploader why."""


def _display_name(filename: str, file_type: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())[:200]
    return name or f"document.{file_type}"
