import pytest

from portal.documents.layout import Word
from portal.documents.limits import Limits
from portal.documents.reading import (
    ENCRYPTED,
    NO_TEXT_LAYER,
    TOO_LARGE_DECOMPRESSED,
    Unreadable,
    _mend_ligatures,
    _piled_up,
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


# --- reading by layout ---------------------------------------------------------------------------


def _fpdf_columns(path):
    """Labels in one column and values in another, no colons, written labels first then values."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 12, "NORTHGATE INSTITUTE OF", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 12, "PROFESSIONAL PRACTICE", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    rows = [
        ("Participant", "Jean-Luc Moreau"),
        ("Programme", "Advanced Mentoring Practice"),
        ("Hours", "35"),
        ("Dates", "3rd March 2023 – 9th June 2023"),
    ]
    top = pdf.get_y() + 10
    for index, (label, _) in enumerate(rows):
        pdf.set_xy(20, top + 9 * index)
        pdf.cell(40, 8, label)
    for index, (_, value) in enumerate(rows):
        pdf.set_xy(80, top + 9 * index)
        pdf.cell(0, 8, value.replace("–", "-"))
    pdf.set_xy(20, top + 60)
    pdf.cell(0, 6, "Prof. Ana Silva", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(20)
    pdf.cell(0, 6, "Programme Director")
    pdf.output(str(path))
    return path


def test_a_pdf_with_labels_and_values_in_columns_reads_as_pairs(tmp_path):
    from portal.documents.layout import LABEL_VALUE
    from portal.documents.reading import read_blocks

    blocks = read_blocks(_fpdf_columns(tmp_path / "columns.pdf"), "pdf")
    assert {block.label: block.value for block in blocks if block.role == LABEL_VALUE} == {
        "Participant": "Jean-Luc Moreau",
        "Programme": "Advanced Mentoring Practice",
        "Hours": "35",
        "Dates": "3rd March 2023 - 9th June 2023",
    }
    assert "Participant | Jean-Luc Moreau" in read_text(tmp_path / "columns.pdf", "pdf")


def test_a_docx_reads_header_table_text_box_and_footer_as_separate_blocks(tmp_path):
    from portal.documents.layout import FOOTER, HEADER, LABEL_VALUE, TABLE, TEXTBOX
    from portal.documents.reading import read_blocks

    path = make_docx(
        tmp_path / "c.docx",
        ["Certificate of Completion"],
        table=[["LEARNER", "Zoë Dupont"], ["Hours", "35"]],
        header="Harbourview School of Coaching",
        footer="Registered charity 1234",
        text_box="Signed: Ana Silva, Course Tutor",
    )
    blocks = read_blocks(path, "docx")
    by_source = {(block.source, block.text) for block in blocks}
    assert (HEADER, "Harbourview School of Coaching") in by_source
    assert (FOOTER, "Registered charity 1234") in by_source
    assert (TEXTBOX, "Signed: Ana Silva, Course Tutor") in by_source
    rows = [(block.source, block.label, block.value) for block in blocks if block.role == LABEL_VALUE]
    assert rows == [(TABLE, "LEARNER", "Zoë Dupont"), (TABLE, "Hours", "35")]
    assert [block.source for block in blocks][0] == HEADER and [block.source for block in blocks][
        -1
    ] == FOOTER


def _extract(path):
    from portal.documents.extraction import extract_in_this_process

    return extract_in_this_process(path, Limits())


def test_an_office_suite_export_with_wrapped_table_cells(tmp_path):
    import docx

    from tests.factories.documents import convert_with_libreoffice
    from tests.factories.tools import require_programs

    require_programs("soffice", purpose="office-suite PDF export")
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Wrenfield Academy of Mentoring — Registry"
    document.add_paragraph("Record of Achievement")
    grid = document.add_table(rows=2, cols=4)
    cells = [
        "Participant",
        "Amara Okonjo-Hale",
        "Tutor",
        "Ms Henrike Vogelsang",
        "Course",
        "Advanced Diploma in Coaching and Mentoring Supervision",
        "Total hours",
        "48",
    ]
    for cell, text in zip([cell for row in grid.rows for cell in row.cells], cells, strict=True):
        cell.text = text
    for row in grid.rows:
        for cell in row.cells:
            cell.width = docx.shared.Cm(3)
    document.add_paragraph("Between 14 December 2022 and 30 January 2023.")
    document.save(tmp_path / "grid.docx")
    pdf = convert_with_libreoffice(tmp_path / "grid.docx", "pdf", tmp_path)
    facts = _extract(pdf).facts
    assert (
        facts.participant_name,
        facts.programme,
        facts.instructor,
        facts.hours,
        facts.training_centre,
    ) == (
        "Amara Okonjo-Hale",
        "Advanced Diploma in Coaching and Mentoring Supervision",
        "Henrike Vogelsang",
        48,
        "Wrenfield Academy of Mentoring",
    )


def test_a_web_page_printed_by_a_browser_with_a_grid_of_labels_then_values(tmp_path):
    import subprocess

    from tests.factories.tools import require_programs

    require_programs("chromium", purpose="HTML certificates printed to PDF")
    html = tmp_path / "c.html"
    html.write_text(
        """<html><body style="font-family:sans-serif;margin:40px">
<div style="font-size:28px;font-weight:bold;text-align:center">KESTREL BAY<br>COACHING COLLECTIVE</div>
<h2 style="text-align:center">Certificate of Attendance</h2>
<div style="display:grid;grid-template-columns:200px 1fr;grid-auto-flow:column;grid-template-rows:repeat(4,28px)">
<div>LEARNER</div><div>Course</div><div>Guided hours</div><div>Attended</div>
<div>Dr. Léa Marchetti-Holm</div><div>Mentoring Conversations for Team Leads</div><div>Twenty-eight (28)</div>
<div>14th February – 2nd May 2024</div></div>
<div style="margin-top:50px">Ngozi Adeyemi-Clarke<br>Course Tutor</div></body></html>""",
        encoding="utf-8",
    )
    pdf = tmp_path / "c.pdf"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            str(html),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    # The browser sets "fi" as a ligature of its own: the reader must still see "Certificate".
    outcome = _extract(pdf)
    assert "Certificate of Attendance" in outcome.text.replace("ﬁ", "fi")
    facts = outcome.facts
    assert facts.fields() == {
        "participant_name": "Léa Marchetti-Holm",
        "programme": "Mentoring Conversations for Team Leads",
        "training_centre": "KESTREL BAY COACHING COLLECTIVE",
        "hours": 28,
        "start_date": "2024-02-14",
        "end_date": "2024-05-02",
        "issue_date": None,
        "instructor": "Ngozi Adeyemi-Clarke",
    }


def test_a_letter_with_the_sender_block_beside_the_recipients_address(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    for index, text in enumerate(
        ["Meridian Coaching Partners LLP", "7 Dock Road", "Cardiff CF10 1AA", "5 June 2024"]
    ):
        pdf.set_xy(130, 20 + 6 * index)
        pdf.cell(60, 6, text, align="R")
    for index, text in enumerate(["Credentialing Team", "International Mentoring Center", "PO Box 12"]):
        pdf.set_xy(20, 38 + 6 * index)
        pdf.cell(80, 6, text)
    pdf.set_xy(20, 80)
    pdf.multi_cell(
        170,
        6,
        "Dear colleagues,\n\nWe confirm that Ms Priya Raman attended our Team Mentoring Masterclass, "
        "a 16-hour programme delivered over four days from 11 to 14 March 2024. She took an active "
        "part in every session.\n\nWith best wishes,",
    )
    pdf.ln(12)
    pdf.cell(0, 6, "Gareth Llewellyn-Jones", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "Managing Partner")
    pdf.output(str(tmp_path / "letter.pdf"))
    facts = _extract(tmp_path / "letter.pdf").facts
    assert facts.fields() == {
        "participant_name": "Priya Raman",
        "programme": "Team Mentoring Masterclass",
        "training_centre": "Meridian Coaching Partners LLP",
        "hours": 16,
        "start_date": "2024-03-11",
        "end_date": "2024-03-14",
        "issue_date": "2024-06-05",
        "instructor": None,
    }


def test_an_office_suite_export_of_tab_separated_labels_and_a_two_line_page_header(tmp_path):
    import docx
    from docx.shared import Cm, Pt

    from tests.factories.documents import convert_with_libreoffice
    from tests.factories.tools import require_programs

    require_programs("soffice", purpose="office-suite PDF export")
    document = docx.Document()
    header = document.sections[0].header
    header.paragraphs[0].text = "SALTMARSH"
    header.add_paragraph("ACADEMY OF COACHING")
    document.add_paragraph().add_run("Certificate of Completion").font.size = Pt(24)
    for label, value in [
        ("Awarded to", "Ingrid Solberg-Haugen"),
        ("For completing", "Supervision Skills for Mentors"),
        ("Guided learning hours", "forty-five (45)"),
        ("Course dates", "2nd – 27th September 2024"),
    ]:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(6))
        paragraph.add_run(f"{label}\t{value}")
    document.add_paragraph("Dr. Felix Obi\t\tDate: 30 September 2024")
    document.add_paragraph("Lead Facilitator")
    document.save(tmp_path / "tabs.docx")
    expected = {
        "participant_name": "Ingrid Solberg-Haugen",
        "programme": "Supervision Skills for Mentors",
        "training_centre": "SALTMARSH ACADEMY OF COACHING",
        "hours": 45,
        "start_date": "2024-09-02",
        "end_date": "2024-09-27",
        "issue_date": "2024-09-30",
        "instructor": "Felix Obi",
    }
    assert _extract(tmp_path / "tabs.docx").facts.fields() == expected
    assert (
        _extract(convert_with_libreoffice(tmp_path / "tabs.docx", "pdf", tmp_path)).facts.fields() == expected
    )


def test_a_word_split_at_a_ligature_and_piled_at_its_start_is_one_word_again():
    piled = [
        Word("Of", 0, 0, 20, 10),
        Word("ﬁ", 0, 0, 12, 10),
        Word("ce", 0, 0, 40, 10),
        Word("hours", 60, 0, 100, 10),
    ]
    mended = _mend_ligatures(piled)
    assert [(w.text, w.x0, w.x1) for w in mended] == [("Ofﬁce", 0, 40), ("hours", 60, 100)]
    assert not _piled_up(mended)


def test_runs_piled_without_a_ligature_stay_piled():
    piled = [Word("Hours", 0, 0, 30, 10), Word("35", 0, 0, 12, 10)]
    assert _piled_up(_mend_ligatures(piled))
