"""Turn a PDF or DOCX into blocks read by layout (and plain text), within limits, or say in words why it cannot be read."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .emails import EML, NotAnEmail, read_email_blocks
from .facts import is_field_label  # the vocabulary of labels belongs to the fact finder
from .layout import (
    BODY,
    FOOTER,
    HEADER,
    HEADING,
    LABEL_VALUE,
    TABLE,
    TEXTBOX,
    Block,
    Word,
    blocks_from_words,
    blocks_text,
    lines_from_words,
    role_of_text,
)  # fmt: skip
from .limits import DEFAULT_LIMITS, MIB, Limits
from .sniff import DOCX, IMAGE_KINDS, PDF

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
    return blocks_text(read_blocks(path, kind, limits))[: limits.max_text_chars]


def read_blocks(path: str | Path, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """The document as blocks in reading order (see :mod:`.layout`); raise :class:`Unreadable` otherwise."""
    if kind == PDF:
        return _read_pdf(Path(path), limits)
    if kind == DOCX:
        return _read_docx(Path(path), limits)
    if kind == EML:
        return _read_email(Path(path), limits)
    if kind in IMAGE_KINDS:
        from .ocr import read_image_blocks  # OCR (numpy, Tesseract) loads only when a scan or photo comes

        return read_image_blocks(Path(path), kind, limits)
    raise ValueError(f"unknown document kind {kind!r}")


def _read_email(path: Path, limits: Limits) -> list[Block]:
    try:
        blocks = read_email_blocks(path, limits)
    except (NotAnEmail, ValueError, LookupError, UnicodeError) as error:
        raise Unreadable("damaged: the email cannot be read") from error
    if not any(block.role != LABEL_VALUE for block in blocks):
        raise Unreadable("the email has no text (only attachments?): upload the attached letter itself")
    return blocks


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


def _read_pdf(path: Path, limits: Limits) -> list[Block]:
    from pypdf import PasswordType, PdfReader, apply_configuration
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    # pypdf keeps its limits in a context variable: setting them at start-up would only
    # cover the thread that did it, so they are applied around the parse itself.
    with apply_configuration(**_pdf_configuration(limits)):
        try:
            reader = PdfReader(path)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise Unreadable(ENCRYPTED)
            pages: list[list[Block]] = []
            total = 0
            for index, page in enumerate(reader.pages):
                if index >= limits.max_pages or total >= limits.max_text_chars:
                    break
                words = _page_words(page, index)
                page_blocks = blocks_from_words(words, is_label=is_field_label)
                pages.append(page_blocks)
                total += sum(len(block.text) + 1 for block in page_blocks)
            blanks = {index for index, page_blocks in enumerate(pages) if not _has_text(page_blocks)}
            if len(blanks) == len(pages):
                from .ocr import read_pdf_scan_blocks  # a scanned PDF: its page images go through OCR

                blocks = read_pdf_scan_blocks(reader, limits)
            else:
                blocks = _with_scanned_pages(reader, pages, blanks, limits)
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
    if not any(block.text.strip() for block in blocks):
        raise Unreadable(NO_TEXT_LAYER)
    return blocks


def _has_text(blocks: list[Block]) -> bool:
    return any(block.text.strip() for block in blocks)


def _with_scanned_pages(reader, pages: list[list[Block]], blanks: set[int], limits: Limits) -> list[Block]:
    """A PDF of typed pages and scanned ones: the scans are OCR'd and take their place in page order.

    A scanned page that cannot be read clearly sends the whole document to a person (it may hold the
    facts); a page with neither text nor an image (a blank separator) is passed over.
    """
    if blanks:
        from .ocr import OcrUnreadable, read_pdf_scanned_pages

        try:
            scanned = read_pdf_scanned_pages(reader, blanks, limits)
        except OcrUnreadable as error:
            if str(error) != NO_TEXT_LAYER:
                raise Unreadable(f"a scanned page: {error}") from error
            scanned = {}
        for index, page_blocks in scanned.items():
            pages[index] = page_blocks
    return [block for page_blocks in pages for block in page_blocks]


def _page_words(page, index: int) -> list[Word]:
    """The page's words with their boxes.

    pypdf's layout engine keeps every text-showing operation apart, with where it starts and ends, so
    a table's cells stay cells even when the plain extractor would join them with a single space. A
    page that engine cannot handle falls back to the text visitor, which only knows where runs start.
    """
    try:
        words = _layout_words(page, index)
    except Exception:  # noqa: BLE001 - the engine is pypdf's own internals; the visitor still reads the page
        words = None
    if words and _piled_up(words):
        words = _mend_ligatures(words)
    if words and not _piled_up(words) and not _fragmented(words):
        return words
    return _visitor_words(page, index)


_LIGATURE = re.compile("[\ufb00-\ufb06]")


def _mend_ligatures(words: list[Word]) -> list[Word]:
    """One word again where the layout engine set the runs of a word split at a ligature ("Certi", "ﬁ", "cate")
    all at the word's start: the pieces, in the order they were shown, become one word."""
    piles: dict[tuple[int, int], list[int]] = {}
    for position, word in enumerate(words):
        piles.setdefault((round(word.x0), round(word.y1)), []).append(position)
    mended: dict[int, Word] = {}
    dropped: set[int] = set()
    for positions in piles.values():
        pieces = [words[position] for position in positions]
        if len(pieces) < 2 or not any(_LIGATURE.search(piece.text) for piece in pieces):
            continue
        first = pieces[0]
        text = "".join(piece.text for piece in pieces)
        right = max(piece.x1 for piece in pieces)
        mended[positions[0]] = Word(text, first.x0, first.y0, right, first.y1, first.page, first.conf)
        dropped.update(positions[1:])
    return [mended.get(position, word) for position, word in enumerate(words) if position not in dropped]


