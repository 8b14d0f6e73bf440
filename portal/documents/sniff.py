"""Decide what a file is from its bytes: a PDF, a DOCX, a JPEG, PNG or HEIC image, a saved email, or something we
refuse."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from .emails import EML, looks_like_email
from .limits import DEFAULT_LIMITS

PDF = "pdf"
DOCX = "docx"
JPEG = "jpeg"
PNG = "png"
HEIC = "heic"
IMAGE_KINDS = frozenset({JPEG, PNG, HEIC})
# How each kind is served back (always as an attachment, never rendered by the browser).
MEDIA_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    JPEG: "image/jpeg",
    PNG: "image/png",
    HEIC: "image/heic",
    EML: "message/rfc822",
}

# Parts whose presence means the package carries macros or is not a plain Word document.
_MACRO_MARKERS = ("vbaproject.bin", "vbadata.xml", "activex")
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject")

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Microsoft's compound file (Outlook .msg, Word .doc): refused with a way to send it instead.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# ISO base media brands of still HEIF/HEIC images (phones write heic; mif1 is the generic brand).
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"hevc", b"hevx"}
# JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic): they carry the size.
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class RejectedFile(ValueError):
    """The file is not one we accept; ``str(error)`` is a reason a person can read."""


def sniff(path: str | Path, *, max_image_pixels: int = DEFAULT_LIMITS.max_image_pixels) -> str:
    """Return ``"pdf"``, ``"docx"``, ``"jpeg"``, ``"png"``, ``"heic"`` or ``"eml"`` from the file's structure.

    Anything else raises :class:`RejectedFile`. The name and the browser's MIME type are never
    consulted: a DOCX renamed ``.pdf`` is a DOCX. An image is also refused when its header
    declares more pixels than ``max_image_pixels`` (a decompression bomb), before any decoding.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise RejectedFile("The file is empty.")
    with path.open("rb") as fh:
        head = fh.read(8192)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _check_docx(path)
    if b"%PDF-" in head:
        # Readers tolerate junk before the header; polyglots exploit exactly that.
        raise RejectedFile("The file does not start like a PDF (it has content before the PDF header).")
    kind = image_kind(head)
    if kind is not None:
        check_image_size(image_size(path, kind), max_image_pixels)
        return kind
    if looks_like_email(head):
        return EML
    if head.startswith(_OLE_SIGNATURE):
        raise RejectedFile(
            "Outlook .msg files and old Word .doc files cannot be read: save the email as .eml "
            "(or print it to PDF), or the document as .docx or PDF."
        )
    raise RejectedFile(
        "The file is neither a PDF nor a Word (.docx) document, nor a JPEG, PNG or HEIC image, "
        "nor a saved email (.eml)."
    )


def image_kind(head: bytes) -> str | None:
    """``"jpeg"``, ``"png"`` or ``"heic"`` when the first bytes are those of such an image, else ``None``."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_PNG_SIGNATURE):
        return PNG
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIC
    return None


def check_image_size(dimensions: tuple[int, int], max_pixels: int) -> None:
    """Refuse an image whose declared width × height would take too much memory once decoded."""
    width, height = dimensions
    if width <= 0 or height <= 0:
        raise RejectedFile("The image is damaged: it declares no size.")
    if width * height > max_pixels:
        raise RejectedFile(
            f"The image is too large to read ({width} × {height} pixels; at most {max_pixels // 1_000_000} "
            "megapixels). A photo or scan at ordinary resolution is enough."
        )


def image_size(path: str | Path, kind: str) -> tuple[int, int]:
    """The (width, height) the image's header declares, read without decoding a single pixel."""
    with Path(path).open("rb") as fh:
        if kind == PNG:
            header = fh.read(24)
            if len(header) < 24 or header[12:16] != b"IHDR":
                raise RejectedFile("The PNG image is damaged: it has no header.")
            return struct.unpack(">II", header[16:24])
        if kind == JPEG:
            return _jpeg_size(fh)
    if kind == HEIC:
        return _heic_size(path)
    raise ValueError(f"not an image kind: {kind!r}")


def _jpeg_size(fh) -> tuple[int, int]:
    fh.seek(2)
    # Bounded: a hostile file cannot make this loop longer than its segments, and segments have lengths.
    for _ in range(10_000):
        marker = fh.read(2)
        while len(marker) == 2 and marker[0] == 0xFF and marker[1] == 0xFF:  # fill bytes
            marker = marker[1:] + fh.read(1)
        if len(marker) < 2 or marker[0] != 0xFF:
            break
        code = marker[1]
        if code in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            continue
        length_bytes = fh.read(2)
        if len(length_bytes) < 2:
            break
        (length,) = struct.unpack(">H", length_bytes)
        if code in _JPEG_SOF:
            frame = fh.read(5)
            if len(frame) < 5:
                break
            height, width = struct.unpack(">HH", frame[1:5])
            return width, height
        if code == 0xDA or length < 2:  # start of scan before any frame header: damaged
            break
        fh.seek(length - 2, 1)
    raise RejectedFile("The JPEG image is damaged: its size cannot be read.")


def _heic_size(path: str | Path) -> tuple[int, int]:
    try:
        import pillow_heif
    except ImportError as error:
        raise RejectedFile("HEIC photos cannot be read here; upload a JPEG or PNG instead.") from error
    try:
        # Opening reads the container's metadata only; pixels are decoded on first access.
        heif = pillow_heif.open_heif(str(path), convert_hdr_to_8bit=True)
        return heif.size
    except Exception as error:  # libheif reports a broken file in many ways
        raise RejectedFile("The HEIC image is damaged and cannot be opened.") from error


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
