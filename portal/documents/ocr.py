"""Read the words of a scan or a photo with Tesseract: upright, straightened, each with its box and confidence.

The engine is Debian's ``tesseract`` program, run as a subprocess of the sandboxed reader child: it
inherits that child's memory and CPU limits (rlimits survive ``exec``), it is killed with the child
(``PR_SET_PDEATHSIG``), and a stuck run is cut off by its own timeout. Images are bounded before
decoding (the header's pixel count), decoded in grey, scaled to about 200 dpi for an A4 page, their
lighting evened out (photos), turned upright (Tesseract's orientation detection) and straightened
(the angle whose row profile is sharpest). The words come back positioned, in the image's pixels,
top-left origin, so the same layout reading as for a PDF's text layer applies.
"""

from __future__ import annotations

import ctypes
import functools
import io
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .layout import Block, Word, blocks_from_words
from .limits import DEFAULT_LIMITS, Limits
from .reading import NO_TEXT_LAYER, Unreadable
from .sniff import HEIC, JPEG, RejectedFile, check_image_size, image_size

TESSERACT = os.environ.get("TESSERACT_CMD", "tesseract")

ENGINE_MISSING = "no text layer (scanned image?) and no OCR engine (Tesseract) installed to read it"
NO_TEXT_IN_IMAGE = "the scan or photo is too unclear to read: no words could be recognised"
OCR_TOO_SLOW = "took too long to read (OCR)"
OCR_FAILED = "the OCR engine could not read the image"
DAMAGED_IMAGE = "damaged: the image cannot be decoded"


def low_confidence(mean: float) -> str:
    return f"the scan or photo is too unclear to read reliably (OCR confidence {mean:.0f}%)"


# The working resolution: Tesseract reads best with capitals about 30 px high, which an A4 page
# gives at about 200 dpi (2340 px on its long side). Larger images cost time and no accuracy.
_LONG_SIDE_MAX = 2600
_LONG_SIDE_MIN = 1800
# Skew is searched in this range (degrees); a scan or a hand-held photo is rarely further off.
_SKEW_RANGE = 6.0
# A first pass at least this confident is upright; otherwise orientation detection is asked.
_UPRIGHT_CONFIDENCE = 80.0


class OcrUnreadable(Unreadable):
    """The scan or photo cannot be read by OCR; ``reason`` is for a person."""


@dataclass
class OcrPage:
    """One page's recognised words, in the pixels of the upright, straightened image."""

    words: list[Word]
    width: int
    height: int
    rotation: int = 0  # degrees turned clockwise to make the page upright
    skew: float = 0.0  # degrees turned to straighten the lines

    @property
    def mean_confidence(self) -> float | None:
        return mean_confidence(self.words)


@dataclass
class OcrResult:
    pages: list[OcrPage] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return [word for page in self.pages for word in page.words]

    @property
    def mean_confidence(self) -> float | None:
        return mean_confidence(self.words)


def mean_confidence(words: list[Word]) -> float | None:
    """Confidence over the words that carry letters or digits, weighted by their length."""
    weighted = [(word.conf, sum(ch.isalnum() for ch in word.text)) for word in words if word.conf is not None]
    total = sum(weight for _, weight in weighted)
    return sum(conf * weight for conf, weight in weighted) / total if total else None


def engine_available() -> bool:
    return shutil.which(TESSERACT) is not None


# --- entry points ------------------------------------------------------------------------------