def _fragmented(words: list[Word]) -> bool:
    """Whether a line came apart word by word: justified text whose word spacing the layout engine ignored."""
    for line in lines_from_words(words):
        single = sum(1 for cell in line.cells if len(cell) == 1)
        if len(line.cells) >= 6 and single >= 0.75 * len(line.cells):
            return True
    return False


def _piled_up(words: list[Word]) -> bool:
    """Whether the layout engine put several runs of one line at the same place (it missed how the pen moved)."""
    starts: dict[tuple[int, int], int] = {}
    for word in words:
        key = (round(word.x0), round(word.y1))
        starts[key] = starts.get(key, 0) + 1
    return any(count > 1 for count in starts.values())


def _layout_words(page, index: int) -> list[Word] | None:
    # Not re-exported by pypdf: extract_text(extraction_mode="layout") runs the same code but returns
    # only fixed-width text, without the coordinates reading by layout needs.
    from pypdf._text_extraction._layout_mode import text_show_operations
    from pypdf.generic import ContentStream

    contents = page.get("/Contents")
    if contents is None:
        return None
    contents = contents.get_object()
    operations = iter(ContentStream(contents, page.pdf, "bytes").operations)
    groups = text_show_operations(operations, page._layout_mode_fonts())
    words: list[Word] = []
    for group in groups:
        text = group["text"].replace("\n", " ")
        if not text.strip():
            continue
        height = abs(float(group["font_height"])) or 10.0
        left, right = float(group["tx"]), float(group["displaced_tx"])
        baseline = -float(group["ty"]) * group.get("flip_sort", 1)
        per_char = max(right - left, 0.0) / max(len(text), 1)
        position = 0
        for piece in re.split(r"(\s+)", text):
            if piece and not piece.isspace():
                x0 = left + position * per_char
                words.append(
                    Word(
                        piece,
                        x0,
                        baseline - 0.8 * height,
                        x0 + len(piece) * per_char,
                        baseline + 0.2 * height,
                        index,
                    )
                )
            position += len(piece)
    return words


def _visitor_words(page, index: int) -> list[Word]:
    """The page's words from pypdf's text visitor (text matrix times the CTM)."""
    box = page.mediabox
    top, left = float(box.top), float(box.left)
    widths = _FontWidths()
    words: list[Word] = []

    def visit(text, cm, tm, font, size) -> None:
        if not text or not text.strip():
            return
        # Where the text starts and how big it is on the page: the text matrix inside the CTM.
        a = tm[0] * cm[0] + tm[1] * cm[2]
        b = tm[0] * cm[1] + tm[1] * cm[3]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (a * a + b * b) ** 0.5 or 1.0
        height = abs(float(size or 1.0)) * scale
        if abs(b) > 0.2 * abs(a):
            return  # rotated text (a stamp, a margin note) does not take part in lines
        per_unit = height / 1000.0
        baseline = top - y
        cursor = x - left
        for piece in re.split(r"(\s+)", text.replace("\n", " ")):
            if not piece:
                continue
            width = widths.width(font, piece) * per_unit
            if not piece.isspace():
                words.append(
                    Word(
                        piece, cursor, baseline - 0.8 * height, cursor + width, baseline + 0.2 * height, index
                    )
                )
            cursor += width

    page.extract_text(visitor_text=visit)
    return words


class _FontWidths:
    """Character widths of each font met on a page, read once; an unknown font counts half an em a character."""

    def __init__(self) -> None:
        # Keyed by id(): font dictionaries are not hashable. Each entry holds its dictionary too, so
        # the id cannot be reused by another object while this cache lives.
        self._fonts: dict[int, tuple[object, object | None]] = {}

    def width(self, font, text: str) -> float:
        if font is None:
            return 500.0 * len(text)
        key = id(font)
        if key not in self._fonts:
            self._fonts[key] = (font, _load_font(font))
        loaded = self._fonts[key][1]
        if loaded is None:
            return 500.0 * len(text)
        width = loaded.get_text_width(text)
        return width if width > 0 else 500.0 * len(text)


def _load_font(font):
    try:
        from pypdf.generic._font import Font  # pypdf's own width tables; not re-exported

        return Font.from_font_resource(font)
    except Exception:  # a font pypdf cannot describe still has text: fall back to an estimate
        return None


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


