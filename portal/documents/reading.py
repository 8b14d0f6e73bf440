"""Turn a PDF or DOCX into plain text, within limits, or say in words why it cannot be read."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .limits import DEFAULT_LIMITS, MIB, Limits
from .sniff import DOCX, PDF

ENCRYPTED = "encrypted"
NO_TEXT_LAYER = "no text layer (scanned image?)"
TOO_LARGE_DECOMPRESSED = "too large when decompressed"
DAMAGED_PDF = "damaged: the PDF cannot be opened"
DAMAGED_DOCX = "damaged: the Word document cannot be opened"
NO_TEXT = "no text found in the document"

# Small parts (styles, settings) compress far better than prose; judging their ratio would
# reject ordinary documents while the bytes they can expand to are harmless.
_RATIO_CHECK_FLOOR = 1 * MIB


class Unreadable(Exception):
    """The document cannot be read automatically; ``reason`` (also ``str(error)``) is for a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_text(path: str | Path, kind: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Return the text of a document already sniffed as ``kind``; raise :class:`Unreadable` otherwise.

    ``MemoryError`` is deliberately not caught: only the process running the read can decide
    what running out of memory means for it.
    """
    if kind == PDF:
        text = _read_pdf(Path(path), limits)
    elif kind == DOCX:
        text = _read_docx(Path(path), limits)
    else:
        raise ValueError(f"unknown document kind {kind!r}")
    return text[: limits.max_text_chars]


def _raise_if_out_of_memory(error: Exception) -> None:
    # libxml2 and zlib report a failed allocation as a parse error; it is a memory outcome.
    if "memory" in str(error).lower():
        raise MemoryError(str(error)) from error


# --- PDF -------------------------------------------------------------------------------------


def _pdf_configuration(limits: Limits) -> dict[str, int]:
    from pypdf import Configuration

    most = limits.max_part_uncompressed
    wanted = {
        "maximum_declared_stream_length": most,
        "array_based_stream_maximum_output_length": most,
        "jbig2_maximum_output_length": most,
        "lzw_maximum_output_length": most,
        "run_length_maximum_output_length": most,
        "zlib_maximum_output_length": most,
        "brotli_maximum_output_length": most,
        "image_maximum_buffer_size": most,
        "stream_decoding_work_maximum_length": 4 * most,
        "xfa_decoding_work_maximum_length": 4 * most,
    }
    # Each pypdf release adds limits; only those the installed one knows can be set.
    known = {field.name for field in dataclasses.fields(Configuration)}
    return {name: value for name, value in wanted.items() if name in known}


def _read_pdf(path: Path, limits: Limits) -> str:
    from pypdf import PasswordType, PdfReader, apply_configuration
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    # pypdf keeps its limits in a context variable: setting them at start-up would only
    # cover the thread that did it, so they are applied around the parse itself.
    with apply_configuration(**_pdf_configuration(limits)):
        try:
            reader = PdfReader(path)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise Unreadable(ENCRYPTED)
            chunks: list[str] = []
            total = 0
            for index, page in enumerate(reader.pages):
                if index >= limits.max_pages or total >= limits.max_text_chars:
                    break
                chunk = page.extract_text() or ""
                chunks.append(chunk)
                total += len(chunk)
        except Unreadable:
            raise
        except FileNotDecryptedError as error:
            raise Unreadable(ENCRYPTED) from error
        except LimitReachedError as error:
            raise Unreadable(TOO_LARGE_DECOMPRESSED) from error
        except RecursionError as error:
            raise Unreadable("damaged: the PDF is nested too deeply to read") from error
        except MemoryError:
            raise
        except Exception as error:
            # A hostile or broken PDF can surface as almost any exception from inside the parser.
            _raise_if_out_of_memory(error)
            raise Unreadable(DAMAGED_PDF) from error
    text = "\n".join(chunks)
    if not text.strip():
        raise Unreadable(NO_TEXT_LAYER)
    return text


# --- DOCX ------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_T, _TAB, _BR, _CR, _P = (f"{{{_W}}}{name}" for name in ("t", "tab", "br", "cr", "p"))
_TBL, _TR, _TC, _SDT, _SDT_CONTENT = (f"{{{_W}}}{name}" for name in ("tbl", "tr", "tc", "sdt", "sdtContent"))
_BODY, _CUSTOM_XML, _TXBX_CONTENT = f"{{{_W}}}body", f"{{{_W}}}customXml", f"{{{_W}}}txbxContent"
# Deleted revisions, field instructions and alternate renderings are not what the reader sees.
_SKIPPED = {f"{{{_W}}}delText", f"{{{_W}}}instrText", f"{{{_W}}}del", f"{{{_MC}}}Fallback"}
_CONTAINERS = {_BODY, _SDT, _SDT_CONTENT, _CUSTOM_XML}

# Headers come first and footers last, as a reader meets them on the page.
_TEXT_PARTS = (
    ("header", re.compile(r"^/word/header\d*\.xml$")),
    ("document", re.compile(r"^/word/document\.xml$")),
    ("footnotes", re.compile(r"^/word/footnotes\.xml$")),
    ("endnotes", re.compile(r"^/word/endnotes\.xml$")),
    ("footer", re.compile(r"^/word/footer\d*\.xml$")),
)
_SPACES = re.compile(r"\s+")


def check_zip_bounds(path: Path, limits: Limits) -> None:
    """Refuse an archive whose entries would expand beyond the limits, before anything inflates it.

    The sizes are the ones the archive declares; Python's ``zipfile`` stops inflating an entry at its
    declared size, so an archive cannot lie its way past this check.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Unreadable(DAMAGED_DOCX) from error
    if len(entries) > limits.max_zip_entries:
        raise Unreadable(TOO_LARGE_DECOMPRESSED)
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > limits.max_part_uncompressed or total > limits.max_zip_uncompressed:
            raise Unreadable(TOO_LARGE_DECOMPRESSED)
        ratio_applies = entry.file_size > _RATIO_CHECK_FLOOR
        if ratio_applies and entry.file_size > limits.max_compression_ratio * max(entry.compress_size, 1):
            raise Unreadable(TOO_LARGE_DECOMPRESSED)


def _read_docx(path: Path, limits: Limits) -> str:
    check_zip_bounds(path, limits)
    import docx
    from docx.oxml.parser import parse_xml

    try:
        document = docx.Document(str(path))
        parts = []
        for part in document.part.package.iter_parts():
            order = _part_order(str(part.partname))
            if order is not None:
                element = getattr(part, "element", None)
                parts.append(
                    (order, str(part.partname), element if element is not None else parse_xml(part.blob))
                )
        parts.sort(key=lambda item: (item[0], item[1]))
        lines = _DocxLines(limits.max_text_chars)
        visited: set = set()
        for _, _, root in parts:
            lines.extend(_block_lines(root, visited))
        for _, _, root in parts:
            lines.extend_unseen(_raw_paragraph_lines(root, visited))
    except Unreadable:
        raise
    except RecursionError as error:
        raise Unreadable("damaged: the Word document is nested too deeply to read") from error
    except MemoryError:
        raise
    except Exception as error:
        _raise_if_out_of_memory(error)
        raise Unreadable(DAMAGED_DOCX) from error
    text = lines.text()
    if not text.strip():
        raise Unreadable(NO_TEXT)
    return text


def _part_order(partname: str) -> int | None:
    for order, (_, pattern) in enumerate(_TEXT_PARTS):
        if pattern.match(partname):
            return order
    return None


class _DocxLines:
    """Lines in reading order, with a memory of what was read so raw runs add only what is new."""

    def __init__(self, max_chars: int) -> None:
        self.lines: list[str] = []
        self.size = 0
        self.max_chars = max_chars
        self._seen: set[str] = set()
        self._seen_text = ""

    def extend(self, lines: Iterator[str]) -> None:
        for line in lines:
            if self.size >= self.max_chars:
                return
            line = line.strip()
            if line:
                self.lines.append(line)
                self.size += len(line) + 1
                self._seen.add(_SPACES.sub(" ", line))

    def extend_unseen(self, lines: Iterator[str]) -> None:
        self._seen_text = "\n".join(self._seen)
        for line in lines:
            if self.size >= self.max_chars:
                return
            key = _SPACES.sub(" ", line).strip()
            # A cell or text-box paragraph already read as part of a longer line is not news.
            if key and key not in self._seen and key not in self._seen_text:
                self.extend(iter([line]))

    def text(self) -> str:
        return "\n".join(self.lines)


def _block_lines(container, visited: set) -> Iterator[str]:
    for child in container:
        tag = child.tag
        if tag == _P:
            yield from _paragraph_lines(child, visited)
        elif tag == _TBL:
            yield from _table_lines(child, visited)
        elif tag in _CONTAINERS:
            yield from _block_lines(child, visited)


def _table_lines(table, visited: set) -> Iterator[str]:
    for row in table.iter(_TR):
        if row.getparent() is not table:
            continue
        cells = [list(_block_lines(cell, visited)) for cell in row if cell.tag == _TC]
        cells = [[line for line in cell if line.strip()] for cell in cells]
        if all(len(cell) <= 1 for cell in cells):
            # A one-line-per-cell row reads as "Participant | Zoë", keeping label and value together.
            joined = " | ".join(cell[0].strip() for cell in cells if cell)
            if joined:
                yield joined
        else:
            for cell in cells:
                yield from cell


def _paragraph_lines(paragraph, visited: set) -> Iterator[str]:
    # Holding the element keeps lxml's proxy alive, so the raw pass can recognise it by identity.
    visited.add(paragraph)
    parts: list[str] = []
    boxes: list = []
    _collect_runs(paragraph, parts, boxes)
    yield from "".join(parts).split("\n")
    for box in boxes:
        yield from _block_lines(box, visited)


def _collect_runs(element, parts: list[str], boxes: list) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _TXBX_CONTENT:
            boxes.append(child)
        elif tag == _P:
            # A paragraph nested without a text box around it still reads as its own line.
            boxes.append([child])
        else:
            _collect_runs(child, parts, boxes)


def _raw_paragraph_lines(root, visited: set) -> Iterator[str]:
    """Paragraphs the structured walk did not reach (alternate renderings, unknown containers)."""
    for paragraph in root.iter(_P):
        if paragraph in visited:
            continue
        texts = [t.text or "" for t in paragraph.iter(_T) if _nearest_paragraph(t) is paragraph]
        line = "".join(texts)
        if line.strip():
            yield line


def _nearest_paragraph(element):
    parent = element.getparent()
    while parent is not None and parent.tag != _P:
        parent = parent.getparent()
    return parent
