"""Scans and photos read by Tesseract: straightened, turned upright, read into the same facts as a PDF."""

from __future__ import annotations

import random

import pytest

from bench.corpus.render import draw_page, photo_effect, scan_effect
from portal.documents.layout import Word
from portal.documents.ocr import languages_seen, ocr_languages, read_image
from portal.documents.pipeline import MANUAL, READ, extract
from tests.factories.tools import require_programs

LINES = [
    ("TIDEWAY CENTRE FOR", 20),
    ("MENTORING PRACTICE", 20),
    ("Certificate of Completion", 24),
    ("This is to certify that", 12),
    ("Hannah Fairweather", 20),
    ("has successfully completed", 12),
    ("Foundations of Developmental Mentoring", 15),
    ("Hours: 35", 12),
    ("Start date: 3 March 2024", 12),
    ("End date: 28 March 2024", 12),
    ("Date of issue: 23rd April 2024", 12),
    ("Instructor: Dr. Lorcan Tierney", 12),
]
EXPECTED = {
    "participant_name": "Hannah Fairweather",
    "programme": "Foundations of Developmental Mentoring",
    "hours": 35,
    "start_date": "2024-03-03",
    "end_date": "2024-03-28",
    "issue_date": "2024-04-23",
    "instructor": "Lorcan Tierney",
}


@pytest.fixture(autouse=True)
def engine():
    require_programs("tesseract", purpose="scans and photos cannot be read")


def _found(outcome) -> dict:
    return {name: outcome.fields[name] for name in EXPECTED}


def test_a_slightly_rotated_noisy_scan_is_read(tmp_path, reader_pool):
    path = tmp_path / "scan.png"
    scan_effect(draw_page(LINES), random.Random(3)).save(path)
    outcome = extract(path, pool=reader_pool)
    assert (outcome.status, outcome.kind) == (READ, "png"), outcome.reason
    assert _found(outcome) == EXPECTED


def test_a_photo_on_a_desk_with_uneven_light_is_read(tmp_path, reader_pool):
    path = tmp_path / "IMG_2041.jpg"
    photo_effect(draw_page(LINES, dpi=200), random.Random(5)).save(path, quality=80)
    outcome = extract(path, pool=reader_pool)
    assert (outcome.status, outcome.kind) == (READ, "jpeg"), outcome.reason
    assert _found(outcome) == EXPECTED


def test_an_image_only_pdf_is_read_through_its_page_image(tmp_path, reader_pool):
    path = tmp_path / "scanned.pdf"
    scan_effect(draw_page(LINES), random.Random(8)).save(path, "PDF", resolution=150.0)
    outcome = extract(path, pool=reader_pool)
    assert (outcome.status, outcome.kind) == (READ, "pdf"), outcome.reason
    assert _found(outcome) == EXPECTED


def test_a_page_scanned_upside_down_is_turned_upright(tmp_path):
    path = tmp_path / "upside-down.png"
    scan_effect(draw_page(LINES), random.Random(4)).rotate(180, expand=True).save(path)
    page = read_image(path, "png").pages[0]
    assert page.rotation == 180
    assert "Fairweather" in [word.text for word in page.words]
    assert page.mean_confidence > 80


def test_words_keep_their_positions_and_confidences(tmp_path):
    path = tmp_path / "scan.png"
    scan_effect(draw_page(LINES), random.Random(3)).save(path)
    words = read_image(path, "png").words
    hannah = next(word for word in words if word.text == "Hannah")
    surname = next(word for word in words if word.text == "Fairweather")
    assert hannah.x1 < surname.x0 and abs(hannah.y0 - surname.y0) < hannah.height / 2
    assert all(0 <= word.conf <= 100 for word in words)


def test_a_blurred_photo_is_left_for_a_person_with_the_reason(tmp_path, reader_pool):
    path = tmp_path / "blurred.jpg"
    photo_effect(draw_page(LINES), random.Random(6), unreadable=True).save(path, quality=70)
    outcome = extract(path, pool=reader_pool)
    assert outcome.status == MANUAL
    assert "too unclear to read" in outcome.reason
    assert all(value is None for value in outcome.fields.values())


def test_a_heic_photo_from_a_phone_is_read(tmp_path, reader_pool):
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    path = tmp_path / "IMG_0042.HEIC"
    try:
        # Small and fast to encode: HEVC at the default preset takes seconds, and OCR rescales the page anyway.
        photo_effect(draw_page(LINES, dpi=110), random.Random(9)).save(
            path, "HEIF", quality=80, enc_params={"preset": "ultrafast"}
        )
    except (KeyError, OSError, ValueError) as error:
        pytest.skip(f"this pillow-heif build cannot write HEIC: {error}")
    outcome = extract(path, pool=reader_pool)
    assert (outcome.status, outcome.kind) == (READ, "heic"), outcome.reason
    assert _found(outcome) == EXPECTED


