"""PDFs the portal writes: the credential certificate (with a QR code to its verification page) and the
payment receipt. Plain data in, bytes out. Their words are in the language of the request that
downloads them (the holder's or the payer's), like the dates and amounts in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import qrcode
from flask_babel import gettext as _
from flask_babel import ngettext
from fpdf import FPDF

from portal.dates import day, money, number

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


# DejaVu draws every Latin letter with its accents and the narrow no-break space French puts in numbers, which
# the PDF core fonts (Latin-1 only) cannot.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"


def _hours(value: Decimal) -> str:
    """Hours of training as the reader's language writes them ("35 hours", "12,5 heures")."""
    return ngettext("%(hours)s hour", "%(hours)s hours", int(value), hours=number(value))


def new_pdf(title: str, page_break_margin: float | None = None) -> FPDF:
    """An A4 page in the portal's fonts (``FONT``, regular and bold), titled and signed by the issuer; text runs
    onto new pages ``page_break_margin`` mm from the bottom, or stays on one page when None."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_author(ISSUER)
    pdf.set_creator("Mentor Credentials")
    pdf.set_auto_page_break(auto=page_break_margin is not None, margin=page_break_margin or 0)
    pdf.add_page()
    return pdf


def certificate_pdf(data: CertificateData) -> bytes:
    pdf = new_pdf(f"{data.credential_name} - {data.number}")
    pdf.set_draw_color(18, 67, 109)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)
    pdf.set_text_color(18, 67, 109)
    pdf.set_font(FONT, "B", 14)
    pdf.set_y(30)
    pdf.cell(0, 8, ISSUER, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font(FONT, "", 13)
    pdf.set_text_color(30, 30, 30)
    pdf.cell(0, 8, _("This is to certify that"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, "B", 26)
    pdf.multi_cell(0, 12, data.holder_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, "", 13)
    pdf.cell(0, 8, _("holds the credential"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(18, 67, 109)
    pdf.multi_cell(
        0,
        10,
        f"{data.credential_name} ({data.credential_code})",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(10)
    pdf.set_text_color(30, 30, 30)
    pdf.set_font(FONT, "", 12)
    for label, value in (
        (_("Credential number"), data.number),
        (_("Mentoring training recognised"), _hours(data.training_hours)),
        (_("Issued"), day(data.issued_on)),
        (_("Valid until"), day(data.expires_on)),
    ):
        pdf.cell(95, 8, _("%(label)s:", label=label), align="R")
        pdf.set_font(FONT, "B", 12)
        pdf.cell(95, 8, "  " + value, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 12)
    image = qrcode.make(data.verify_url, border=2).get_image()
    pdf.image(image, x=80, y=190, w=50, h=50)
    pdf.set_y(243)
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, _("Check this credential at"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, data.verify_url, align="C", link=data.verify_url, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def receipt_pdf(data: ReceiptData) -> bytes:
    pdf = new_pdf(_("Receipt %(number)s", number=data.receipt_number))
    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(18, 67, 109)
    pdf.cell(0, 10, ISSUER, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(30, 30, 30)
    pdf.set_font(FONT, "B", 20)
    pdf.ln(4)
    pdf.cell(0, 12, _("Receipt"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.ln(2)
    pdf.multi_cell(0, 6, f"{data.payer_name}\n{data.payer_address}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    rows = (
        (_("Receipt number"), data.receipt_number),
        (_("Application reference"), data.application_reference),
        (_("For"), data.description),
        (_("Amount received"), money(data.amount, data.currency)),
        (_("Paid by"), data.method),
        (_("Transaction reference"), data.transaction_reference),
        (_("Received on"), day(data.received_on)),
        (_("Recorded on"), day(data.recorded_on)),
    )
    for label, value in rows:
        pdf.set_font(FONT, "", 11)
        pdf.cell(60, 8, label)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 8, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        0,
        5,
        _("Thank you. This receipt confirms the application fee has been received in full."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
