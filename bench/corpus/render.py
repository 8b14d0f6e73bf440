"""How each layout family draws its document: python-docx, HTML for Chromium, fpdf2, and the scan and photo effects."""

from __future__ import annotations

import html
import random
from datetime import UTC
from pathlib import Path

from .content import (
    Certificate,
    Letter,
    say_date,
    say_fresh_date,
    say_fresh_hours,
    say_fresh_range,
    say_hours,
    say_range,
)

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
DEJAVU_SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def _address(rng: random.Random) -> list[str]:
    street = rng.choice(["14 Cobden Row", "Unit 3, Wharfside Yard", "22 Parsonage Lane", "The Old Maltings"])
    town = rng.choice(["Bristol BS1 4QA", "Leeds LS2 9JT", "Galway H91 T2X3", "Norwich NR3 1AU"])
    return [street, town]


def _hours(cert: Certificate) -> str:
    return say_hours(cert.hours, cert.hours_style)


def _letterhead(cert: Certificate) -> str:
    return f"{cert.centre} — {cert.department}" if cert.department else cert.centre


# --- python-docx -------------------------------------------------------------------------------


def _docx_document():
    import docx
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(11)
    return document


def _docx_paragraph(
    document, text: str, *, size: int | None = None, bold: bool = False, centre: bool = False
):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _docx_table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def docx_table_certificate(cert: Certificate, rng: random.Random, path: Path, *, grid: bool = False) -> Path:
    """Letterhead line, title, and a table of label and value cells with no colons."""
    document = _docx_document()
    _docx_paragraph(document, _letterhead(cert), size=16, bold=True, centre=True)
    _docx_paragraph(
        document,
        rng.choice(["Certificate of Completion", "Record of Achievement", "Certificate of Attendance"]),
        size=22,
        bold=True,
        centre=True,
    )
    labels = rng.choice(
        [
            (
                "Participant",
                "Programme",
                "Guided learning hours",
                "Start date",
                "End date",
                "Date of issue",
                "Tutor",
            ),
            (
                "Name of learner",
                "Course title",
                "Total hours",
                "Commenced",
                "Completed",
                "Issued",
                "Course leader",
            ),
            ("Awarded to", "Course", "Duration", "From", "To", "Issue date", "Facilitator"),
        ]
    )
    values = (
        cert.participant,
        cert.programme,
        _hours(cert),
        say_date(cert.start, cert.date_style),
        say_date(cert.end, cert.date_style),
        say_date(cert.issued, cert.date_style),
        cert.instructor_as_printed,
    )
    if grid:
        pairs = list(zip(labels, values, strict=True))
        rows = [
            [pairs[0][0], pairs[0][1], "", ""],
            [pairs[1][0], pairs[1][1], "", ""],
            [pairs[2][0], pairs[2][1], pairs[6][0], pairs[6][1]],
            [pairs[3][0], pairs[3][1], pairs[4][0], pairs[4][1]],
            [pairs[5][0], pairs[5][1], "", ""],
        ]
        _docx_table(document, rows)
    else:
        _docx_table(document, [[label, value] for label, value in zip(labels, values, strict=True)])
    _docx_paragraph(document, "")
    _docx_paragraph(document, f"Reference {rng.randint(10000, 99999)}/{cert.issued.year}")
    document.save(path)
    return path


def docx_header_prose_certificate(cert: Certificate, rng: random.Random, path: Path) -> Path:
    """The centre only in the page header; the facts in prose; a name above its role as signature."""
    document = _docx_document()
    header = document.sections[0].header.paragraphs[0]
    header.text = cert.centre.upper() if rng.random() < 0.5 else cert.centre
    _docx_paragraph(document, "Certificate", size=26, bold=True, centre=True)
    _docx_paragraph(document, rng.choice(["This is to certify that", "We hereby confirm that"]), centre=True)
    _docx_paragraph(document, cert.participant, size=20, bold=True, centre=True)
    _docx_paragraph(document, rng.choice(["has successfully completed", "has completed"]), centre=True)
    _docx_paragraph(document, cert.programme, size=15, bold=True, centre=True)
    _docx_paragraph(
        document,
        f"comprising {_hours(cert)} of training, "
        f"held from {say_date(cert.start, cert.date_style)} "
        f"to {say_date(cert.end, cert.date_style)}.",
        centre=True,
    )
    _docx_paragraph(document, "")
    _docx_paragraph(document, cert.instructor_as_printed, bold=True)
    _docx_paragraph(document, cert.role)
    _docx_paragraph(document, f"Date: {say_date(cert.issued, cert.date_style)}")
    document.save(path)
    return path


def _letter_prose(letter: Letter, rng: random.Random) -> list[str]:
    period = rng.choice(
        [
            f"from {say_date(letter.start, letter.date_style)} to {say_date(letter.end, letter.date_style)}",
            f"between {say_date(letter.start, letter.date_style)} and {say_date(letter.end, letter.date_style)}",
        ]
    )
    first = rng.choice(
        [
            (
                f"I am writing to confirm that {letter.mentor} acted as mentor to {letter.mentee} "
                f"({letter.mentee_email}), a member of our staff, {period}."
            ),
            (
                f"I am pleased to confirm that {letter.mentor} mentored our colleague {letter.mentee} "
                f"(email: {letter.mentee_email}) {period}."
            ),
            (
                f"This letter confirms that {letter.mentee} ({letter.mentee_email}) was mentored by "
                f"{letter.mentor} {period} as part of our development scheme."
            ),
        ]
    )
    second = rng.choice(
        [
            "They met every three weeks and the sessions were well prepared, thoughtful and confidential.",
            "The engagement followed a written agreement with goals reviewed at each checkpoint.",
            "Throughout the engagement the mentor showed patience, good judgement and real care.",
        ]
    )
    return [first, second, "Please contact me if you need anything further."]


