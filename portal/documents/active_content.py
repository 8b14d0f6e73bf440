"""Content in a document that acts rather than reads: scripts, launch actions, embedded files, remote templates.

A certificate has no reason to carry any of it. The reader still reads such a document (its facts help the
reviewer), but it ends "needs manual check" with what was found, so a person opens it knowing.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .sniff import DOCX, PDF

# PDF names whose presence means something runs or is carried inside, with the words a reviewer reads.
_PDF_ACTIVE = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/Launch": "an action that launches a program",
    "/EmbeddedFile": "embedded files",
    "/EmbeddedFiles": "embedded files",
    "/RichMedia": "embedded media",
    "/XFA": "an XFA form (which can hold scripts)",
}
# Relationship types that make Word fetch something from elsewhere when the document opens.
_REMOTE_TYPES = re.compile(r"/(attachedTemplate|oleObject|frame|subDocument|package)$")
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')
_MAX_VISITED = 20_000  # objects looked at in a PDF: enough for any certificate, bounded for a hostile one


def active_content(path: str | Path, kind: str) -> list[str]:
    """What in the file at ``path`` (already sniffed as ``kind``) acts rather than reads, in words; empty if
    nothing does. Never raises on a damaged file: reading reports that."""
    try:
        if kind == PDF:
            return _pdf_active_content(Path(path))
        if kind == DOCX:
            return _docx_remote_parts(Path(path))
    except Exception:  # noqa: BLE001 - a file too broken to inspect is the reader's to report
        return []
    return []


def _pdf_active_content(path: Path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    reader = PdfReader(path)
    if reader.is_encrypted:
        return []  # reading refuses it as encrypted
    found: dict[str, None] = {}
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer.get("/Root")]
    visited = 0
    while stack and visited < _MAX_VISITED:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in _PDF_ACTIVE:
                    found[_PDF_ACTIVE[name]] = None
                if name == "/S" and value in _PDF_ACTIVE:
                    found[_PDF_ACTIVE[value]] = None
                if name not in ("/Parent", "/P"):  # back-links lead up the tree, not to new content
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return list(found)


def _docx_remote_parts(path: Path) -> list[str]:
    found: dict[str, None] = {}
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith(".rels"):
                continue
            for tag in _RELATIONSHIP.findall(package.read(name)[:1_000_000]):
                attributes = {
                    key.decode(): value.decode("utf-8", "replace") for key, value in _ATTRIBUTE.findall(tag)
                }
                if attributes.get("TargetMode", "").lower() != "external":
                    continue
                kind = _REMOTE_TYPES.search(attributes.get("Type", ""))
                if kind:
                    what = "a template" if kind.group(1) == "attachedTemplate" else "content"
                    found[f"{what} fetched from {attributes.get('Target', 'elsewhere')[:80]}"] = None
    return list(found)
