"""Printable reports the mentoring programmes hand to a pair (the agreement as PDF, a completed pairing's
summary as PDF and DOCX): one plain structure, drawn by either writer. Plain data in, bytes out; no Flask."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.shared import Pt

from portal.printing import FONT, new_pdf


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: Sequence[str] = ()
    table: Table | None = None


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    sections: Sequence[Section] = field(default_factory=tuple)


def report_pdf(report: Report) -> bytes:
    """The report as an A4 PDF, its text selectable (so it can be read back and searched)."""
    pdf = new_pdf(report.title, page_break_margin=15)
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 6, report.subtitle, new_x="LMARGIN", new_y="NEXT")
    for section in report.sections:
        pdf.ln(4)
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(0, 7, section.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 5.5, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        if section.table is not None and section.table.rows:
            with pdf.table(text_align="LEFT", line_height=5.5) as table:
                row = table.row()
                pdf.set_font(FONT, "B", 10)
                for cell in section.table.header:
                    row.cell(cell)
                pdf.set_font(FONT, "", 10)
                for values in section.table.rows:
                    row = table.row()
                    for cell in values:
                        row.cell(cell)
    return bytes(pdf.output())


def report_docx(report: Report) -> bytes:
    """The same report as a Word document."""
    document = Document()
    document.core_properties.title = report.title
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        if section.table is not None and section.table.rows:
            table = document.add_table(rows=1, cols=len(section.table.header))
            table.style = "Table Grid"
            for cell, value in zip(table.rows[0].cells, section.table.header, strict=True):
                cell.text = value
            for values in section.table.rows:
                for cell, value in zip(table.add_row().cells, values, strict=True):
                    cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