def docx_letter(letter: Letter, rng: random.Random, path: Path, *, header: bool = False) -> Path:
    """A referee's letter: sender block (or a page-header letterhead), date, prose, a signature block."""
    document = _docx_document()
    if header:
        document.sections[0].header.paragraphs[0].text = letter.organisation
    else:
        _docx_paragraph(document, letter.organisation, size=14, bold=True)
        for line in _address(rng):
            _docx_paragraph(document, line)
    _docx_paragraph(document, say_date(letter.written, letter.date_style))
    _docx_paragraph(document, rng.choice(["To whom it may concern", "Dear Credentialing Team,"]))
    for paragraph in _letter_prose(letter, rng):
        _docx_paragraph(document, paragraph)
    _docx_paragraph(document, rng.choice(["Yours faithfully,", "Kind regards,", "Yours sincerely,"]))
    _docx_paragraph(document, letter.signer_as_printed, bold=True)
    _docx_paragraph(document, f"{letter.signer_role}, {letter.organisation}")
    document.save(path)
    return path


# --- HTML for Chromium -------------------------------------------------------------------------

_PAGE_CSS = """
@page { size: A4 %(orientation)s; margin: 14mm; }
body { font-family: 'DejaVu Sans', sans-serif; color: #222; }
"""


def _html_page(body: str, css: str, *, landscape: bool) -> str:
    page = _PAGE_CSS % {"orientation": "landscape" if landscape else "portrait"}
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{page}{css}</style></head><body>{body}</body></html>"


def html_grid_certificate(cert: Certificate, rng: random.Random, path: Path) -> Path:
    """A logo in capitals over two lines, then a CSS grid of label and value cells."""
    e = html.escape
    words = cert.centre.upper().split()
    cut = max(1, len(words) // 2)
    labels = rng.choice(
        [
            ("LEARNER", "COURSE", "DURATION", "DATES", "AWARDED", "TRAINER"),
            ("PARTICIPANT", "PROGRAMME", "HOURS", "PERIOD", "DATE OF AWARD", "INSTRUCTOR"),
        ]
    )
    values = (
        cert.participant,
        cert.programme,
        _hours(cert),
        say_range(cert.start, cert.end, cert.date_style),
        say_date(cert.issued, cert.date_style),
        cert.instructor_as_printed,
    )
    cells = "".join(
        f"<div class='l'>{e(label)}</div><div class='v'>{e(value)}</div>"
        for label, value in zip(labels, values, strict=True)
    )
    body = (
        f"<div class='logo'>{e(' '.join(words[:cut]))}<br>{e(' '.join(words[cut:]))}</div>"
        f"<h1>{e(rng.choice(['Certificate of Achievement', 'Certificate of Completion']))}</h1>"
        f"<div class='grid'>{cells}</div>"
        f"<p class='foot'>Verification code {rng.randint(100000, 999999)}</p>"
    )
    css = (
        ".logo{font-size:22pt;font-weight:bold;letter-spacing:2px;color:#1d4e89;margin-bottom:10mm}"
        "h1{font-size:26pt;font-weight:normal;margin:0 0 10mm}"
        ".grid{display:grid;grid-template-columns:45mm 1fr;row-gap:5mm;column-gap:8mm;font-size:13pt}"
        ".l{color:#777;font-size:10pt;letter-spacing:1px;padding-top:2px}.foot{margin-top:14mm;font-size:9pt}"
    )
    path.write_text(_html_page(body, css, landscape=True), encoding="utf-8")
    return path


def html_prose_certificate(cert: Certificate, rng: random.Random, path: Path) -> Path:
    """A centred certificate in sentences, with "Signed: name, role" at the foot."""
    e = html.escape
    heading = _letterhead(cert)
    period = rng.choice(
        [
            f"between {say_date(cert.start, cert.date_style)} and {say_date(cert.end, cert.date_style)}",
            f"from {say_date(cert.start, cert.date_style)} to {say_date(cert.end, cert.date_style)}",
        ]
    )
    body = (
        f"<div class='head'>{e(heading)}</div><h1>Certificate of Completion</h1>"
        f"<p>This certifies that</p><p class='name'>{e(cert.participant)}</p>"
        f"<p>has successfully completed the programme</p><p class='prog'>{e(cert.programme)}</p>"
        f"<p>a course of {e(_hours(cert))} held {e(period)}.</p>"
        f"<div class='sig'><p>Signed: {e(cert.instructor_as_printed)}, {e(cert.role)}</p>"
        f"<p>Date of award: {e(say_date(cert.issued, cert.date_style))}</p></div>"
    )
    css = (
        "body{text-align:center}.head{font-size:14pt;color:#555;margin-bottom:8mm}"
        "h1{font-size:30pt;margin:0 0 8mm;font-family:'DejaVu Serif',serif}p{font-size:13pt;margin:3mm 0}"
        ".name{font-size:24pt;font-weight:bold}.prog{font-size:17pt;font-style:italic}"
        ".sig{margin-top:14mm}"
    )
    path.write_text(_html_page(body, css, landscape=True), encoding="utf-8")
    return path


def html_email_letter(letter: Letter, rng: random.Random, path: Path) -> Path:
    """A referee's email printed from a web mail client: headers, then the message."""
    e = html.escape
    sender = letter.signer.lower().replace(" ", ".").replace("'", "")
    import unicodedata

    sender = unicodedata.normalize("NFKD", sender).encode("ascii", "ignore").decode()
    domain = letter.mentee_email.split("@", 1)[1]
    headers = [
        ("From", f"{letter.signer} <{sender}@{domain}>"),
        ("To", "credentials@imc.example"),
        ("Subject", f"Reference for {letter.mentor}"),
        ("Date", say_date(letter.written, "long")),
    ]
    rows = "".join(f"<tr><th>{e(key)}</th><td>{e(value)}</td></tr>" for key, value in headers)
    paragraphs = "".join(f"<p>{e(text)}</p>" for text in _letter_prose(letter, rng))
    body = (
        f"<table class='h'>{rows}</table><hr><p>Dear colleagues,</p>{paragraphs}"
        f"<p>Best wishes,<br>{e(letter.signer_as_printed)}<br>{e(letter.signer_role)}<br>"
        f"{e(letter.organisation)}</p>"
    )
    css = (
        ".h th{text-align:left;padding-right:6mm;color:#666;font-weight:normal}.h{font-size:10pt}"
        "p{font-size:11pt;line-height:1.4}"
    )
    path.write_text(_html_page(body, css, landscape=False), encoding="utf-8")
    return path


# --- fpdf2 -------------------------------------------------------------------------------------


def _fpdf(landscape: bool):
    from fpdf import FPDF

    pdf = FPDF(orientation="L" if landscape else "P")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(DEJAVU))
    pdf.add_font("DejaVu", "B", str(DEJAVU_BOLD))
    return pdf