def _read_docx(path: Path, limits: Limits) -> list[Block]:
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
        blocks = _DocxBlocks(limits.max_text_chars)
        visited: set = set()
        for order, _, root in parts:
            blocks.extend(_container_blocks(root, visited, _TEXT_PARTS[order][0]))
        for order, _, root in parts:
            source = _TEXT_PARTS[order][0]
            blocks.extend_unseen(_raw_paragraph_lines(root, visited), _source_of_part(source))
    except Unreadable:
        raise
    except RecursionError as error:
        raise Unreadable("damaged: the Word document is nested too deeply to read") from error
    except MemoryError:
        raise
    except Exception as error:
        _raise_if_out_of_memory(error)
        raise Unreadable(DAMAGED_DOCX) from error
    if not any(block.text.strip() for block in blocks.blocks):
        raise Unreadable(NO_TEXT)
    return blocks.blocks


def _part_order(partname: str) -> int | None:
    for order, (_, pattern) in enumerate(_TEXT_PARTS):
        if pattern.match(partname):
            return order
    return None


def _source_of_part(part: str) -> str:
    return {"header": HEADER, "footer": FOOTER}.get(part, BODY)


class _DocxBlocks:
    """Blocks in reading order, with a memory of what was read so raw runs add only what is new."""

    def __init__(self, max_chars: int) -> None:
        self.blocks: list[Block] = []
        self.size = 0
        self.max_chars = max_chars
        self._seen: set[str] = set()

    def extend(self, blocks: Iterator[Block]) -> None:
        for block in blocks:
            if self.size >= self.max_chars:
                return
            lines = [line.strip() for line in block.lines if line.strip()]
            if not lines:
                continue
            block.lines = lines
            self.blocks.append(block)
            self.size += sum(len(line) + 1 for line in lines)
            self._seen.update(_SPACES.sub(" ", line) for line in lines)
            for cell in (block.label, block.value):
                if cell:
                    self._seen.add(_SPACES.sub(" ", cell.strip()))

    def extend_unseen(self, lines: Iterator[str], source: str) -> None:
        seen_text = "\n".join(self._seen)
        for line in lines:
            key = _SPACES.sub(" ", line).strip()
            # A cell or text-box paragraph already read as part of a longer line is not news.
            if key and key not in self._seen and key not in seen_text:
                self.extend(iter([_text_block(line, source)]))


def _text_block(text: str, source: str, *, heading: bool = False) -> Block:
    role = HEADING if heading and len(text.split()) <= 14 else role_of_text(text)
    return Block(role, [text], source=source)


def _container_blocks(container, visited: set, part: str) -> Iterator[Block]:
    source = _source_of_part(part)
    for child in container:
        tag = child.tag
        if tag == _P:
            yield from _paragraph_blocks(child, visited, source)
        elif tag == _TBL:
            yield from _table_blocks(child, visited, part)
        elif tag in _CONTAINERS:
            yield from _container_blocks(child, visited, part)


def _table_blocks(table, visited: set, part: str) -> Iterator[Block]:
    source = _source_of_part(part)
    table_source = TABLE if source == BODY else source
    for row in table.iter(_TR):
        if row.getparent() is not table:
            continue
        cells = [list(_container_blocks(cell, visited, part)) for cell in row if cell.tag == _TC]
        texts = [[line for block in cell for line in block.lines if line.strip()] for cell in cells]
        if all(len(cell) <= 1 for cell in texts):
            # A one-line-per-cell row reads as "Participant | Zoë", keeping label and value together.
            values = [cell[0].strip() for cell in texts if cell]
            if len(values) == 2:
                yield Block(
                    LABEL_VALUE, [" | ".join(values)], source=table_source, label=values[0], value=values[1]
                )
            elif values:
                yield Block(role_of_text(" ".join(values)), [" | ".join(values)], source=table_source)
        else:
            for cell in cells:
                for block in cell:
                    if block.source == BODY:
                        block.source = table_source
                    yield block


def _paragraph_blocks(paragraph, visited: set, source: str) -> Iterator[Block]:
    # Holding the element keeps lxml's proxy alive, so the raw pass can recognise it by identity.
    visited.add(paragraph)
    parts: list[str] = []
    boxes: list = []
    _collect_runs(paragraph, parts, boxes)
    heading = _is_heading_style(paragraph)
    lines = [line for line in "".join(parts).split("\n") if line.strip()]
    if lines:
        block = _text_block(" ".join(lines), source, heading=heading)
        block.lines = lines
        yield block
    for box in boxes:
        for inner in _container_blocks(box, visited, "document"):
            if inner.source == BODY:
                inner.source = TEXTBOX if source == BODY else source
            yield inner


def _is_heading_style(paragraph) -> bool:
    style = paragraph.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
    name = (style.get(f"{{{_W}}}val") or "") if style is not None else ""
    if re.match(r"(?i)(heading|title|subtitle|header)", name):
        return True
    sizes = [
        int(size.get(f"{{{_W}}}val") or 0)
        for size in paragraph.iter(f"{{{_W}}}sz")
        if (size.get(f"{{{_W}}}val") or "").isdigit()
    ]
    # Half-points: 28 is 14 pt, larger than any body text on a certificate.
    return bool(sizes) and min(sizes) >= 28


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
