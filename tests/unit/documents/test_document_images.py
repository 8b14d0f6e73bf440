"""Images as uploads: typed by their bytes, refused before decoding when their size is a bomb."""

from __future__ import annotations

import struct
import time
import zlib

import pytest

from portal.documents import ocr
from portal.documents.extraction import extract_in_this_process
from portal.documents.limits import Limits
from portal.documents.pipeline import MANUAL, extract
from portal.documents.sniff import HEIC, JPEG, PNG, RejectedFile, image_size, sniff


def _png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR declaring ``width`` × ``height``; nothing after it decodes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def _jpeg_header(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


@pytest.fixture
def photo(tmp_path):
    from PIL import Image

    def make(name: str, fmt: str, size=(320, 200)):
        path = tmp_path / name
        Image.new("RGB", size, "white").save(path, fmt)
        return path

    return make


def test_jpeg_and_png_are_typed_by_their_bytes_not_their_names(photo):
    assert sniff(photo("certificate.pdf", "JPEG")) == JPEG
    assert sniff(photo("letter.docx", "PNG")) == PNG
    assert image_size(photo("wide.jpg", "JPEG", (640, 100)), JPEG) == (640, 100)
    assert image_size(photo("tall.png", "PNG", (90, 700)), PNG) == (90, 700)


def test_a_progressive_jpeg_declares_its_size_too(tmp_path):
    from PIL import Image

    path = tmp_path / "progressive.jpg"
    Image.new("L", (1234, 567), 255).save(path, "JPEG", progressive=True)
    assert (sniff(path), image_size(path, JPEG)) == (JPEG, (1234, 567))


def test_heic_photos_from_phones_are_recognised(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    from PIL import Image

    pillow_heif.register_heif_opener()
    path = tmp_path / "IMG_0001.HEIC"
    try:
        Image.new("RGB", (64, 48), "white").save(path, "HEIF")
    except (KeyError, OSError, ValueError) as error:
        pytest.skip(f"this pillow-heif build cannot write HEIC: {error}")
    assert sniff(path) == HEIC
    assert image_size(path, HEIC) == (64, 48)


@pytest.mark.parametrize(
    "header", [_png_header(100_000, 100_000), _jpeg_header(65_000, 65_000)], ids=["png", "jpeg"]
)
def test_an_image_declaring_billions_of_pixels_is_refused_before_decoding(tmp_path, header):
    path = tmp_path / "bomb.img"
    path.write_bytes(header)
    with pytest.raises(RejectedFile, match="too large to read"):
        sniff(path)


def test_the_bomb_ends_manual_quickly_through_the_reader(tmp_path, reader_pool):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header(60_000, 60_000))
    started = time.perf_counter()
    outcome = extract(path, pool=reader_pool)
    assert time.perf_counter() - started < 5
    assert outcome.status == MANUAL and "too large to read" in outcome.reason


def test_a_jpeg_with_no_frame_header_is_damaged(tmp_path):
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 40)
    with pytest.raises(RejectedFile, match="damaged"):
        sniff(path)


def test_without_the_engine_an_image_is_left_for_a_person(photo, monkeypatch):
    monkeypatch.setattr(ocr, "TESSERACT", "tesseract-not-installed-here")
    outcome = extract_in_this_process(photo("scan.png", "PNG"), Limits())
    assert (outcome.status, outcome.kind) == (MANUAL, PNG)
    assert outcome.reason == ocr.ENGINE_MISSING


def test_skew_is_measured_from_the_lines_of_text():
    from bench.corpus.render import draw_page

    page = draw_page(
        [("CERTIFICATE OF COMPLETION", 22)]
        + [(f"Line {n} of a certificate of training", 12) for n in range(12)]
    ).convert("L")
    for angle in (-2.5, 1.5):
        turned = page.rotate(angle, expand=True, fillcolor=255)
        assert ocr.estimate_skew(turned) == pytest.approx(-angle, abs=0.4)


def test_the_extract_command_reads_a_folder_of_mixed_files(tmp_path, photo):
    import json

    from click.testing import CliRunner

    from portal.documents.cli import documents
    from tests.factories.documents import make_pdf

    folder = tmp_path / "inbox"
    (folder / "phone").mkdir(parents=True)
    make_pdf(folder / "a-certificate.pdf", ["Participant: Jean Dupont", "Hours: 35"])
    (folder / "phone" / "bomb.png").write_bytes(_png_header(70_000, 70_000))
    photo("inbox/phone/blank.jpg", "JPEG")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")

    result = CliRunner().invoke(documents, ["extract", str(folder)])

    assert result.exit_code == 0, result.output
    lines = {
        json.loads(line)["path"].removeprefix(str(folder) + "/"): json.loads(line)
        for line in result.output.splitlines()
    }
    assert list(lines) == ["a-certificate.pdf", "phone/blank.jpg", "phone/bomb.png"]
    assert lines["a-certificate.pdf"]["fields"]["participant_name"] == "Jean Dupont"
    assert lines["phone/blank.jpg"]["status"] == MANUAL and lines["phone/blank.jpg"]["reason"]
    assert lines["phone/bomb.png"]["status"] == MANUAL and "too large" in lines["phone/bomb.png"]["reason"]


def test_a_scanned_pdf_whose_page_image_declares_a_bomb_is_refused_before_decoding(tmp_path):
    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, NumberObject

    small = tmp_path / "small.pdf"
    Image.new("L", (40, 40), 255).save(small, "PDF", resolution=72.0)
    writer = PdfWriter(clone_from=PdfReader(small))
    for xobject in writer.pages[0]["/Resources"]["/XObject"].values():
        xobject = xobject.get_object()
        xobject[NameObject("/Width")] = NumberObject(90_000)
        xobject[NameObject("/Height")] = NumberObject(90_000)
    bomb = tmp_path / "bomb-scan.pdf"
    with bomb.open("wb") as out:
        writer.write(out)
    outcome = extract_in_this_process(bomb, Limits())
    assert outcome.status == MANUAL and "too large to read" in outcome.reason


def test_words_read_with_low_confidence_leave_the_document_for_a_person():
    from portal.documents.layout import Word
    from portal.documents.ocr import OcrPage, OcrResult, OcrUnreadable, ocr_blocks

    unsure = [Word("Hours:", 10, 10, 60, 30, 0, 45.0), Word("36", 70, 10, 90, 30, 0, 38.0)]
    with pytest.raises(OcrUnreadable) as error:
        ocr_blocks(OcrResult([OcrPage(unsure, 200, 100)]))
    assert error.value.reason == "the scan or photo is too unclear to read reliably (OCR confidence 43%)"
    sure = [Word(word.text, word.x0, word.y0, word.x1, word.y1, 0, 96.0) for word in unsure]
    assert [block.text for block in ocr_blocks(OcrResult([OcrPage(sure, 200, 100)]))] == ["Hours: 36"]


def test_an_engine_stopped_by_its_cpu_limit_is_too_slow_not_broken(tmp_path, monkeypatch):
    import signal
    import subprocess

    from PIL import Image

    def stopped(*args, **kwargs):
        return subprocess.CompletedProcess(args, -signal.SIGXCPU, b"", b"")

    monkeypatch.setattr(ocr, "engine_available", lambda: True)
    monkeypatch.setattr(ocr.subprocess, "run", stopped)
    with pytest.raises(ocr.OcrUnreadable) as error:
        ocr.ocr_page(Image.new("L", (400, 300), 255))
    assert error.value.reason == ocr.OCR_TOO_SLOW
