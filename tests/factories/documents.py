"""Build real PDF and DOCX files at test time: ordinary certificates and hostile ones."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

CERTIFICATE_LINES = (
    "CERTIFICATE OF COMPLETION",
    "This is to certify that",
    "Zoë O'Brien-Ñúñez",
    "has successfully completed",
    "Advanced Mentoring Practice",
    "delivered by Northfield Mentoring Academy",
    "from 1 March 2024 to 30 April 2024",
    "a total of 35 hrs",
    "Instructor: Dr. Ana Silva",
    "Date of issue: 12 May 2024",
)


def unicode_font() -> Path | None:
    """A TrueType font that covers accents, or ``None`` when the machine has none."""
    return DEJAVU if DEJAVU.exists() else None


def _needs_unicode(lines: Iterable[str]) -> bool:
    try:
        "".join(lines).encode("latin-1")
    except UnicodeEncodeError:
        return True
    return False


def make_pdf(
    path: str | Path,
    lines: Sequence[str],
    *,
    pages: int = 1,
    user_password: str | None = None,
    owner_password: str = "owner-secret",
    font: Path | None = None,
) -> Path:
    """A text PDF with ``lines`` on each of ``pages`` pages, drawn by fpdf2.

    Text outside latin-1 is drawn with DejaVu (``font`` or the system copy); with a
    ``user_password`` (``""`` included) the file is AES-encrypted by pypdf.
    """
    from fpdf import FPDF

    path = Path(path)
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=10)
    font = font or (unicode_font() if _needs_unicode(lines) else None)
    if font is not None:
        pdf.add_font("Body", fname=str(font))
        pdf.set_font("Body", size=12)
    else:
        pdf.set_font("Helvetica", size=12)
    for _ in range(pages):
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    if user_password is not None:
        encrypt_pdf(path, user_password, owner_password)
    return path


def encrypt_pdf(path: str | Path, user_password: str, owner_password: str = "owner-secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    path = Path(path)
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def make_docx(
    path: str | Path,
    paragraphs: Sequence[str],
    *,
    table: Sequence[Sequence[str]] | None = None,
    nested_table: Sequence[Sequence[str]] | None = None,
    header: str | None = None,
    footer: str | None = None,
    text_box: str | None = None,
    content_control: str | None = None,
    inline_content_control: tuple[str, str] | None = None,
) -> Path:
    """A Word document made by python-docx.

    ``table`` rows become a table after the paragraphs; ``nested_table`` goes inside the first
    cell of a row added below them. ``text_box``, ``content_control`` (block level) and ``inline_content_control``
    (label, value inside one paragraph) are written as raw XML, as Word writes them.
    """
    import docx

    path = Path(path)
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(row) for row in table))
        for row_cells, row in zip(grid.rows, table):
            for cell, text in zip(row_cells.cells, row):
                cell.text = text
        if nested_table:
            inner = (
                grid.add_row()
                .cells[0]
                .add_table(rows=len(nested_table), cols=max(len(row) for row in nested_table))
            )
            for row_cells, row in zip(inner.rows, nested_table):
                for cell, text in zip(row_cells.cells, row):
                    cell.text = text
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    if text_box:
        _append_text_box(document, text_box)
    if content_control:
        _append_block_content_control(document, content_control)
    if inline_content_control:
        _append_inline_content_control(document, *inline_content_control)
    document.save(str(path))
    return path


_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _body_append(document, element) -> None:
    body = document.element.body
    body.insert(len(body) - 1, element)  # before the closing w:sectPr


def _append_text_box(document, text: str) -> None:
    from docx.oxml import parse_xml

    content = f"<w:txbxContent><w:p><w:r><w:t>{_escape(text)}</w:t></w:r></w:p></w:txbxContent>"
    # Word writes a DrawingML shape and a VML fallback holding the same words.
    paragraph = parse_xml(
        f'<w:p {_NAMESPACES}><w:r><w:t xml:space="preserve">See the note: </w:t></w:r><w:r><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData '
        f'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>{content}'
        f"</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>"
        f"</mc:AlternateContent></w:r></w:p>"
    )
    _body_append(document, paragraph)


def _append_block_content_control(document, text: str) -> None:
    from docx.oxml import parse_xml

    _body_append(
        document,
        parse_xml(
            f'<w:sdt {_NAMESPACES}><w:sdtPr><w:alias w:val="Field"/></w:sdtPr><w:sdtContent>'
            f"<w:p><w:r><w:t>{_escape(text)}</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )


def _append_inline_content_control(document, label: str, value: str) -> None:
    from docx.oxml import parse_xml

    _body_append(
        document,
        parse_xml(
            f'<w:p {_NAMESPACES}><w:r><w:t xml:space="preserve">{_escape(label)} </w:t></w:r>'
            f"<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>{_escape(value)}</w:t></w:r></w:sdtContent></w:sdt></w:p>"
        ),
    )


def convert_with_libreoffice(source: str | Path, target_format: str, outdir: str | Path) -> Path | None:
    """Convert with LibreOffice (``pdf``, ``docx``); ``None`` when ``soffice`` is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    source, outdir = Path(source), Path(outdir)
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return outdir / f"{source.stem}.{target_format}"


# --- hostile files -----------------------------------------------------------------------------