def fpdf_classic_certificate(cert: Certificate, rng: random.Random, path: Path) -> Path:
    """The centre as a capitals logo over two lines; "Label: value" lines; hours in words; an en dash range."""
    pdf = _fpdf(landscape=False)
    words = cert.centre.upper().split()
    cut = max(1, len(words) // 2)
    pdf.set_font("DejaVu", "B", 20)
    pdf.set_y(22)
    pdf.cell(0, 10, " ".join(words[:cut]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 10, " ".join(words[cut:]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font("DejaVu", "", 24)
    pdf.cell(0, 12, "CERTIFICATE OF TRAINING", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font("DejaVu", "", 12)
    labels = rng.choice(
        [
            ("Name", "Course", "Hours", "Dates", "Issued on", "Trainer"),
            ("Participant name", "Programme title", "Length", "Course dates", "Date issued", "Instructor"),
        ]
    )
    values = (
        cert.participant,
        cert.programme,
        say_hours(cert.hours, "words"),
        say_range(cert.start, cert.end, "long"),
        say_date(cert.issued, cert.date_style),
        cert.instructor_as_printed,
    )
    for label, value in zip(labels, values, strict=True):
        pdf.set_x(30)
        pdf.cell(0, 11, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def fpdf_letter(letter: Letter, rng: random.Random, path: Path) -> Path:
    """A letter from an employer: sender block right, prose, "Prof. name" over a role."""
    pdf = _fpdf(landscape=False)
    pdf.set_font("DejaVu", "B", 15)
    pdf.set_y(20)
    pdf.cell(0, 8, letter.organisation, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for line in _address(rng):
        pdf.cell(0, 5, line, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 6, say_date(letter.written, letter.date_style), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(0, 6, "To whom it may concern,", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for paragraph in _letter_prose(letter, rng):
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.ln(6)
    pdf.cell(0, 6, "Yours faithfully,", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, letter.signer_as_printed, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 6, letter.signer_role, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


# --- layouts held out whole (see the generator's docstring) --------------------------------------


def docx_tabbed_certificate(cert: Certificate, rng: random.Random, path: Path) -> Path:
    """Labels and values on one line, apart by a tab; the centre only as "awarded on behalf of" at the foot."""
    document = _docx_document()
    _docx_paragraph(document, rng.choice(["Statement of Completion", "Training Record"]), size=20, bold=True)
    rows = [
        (rng.choice(["Name", "Learner"]), cert.participant),
        (rng.choice(["Training undertaken", "Course title"]), cert.programme),
        ("Guided learning hours", f"{cert.hours.normalize():f} ({_hours_words(cert)})"),
        ("Course dates", say_range(cert.start, cert.end, cert.date_style)),
        ("Tutor", cert.instructor_as_printed),
    ]
    for label, value in rows:
        _docx_paragraph(document, f"{label}\t\t{value}")
    _docx_paragraph(document, "")
    _docx_paragraph(document, f"Issued {say_date(cert.issued, cert.date_style)}")
    _docx_paragraph(document, f"Awarded on behalf of {cert.centre}")
    document.save(path)
    return path


def _hours_words(cert: Certificate) -> str:
    from .content import in_words

    whole = int(cert.hours)
    return in_words(whole) if whole == cert.hours and 0 < whole < 100 else "hours"


def fpdf_caption_certificate(cert: Certificate, rng: random.Random, path: Path) -> Path:
    """Landscape: each value centred on a rule with its small caption below it, as on a printed award."""
    pdf = _fpdf(landscape=True)
    pdf.set_font("DejaVu", "", 12)
    pdf.set_y(16)
    pdf.cell(0, 6, cert.centre, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 26)
    pdf.ln(6)
    pdf.cell(
        0, 14, rng.choice(["Award of Completion", "Certificate"]), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(6)

    def captioned(value: str, caption: str, size: int) -> None:
        pdf.set_font("DejaVu", "B" if size > 14 else "", size)
        pdf.cell(0, 10, value, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8)
        pdf.cell(0, 5, caption.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    captioned(cert.participant, "Participant", 20)
    captioned(cert.programme, "Programme", 14)
    captioned(say_hours(cert.hours, "plain"), "Total hours", 12)
    captioned(say_range(cert.start, cert.end, cert.date_style), "Dates attended", 12)
    y = pdf.get_y() + 6
    pdf.set_font("DejaVu", "", 12)
    pdf.set_xy(30, y)
    pdf.cell(100, 6, cert.instructor_as_printed, align="C")
    pdf.set_xy(170, y)
    pdf.cell(100, 6, say_date(cert.issued, cert.date_style), align="C")
    pdf.set_font("DejaVu", "", 8)
    pdf.set_xy(30, y + 6)
    pdf.cell(100, 5, cert.role.upper(), align="C")
    pdf.set_xy(170, y + 6)
    pdf.cell(100, 5, "DATE OF AWARD", align="C")
    pdf.output(str(path))
    return path


def html_memo_letter(letter: Letter, rng: random.Random, path: Path) -> Path:
    """A memo-style reference: a "Re:" line, the facts in a sentence, a signature with the title on its own line."""
    e = html.escape
    body = (
        f"<div class='org'>{e(letter.organisation)}</div>"
        f"<p class='date'>{e(say_date(letter.written, letter.date_style))}</p>"
        f"<p><b>Re: Reference for {e(letter.mentor)}</b></p>"
        f"<p>{e(letter.mentor)} was the mentor of {e(letter.mentee)} ({e(letter.mentee_email)}) in our "
        f"organisation's mentoring programme {e(rng.choice(['from', 'starting on']))} "
        f"{e(say_date(letter.start, letter.date_style))} "
        f"{e(rng.choice(['to', 'until']))} {e(say_date(letter.end, letter.date_style))}.</p>"
        f"<p>{e(rng.choice(['The sessions were regular and well documented.', 'I recommend them warmly.']))}</p>"
        f"<p class='sig'>{e(letter.signer_as_printed)}<br>{e(letter.signer_role)}</p>"
    )
    css = (
        ".org{font-size:18pt;font-weight:bold;text-align:right;border-bottom:2px solid #444;padding-bottom:3mm}"
        ".date{text-align:right}p{font-size:11.5pt;line-height:1.45}.sig{margin-top:14mm}"
    )
    path.write_text(_html_page(body, css, landscape=False), encoding="utf-8")
    return path


# --- scans and photos --------------------------------------------------------------------------


def scan_effect(page, rng: random.Random, *, unreadable: bool = False):
    """A flat-bed scan: grey, turned 1–3 degrees either way, speckled; ``unreadable`` blurs it to mush."""
    import numpy as np
    from PIL import Image, ImageFilter

    grey = page.convert("L")
    angle = rng.uniform(1.0, 3.0) * rng.choice([-1, 1])
    turned = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    pixels = np.asarray(turned, dtype=np.float32)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 10, pixels.shape)
    pixels = np.clip(pixels * 0.93 + 12 + noise, 0, 255)
    specks = np.random.default_rng(rng.randint(0, 2**31)).random(pixels.shape) < 0.0015
    pixels[specks] = 30
    image = Image.fromarray(pixels.astype(np.uint8), mode="L")
    if unreadable:
        image = image.resize((image.width // 5, image.height // 5)).filter(ImageFilter.GaussianBlur(2.5))
        image = image.point(lambda value: 150 + value // 3)
    return image


def photo_effect(page, rng: random.Random, *, unreadable: bool = False, angles: tuple = (2.0, 5.0)):
    """A phone photo of the printed page on a desk: warm paper, skewed 2–5 degrees (or ``angles``), a lamp's
    gradient."""
    import numpy as np
    from PIL import Image, ImageFilter

    paper = page.convert("RGB")
    paper = Image.eval(paper, lambda value: int(value * 0.94))
    desk_colour = rng.choice([(120, 84, 52), (92, 70, 50), (150, 120, 90), (70, 72, 76)])
    margin = int(0.12 * max(paper.size))
    desk = Image.new("RGB", (paper.width + 2 * margin, paper.height + 2 * margin), desk_colour)
    grain = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 9, (desk.height, desk.width, 1))
    desk = Image.fromarray(np.clip(np.asarray(desk, dtype=np.float32) + grain, 0, 255).astype(np.uint8))
    angle = rng.uniform(*angles) * rng.choice([-1, 1])
    mask = Image.new("L", paper.size, 255).rotate(angle, expand=True)
    turned = paper.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    desk.paste(turned, ((desk.width - turned.width) // 2, (desk.height - turned.height) // 2), mask)
    # Uneven light: brighter towards one corner, about 40% darker at the far one.
    xs = np.linspace(0, 1, desk.width)[None, :]
    ys = np.linspace(0, 1, desk.height)[:, None]
    corner = rng.choice([(0, 0), (1, 0), (0, 1), (1, 1)])
    distance = np.sqrt((xs - corner[0]) ** 2 + (ys - corner[1]) ** 2) / np.sqrt(2)
    light = (1.0 - 0.42 * distance)[..., None]
    lit = np.clip(np.asarray(desk, dtype=np.float32) * light, 0, 255).astype(np.uint8)
    photo = Image.fromarray(lit).filter(ImageFilter.GaussianBlur(0.7))
    if unreadable:
        photo = photo.resize((photo.width // 6, photo.height // 6)).filter(ImageFilter.GaussianBlur(3))
    return photo


def draw_page(lines: list[tuple[str, int]], *, dpi: int = 150):
    """An A4 page drawn straight with Pillow: ``(text, points)`` per line, centred; no PDF tools needed."""
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72
    page = Image.new("RGB", (round(595 * scale), round(842 * scale)), "white")
    draw = ImageDraw.Draw(page)
    y = 70 * scale
    for text, points in lines:
        font = (
            ImageFont.truetype(str(DEJAVU), round(points * scale))
            if DEJAVU.exists()
            else ImageFont.load_default()
        )
        width = draw.textlength(text, font=font)
        draw.text(((page.width - width) / 2, y), text, fill=(20, 20, 20), font=font)
        y += points * scale * 1.9
    return page


# --- later tuning layouts: values over captions, leader tabs, memos, mixed scans ------------------


def _number_words(cert: Certificate, rng: random.Random | None = None) -> str:
    """ "forty (40) hours", or, with ``rng``, sometimes "40 (forty)" with no unit (the label says hours)."""
    from .content import in_words

    number = f"{cert.hours:f}".rstrip("0").rstrip(".") if "." in f"{cert.hours:f}" else f"{cert.hours:f}"
    if cert.hours != cert.hours.to_integral_value():
        return f"{number} hours"
    if rng is not None and rng.random() < 0.5:
        return f"{number} ({in_words(int(cert.hours))})"
    return f"{in_words(int(cert.hours))} ({number}) hours"


def docx_signature_lines_certificate(cert: Certificate, rng: random.Random, path: Path) -> Path:
    """For LibreOffice: each value on a rule with its small caption under it ("________ / Participant"),
    the trainer and the date side by side at the foot, the centre only in the page footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    document = _docx_document()
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = rng.choice(
        [f"Issued on behalf of {cert.centre}", f"{cert.centre} · registered training provider", cert.centre]
    )
    _docx_paragraph(
        document, rng.choice(["Record of Learning", "Statement of Completion"]), size=24, centre=True
    )
    captions = rng.choice(
        [
            ("Name of learner", "Course undertaken", "Total study time", "Dates of study"),
            ("LEARNER", "COURSE FOLLOWED", "TIME COMMITTED", "ATTENDED"),
            ("Recipient", "Training completed", "Guided hours", "Training period"),
        ]
    )
    values = (
        cert.participant,
        cert.programme,
        _number_words(cert) if rng.random() < 0.5 else say_hours(cert.hours, cert.hours_style),
        say_range(cert.start, cert.end, cert.date_style),
    )

    # Half the documents draw no rule: the caption alone sits close under its value, in a smaller size.
    drawn_rules = rng.random() < 0.5

    def value_and_caption(cell_or_document, value: str, caption: str, *, rule_length: int = 38) -> None:
        first = cell_or_document.add_paragraph()
        run = first.add_run(value)
        run.font.size = Pt(15)
        first.paragraph_format.space_after = Pt(0)
        paragraphs = [first]
        if drawn_rules:
            rule = cell_or_document.add_paragraph()
            rule.add_run("_" * rule_length)
            paragraphs.append(rule)
        second = cell_or_document.add_paragraph()
        second.paragraph_format.space_after = Pt(14)
        small = second.add_run(caption)
        small.font.size = Pt(8)
        small.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
        for paragraph in (*paragraphs, second):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for value, caption in zip(values, captions, strict=True):
        value_and_caption(document, value, caption)
    table = document.add_table(rows=1, cols=2)
    signer_caption = rng.choice(
        ["Course tutor", "Signature of trainer", "TUTOR", cert.role, cert.role.upper(), "Trainer's signature"]
    )
    date_caption = rng.choice(["Date", "Date of award", "DATE ISSUED"])
    for cell, value, caption in (
        (table.rows[0].cells[0], cert.instructor_as_printed, signer_caption),
        (table.rows[0].cells[1], say_date(cert.issued, cert.date_style), date_caption),
    ):
        cell.paragraphs[0].text = ""
        value_and_caption(cell, value, caption, rule_length=22)
    document.save(path)
    return path


_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
 <style:style style:name="Standard" style:family="paragraph">
  <style:text-properties style:font-name="DejaVu Sans" fo:font-family="'DejaVu Sans'" fo:font-size="11pt"/>
 </style:style>
 <style:style style:name="Big" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.5cm"/>
  <style:text-properties fo:font-size="20pt" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Leader" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-bottom="0.3cm"><style:tab-stops>
   <style:tab-stop style:position="%(tab)s" style:leader-style="%(leader)s" style:leader-text="%(leader_text)s"/>
  </style:tab-stops></style:paragraph-properties>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin="2cm"/>
  <style:footer-style/>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:footer><text:p text:style-name="Standard">%(footer)s</text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>%(body)s</office:text></office:body>
</office:document>
"""


def fodt_leader_certificate(cert: Certificate, rng: random.Random, path: Path) -> Path:
    """A LibreOffice (flat ODT) certificate: "Label<tab>value" lines on a tab stop with dot or dash leaders,
    hours "forty (40) hours", the centre only in the footer or an "on behalf of" line. For ``soffice``."""
    e = html.escape
    labels = rng.choice(
        [
            (
                "Learner",
                "Course attended",
                "Hours of study",
                "Course began",
                "Course ended",
                "Awarded",
                "Tutor",
            ),
            (
                "Name",
                "Programme of study",
                "Contact time",
                "First session",
                "Final session",
                "Date",
                "Trainer",
            ),
            ("Holder", "Qualification", "Duration", "Start", "Finish", "Issued", "Lead trainer"),
            ("Student", "Course studied", "Study hours", "Begun", "Finished", "Awarded on", "Tutor"),
        ]
    )
    values = (
        cert.participant,
        cert.programme,
        _number_words(cert, rng) if rng.random() < 0.6 else say_hours(cert.hours, cert.hours_style),
        say_date(cert.start, cert.date_style),
        say_date(cert.end, cert.date_style),
        say_date(cert.issued, cert.date_style),
        cert.instructor_as_printed,
    )
    lines = [
        f"<text:p text:style-name='Big'>{e(rng.choice(['Certificate of Study', 'Course Certificate']))}</text:p>"
    ]
    lines += [
        f"<text:p text:style-name='Leader'>{e(label)}<text:tab/>{e(value)}</text:p>"
        for label, value in zip(labels, values, strict=True)
    ]
    on_behalf = rng.random() < 0.5
    if on_behalf:
        lines.append(
            f"<text:p text:style-name='Standard'>Signed for and on behalf of {e(cert.centre)}</text:p>"
        )
    footer = rng.choice(["Page 1 of 1", f"Ref. {rng.randint(1000, 9999)}"]) if on_behalf else cert.centre
    leader = rng.choice([("dotted", "."), ("dash", "-"), ("solid", "_")])
    path.write_text(
        _FODT
        % {
            "tab": rng.choice(["5cm", "6.5cm"]),
            "leader": leader[0],
            "leader_text": leader[1],
            "footer": e(footer),
            "body": "".join(lines),
        },
        encoding="utf-8",
    )
    return path


def _memo_body(letter: Letter, rng: random.Random) -> list[str]:
    start, end = say_date(letter.start, letter.date_style), say_date(letter.end, letter.date_style)
    first = rng.choice(
        [
            (
                f"Further to your request, I can confirm that {letter.mentor} has been the mentor of "
                f"{letter.mentee} ({letter.mentee_email}) since {start}; the mentoring ended on {end}."
            ),
            (
                f"{letter.mentor} mentored {letter.mentee} (contact: {letter.mentee_email}) "
                f"from {start} until {end}."
            ),
            (
                f"Please note that {letter.mentee}, reachable at {letter.mentee_email}, received mentoring "
                f"from {letter.mentor} during the period {start} to {end}."
            ),
        ]
    )
    second = rng.choice(
        [
            "Sessions were held monthly and were recorded in our learning system.",
            "The arrangement was reviewed by the scheme coordinator twice a year.",
        ]
    )
    return [first, second]


def fpdf_memo_letter(letter: Letter, rng: random.Random, path: Path) -> Path:
    """An internal memo from fpdf2: MEMORANDUM, "TO / FROM / SUBJECT / DATE" rows, a short prose body,
    initials instead of a signature block, the organisation only in the footer."""
    pdf = _fpdf(landscape=False)
    pdf.set_font("DejaVu", "B", 18)
    pdf.set_y(20)
    pdf.cell(0, 10, rng.choice(["MEMORANDUM", "Internal memo"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    keys = rng.choice(
        [("TO", "FROM", "SUBJECT", "DATE"), ("To", "From", "Subject", "Date"), ("TO", "FROM", "RE", "DATED")]
    )
    rows = (
        rng.choice(["Credentialing Panel", "Accreditation Office"]),
        f"{letter.signer_as_printed}, {letter.signer_role}",
        f"Mentoring of {letter.mentee}",
        say_date(letter.written, letter.date_style),
    )
    for key, value in zip(keys, rows, strict=True):
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(28, 7, f"{key}:")
        pdf.set_font("DejaVu", "", 11)
        pdf.cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(6)
    for paragraph in _memo_body(letter, rng):
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    initials = "".join(part[0] for part in letter.signer.replace("-", " ").split())
    pdf.cell(0, 6, initials, new_x="LMARGIN", new_y="NEXT")
    if rng.random() < 0.4:
        pdf.cell(0, 6, f"for and on behalf of {letter.organisation}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(-20)
    pdf.set_font("DejaVu", "", 8)
    pdf.cell(0, 5, f"{letter.organisation} · internal correspondence", align="C")
    pdf.output(str(path))
    return path


def mixed_cover_page(kind: str, rng: random.Random, path: Path) -> Path:
    """A typed cover page (fpdf2) for a PDF whose next page is a scan: no facts of its own."""
    pdf = _fpdf(landscape=False)
    pdf.set_font("DejaVu", "B", 16)
    pdf.set_y(30)
    pdf.cell(0, 10, "Supporting document", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(
        0,
        6,
        rng.choice(
            [
                f"The scanned {kind} follows on the next page.",
                f"Attached: a scan of the original {kind}, as requested.",
            ]
        ),
    )
    pdf.output(str(path))
    return path


# --- fresh layouts, held out whole: cards, a seal, a charity's bulleted letter, a saved email ----------


def html_cards_certificate(cert: Certificate, rng: random.Random, path: Path) -> Path:
    """A university continuing-education certificate: a flex header, then the facts as CSS grid cards, each a
    small label over its value; the course leader signs under a rule. For Chromium."""
    e = html.escape
    labels = rng.choice(
        [
            (
                "Awarded to",
                "Non-credit course",
                "Learning time",
                "Dates attended",
                "Date issued",
                "Course leader",
            ),
            ("Learner", "Short course", "Study time", "Course dates", "Issued", "Taught by"),
            ("Name of learner", "Course title", "Hours", "When", "Certificate date", "Tutor"),
        ]
    )
    values = (
        cert.participant,
        cert.programme,
        say_fresh_hours(cert.hours, cert.hours_style),
        say_fresh_range(cert.start, cert.end, cert.date_style),
        say_fresh_date(cert.issued, cert.date_style),
        cert.instructor_as_printed,
    )
    order = list(range(6)) if rng.random() < 0.5 else [0, 1, 3, 2, 5, 4]
    cards = "".join(
        f"<div class='card'><div class='k'>{e(labels[i])}</div><div class='v'>{e(values[i])}</div></div>"
        for i in order
    )
    intro = rng.choice(
        [
            f"The {cert.department} is pleased to record that the learner named below has completed a "
            "short course of continuing education.",
            f"This statement of attendance is issued by the {cert.department} to a learner who completed "
            "the course below.",
        ]
    )
    body = (
        f"<div class='top'><div class='uni'>{e(cert.centre)}</div><div class='off'>{e(cert.department)}</div></div>"
        f"<h1>{e(rng.choice(['Certificate of Completion', 'Statement of Attendance', 'Record of Learning']))}</h1>"
        f"<p class='intro'>{e(intro)}</p><div class='cards'>{cards}</div>"
        f"<div class='sign'><div class='rule'></div><div>{e(cert.instructor_as_printed)}</div>"
        f"<div class='role'>{e(cert.role)}</div></div>"
        f"<div class='ref'>Ref. CE/{rng.randint(1000, 9999)}/{cert.issued.year}</div>"
    )
    css = (
        ".top{display:flex;justify-content:space-between;align-items:flex-end;border-bottom:3px solid #6b2c5f;"
        "padding-bottom:3mm}.uni{font-size:20pt;font-weight:bold;color:#6b2c5f}.off{font-size:11pt;color:#555}"
        "h1{font-family:'DejaVu Serif',serif;font-size:24pt;font-weight:normal;margin:8mm 0 3mm}"
        ".intro{font-size:11pt;color:#444;margin:0 0 6mm}"
        ".cards{display:grid;grid-template-columns:repeat(3,1fr);gap:5mm}"
        ".card{border:1px solid #d9c7d5;border-radius:3mm;padding:3mm 4mm;background:#faf6f9}"
        ".k{font-size:8.5pt;text-transform:uppercase;letter-spacing:1px;color:#8a6d84}.v{font-size:13pt;margin-top:1.5mm}"
        ".sign{margin-top:12mm;width:70mm}.rule{border-top:1px solid #333;margin-bottom:2mm}.role{color:#666;font-size:10pt}"
        ".ref{position:fixed;bottom:0;right:0;font-size:8pt;color:#999}"
    )
    path.write_text(_html_page(body, css, landscape=True), encoding="utf-8")
    return path


_SEAL_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
 <style:style style:name="Standard" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.2cm"/>
  <style:text-properties style:font-name="DejaVu Serif" fo:font-family="'DejaVu Serif'" fo:font-size="13pt"/>
 </style:style>
 <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-bottom="0.5cm"/>
  <style:text-properties fo:font-size="28pt" fo:letter-spacing="0.05cm"/>
 </style:style>
 <style:style style:name="Name" style:family="paragraph" style:parent-style-name="Standard">
  <style:text-properties fo:font-size="22pt" fo:font-style="italic" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Seal" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:border="4pt double #8a1c1c" fo:padding="0.25cm" fo:margin-left="%(seal_left)s"
   fo:margin-right="%(seal_right)s" fo:margin-top="0.4cm" fo:background-color="#fbf1e6"/>
  <style:text-properties fo:font-size="10pt" fo:color="#8a1c1c" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Small" style:family="paragraph" style:parent-style-name="Standard">
  <style:text-properties fo:font-size="10pt"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape"
   fo:margin="1.2cm" fo:border="3pt double #333333" fo:padding="0.8cm"/>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1"/>
</office:master-styles>
<office:body><office:text>%(body)s</office:text></office:body>
</office:document>
"""


def fodt_seal_certificate(cert: Certificate, rng: random.Random, path: Path) -> Path:
    """A landscape flat-ODT certificate inside a double page border, in sentences, the centre's name only in a
    bordered seal-like block ("SEAL OF THE … · EST. 1987"), the instructor's typed name over "Instructor" or a
    role. For ``soffice`` to export to PDF."""
    e = html.escape
    hours = say_fresh_hours(cert.hours, cert.hours_style)
    period = say_fresh_range(cert.start, cert.end, cert.date_style)
    if cert.date_style != "of_ordinal":
        period = f"over the period {period}" if rng.random() < 0.5 else f"during {period}"
    paragraphs = [
        ("Title", rng.choice(["Certificate of Attainment", "Certificate of Attendance"])),
        ("Standard", rng.choice(["Be it known that", "This is to certify that"])),
        ("Name", cert.participant),
        ("Standard", f"having attended {hours} of instruction in"),
        ("Name", cert.programme),
        ("Standard", f"{period}, is awarded this certificate."),
        ("Small", f"Given under our seal on {say_fresh_date(cert.issued, cert.date_style)}."),
        ("Small", " "),
        ("Standard", cert.instructor_as_printed),
        ("Small", rng.choice(["Instructor", cert.role])),
    ]
    body = "".join(f"<text:p text:style-name='{style}'>{e(text)}</text:p>" for style, text in paragraphs)
    seal = (
        f"★ SEAL OF THE ★<text:line-break/>{e(cert.centre.upper())}<text:line-break/>"
        f"EST. {rng.randint(1961, 2004)}"
    )
    left = rng.random() < 0.5
    body += f"<text:p text:style-name='Seal'>{seal}</text:p>"
    path.write_text(
        _SEAL_FODT
        % {
            "seal_left": "1cm" if left else "16cm",
            "seal_right": "16cm" if left else "1cm",
            "body": body,
        },
        encoding="utf-8",
    )
    return path


def docx_charity_letter(letter: Letter, rng: random.Random, path: Path) -> Path:
    """A charity's referee letter in python-docx: letterhead with a registered charity number, a "Re:" line, the
    facts as a bulleted list, and a typed signature over the signer's role."""
    from docx.shared import Pt, RGBColor

    document = _docx_document()
    head = _docx_paragraph(document, letter.organisation, size=18, bold=True)
    head.runs[0].font.color.rgb = RGBColor(0x1F, 0x6F, 0x4A)
    _docx_paragraph(
        document,
        f"{', '.join(_address(rng))} · Registered charity no. {rng.randint(1000000, 1199999)}",
        size=9,
    )
    _docx_paragraph(document, say_fresh_date(letter.written, letter.date_style).removeprefix("the "))
    _docx_paragraph(document, rng.choice(["To whom it may concern,", "Dear Credentials Panel,"]))
    _docx_paragraph(document, f"Re: volunteer mentoring by {letter.mentor}", bold=True)
    _docx_paragraph(
        document,
        rng.choice(
            [
                "I am glad to give this reference. In summary:",
                f"{letter.mentor} volunteered as a mentor with us. The details of the placement are:",
            ]
        ),
    )
    period = say_fresh_range(letter.start, letter.end, letter.date_style)
    bullets = rng.choice(
        [
            [
                f"Volunteer mentor: {letter.mentor}",
                f"Young person mentored: {letter.mentee}",
                f"Mentee's email: {letter.mentee_email}",
                f"Mentoring period: {period}",
                "Meetings: fortnightly, one hour, in person or by video",
            ],
            [
                f"Mentor – {letter.mentor}",
                f"Mentee – {letter.mentee} ({letter.mentee_email})",
                f"Dates – {period}",
                "Supervision – monthly, with our volunteer coordinator",
            ],
        ]
    )
    for bullet in bullets:
        paragraph = document.add_paragraph(bullet, style="List Bullet")
        paragraph.runs[0].font.size = Pt(11)
    _docx_paragraph(
        document,
        "The mentoring relationship was well prepared, regular and ended well. Please contact me if you need "
        "anything further.",
    )
    _docx_paragraph(document, rng.choice(["Yours faithfully,", "With best wishes,"]))
    _docx_paragraph(document, letter.signer_as_printed, bold=True)
    _docx_paragraph(document, letter.signer_role)
    document.save(path)
    return path


def eml_manager_letter(letter: Letter, rng: random.Random, path: Path) -> Path:
    """A manager's email confirming a mentoring engagement in prose, saved as .eml (Python's email package):
    plain text, or plain text with an HTML alternative."""
    from datetime import datetime
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.utils import format_datetime

    from .content import _ascii, say_fresh_date, say_fresh_range

    domain = letter.mentee_email.split("@", 1)[1]
    first, *rest = _ascii(letter.signer).lower().replace("'", "").split()
    message = EmailMessage()
    message["From"] = Address(letter.signer, f"{first}.{''.join(rest)}", domain)
    message["To"] = Address("Credentials Office", "credentials", "imc.example")
    message["Subject"] = rng.choice(
        [
            f"Confirming {letter.mentor}'s mentoring",
            "Mentoring engagement – confirmation",
            "Re: request for a reference",
        ]
    )
    written = datetime(letter.written.year, letter.written.month, letter.written.day, 9, 41, tzinfo=UTC)
    message["Date"] = format_datetime(written)
    message["Message-ID"] = f"<{rng.randint(10**8, 10**9)}@{domain}>"
    if letter.date_style == "of_ordinal":
        period = f"between {say_fresh_date(letter.start, 'of_ordinal')} and {say_fresh_date(letter.end, 'of_ordinal')}"
    else:
        period = f"from {say_fresh_range(letter.start, letter.end, letter.date_style)}".replace(" – ", " to ")
    paragraphs = [
        rng.choice(["Hello,", "Dear colleagues,", "Good morning,"]),
        rng.choice(
            [
                f"I manage {letter.mentor} at {letter.organisation} and I am happy to confirm that {letter.mentor} "
                f"mentored {letter.mentee} ({letter.mentee_email}) here {period}.",
                f"You asked me to confirm a mentoring engagement. {letter.mentor}, who reports to me, was the "
                f"mentor of {letter.mentee} (email {letter.mentee_email}) {period}.",
            ]
        ),
        "They met every two weeks and agreed their goals at the start; I saw the relationship develop over the "
        "engagement and heard good things about it from both sides.",
        "Do let me know if anything else would help.",
        f"{rng.choice(['Kind regards', 'Best wishes', 'Thanks'])},\n{letter.signer_as_printed}\n"
        f"{letter.signer_role}\n{letter.organisation}",
    ]
    text = "\n\n".join(paragraphs) + "\n"
    message.set_content(text)
    if rng.random() < 0.5:
        message.add_alternative(
            "<html><body>"
            + "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
            + "</body></html>",
            subtype="html",
        )
    path.write_bytes(bytes(message))
    return path