def test_a_photo_stored_sideways_with_an_exif_orientation_is_read_upright(tmp_path, reader_pool):
    from PIL import Image

    path = tmp_path / "IMG_0043.jpg"
    sideways = scan_effect(draw_page(LINES), random.Random(2)).rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display", as phones write it
    sideways.save(path, "JPEG", quality=85, exif=exif)
    outcome = extract(path, pool=reader_pool)
    assert outcome.status == READ, outcome.reason
    assert _found(outcome) == EXPECTED


def _typed_page_then(image_pages, path):
    """A PDF whose first page carries typed text and whose next pages are the given page images."""
    from fpdf import FPDF
    from pypdf import PdfWriter

    cover = path.with_name("cover.pdf")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Supporting document: the scanned certificate follows.")
    pdf.output(str(cover))
    writer = PdfWriter()
    writer.append(str(cover))
    for number, image in enumerate(image_pages):
        scan = path.with_name(f"scan{number}.pdf")
        image.save(scan, "PDF", resolution=150.0)
        writer.append(str(scan))
    with open(path, "wb") as output:
        writer.write(output)


def test_a_pdf_mixing_typed_and_scanned_pages_reads_the_scanned_page(tmp_path, reader_pool):
    path = tmp_path / "mixed.pdf"
    _typed_page_then([scan_effect(draw_page(LINES), random.Random(8))], path)
    outcome = extract(path, pool=reader_pool)
    assert (outcome.status, outcome.kind) == (READ, "pdf"), outcome.reason
    assert _found(outcome) == EXPECTED
    assert outcome.text.index("Supporting document") < outcome.text.index("Fairweather")


def test_a_blurred_scanned_page_in_a_typed_pdf_sends_it_to_a_person(tmp_path, reader_pool):
    path = tmp_path / "mixed-blurred.pdf"
    _typed_page_then([photo_effect(draw_page(LINES), random.Random(6), unreadable=True)], path)
    outcome = extract(path, pool=reader_pool)
    assert outcome.status == MANUAL
    assert "scanned page" in outcome.reason and "too unclear to read" in outcome.reason
    assert all(value is None for value in outcome.fields.values())


def test_a_page_in_another_language_is_read_again_with_its_model_and_keeps_its_accents(tmp_path, monkeypatch):
    if {"spa", "deu"} - set(ocr_languages().split("+")):
        pytest.skip("the Spanish and German models are not installed (make ocr-engine installs them)")
    lines = [
        ("Fundación Peñalba", 22),
        ("Constancia de participación del programa", 14),
        ("Formación continua y horas de práctica", 14),
        ("Bescheinigung über die Teilnahme und Stunden für Jürgen Fjällström", 12),
    ]
    path = tmp_path / "accents.png"
    draw_page(lines).save(path)
    wanted = ("Fundación", "Peñalba", "participación", "Formación", "práctica", "über", "für", "Fjällström")

    def kept() -> int:
        ocr_languages.cache_clear()
        try:
            words = {word.text for word in read_image(path, "png").words}
        finally:
            ocr_languages.cache_clear()
        return sum(word in words for word in wanted)

    with_models = kept()
    monkeypatch.setattr("portal.documents.ocr.OCR_LANGUAGES", ("eng",))
    english_only = kept()
    assert with_models > english_only, (with_models, english_only)


def test_an_english_page_is_read_once_and_another_language_is_told_by_its_words():
    english = [Word(text, 0, 0, 1, 1) for text in "This is to certify that the course was completed".split()]
    spanish = [Word(text, 0, 0, 1, 1) for text in "Constancia de participación del programa y horas".split()]
    assert languages_seen(english) == []
    assert "spa" in languages_seen(spanish) or "spa" not in ocr_languages()


def test_only_the_installed_models_are_asked_for_english_first(monkeypatch):
    monkeypatch.setattr("portal.documents.ocr.OCR_LANGUAGES", ("eng", "xx-not-a-model", "fra"))
    ocr_languages.cache_clear()
    try:
        asked = ocr_languages().split("+")
    finally:
        ocr_languages.cache_clear()
    assert asked[0] == "eng" and "xx-not-a-model" not in asked