def read_image_blocks(path: str | Path, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """An uploaded image as layout blocks, or :class:`OcrUnreadable` (unclear, too large, no engine)."""
    return ocr_blocks(read_image(path, kind, limits), limits)


def read_pdf_scan_blocks(reader, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """The image-only pages of an open PDF as layout blocks, or :class:`OcrUnreadable`."""
    return ocr_blocks(read_pdf_images(reader, limits), limits)


def ocr_blocks(result: OcrResult, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """Blocks from OCR'd words, page by page; a document read with low confidence is not read at all.

    A fact from a blurred photo can be confidently wrong, so below ``limits.min_ocr_confidence`` the
    whole document goes to a person with the confidence as the reason.
    """
    from .facts import is_field_label  # the label vocabulary belongs to the fact finder

    mean = result.mean_confidence
    if mean is None:
        raise OcrUnreadable(NO_TEXT_IN_IMAGE)
    if mean < limits.min_ocr_confidence:
        raise OcrUnreadable(low_confidence(mean))
    blocks: list[Block] = []
    for page in result.pages:
        blocks.extend(blocks_from_words(page.words, is_label=is_field_label))
    return blocks


def read_image(path: str | Path, kind: str, limits: Limits = DEFAULT_LIMITS) -> OcrResult:
    """OCR an uploaded JPEG, PNG or HEIC image; raise :class:`OcrUnreadable` with a reason otherwise."""
    _require_engine()
    deadline = time.monotonic() + 0.9 * limits.timeout_seconds
    try:
        check_image_size(image_size(path, kind), limits.max_image_pixels)
    except RejectedFile as error:
        raise OcrUnreadable(str(error)) from error
    image = _decode(path, kind, limits)
    return OcrResult([ocr_page(image, 0, deadline)])


def read_pdf_scanned_pages(
    reader, pages: set[int], limits: Limits = DEFAULT_LIMITS
) -> dict[int, list[Block]]:
    """The blocks of the scanned ``pages`` of a PDF whose other pages carry text, by page index.

    Pages without an image are left out; a page image in which no word, or no word clearly, is recognised
    raises :class:`OcrUnreadable` like a scanned PDF does: it may be the page that holds the facts.
    """
    result = read_pdf_images(reader, limits, only=pages)
    found: dict[int, list[Block]] = {}
    for page in result.pages:
        blocks = ocr_blocks(OcrResult([page]), limits)  # raises for a page with no clear words
        found[page.words[0].page] = blocks
    return found


def read_pdf_images(reader, limits: Limits = DEFAULT_LIMITS, *, only: set[int] | None = None) -> OcrResult:
    """OCR the pages of an open ``pypdf.PdfReader`` that carry no text, from the largest image on each.

    A scanned PDF holds one image per page; its size is read from the PDF's own dictionary and
    refused above the pixel limit before pypdf decodes it.
    """
    deadline = time.monotonic() + 0.9 * limits.timeout_seconds
    result = OcrResult()
    for index, page in enumerate(reader.pages):
        if len(result.pages) >= limits.max_ocr_pages or index >= limits.max_pages:
            break
        if only is not None and index not in only:
            continue
        image = _largest_page_image(page, limits)
        if image is not None:
            _require_engine()
            result.pages.append(ocr_page(image, index, deadline))
    if not result.pages:
        raise OcrUnreadable(NO_TEXT_LAYER)
    return result


def _require_engine() -> None:
    if not engine_available():
        raise OcrUnreadable(ENGINE_MISSING)


# --- decoding ----------------------------------------------------------------------------------


def _decode(path: str | Path, kind: str, limits: Limits):
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
    try:
        if kind == HEIC:
            import pillow_heif

            pillow_heif.register_heif_opener()
        with Image.open(path) as opened:
            if kind == JPEG:
                # JPEG decodes at 1/2, 1/4 or 1/8 scale for free: no need to inflate 12 MP to use 5.
                opened.draft("L", (_LONG_SIDE_MAX, _LONG_SIDE_MAX))
            # Phones store the photo sideways and say so in EXIF; turn it as the phone showed it.
            image = ImageOps.exif_transpose(opened).convert("L")
    except MemoryError:
        raise
    except Exception as error:  # a broken image surfaces as any of Pillow's errors
        raise OcrUnreadable(DAMAGED_IMAGE) from error
    return image


def _largest_page_image(page, limits: Limits):
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return None
    best_name, best_pixels = None, 0
    for name, reference in xobjects.get_object().items():
        xobject = reference.get_object()
        if xobject.get("/Subtype") != "/Image":
            continue
        width, height = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
        try:
            check_image_size((width, height), limits.max_image_pixels)
        except RejectedFile as error:
            raise OcrUnreadable(str(error)) from error
        if width * height > best_pixels:
            best_name, best_pixels = name, width * height
    if best_name is None:
        return None
    try:
        image = page.images[best_name].image
        return image.convert("L")
    except MemoryError:
        raise
    except Exception as error:  # any decoder error in a hostile PDF is a damaged image
        raise OcrUnreadable(DAMAGED_IMAGE) from error


# --- one page ----------------------------------------------------------------------------------


def ocr_page(image, page: int = 0, deadline: float | None = None) -> OcrPage:
    """Turn a grey image upright, straighten it, OCR it; the best-read orientation wins."""
    from PIL import ImageFilter

    deadline = deadline if deadline is not None else time.monotonic() + 60
    # A 3×3 median removes a scanner's specks (read as stray full stops) and keeps strokes that are wider.
    image = even_lighting(_working_size(image)).filter(ImageFilter.MedianFilter(3))
    skew = estimate_skew(image)
    if abs(skew) >= 0.2:
        image = _rotate(image, skew)
    reading = time.monotonic()
    words = _tesseract_words(image, page, deadline)
    cost = time.monotonic() - reading
    rotation = 0
    first = mean_confidence(words)
    if first is None or first < _UPRIGHT_CONFIDENCE or len(words) < 8:
        turn = detect_rotation(image, deadline)
        if turn:
            turned = image.rotate(-turn, expand=True)
            other = _tesseract_words(turned, page, deadline)
            if (mean_confidence(other) or 0) > (first or 0):
                image, words, rotation = turned, other, turn
    words = _in_its_languages(image, page, words, deadline, cost)
    return OcrPage(words, image.width, image.height, rotation, skew)


def _in_its_languages(image, page: int, words: list[Word], deadline: float, cost: float) -> list[Word]:
    """A page that shows another language is read again with that language's model beside English, so its
    accented letters are kept; only when the time left allows it, and an English-only page costs nothing."""
    others = languages_seen(words)
    if not others:
        return words
    # With more models the reading costs up to half as much again as the English one (``cost``): it is only
    # tried when that fits twice over in the time left, so a crowded machine keeps the English reading.
    if deadline - time.monotonic() < 3 * cost:
        return words
    again = _tesseract_words(image, page, deadline, "+".join(["eng", *others]))
    if (mean_confidence(again) or 0) >= (mean_confidence(words) or 0) - 5:
        return again
    return words


def _working_size(image):
    from PIL import Image

    long_side = max(image.size)
    if _LONG_SIDE_MIN <= long_side <= _LONG_SIDE_MAX:
        return image
    target = _LONG_SIDE_MAX if long_side > _LONG_SIDE_MAX else _LONG_SIDE_MIN
    scale = target / long_side
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def even_lighting(image):
    """Divide out the paper's brightness, estimated with the text removed, so shadows and a lamp's
    gradient do not swallow the letters when Tesseract binarises the page."""
    import numpy as np
    from PIL import Image, ImageFilter

    small = image.resize((max(1, image.width // 8), max(1, image.height // 8)), Image.Resampling.BOX)
    # A max filter wider than a stroke removes the dark text, leaving the paper; the blur smooths it.
    background = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(4))
    background = background.resize(image.size, Image.Resampling.BILINEAR)
    # Integer arithmetic: a third of the time of floats on a 5 MP page, and exact enough for 8-bit grey.
    pixels = np.asarray(image, dtype=np.uint16)
    paper = np.maximum(np.asarray(background), 1).astype(np.uint16)
    evened = np.minimum(pixels * 255 // paper, 255).astype(np.uint8)
    return Image.fromarray(evened, mode="L")


def estimate_skew(image, spread: float = _SKEW_RANGE) -> float:
    """The angle (degrees, counter-clockwise positive as Pillow rotates) that makes text lines level.

    Lines of text are level when the page's row profile (dark pixels per row) is most peaked, so the
    angle with the largest variance of that profile wins: coarse steps first, then a finer search.
    """
    import numpy as np
    from PIL import Image

    scale = 900 / max(image.size)
    small = (
        image.resize(
            (max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.Resampling.BOX
        )
        if scale < 1
        else image
    )
    ink = small.point(lambda value: 255 if value < 160 else 0)

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.var(np.diff(rows)))

    best = max((step * 0.5 for step in range(int(-2 * spread), int(2 * spread) + 1)), key=sharpness)
    fine = max((best + step * 0.1 for step in range(-5, 6)), key=sharpness)
    return round(fine, 2)


def _rotate(image, angle: float):
    from PIL import Image

    # Bilinear: half the time of bicubic, and Tesseract binarises the page anyway.
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)


def detect_rotation(image, deadline: float) -> int:
    """Clockwise degrees (0, 90, 180, 270) that Tesseract's orientation detection says turn the page upright.

    It must run with the ``osd`` model alone: given ``-l eng`` it answers with confident nonsense.
    """
    output = _run_tesseract(image, ["-l", "osd", "--psm", "0"], deadline, allow_failure=True)
    rotate, confidence = 0, 0.0
    for line in output.splitlines():
        key, _, value = line.partition(":")
        try:
            if key.strip() == "Rotate":
                rotate = int(value.strip())
            elif key.strip() == "Orientation confidence":
                confidence = float(value.strip())
        except ValueError:
            continue
    return rotate if rotate in (90, 180, 270) and confidence >= 1.0 else 0


# The models asked for: English, and the languages certificates here often come in as well (bilingual
# attestations), whose models keep "ç", "ñ", "é", "ü" and "ö" where English alone reads "Formacién" or
# "Fjallstr6m". Only installed ones are used.
OCR_LANGUAGES = tuple(os.environ.get("OCR_LANGUAGES", "eng+fra+spa+deu").split("+"))
# Words that show a page is (also) in one of those languages, after an English reading of it.
_LANGUAGE_MARKS = {
    "fra": {"du", "des", "les", "et", "au", "aux", "nous", "attestons", "formation", "heures", "fait", "le"},
    "spa": {
        "del",
        "el",
        "los",
        "las",
        "y",
        "que",
        "horas",
        "formación",
        "formacion",
        "constancia",
        "programa",
    },
    "deu": {
        "der",
        "die",
        "das",
        "und",
        "für",
        "fur",
        "hat",
        "am",
        "stunden",
        "teilgenommen",
        "bescheinigung",
    },
}


@functools.cache
def ocr_languages() -> str:
    """The models to use, ``+``-joined: the wanted ones Tesseract has, English always first."""
    try:
        listed = subprocess.run(
            [TESSERACT, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        listed = []
    installed = [language for language in OCR_LANGUAGES if language in listed and language != "eng"]
    return "+".join(["eng", *installed])


def languages_seen(words: list[Word]) -> list[str]:
    """The installed other languages a page read in English shows at least three marks of."""
    seen = {word.text.casefold().strip(".,:;()/") for word in words}
    available = ocr_languages().split("+")[1:]
    return [language for language in available if len(seen & _LANGUAGE_MARKS.get(language, set())) >= 3]


def _tesseract_words(image, page: int, deadline: float, languages: str = "eng") -> list[Word]:
    tsv = _run_tesseract(image, ["-l", languages, "--psm", "3", "tsv"], deadline)
    words: list[Word] = []
    lines: dict[tuple[str, ...], tuple[int, int]] = {}
    for row in tsv.splitlines()[1:]:
        columns = row.split("\t")
        if len(columns) < 12 or columns[0] not in ("4", "5"):
            continue
        try:
            left, top, width, height = (int(value) for value in columns[6:10])
            conf = float(columns[10])
        except ValueError:
            continue
        key = tuple(columns[1:5])  # page, block, paragraph, line
        if columns[0] == "4":
            lines[key] = (top, top + height)
            continue
        text = columns[11].strip()
        # Specks of noise come back as low-confidence punctuation; they are not words.
        if not text or conf < 0 or (conf < 30 and not any(ch.isalnum() for ch in text)):
            continue
        # A word's ink box is as tall as its letters ("–" is a sliver, "Ay" is not); a PDF's text layer
        # gives each word its line's height, and the layout reader expects that: take the line's.
        y0, y1 = lines.get(key, (top, top + height))
        words.append(Word(text, left, y0, left + width, y1, page, conf))
    return words


def _run_tesseract(image, options: list[str], deadline: float, *, allow_failure: bool = False) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")  # grey PGM: the cheapest format for Tesseract to read
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OcrUnreadable(OCR_TOO_SLOW)
    # One thread: the machine's cores belong to the pool of readers, and OpenMP's threads cost more
    # than they give on a page this size.
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    command = [TESSERACT, "stdin", "stdout", "--dpi", "200", *options]
    try:
        completed = subprocess.run(
            command,
            input=buffer.getvalue(),
            capture_output=True,
            timeout=remaining,
            env=env,
            preexec_fn=_die_with_parent,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise OcrUnreadable(OCR_TOO_SLOW) from error
    except OSError as error:
        raise OcrUnreadable(ENGINE_MISSING) from error
    if completed.returncode != 0:
        if allow_failure:
            return ""
        if completed.returncode == -signal.SIGXCPU:  # the CPU rlimit the engine inherited from the reader
            raise OcrUnreadable(OCR_TOO_SLOW)
        if completed.returncode in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
            # The engine ran out of the memory the reader child may use (its rlimit is inherited).
            raise MemoryError("the OCR engine ran out of memory")
        raise OcrUnreadable(OCR_FAILED)
    return completed.stdout.decode("utf-8", "replace")


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Runs in the forked child before exec: if the reader child is killed (timeout, memory), the
    # engine goes with it instead of running on as an orphan.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
