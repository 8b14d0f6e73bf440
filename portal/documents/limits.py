"""The bounds every document read stays within: pages, text, archive sizes, time and memory."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Defaults sized for a certificate or a letter; a caller overrides any of them with ``Limits(max_pages=5)``."""

    max_pages: int = 50
    max_text_chars: int = 200_000
    max_zip_entries: int = 200
    max_zip_uncompressed: int = 50 * MIB
    # Also bounds any single decompressed PDF stream: one part of a document, whatever the container.
    max_part_uncompressed: int = 20 * MIB
    max_compression_ratio: int = 100
    timeout_seconds: float = 20
    memory_mb: int = 512
    cpu_seconds: int = 20
    # An image (an upload, or a scanned page inside a PDF) is refused above this many pixels before it
    # is decoded: 40 megapixels covers a 48 MP phone's default 12 MP photo and an A4 scan at 600 dpi
    # (35 MP), and decodes to 40 MB in grey.
    max_image_pixels: int = 40_000_000
    # Pages of an image-only PDF sent to OCR; certificates and letters are one or two pages.
    max_ocr_pages: int = 4
    # Below this mean word confidence (0-100) an OCR'd document is left for a person rather than read.
    min_ocr_confidence: float = 70


DEFAULT_LIMITS = Limits()
