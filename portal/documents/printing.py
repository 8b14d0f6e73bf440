"""PDFs the portal writes: the credential certificate (with a QR code to its verification page) and the
payment receipt. Plain data in, bytes out; no Flask."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import qrcode
from fpdf import FPDF

from portal.dates import day, money

ISSUER = "International Mentoring Center"


@dataclass(frozen=True)
class CertificateData:
    number: str
    holder_name: str
    credential_name: str
    credential_code: str
    training_hours: Decimal
    issued_on: date
    expires_on: date
    verify_url: str


@dataclass(frozen=True)
class ReceiptData:
    receipt_number: str
    application_reference: str
    payer_name: str
    payer_address: str
    description: str
    amount: Decimal
    currency: str
    method: str
    transaction_reference: str
    received_on: date
    recorded_on: date


# Letters Unicode does not decompose into a Latin-1 base letter.
_FOLD = {
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Œ": "OE",
    "œ": "oe",
    "ı": "i",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
}


def _latin(text: str) -> str:
    """Text the PDF core fonts can draw (Latin-1): accents kept where they exist, others folded.

    The core fonts need no font file on the machine; a script outside Latin shows as "?".
    """
    out = []
    for char in str(text):
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = _FOLD.get(char) or "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(base if base and base.isascii() else "?")
    return "".join(out)


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}" if value % 1 else f"{int(value)}"


def _document(title: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(_latin(title))
    pdf.set_author(ISSUER)
    pdf.set_creator("Mentor Credentials")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    return pdf


def certificate_pdf(data: CertificateData) -> bytes:
    pdf = _document(f"{data.credential_name} - {data.number}")
    pdf.set_draw_color(18, 67, 109)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)
    pdf.set_text_color(18, 67, 109)
    pdf.set_font("helvetica", "B", 14)
    pdf.set_y(30)
    pdf.cell(0, 8, _latin(ISSUER), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font("helvetica", "", 13)
    pdf.set_text_color(30, 30, 30)
    pdf.cell(0, 8, "This is to certify that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("helvetica", "B", 26)
    pdf.multi_cell(0, 12, _latin(data.holder_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("helvetica", "", 13)
    pdf.cell(0, 8, "holds the credential", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 20)
    pdf.set_text_color(18, 67, 109)
    pdf.multi_cell(
        0,
        10,
        _latin(f"{data.credential_name} ({data.credential_code})"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(10)
    pdf.set_text_color(30, 30, 30)
    pdf.set_font("helvetica", "", 12)
    for label, value in (
        ("Credential number", data.number),
        ("Mentoring training recognised", f"{_hours(data.training_hours)} hours"),
        ("Issued", day(data.issued_on)),
        ("Valid until", day(data.expires_on)),
    ):
        pdf.cell(95, 8, _latin(label) + ":", align="R")
        pdf.set_font("helvetica", "B", 12)
        pdf.cell(95, 8, "  " + _latin(value), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "", 12)
    image = qrcode.make(data.verify_url, border=2).get_image()
    pdf.image(image, x=80, y=190, w=50, h=50)
    pdf.set_y(243)
    pdf.set_font("helvetica", "", 10)
    pdf.cell(0, 6, "Check this credential at", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, _latin(data.verify_url), align="C", link=data.verify_url, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def receipt_pdf(data: ReceiptData) -> bytes:
    pdf = _document(f"Receipt {data.receipt_number}")
    pdf.set_font("helvetica", "B", 16)
    pdf.set_text_color(18, 67, 109)
    pdf.cell(0, 10, _latin(ISSUER), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(30, 30, 30)
    pdf.set_font("helvetica", "B", 20)
    pdf.ln(4)
    pdf.cell(0, 12, "Receipt", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 11)
    pdf.ln(2)
    pdf.multi_cell(0, 6, _latin(f"{data.payer_name}\n{data.payer_address}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    rows = (
        ("Receipt number", data.receipt_number),
        ("Application reference", data.application_reference),
        ("For", data.description),
        ("Amount received", money(data.amount, data.currency)),
        ("Paid by", data.method),
        ("Transaction reference", data.transaction_reference),
        ("Received on", day(data.received_on)),
        ("Recorded on", day(data.recorded_on)),
    )
    for label, value in rows:
        pdf.set_font("helvetica", "", 11)
        pdf.cell(60, 8, _latin(label))
        pdf.set_font("helvetica", "B", 11)
        pdf.multi_cell(0, 8, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(
        0,
        5,
        "Thank you. This receipt confirms the application fee has been received in full.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
