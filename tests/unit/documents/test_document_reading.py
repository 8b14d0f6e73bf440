import pytest

from portal.documents.limits import Limits
from portal.documents.reading import (
    ENCRYPTED,
    NO_TEXT_LAYER,
    TOO_LARGE_DECOMPRESSED,
    Unreadable,
    check_zip_bounds,
    read_text,
)
from tests.factories.documents import (
    CERTIFICATE_LINES,
    make_docx,
    make_docx_with_many_entries,
    make_large_docx,
    make_pdf,
    make_pdf_stream_bomb,
    make_zip_bomb_docx,
    unicode_font,
)


def test_pdf_text_in_page_order(tmp_path):
    path = make_pdf(tmp_path / "c.pdf", ["Participant: Jean Dupont", "Hours: 35"], pages=2)
    text = read_text(path, "pdf")
    assert text.count("Participant: Jean Dupont") == 2
    assert text.index("Participant") < text.index("Hours")


@pytest.mark.skipif(unicode_font() is None, reason="no TrueType font with accents on this machine")
def test_pdf_keeps_accents_and_apostrophes(tmp_path):
    text = read_text(make_pdf(tmp_path / "c.pdf", CERTIFICATE_LINES), "pdf")
    assert "Zoë O'Brien-Ñúñez" in text


def test_pdf_pages_beyond_the_cap_are_not_read(tmp_path):
    path = make_pdf(tmp_path / "c.pdf", ["Participant: Jean Dupont"], pages=8)
    assert read_text(path, "pdf", Limits(max_pages=3)).count("Participant") == 3


def test_text_is_capped(tmp_path):
    path = make_pdf(tmp_path / "c.pdf", ["Participant: Jean Dupont"] * 20, pages=4)
    assert len(read_text(path, "pdf", Limits(max_text_chars=100))) == 100


def test_pdf_with_an_empty_user_password_opens(tmp_path):
    path = make_pdf(tmp_path / "c.pdf", ["Hours: 35"], user_password="")
    assert "Hours: 35" in read_text(path, "pdf")


def test_pdf_with_a_real_password_is_encrypted(tmp_path):
    path = make_pdf(tmp_path / "c.pdf", ["Hours: 35"], user_password="secret")
    with pytest.raises(Unreadable) as error:
        read_text(path, "pdf")
    assert error.value.reason == ENCRYPTED == str(error.value)


def test_pdf_without_a_text_layer_or_a_page_image(tmp_path):
    from fpdf import FPDF

    blank = FPDF()
    blank.add_page()
    blank.output(str(tmp_path / "blank.pdf"))
    with pytest.raises(Unreadable, match=r"no text layer \(scanned image\?\)"):
        read_text(tmp_path / "blank.pdf", "pdf")
    assert NO_TEXT_LAYER == "no text layer (scanned image?)"


def test_a_pdf_stream_inflating_beyond_the_part_limit_is_refused(tmp_path):
    path = make_pdf_stream_bomb(tmp_path / "bomb.pdf", megabytes=30)
    with pytest.raises(Unreadable, match=TOO_LARGE_DECOMPRESSED):
        read_text(path, "pdf")
    assert "Participant" in read_text(path, "pdf", Limits(max_part_uncompressed=64 * 1024 * 1024))


def test_docx_reads_headers_body_tables_text_boxes_controls_and_footers_in_order(tmp_path):
    path = make_docx(
        tmp_path / "c.docx",
        ["This is to certify that", "Jean Dupont"],
        table=[["Programme", "Advanced Mentoring Practice"], ["Hours", "35"]],
        nested_table=[["Training centre", "Northfield Academy"]],
        header="Northfield Mentoring Academy",
        footer="Certificate number 42",
        text_box="Instructor: Ana Silva",
        content_control="Start date: 1 March 2024",
        inline_content_control=("End date:", "30 April 2024"),
    )
    lines = read_text(path, "docx").split("\n")
    assert lines == [
        "Northfield Mentoring Academy",
        "This is to certify that",
        "Jean Dupont",
        "Programme | Advanced Mentoring Practice",
        "Hours | 35",
        "Training centre | Northfield Academy",
        "See the note:",
        "Instructor: Ana Silva",
        "Start date: 1 March 2024",
        "End date: 30 April 2024",
        "Certificate number 42",
    ]


def test_docx_text_box_written_twice_by_word_is_read_once(tmp_path):
    path = make_docx(tmp_path / "c.docx", ["Certificate"], text_box="Instructor: Ana Silva")
    assert read_text(path, "docx").count("Instructor: Ana Silva") == 1


def test_an_empty_docx_has_no_text(tmp_path):
    with pytest.raises(Unreadable, match="no text"):
        read_text(make_docx(tmp_path / "c.docx", []), "docx")


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    path = make_zip_bomb_docx(tmp_path / "bomb.docx", part_mb=30)
    with pytest.raises(Unreadable, match=TOO_LARGE_DECOMPRESSED):
        check_zip_bounds(path, Limits())


def test_a_part_compressed_beyond_the_ratio_is_refused(tmp_path):
    path = make_zip_bomb_docx(tmp_path / "bomb.docx", part_mb=5)
    with pytest.raises(Unreadable, match=TOO_LARGE_DECOMPRESSED):
        check_zip_bounds(path, Limits())
    check_zip_bounds(path, Limits(max_compression_ratio=100_000))


def test_a_large_but_honest_docx_passes_the_archive_check(tmp_path):
    check_zip_bounds(make_large_docx(tmp_path / "big.docx", megabytes=3), Limits())


def test_too_many_entries_is_refused(tmp_path):
    path = make_docx_with_many_entries(tmp_path / "many.docx", entries=300)
    with pytest.raises(Unreadable, match=TOO_LARGE_DECOMPRESSED):
        read_text(path, "docx")


def test_total_size_is_bounded(tmp_path):
    path = make_large_docx(tmp_path / "big.docx", megabytes=3)
    with pytest.raises(Unreadable, match=TOO_LARGE_DECOMPRESSED):
        check_zip_bounds(path, Limits(max_zip_uncompressed=2 * 1024 * 1024))


def test_unknown_kind_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError):
        read_text(tmp_path / "x", "odt")
