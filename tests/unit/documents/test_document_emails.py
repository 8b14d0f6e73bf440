"""A referee's saved email (.eml) is evidence like a letter: recognised by its bytes, read for the engagement."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from portal.documents.emails import EML, looks_like_email
from portal.documents.pipeline import extract
from portal.documents.sniff import RejectedFile, sniff

BODY = (
    "Dear Credentialing Team,\n\n"
    "I am writing to confirm that Beatriz Gonçalves acted as mentor to Mateusz Zieliński "
    "(mateusz.z@corvid.example), a member of our staff, from 3rd March 2023 to 9th February 2024.\n\n"
    "Kind regards,\nRuth Byrne\nHR Business Partner, Corvid Logistics Group\n"
)


def _message(*, html: bool = False, charset: str = "utf-8") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Ruth Byrne <ruth.byrne@corvid.example>"
    message["To"] = "credentials@imc.example"
    message["Date"] = format_datetime(datetime(2024, 5, 14, 9, 30, tzinfo=UTC))
    message["Subject"] = "Reference for Beatriz Gonçalves"
    message["Message-ID"] = "<ref-1@corvid.example>"
    if html:
        paragraphs = "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in BODY.split("\n\n"))
        message.set_content(
            f"<html><head><style>p {{}}</style></head><body>{paragraphs}</body></html>",
            subtype="html",
            charset=charset,
        )
    else:
        message.set_content(BODY, charset=charset)
    return message


def _save(tmp_path, message: EmailMessage, name: str = "reference.eml"):
    path = tmp_path / name
    path.write_bytes(bytes(message))
    return path


@pytest.mark.parametrize("html", [False, True], ids=["plain text", "html only"])
def test_a_saved_email_is_read_for_the_engagement_it_confirms(tmp_path, reader_pool, html):
    outcome = extract(_save(tmp_path, _message(html=html)), pool=reader_pool)
    assert (outcome.status, outcome.kind) == ("read", EML)
    fields = outcome.fields
    assert fields["mentor_name"] == "Beatriz Gonçalves"
    assert fields["mentee_name"] == "Mateusz Zieliński"
    assert fields["mentee_email"] == "mateusz.z@corvid.example"
    assert (fields["start_date"], fields["end_date"]) == ("2023-03-03", "2024-02-09")
    assert "Ruth Byrne" in outcome.text and "From: Ruth Byrne" in outcome.text


def test_an_email_in_a_central_european_charset_keeps_its_accents(tmp_path, reader_pool):
    message = _message(charset="iso-8859-2")
    outcome = extract(_save(tmp_path, message), pool=reader_pool)
    assert outcome.status == "read"
    assert outcome.fields["mentor_name"] == "Beatriz Gonçalves"


def test_an_email_with_only_an_attachment_asks_for_the_attachment(tmp_path, reader_pool):
    message = EmailMessage()
    message["From"] = "ruth.byrne@corvid.example"
    message["Subject"] = "Letter attached"
    message.add_attachment(
        b"%PDF-1.4 not really", maintype="application", subtype="pdf", filename="letter.pdf"
    )
    outcome = extract(_save(tmp_path, message), pool=reader_pool)
    assert outcome.status == "manual"
    assert "upload the attached letter" in outcome.reason


def test_the_shape_of_a_saved_email_is_told_from_its_headers():
    assert looks_like_email(b"From: a@example.org\r\nSubject: hello\r\n\r\nbody")
    assert looks_like_email(b"Received: from x\n\tby y\nFrom: a@example.org\nDate: Tue, 1 Oct 2024\n\nbody")
    assert not looks_like_email(b"Subject: no sender\nDate: Tue, 1 Oct 2024\n\nbody")
    assert not looks_like_email(b"From: someone\nthis line is not a header\n\n")
    assert not looks_like_email(b"Dear Sir,\nFrom: me\n")
    assert not looks_like_email(b"From: a@example.org\x00\nSubject: x\n\n")


def test_an_outlook_msg_file_is_refused_with_what_to_send_instead(tmp_path):
    path = tmp_path / "reference.msg"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(RejectedFile, match=r"save the email as \.eml"):
        sniff(path)


def test_a_text_file_that_is_not_an_email_is_still_refused(tmp_path):
    path = tmp_path / "notes.eml"
    path.write_text("Just some notes\nabout a mentee\n")
    with pytest.raises(RejectedFile, match="neither a PDF nor a Word"):
        sniff(path)