def make_image_only_pdf(path: str | Path) -> Path:
    """A scan: one page holding a picture of text and no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).text((20, 80), "Certificate of completion - 35 hours", fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    pdf.output(str(path))
    return Path(path)


def make_truncated_pdf(path: str | Path, keep: float = 0.4) -> Path:
    path = make_pdf(path, CERTIFICATE_LINES)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def make_docx_named_pdf(path: str | Path, paragraphs: Sequence[str] = ("Participant: Jean Dupont",)) -> Path:
    """A Word document saved under a ``.pdf`` name."""
    path = Path(path)
    make_docx(path.with_suffix(".tmp.docx"), paragraphs).rename(path)
    return path


def make_empty_file(path: str | Path) -> Path:
    Path(path).write_bytes(b"")
    return Path(path)


def make_random_bytes(path: str | Path, size: int = 64 * 1024, seed: int = 7) -> Path:
    Path(path).write_bytes(random.Random(seed).randbytes(size))
    return Path(path)


def make_zip_bomb_docx(path: str | Path, part_mb: int = 30) -> Path:
    """A valid DOCX carrying one part of ``part_mb`` megabytes of zeros that compresses to almost nothing."""
    path = make_docx(path, ["Participant: Jean Dupont"])
    chunk = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/padding.bin", "w", force_zip64=True) as part,
    ):
        for _ in range(part_mb):
            part.write(chunk)
    return path


def make_docx_with_many_entries(path: str | Path, entries: int = 500) -> Path:
    path = make_docx(path, ["Participant: Jean Dupont"])
    with zipfile.ZipFile(path, "a") as archive:
        for index in range(entries):
            archive.writestr(f"word/extra/item{index}.xml", "<a/>")
    return path


def make_billion_laughs_docx(path: str | Path, levels: int = 10) -> Path:
    """A DOCX whose document.xml declares nested entities that would expand to gigabytes."""
    path = Path(path)
    make_docx(path, ["placeholder"])
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{("&lol" + str(level - 1) + ";") * 10}">' for level in range(1, levels)
    ]
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<!DOCTYPE w:document [{''.join(entities)}]>"
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"<w:p><w:r><w:t>&lol{levels - 1};</w:t></w:r></w:p><w:p><w:r><w:t>Participant: Jean Dupont</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    _replace_part(path, "word/document.xml", document.encode())
    return path


def make_large_docx(path: str | Path, megabytes: int = 15, seed: int = 3) -> Path:
    """A DOCX whose document.xml holds ``megabytes`` of varied prose (it compresses only a few times)."""
    path = Path(path)
    make_docx(path, ["placeholder"])
    rng = random.Random(seed)
    words = [
        ("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))))
        for _ in range(5000)
    ]
    paragraphs, size = [], 0
    while size < megabytes * 1024 * 1024:
        paragraph = "<w:p><w:r><w:t>" + " ".join(rng.choices(words, k=150)) + "</w:t></w:r></w:p>"
        paragraphs.append(paragraph)
        size += len(paragraph)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(paragraphs)
        + "</w:body></w:document>"
    )
    _replace_part(path, "word/document.xml", document.encode())
    return path


def _replace_part(path: Path, name: str, data: bytes) -> None:
    rebuilt = path.with_suffix(".rebuilt")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry, data if entry.filename == name else source.read(entry.filename))
    os.replace(rebuilt, path)


def _raw_pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF from numbered object bodies (object 1 is the catalogue), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _text_stream(text: str) -> bytes:
    content = b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def make_many_pages_pdf(path: str | Path, pages: int = 5000, text: str = "Participant: Jean Dupont") -> Path:
    """``pages`` pages sharing one content stream: tiny on disk, long to walk without a page cap."""
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + index) for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        _text_stream(text),
        _FONT,
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    objects += [page] * pages
    Path(path).write_bytes(_raw_pdf(objects))
    return Path(path)


def make_pdf_stream_bomb(path: str | Path, megabytes: int = 30) -> Path:
    """A page whose content stream inflates from a few kilobytes to ``megabytes`` of blank text."""
    import zlib

    compressor = zlib.compressobj(9)
    body = compressor.compress(b"BT /F1 12 Tf 72 720 Td (Participant: Jean Dupont) Tj ET\n")
    blank = b" " * (1024 * 1024)
    for _ in range(megabytes):
        body += compressor.compress(blank)
    body += compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
        _FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>",
    ]
    Path(path).write_bytes(_raw_pdf(objects))
    return Path(path)


def make_deeply_nested_pdf(path: str | Path, depth: int = 100_000) -> Path:
    """A page whose resources hold arrays nested ``depth`` deep, to exhaust a recursive parser."""
    nested = b"[" * depth + b"]" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        _text_stream("Participant: Jean Dupont"),
        _FONT,
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> /Nested 6 0 R >> >>"
        ),
        nested,
    ]
    Path(path).write_bytes(_raw_pdf(objects))
    return Path(path)


def make_nested_dictionary_pdf(path: str | Path, depth: int = 50_000) -> Path:
    """Like :func:`make_deeply_nested_pdf`, with dictionaries, placed in the page's content path."""
    nested = b"<< /A " * depth + b"0" + b" >>" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        _text_stream("Participant: Jean Dupont"),
        _FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> /ExtGState " + nested + b" >> >>",
    ]
    Path(path).write_bytes(_raw_pdf(objects))
    return Path(path)
