"""Documents that act rather than read (scripts, launch actions, embedded files, remote templates) are read for
their facts but left to a person, with what they carry."""

from __future__ import annotations

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from portal.documents.active_content import active_content
from portal.documents.pipeline import extract
from tests.factories.documents import CERTIFICATE_LINES, make_docx, make_pdf

ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"


def _with(path, change):
    writer = PdfWriter(clone_from=PdfReader(path))
    change(writer)
    writer.write(path)
    return path


def _launch(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def test_a_certificate_with_javascript_is_read_but_left_for_a_person(tmp_path, reader_pool):
    path = _with(
        make_pdf(tmp_path / "c.pdf", CERTIFICATE_LINES),
        lambda w: w.add_open_action(JavaScript("app.alert('hi');")),
    )
    outcome = extract(path, pool=reader_pool)
    assert outcome.status == "manual"
    assert "active content (JavaScript)" in outcome.reason
    assert outcome.fields["hours"]  # its facts are still there for the reviewer


def test_launch_actions_and_embedded_files_are_named(tmp_path):
    launch = _with(make_pdf(tmp_path / "l.pdf", CERTIFICATE_LINES), _launch)
    attached = _with(
        make_pdf(tmp_path / "a.pdf", CERTIFICATE_LINES), lambda w: w.add_attachment("run.bat", b"echo")
    )
    assert active_content(launch, "pdf") == ["an action that launches a program"]
    assert "embedded files" in active_content(attached, "pdf")


def test_a_plain_certificate_carries_nothing_active(tmp_path):
    assert active_content(make_pdf(tmp_path / "c.pdf", CERTIFICATE_LINES), "pdf") == []
    assert active_content(make_docx(tmp_path / "c.docx", CERTIFICATE_LINES), "docx") == []


def test_a_word_document_with_a_remote_template_is_left_for_a_person(tmp_path, reader_pool):
    path = make_docx(tmp_path / "c.docx", CERTIFICATE_LINES)
    document = docx.Document(str(path))
    settings = document.part.package.part_related_by(RT.OFFICE_DOCUMENT).part_related_by(RT.SETTINGS)
    rid = settings.relate_to("http://templates.example/letter.dotm", ATTACHED_TEMPLATE, is_external=True)
    element = OxmlElement("w:attachedTemplate")
    element.set(qn("r:id"), rid)
    settings.element.append(element)
    document.save(str(path))
    assert active_content(path, "docx") == ["a template fetched from http://templates.example/letter.dotm"]
    outcome = extract(path, pool=reader_pool)
    assert outcome.status == "manual" and "templates.example" in outcome.reason


def test_a_damaged_file_is_not_this_checks_to_report(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n garbage")
    assert active_content(path, "pdf") == []
