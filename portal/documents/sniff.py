"""Decide what a file is from its bytes: a PDF, a DOCX, or something we refuse."""

from __future__ import annotations

import zipfile
from pathlib import Path

PDF = "pdf"
DOCX = "docx"

# Parts whose presence means the package carries macros or is not a plain Word document.
_MACRO_MARKERS = ("vbaproject.bin", "vbadata.xml", "activex")
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject")


class RejectedFile(ValueError):
    """The file is not one we accept; ``str(error)`` is a reason a person can read."""


def sniff(path: str | Path) -> str:
    """Return ``"pdf"`` or ``"docx"`` from the file's structure, else raise :class:`RejectedFile`.

    The name and the browser's MIME type are never consulted: a DOCX renamed ``.pdf`` is a DOCX.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise RejectedFile("The file is empty.")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _check_docx(path)
    if b"%PDF-" in head:
        # Readers tolerate junk before the header; polyglots exploit exactly that.
        raise RejectedFile("The file does not start like a PDF (it has content before the PDF header).")
    raise RejectedFile("The file is neither a PDF nor a Word (.docx) document.")


def _check_docx(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = {info.filename for info in archive.infolist()}
            lowered = {name.lower() for name in names}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise RejectedFile("The file is a ZIP archive but not a Word (.docx) document.")
            if any(marker in name for name in lowered for marker in _MACRO_MARKERS):
                raise RejectedFile("Word documents with macros (.docm) are not accepted.")
            content_types = archive.open("[Content_Types].xml").read(256 * 1024).lower()
            if any(marker in content_types for marker in _MACRO_CONTENT_TYPES):
                raise RejectedFile("Word documents with macros (.docm) are not accepted.")
    except zipfile.BadZipFile as error:
        raise RejectedFile("The Word document is damaged and cannot be opened.") from error
    return DOCX
