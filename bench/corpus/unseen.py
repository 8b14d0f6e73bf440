"""The unseen families, held out whole: what they say and how they are drawn.

Written from the outside, from how associations, online learning platforms, universities, employers and mail
clients issue such documents, without reading the reading rules. Every name, organisation, programme, wording,
date style and hour style here is new to the corpus (none appears in ``content.py``).

Truth keys and value formats are those of ``content.Certificate`` and ``content.Letter``; a document that prints
all-numeric dates adds ``date_order`` ("day_first" or "month_first"), as its letterhead's country writes them.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from .content import Certificate, Letter, _ascii, in_words, ordinal

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
DEJAVU_SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
DEJAVU_SERIF_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
DEJAVU_SERIF_ITALIC = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf")

ASSOCIATION, ONLINE, CPD, MANAGER, FORWARDED, PHOTO, SCAN = (
    "lo_association_cert",
    "html_online_course",
    "fpdf_cpd_statement",
    "docx_line_manager",
    "eml_forwarded",
    "photo_unseen_jpeg",
    "scan_unseen_pdf",
)
UNSEEN_FAMILIES = frozenset({ASSOCIATION, ONLINE, CPD, MANAGER, FORWARDED, PHOTO, SCAN})
# What the raster families are taken of: phone photos of the printed certificates, flatbed scans of the
# printed statements and letters (the DOCX through LibreOffice).
PHOTOGRAPHED = {PHOTO: [ASSOCIATION, ONLINE], SCAN: [CPD, MANAGER]}

# --- people and organisations ------------------------------------------------------------------

# (given names, middle names or "", family name, honorific); a document prints the middle names or not.
PEOPLE = [
    ("Aurora", "Belén", "Iturriaga-Olano", "Ms"),
    ("Mikael", "Johannes", "Räsänen", "Mr"),
    ("Thandiwe", "Nomvula", "Dlamini", "Ms"),
    ("Radek", "", "Šťastný", "Mr"),
    ("Mei-Ling", "", "Tsao", "Ms"),
    ("François-Xavier", "", "Lemaître", "Mr"),
    ("Nuala", "Gráinne", "Ó Ceallaigh", "Ms"),
    ("Henrik", "", "Østby-Larsen", "Mr"),
    ("Adaeze", "Chiamaka", "Okoro", "Ms"),
    ("Joaquim", "Sérgio", "Albuquerque", "Mr"),
    ("Wiktoria", "", "Zając", "Ms"),
    ("Émile", "", "Bouchard-Tremblay", "Mx"),
    ("Tariq", "bin Hamdan", "Al-Farsi", "Mr"),
    ("Greta", "Maria", "Lindström", "Ms"),
    ("Koa", "", "Kealoha-Martin", "Mx"),
    ("Dagmar", "", "Novotná-Fischer", "Ms"),
]
# (given names, family name, pronoun)
MENTEES = [
    ("Ezinne", "Uchenna-Baptiste", "she"),
    ("Jonas", "Weißmüller", "he"),
    ("Leilani", "Akana", "she"),
    ("Ruadhán", "Ó Murchú", "he"),
    ("Ana Lucía", "Peñalosa", "she"),
    ("Sigrún", "Björnsdóttir", "she"),
    ("Matthieu", "Lefèvre-Garnier", "he"),
    ("Priyanka", "Venkataraman-Shaw", "she"),
    ("Yusuf", "Demirtaş", "he"),
    ("Clodagh", "Ní Fhaoláin", "she"),
    ("Sam", "Oduya-Lindgren", "they"),
]
TUTORS = [
    ("Dr", "Kaveh Farahani-Brook"),
    ("Prof. Dr.", "Ulrike Schönberger"),
    ("Assoc. Prof.", "Ngaio Whitcombe"),
    ("", "Ramón Echeverría Soto"),
    ("Mx", "Robin Aldous-Kerr"),
    ("Dr.", "Oluwatoyin Bankole"),
    ("Ms.", "Caoimhe Brannigan"),
    ("", "Hyun-woo Park"),
    ("Mrs", "Lalita Ramaswamy-Byrne"),
    ("Mr.", "Teodor Wąsowicz"),
]
TUTOR_ROLES = [
    "Accredited Trainer",
    "Course Author",
    "Module Convenor",
    "Head of Education",
    "Learning Designer",
]
MANAGERS = [
    ("", "Marguerite Okonkwo-Daly"),
    ("Ms", "Bronwyn Tāwhai"),
    ("Mr", "Giancarlo Ruggiero"),
    ("Dr", "Annika Vestergaard"),
    ("", "Precious Mahlangu"),
    ("Mrs.", "Dolores Arrieta-Vance"),
    ("", "Oskar Lindqvist-Mbeki"),
]
MANAGER_ROLES = [
    "Line Manager, Paediatric Outpatients",
    "Senior Site Engineer",
    "Deputy Headteacher",
    "Team Lead – Data Platform",
    "Customer Operations Manager",
    "Practice Manager",
]
PROGRAMMES = [
    "Mentoring Essentials: Listening, Questioning and Feedback",
    "Coaching and Mentoring for New Managers",
    "Mentorship in Clinical Practice",
    "Designing and Running a Mentoring Scheme",
    "Mentoring Neurodivergent Colleagues",
    "E-Mentoring: Building Relationships Online",
    "Group Mentoring Circles in Practice",
    "Supervising Student Placements",
    "Ethics and Boundaries in Mentoring",
]
# Professional associations: (name, tagline printed under the name like a logo's strapline).
ASSOCIATIONS = [
    ("Pacific Rim Mentoring Association", "Growing people who grow people"),
    ("Guild of Reflective Practitioners", "Founded 1994 · Members in 31 countries"),
    ("Société québécoise du mentorat professionnel", "Apprendre ensemble, grandir ensemble"),
    ("Northern Lights Mentoring Network", "Peer learning for the helping professions"),
    ("Ubuntu Coaching Foundation", "I am because we are"),
    ("Baltic Institute for Workplace Mentoring", "Riga · Tallinn · Vilnius"),
]
# Online certificates: the issuer named after "Issued by", and the platform whose logo heads the page.
ISSUERS = [
    "Hochschule Brackenfeld",
    "Tasman Institute of Workplace Learning",
    "Lakeshore Coaching Guild",
    "Fundação Horizonte de Mentoria",
    "Meridian Mentoring Network",
]
PLATFORMS = [("Skillforge", "#0b5fff"), ("Learnloop", "#d2340f"), ("OpenCampus+", "#0f7b5f")]
# Universities issuing CPD statements: (name, unit, address lines, how the country writes numeric dates).
UNIVERSITIES = [
    (
        "University of Wollomby",
        "School of Health Sciences",
        ["PO Box 412", "Armidale NSW 2350", "Australia"],
        "day_first",
    ),
    (
        "Kingsbridge University",
        "Centre for Professional Learning",
        ["Priory Road Campus", "Exeter EX4 6TJ", "United Kingdom"],
        "day_first",
    ),
    (
        "University of the Highveld",
        "Unit for Continuing Education",
        ["Private Bag X17", "Pretoria 0028", "South Africa"],
        "day_first",
    ),
    (
        "Whitcombe State University",
        "Office of Professional and Continuing Studies",
        ["1200 College Avenue", "Bellingham, WA 98225", "USA"],
        "month_first",
    ),
    (
        "Aoraki Polytechnic",
        "Centre for Continuing Education",
        ["Private Bag 4715", "Timaru 7942", "New Zealand"],
        "day_first",
    ),
]
# Employers: (name, address lines, switchboard, mail domain).
EMPLOYERS = [
    (
        "Kauri Coast District Council",
        ["32 Hokianga Road", "Dargaville 0310", "New Zealand"],
        "+64 9 439 7720",
        "kauricoast.example",
    ),
    (
        "Brennan & Oyelaran Engineering Pty Ltd",
        ["Level 6, 88 Adelaide Terrace", "Perth WA 6000", "Australia"],
        "+61 8 9325 4410",
        "brennan-oyelaran.example",
    ),
    (
        "Stadtwerke Lindenau GmbH",
        ["Auenstraße 14", "04177 Leipzig", "Germany"],
        "+49 341 2290 418",
        "sw-lindenau.example",
    ),
    (
        "Hollowmere Primary Academy",
        ["Church Lane", "Hollowmere, Cheshire CW8 2LQ"],
        "01606 882 310",
        "hollowmere.example",
    ),
    (
        "Ceres Agritech Cooperative",
        ["2150 Riverside Drive", "Fresno, CA 93711"],
        "(559) 555-0143",
        "ceres-coop.example",
    ),
    (
        "Riverbend Community Health Trust",
        ["Unit 4, Mill Quay", "Carlow R93 E2K8", "Ireland"],
        "+353 59 913 2270",
        "riverbend.example",
    ),
]
_PRONOUNS = {"she": ("she", "her", "her"), "he": ("he", "him", "his"), "they": ("they", "them", "their")}


# --- the content dataclasses: content's own, with what these layouts print besides ----------------


@dataclass(frozen=True)
class UnseenCertificate(Certificate):
    title_as_printed: str = ""  # the participant with an honorific, where the layout prints one
    pronoun: str = "they"
    extra: tuple = ()  # per layout: the association's tagline, the platform, a university's address
    date_order: str | None = None

    def truth(self) -> dict:
        truth = super().truth()
        if self.date_order:
            truth["date_order"] = self.date_order
        return truth


@dataclass(frozen=True)
class UnseenLetter(Letter):
    mentee_given: str = ""
    pronoun: str = "they"
    address: tuple = ()
    phone: str = ""
    domain: str = ""

    def truth(self) -> dict:
        return super().truth()


def _person(rng: random.Random) -> tuple[str, str, str]:
    """(name as printed, given name, honorific): the middle names printed in about half the documents."""
    given, middle, family, title = rng.choice(PEOPLE)
    printed = " ".join(part for part in (given, middle if rng.random() < 0.5 else "", family) if part)
    return printed, given, title


def _hours(rng: random.Random, choices: list) -> Decimal:
    return Decimal(str(rng.choice(choices)))


def _turn(options: list, variant: int, stride: int = 0):
    """The variant's pick of ``options`` in turn, so that ten variants show every style and organisation;
    ``stride`` shifts one list against another so that styles are not always paired the same way."""
    return options[(variant + stride * (variant // len(options))) % len(options)]


def content_for(layout: str, rng: random.Random, variant: int = 0) -> UnseenCertificate | UnseenLetter:
    """What variant ``variant`` of ``layout`` says: names, dates and hours from ``rng``; the organisation, date
    style and hour style in turn."""
    if layout in (ASSOCIATION, ONLINE, CPD):
        return _certificate(layout, rng, variant)
    return _letter(layout, rng, variant)


def _certificate(layout: str, rng: random.Random, variant: int) -> UnseenCertificate:
    start = date(2023, 1, 9) + timedelta(days=rng.randint(0, 820))
    participant, given, title = _person(rng)
    tutor_title, tutor = rng.choice(TUTORS)
    extra: tuple = ()
    date_order = None
    if layout == ASSOCIATION:
        centre, tagline = _turn(ASSOCIATIONS, variant)
        department = None
        extra = (tagline,)
        hours = _hours(rng, [12, 16, 18, 21, "22.5", 27, "32.5", 40])
        end = start + timedelta(days=rng.randint(14, 120))
        issued = end + timedelta(days=rng.randint(1, 21))
        date_style = _turn(["abbrev_dot", "weekday", "dash_abbrev"], variant)
        hours_style = _turn(["h", "decimal", "words_only"], variant, 1)
    elif layout == ONLINE:
        centre = _turn(ISSUERS, variant)
        platform, colour = _turn(PLATFORMS, variant, 1)
        department = None
        extra = (platform, colour)
        hours = _hours(rng, [6, 8, "10.5", "12.5", 14, "16.75", 20, 26])
        end = start + timedelta(days=rng.randint(9, 75))
        issued = end + timedelta(days=rng.choice([0, 0, 1, 2]))
        date_style = _turn(["abbrev_us", "iso"], variant)
        hours_style = _turn(["hm", "estimated", "total"], variant, 1)
    else:
        centre, department, address, order = _turn(UNIVERSITIES, variant)
        extra = tuple(address)
        hours = _hours(rng, [6, "7.5", 10, 12, 15, 20, 25, 30])
        end = start + timedelta(days=rng.randint(20, 160))
        issued = end + timedelta(days=rng.randint(5, 45))
        date_style = _turn(["ordinal", "numeric"], variant)
        if date_style == "numeric":
            date_order = order
        hours_style = _turn(["cpd", "of_cpd", "points"], variant, 2)
    pronoun = {"Ms": "she", "Mr": "he"}.get(title, "they")
    return UnseenCertificate(
        participant=participant,
        programme=rng.choice(PROGRAMMES),
        centre=centre,
        department=department,
        hours=hours,
        start=start,
        end=end,
        issued=issued,
        instructor_title=tutor_title,
        instructor=tutor,
        role=rng.choice(TUTOR_ROLES),
        date_style=date_style,
        hours_style=hours_style,
        title_as_printed=f"{title} {participant}",
        pronoun=pronoun,
        extra=extra,
        date_order=date_order,
    )


def mentee_email(given: str, family: str, domain: str, style: str) -> str:
    """ "Priyanka Venkataraman-Shaw" → priyanka.venkataraman-shaw@, pvenkataramanshaw@ or venkataraman-shaw.p@;
    "Ruadhán Ó Murchú" → ruadhan.omurchu@ …"""
    first = _ascii(given).lower().split()[0]
    last = _ascii(family).lower().replace(" ", "").replace("'", "")
    if style == "initial":
        return f"{first[0]}{last.replace('-', '')}@{domain}"
    if style == "last_first":
        return f"{last}.{first[0]}@{domain}"
    return f"{first}.{last}@{domain}"


def _letter(layout: str, rng: random.Random, variant: int) -> UnseenLetter:
    start = date(2023, 2, 6) + timedelta(days=rng.randint(0, 800))
    end = start + timedelta(days=rng.randint(75, 360))
    mentor, _, _ = _person(rng)
    given, family, pronoun = rng.choice(MENTEES)
    organisation, address, phone, domain = _turn(EMPLOYERS, variant)
    title, signer = rng.choice(MANAGERS)
    return UnseenLetter(
        mentor=mentor,
        mentee=f"{given} {family}",
        mentee_email=mentee_email(
            given, family, domain, _turn(["dotted", "initial", "last_first"], variant, 1)
        ),
        start=start,
        end=end,
        written=end + timedelta(days=rng.randint(3, 50)),
        signer_title=title,
        signer=signer,
        signer_role=rng.choice(MANAGER_ROLES),
        organisation=organisation,
        date_style=_turn(
            ["weekday", "dash_abbrev", "abbrev_us"]
            if layout == MANAGER
            else ["abbrev_us", "ordinal_us", "weekday"],
            variant,
            2,
        ),
        mentee_given=given,
        pronoun=pronoun,
        address=tuple(address),
        phone=phone,
        domain=domain,
    )


# --- words for dates and hours -----------------------------------------------------------------


def say_date(value: date, style: str, order: str | None = None) -> str:
    """ "14 Oct. 2024", "Monday, 14 October 2024", "14-Oct-2024", "Oct 14, 2024", "2024-10-14",
    "14th October 2024", "October 14th, 2024", or all-numeric "14/10/2024" / "10/14/2024" by ``order``."""
    if style == "abbrev_dot":
        return f"{value.day} {value:%b}{'' if value.month == 5 else '.'} {value.year}"
    if style == "weekday":
        return f"{value:%A}, {value.day} {value:%B %Y}"
    if style == "dash_abbrev":
        return f"{value.day:02}-{value:%b}-{value.year}"
    if style == "abbrev_us":
        return f"{value:%b} {value.day}, {value.year}"
    if style == "iso":
        return value.isoformat()
    if style == "ordinal" and order == "month_first":
        return f"{value:%B} {ordinal(value.day)}, {value.year}"
    if style == "ordinal":
        return f"{ordinal(value.day)} {value:%B %Y}"
    if style == "ordinal_us":
        return f"{value:%B} {ordinal(value.day)}, {value.year}"
    if style == "numeric":
        return f"{value:%m/%d/%Y}" if order == "month_first" else f"{value:%d/%m/%Y}"
    raise ValueError(style)


def _number(hours: Decimal) -> str:
    text = f"{hours:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_FRACTIONS = {
    Decimal("0.25"): "and a quarter",
    Decimal("0.5"): "and a half",
    Decimal("0.75"): "and three quarters",
}


_HOUR_WORDINGS = {
    "h": "{n} h",
    "estimated": "Estimated {n} hours of learning",
    "total": "{n} total hours",
    "cpd": "{n} CPD hours",
    "of_cpd": "{n} hours of CPD",
    "points": "{n} CPD points (one point for each hour of learning)",
}


def say_hours(hours: Decimal, style: str) -> str:
    """ "18 h", "18.0 hours", "twenty-two and a half hours", "12h 30m", "Estimated 20 hours of learning",
    "20 total hours", "15 CPD hours", "15 hours of CPD", "15 CPD points (one point for each hour …)"."""
    whole, part = divmod(hours, 1)
    if style == "decimal":  # one decimal place, as a spreadsheet column prints it ("18.0 hours")
        return f"{hours:.1f} hours" if (hours * 10) % 1 == 0 else f"{_number(hours)} hours"
    if style == "words_only" and part in _FRACTIONS | {Decimal(0): ""} and 0 < whole < 100:
        return " ".join(word for word in (in_words(int(whole)), _FRACTIONS.get(part, ""), "hours") if word)
    if style == "hm":
        minutes = int(part * 60)
        return f"{int(whole)}h {minutes}m" if minutes else f"{int(whole)}h"
    return _HOUR_WORDINGS.get(style, "{n} hours").format(n=_number(hours))


# --- 1. an association's certificate: python-docx, Google-Docs-like, exported by LibreOffice ------


def association_certificate(cert: UnseenCertificate, rng: random.Random, path: Path) -> Path:
    """A Google-Docs-like certificate: the association's name as a logo line in spaced capitals over its
    tagline, a title, a sentence, then a borderless two-column table of labels and bold values, a signature
    line and a certificate number. A DOCX for LibreOffice to export to PDF."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    colour = rng.choice([RGBColor(0x1A, 0x73, 0xE8), RGBColor(0x0B, 0x80, 0x43), RGBColor(0x8E, 0x24, 0xAA)])
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)

    def paragraph(
        text: str, *, size=None, bold=False, italic=False, colour_=None, centre=True, after=6, caps=False
    ):
        made = document.add_paragraph()
        made.paragraph_format.space_after = Pt(after)
        if centre:
            made.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = made.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.all_caps = caps
        if size:
            run.font.size = Pt(size)
        if colour_ is not None:
            run.font.color.rgb = colour_
        return made

    paragraph(f"◆  {cert.centre}", size=18, bold=True, colour_=colour, after=0, caps=rng.random() < 0.6)
    paragraph(cert.extra[0], size=9, italic=True, colour_=RGBColor(0x5F, 0x63, 0x68), after=28)
    paragraph(
        rng.choice(["Certificate of Completion", "Certificate of Course Completion"]), size=26, after=10
    )
    paragraph(
        rng.choice(
            [
                "This certificate is presented to the member named below for completing a continuing "
                "professional development programme of the Association.",
                "Awarded on successful completion of the following programme.",
                "We are pleased to confirm the following completed professional learning.",
            ]
        ),
        size=10,
        colour_=RGBColor(0x5F, 0x63, 0x68),
        after=20,
    )
    labels = rng.choice(
        [
            (
                "Presented to",
                "Programme completed",
                "Learning hours",
                "Commenced",
                "Concluded",
                "Date of certification",
                "Facilitated by",
            ),
            ("Name of member", "Course", "CPD hours", "Start date", "End date", "Issued", "Led by"),
            (
                "Member",
                "Learning pathway",
                "Time commitment",
                "First session",
                "Final session",
                "Date awarded",
                "Course facilitator",
            ),
        ]
    )
    values = [
        cert.participant,
        cert.programme,
        say_hours(cert.hours, cert.hours_style),
        say_date(cert.start, cert.date_style),
        say_date(cert.end, cert.date_style),
        say_date(cert.issued, cert.date_style),
        cert.instructor_as_printed,
    ]
    rows = list(zip(labels, values, strict=True))
    if rng.random() < 0.4:  # the dates as one row, a range
        rows[3:5] = [("Programme dates", f"{values[3]} to {values[4]}")]
    table = document.add_table(
        rows=len(rows), cols=2
    )  # no style: no borders, as a Docs table with 0 pt borders
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row, (label, value) in zip(table.rows, rows, strict=True):
        label_cell, value_cell = row.cells
        label_cell.width, value_cell.width = Cm(5), Cm(10)
        run = label_cell.paragraphs[0].add_run(label)
        run.font.color.rgb = RGBColor(0x5F, 0x63, 0x68)
        run.font.size = Pt(10)
        value_run = value_cell.paragraphs[0].add_run(value)
        value_run.bold = True
        for cell in (label_cell, value_cell):
            cell.paragraphs[0].paragraph_format.space_after = Pt(7)
    paragraph("", after=30)
    paragraph("_______________________________", after=2)
    paragraph(cert.instructor_as_printed, size=10, after=0)
    paragraph(f"{cert.role}, {cert.centre}" if rng.random() < 0.5 else cert.role, size=9, after=24)
    serial = f"{''.join(word[0] for word in cert.centre.split() if word[0].isupper())}-{cert.issued.year}-{rng.randint(100, 9999):04}"
    paragraph(f"Certificate no. {serial}", size=8, colour_=RGBColor(0x80, 0x86, 0x8B), after=0)
    document.save(path)
    return path


# --- 2. an online platform's digital certificate, printed by Chromium ------------------------------


def online_certificate(cert: UnseenCertificate, rng: random.Random, path: Path) -> Path:
    """A learning platform's digital certificate: the platform's logo and the certificate ID at the top, a
    large name, "has successfully completed", the course, "Issued by", the learning time and dates in a row
    of small facts, the instructor's signature in a script face, and a verify URL. Landscape, for Chromium."""
    e = html.escape
    platform, colour = cert.extra
    ident = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(12))
    ident = f"{ident[:4]}-{ident[4:8]}-{ident[8:]}"
    slug = platform.lower().replace("+", "plus")
    completed = rng.choice(
        ["has successfully completed", "successfully completed", "has completed the online course"]
    )
    hours = say_hours(cert.hours, cert.hours_style)
    hours_fact = f"Duration: {hours}" if cert.hours_style == "hm" else hours
    start, end = say_date(cert.start, cert.date_style), say_date(cert.end, cert.date_style)
    dated = rng.choice(
        [
            f"<div class='fact'><b>Enrolled</b> {e(start)}</div><div class='fact'><b>Completed</b> {e(end)}</div>",
            f"<div class='fact'><b>Learning period</b> {e(start)} – {e(end)}</div>",
        ]
    )
    issued = say_date(cert.issued, cert.date_style)
    body = (
        "<div class='frame'>"
        f"<div class='top'><div class='logo'><span class='mark'>{e(platform[0])}</span>{e(platform)}</div>"
        f"<div class='id'>Certificate ID<br><b>{ident}</b></div></div>"
        f"<div class='kicker'>{e(rng.choice(['Certificate of Completion', 'Course Certificate', 'Verified Certificate']))}</div>"
        f"<div class='name'>{e(cert.participant)}</div>"
        f"<div class='done'>{e(completed)}</div>"
        f"<div class='course'>{e(cert.programme)}</div>"
        f"<div class='issuer'>Issued by <b>{e(cert.centre)}</b></div>"
        f"<div class='facts'><div class='fact'>{e(hours_fact)}</div>{dated}"
        f"<div class='fact'><b>Issued</b> {e(issued)}</div></div>"
        "<div class='bottom'>"
        f"<div class='sig'><div class='script'>{e(cert.instructor)}</div><div class='line'></div>"
        f"<div>{e(cert.instructor_as_printed)}</div><div class='muted'>{e(rng.choice(['Instructor', cert.role]))}</div></div>"
        f"<div class='verify'>Verify this certificate at<br>https://{slug}.example/verify/{ident}</div>"
        "</div></div>"
    )
    css = (
        "@page{size:A4 landscape;margin:0}body{margin:0;font-family:'Liberation Sans',Arial,sans-serif;color:#1f1f1f}"
        f".frame{{margin:12mm;height:168mm;border:1px solid #ddd;border-top:6mm solid {colour};padding:10mm 16mm;position:relative}}"
        ".top{display:flex;justify-content:space-between;align-items:center}"
        ".logo{font-size:20pt;font-weight:bold;letter-spacing:-0.5px}"
        f".mark{{display:inline-block;width:11mm;height:11mm;border-radius:2.5mm;background:{colour};color:#fff;"
        "text-align:center;line-height:11mm;margin-right:3mm}"
        ".id{font-size:8.5pt;color:#666;text-align:right}"
        ".kicker{margin-top:14mm;font-size:11pt;letter-spacing:3px;text-transform:uppercase;color:#555}"
        ".name{font-size:38pt;font-weight:bold;margin:5mm 0 3mm}.done{font-size:13pt;color:#444}"
        ".course{font-size:24pt;font-weight:bold;margin:3mm 0 5mm}.issuer{font-size:12pt}"
        ".facts{display:flex;gap:9mm;margin-top:7mm;font-size:10.5pt;color:#333}"
        ".bottom{position:absolute;left:16mm;right:16mm;bottom:10mm;display:flex;justify-content:space-between;align-items:flex-end}"
        ".sig{width:75mm;font-size:10pt}.script{font-family:'Z003','URW Chancery L',cursive;font-size:22pt}"
        ".line{border-top:1px solid #333;margin:1mm 0 1.5mm}.muted{color:#666}"
        ".verify{font-size:8.5pt;color:#666;text-align:right}"
    )
    page = f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body>{body}</body></html>"
    path.write_text(page, encoding="utf-8")
    return path


# --- 3. a university's CPD statement, a letter in the third person (fpdf2) ------------------------


def cpd_statement(cert: UnseenCertificate, rng: random.Random, path: Path) -> Path:
    """A university unit's statement of CPD: letterhead with the address (the country says how numeric dates
    read), the date, a reference, then the facts in third-person sentences; signed by the course's tutor or by
    a registrar who names the tutor in the text."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P")
    pdf.set_margins(20, 18, 20)  # a letter's margins: room for a filing punch
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.add_font("Serif", "", str(DEJAVU_SERIF))
    pdf.add_font("Serif", "B", str(DEJAVU_SERIF_BOLD))
    pdf.add_font("Serif", "I", str(DEJAVU_SERIF_ITALIC))
    pdf.add_font("Sans", "", str(DEJAVU))
    order = cert.date_order or ("month_first" if cert.extra[-1] == "USA" else "day_first")

    def when(value: date) -> str:
        return say_date(value, cert.date_style, order)

    pdf.set_y(18)
    pdf.set_font("Serif", "B", 17)
    pdf.cell(0, 8, cert.centre, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 10)
    pdf.cell(0, 5, cert.department or "", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 8.5)
    pdf.cell(0, 4.5, " · ".join(cert.extra), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(60, 60, 60)
    pdf.line(pdf.l_margin, pdf.get_y() + 3, pdf.w - pdf.r_margin, pdf.get_y() + 3)
    pdf.ln(10)
    pdf.set_font("Serif", "", 11)
    pdf.cell(0, 6, when(cert.issued), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Our ref: CPD/{cert.issued.year}/{rng.randint(100, 999)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Serif", "B", 12)
    pdf.cell(
        0,
        7,
        rng.choice(["TO WHOM IT MAY CONCERN", "Statement of Continuing Professional Development"]),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font("Serif", "", 11)
    subject, _, possessive = _PRONOUNS[cert.pronoun]
    verb = "were" if cert.pronoun == "they" else "was"
    hours = say_hours(cert.hours, cert.hours_style)
    course = rng.choice([f"“{cert.programme}”", cert.programme])
    student = f"(student number {rng.randint(2000000, 2999999)})"
    signed_by_tutor = rng.random() < 0.5
    first = rng.choice(
        [
            f"This is to confirm that {cert.title_as_printed} {student} attended and successfully completed the "
            f"short course {course}, which ran from {when(cert.start)} to {when(cert.end)}. The course carries "
            f"{hours}.",
            f"The {cert.department} certifies that {cert.participant} completed {course} between "
            f"{when(cert.start)} and {when(cert.end)}. {subject.capitalize()} {verb} awarded {hours} for the course.",
            f"{cert.title_as_printed} {student} was enrolled on our non-award course {course} from "
            f"{when(cert.start)} until {when(cert.end)}, and completed all of its requirements; "
            f"{possessive} record shows {hours}.",
        ]
    )
    tutor = (
        f"The course was taught by {cert.instructor_as_printed}, {cert.role}."
        if not signed_by_tutor
        else "I taught the course myself."
    )
    second = (
        f"{tutor} Assessment comprised a reflective portfolio and an observed mentoring session, both of which "
        f"were passed."
    )
    third = rng.choice(
        [
            "Should you require any further information, please do not hesitate to contact the office.",
            "This statement may be presented to professional bodies as evidence of continuing professional development.",
        ]
    )
    for text in (first, second, third):
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.ln(4)
    pdf.cell(0, 6, rng.choice(["Yours faithfully,", "Yours sincerely,"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    if signed_by_tutor:
        name, role = cert.instructor_as_printed, rng.choice([cert.role, "Course Coordinator"])
    else:
        title, registrar = rng.choice(MANAGERS)
        name, role = (
            f"{title} {registrar}".strip(),
            rng.choice(["Academic Registrar", "Deputy Registrar (CPD)"]),
        )
    pdf.set_font("Serif", "B", 11)
    pdf.cell(0, 6, name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Serif", "I", 11)
    pdf.cell(0, 6, role, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, cert.department or cert.centre, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


# --- 4. a line manager's reference, a DOCX with a letterhead table in the page header ---------------


def _engagement(letter: UnseenLetter, rng: random.Random) -> tuple[str, str]:
    subject, object_, possessive = _PRONOUNS[letter.pronoun]
    start, end = say_date(letter.start, letter.date_style), say_date(letter.end, letter.date_style)
    first = rng.choice(
        [
            f"I am the line manager of {letter.mentee} at {letter.organisation}, and I am writing to confirm "
            f"that {letter.mentor} was {letter.mentee_given}'s mentor under our staff development scheme from "
            f"{start} until {end}.",
            f"As {letter.mentee}'s line manager, I was asked to describe the mentoring {subject} received. "
            f"Between {start} and {end}, {letter.mentor} met {letter.mentee_given} as {possessive} mentor roughly "
            "every three weeks, in person and online.",
            f"{letter.mentor} mentored a member of my team, {letter.mentee}, for the period {start} to {end}. "
            f"I have managed {letter.mentee_given} since {subject} joined {letter.organisation}.",
        ]
    )
    second = rng.choice(
        [
            f"Over those months I saw {letter.mentee_given} grow in confidence, take on the planning of "
            f"{possessive} own projects and ask for feedback far more readily. {letter.mentee_given} is happy "
            f"to be contacted directly at {letter.mentee_email} should you wish to hear about the mentoring "
            f"from {object_}.",
            "The sessions were well structured: goals were agreed at the start and reviewed with me halfway "
            f"through. You are welcome to write to {letter.mentee_given} at {letter.mentee_email}; I have "
            f"told {object_} to expect a message.",
        ]
    )
    return first, second


def manager_reference(letter: UnseenLetter, rng: random.Random, path: Path) -> Path:
    """A line manager's reference for the mentor: the organisation's letterhead as a two-cell table in the
    page header (name left, address and switchboard right, no image), the date, a subject line, the
    engagement in two paragraphs with the mentee's email inside a sentence, and a signature with name, title
    and a phone number."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = rng.choice(["Calibri", "Cambria", "Georgia"])
    normal.font.size = Pt(11)
    section = document.sections[0]
    header = section.header
    table = header.add_table(rows=1, cols=2, width=Cm(16))
    left, right = table.rows[0].cells
    name = left.paragraphs[0].add_run(letter.organisation)
    name.bold = True
    name.font.size = Pt(15)
    name.font.color.rgb = rng.choice(
        [RGBColor(0x00, 0x4D, 0x66), RGBColor(0x7A, 0x1F, 0x2B), RGBColor(0x2E, 0x4A, 0x1E)]
    )
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    lines = [*letter.address, f"Tel. {letter.phone}", f"www.{letter.domain}"]
    for index, line in enumerate(lines):
        paragraph = right.paragraphs[0] if index == 0 else right.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(line).font.size = Pt(8)

    def add(text: str = "", *, bold: bool = False, after: int = 8):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(after)
        paragraph.add_run(text).bold = bold
        return paragraph

    add(say_date(letter.written, letter.date_style), after=14)
    add(rng.choice(["The Accreditation Panel", "Mentor Accreditation Committee"]), after=14)
    add(rng.choice(["Dear Panel members,", "Dear Sir or Madam,", "Dear colleagues,"]))
    add(
        rng.choice(
            [f"Reference for {letter.mentor}", f"Re: mentoring of {letter.mentee} by {letter.mentor}"]
        ),
        bold=True,
    )
    for text in _engagement(letter, rng):
        add(text)
    add("Please let me know if I can help further.")
    add(rng.choice(["Yours sincerely,", "Kind regards,"]), after=30)
    add(letter.signer_as_printed, bold=True, after=0)
    add(letter.signer_role, after=0)
    add(letter.organisation, after=0)
    add(rng.choice(["Direct line: ", "Phone: ", "Mobile: "]) + _extension(letter.phone, rng), after=0)
    document.save(path)
    return path


def _extension(phone: str, rng: random.Random) -> str:
    """The signer's own number: the switchboard's with other last digits."""
    return phone[:-3] + f"{rng.randint(100, 999)}"


# --- 5. a forwarded email: the referee's confirmation quoted under the applicant's note ----------------


def _mail_date(value: date, hour: int, minute: int) -> str:
    """Gmail's forwarded-header date: "Tue, Oct 14, 2025 at 9:12 AM"."""
    moment = datetime(value.year, value.month, value.day, hour, minute)
    return f"{moment:%a, %b} {moment.day}, {moment.year} at {moment.hour % 12 or 12}:{moment:%M %p}"


def forwarded_email(letter: UnseenLetter, rng: random.Random, path: Path) -> Path:
    """The mentor forwards the referee's confirmation to the credentials office: a short note signed with the
    mentor's first name, Gmail's "---------- Forwarded message ---------" block, then the referee's message (the
    facts and the signature belong to it). multipart/alternative: plain text (quoted with "> " in some) and an
    HTML part in quoted-printable."""
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.utils import format_datetime

    mentor_first = letter.mentor.split()[0]
    mentor_user = _ascii(letter.mentor).lower().replace(" ", ".").replace("'", "")
    mentor_address = Address(letter.mentor, mentor_user, rng.choice(["mailbox.example", "post.example"]))
    first, *rest = _ascii(letter.signer).lower().replace("'", "").split()
    referee_address = Address(letter.signer, f"{first[0]}.{''.join(rest)}", letter.domain)
    sent = datetime(letter.written.year, letter.written.month, letter.written.day, 16, 5, tzinfo=UTC)
    # The referee wrote a few days before the mentor forwarded it.
    quoted_on = letter.written - timedelta(days=rng.randint(1, 6))
    quoted_hour, quoted_minute = rng.randint(8, 17), rng.randint(0, 59)
    subject = rng.choice(
        [
            "Mentoring confirmation",
            "Confirmation for your accreditation",
            "Your mentoring of " + letter.mentee_given,
        ]
    )
    start, end = say_date(letter.start, letter.date_style), say_date(letter.end, letter.date_style)
    _, _, possessive = _PRONOUNS[letter.pronoun]
    confirmation = [
        rng.choice(["To whom it may concern,", "Dear Accreditation Office,", f"Hi {mentor_first},"]),
        rng.choice(
            [
                f"I am writing to confirm that {letter.mentor} acted as mentor to {letter.mentee} "
                f"({letter.mentee_email}), who works in my team at {letter.organisation}. The mentoring ran from "
                f"{start} through {end}, with meetings roughly once a fortnight.",
                f"As requested, I confirm that {letter.mentor} mentored {letter.mentee} of my team here at "
                f"{letter.organisation} from {start} to {end}. {letter.mentee_given}'s work email is "
                f"{letter.mentee_email} if the panel would like to check with {letter.mentee_given} directly.",
            ]
        ),
        f"{letter.mentee_given} found the sessions valuable and they have made a visible difference to "
        f"{possessive} work.",
        f"{rng.choice(['Kind regards', 'Best wishes', 'Regards'])},",
        f"{letter.signer_as_printed}\n{letter.signer_role}\n{letter.organisation}\n{_extension(letter.phone, rng)}",
    ]
    note = [
        "Hello,",
        rng.choice(
            [
                f"Please find below the confirmation from {letter.mentee_given}'s manager for my application.",
                "Forwarding the referee's confirmation of my mentoring, as your checklist asks.",
            ]
        ),
        rng.choice(["Best,", "Thanks,", "Many thanks,"]) + f"\n{mentor_first}",
    ]
    forward_head = [
        "---------- Forwarded message ---------",
        f"From: {letter.signer} <{referee_address.addr_spec}>",
        f"Date: {_mail_date(quoted_on, quoted_hour, quoted_minute)}",
        f"Subject: {subject}",
        f"To: {letter.mentor} <{mentor_address.addr_spec}>",
    ]
    quoted = "\n\n".join(confirmation)
    if rng.random() < 0.35:  # a client that quotes the forwarded text
        quoted = "\n".join(f"> {line}" if line else ">" for line in quoted.split("\n"))
    plain = "\n\n".join(note) + "\n\n" + "\n".join(forward_head) + "\n\n" + quoted + "\n"

    def e(text: str) -> str:
        return html.escape(text, quote=False)  # as a mail client writes text: only <, > and & escaped

    def paragraphs(parts: list[str]) -> str:
        return "".join(f"<div>{e(part).replace(chr(10), '<br>')}</div><div><br></div>" for part in parts)

    html_body = (
        f'<div dir="ltr">{paragraphs(note)}<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
        f'---------- Forwarded message ---------<br>From: <strong class="gmail_sendername" dir="auto">'
        f'{e(letter.signer)}</strong> <span dir="auto">&lt;{e(referee_address.addr_spec)}&gt;</span><br>'
        f"Date: {e(_mail_date(quoted_on, quoted_hour, quoted_minute))}<br>Subject: {e(subject)}<br>"
        f"To: {e(letter.mentor)} &lt;{e(mentor_address.addr_spec)}&gt;<br></div><br><br>"
        f'<div dir="ltr">{paragraphs(confirmation)}</div></div></div>'
    )
    message = EmailMessage()
    message["From"] = mentor_address
    message["To"] = Address("Accreditation Office", "accreditation", "mentor-board.example")
    message["Subject"] = f"Fwd: {subject}"
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = f"<CAF{rng.randint(10**11, 10**12)}@mail.{mentor_address.domain}>"
    message.set_content(plain, cte=rng.choice(["8bit", "quoted-printable"]))
    message.add_alternative(
        f"<html><body>{html_body}</body></html>\n", subtype="html", cte="quoted-printable"
    )
    path.write_bytes(bytes(message))
    return path


# --- 6. a phone photo: perspective, a slight turn, a shadow across the page ----------------------------


def _perspective_coefficients(output: list, source: list) -> list[float]:
    """Pillow's PERSPECTIVE data mapping each output corner back to its source corner."""
    import numpy as np

    rows = []
    for (x, y), (u, v) in zip(output, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    solution = np.linalg.solve(np.array(rows, dtype=float), np.array(source, dtype=float).reshape(8))
    return solution.tolist()


def phone_photo(page, rng: random.Random, *, unreadable: bool = False):
    """The printed page photographed from above at a slant: the sheet on a surface, turned 0.8–2.5°, the far
    edge narrower (keystone), a soft shadow across one side and light falling off, grain; ``unreadable``
    shrinks and blurs it past reading."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    numbers = np.random.default_rng(rng.randint(0, 2**31))
    tint = np.array(rng.choice([(250, 245, 232), (243, 243, 238), (252, 247, 238)]), dtype=np.float32) / 255
    paper = Image.fromarray((np.asarray(page.convert("RGB"), dtype=np.float32) * tint).astype(np.uint8))
    surface = rng.choice([(165, 150, 128), (58, 60, 66), (196, 190, 178), (112, 80, 58)])
    margin = int(0.09 * max(paper.size))
    canvas = Image.new("RGB", (paper.width + 2 * margin, paper.height + 2 * margin), surface)
    angle = rng.uniform(0.8, 2.5) * rng.choice([-1, 1])
    mask = Image.new("L", paper.size, 255).rotate(angle, expand=True)
    turned = paper.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    canvas.paste(turned, ((canvas.width - turned.width) // 2, (canvas.height - turned.height) // 2), mask)

    width, height = canvas.size
    squeeze = rng.uniform(0.04, 0.08)
    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    if rng.random() < 0.65:  # the top edge further from the lens
        output = [
            (width * squeeze, height * 0.02),
            (width * (1 - squeeze * rng.uniform(0.6, 1.0)), 0),
            (width, height),
            (0, height),
        ]
    else:  # held off to one side
        output = [(0, height * squeeze), (width, 0), (width, height), (0, height * (1 - squeeze * 0.8))]
    photo = canvas.transform(
        (width, height),
        Image.Transform.PERSPECTIVE,
        _perspective_coefficients(output, corners),
        Image.Resampling.BICUBIC,
        fillcolor=surface,
    )

    # A soft shadow (the phone and the hand holding it) over one side, and light falling off across the page.
    shade = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(shade)
    side = rng.choice(["left", "right", "bottom"])
    reach = rng.uniform(0.22, 0.38)
    if side == "left":
        draw.polygon([(0, 0), (width * reach, 0), (width * reach * 0.6, height), (0, height)], fill=255)
    elif side == "right":
        draw.polygon(
            [(width * (1 - reach), 0), (width, 0), (width, height), (width * (1 - reach * 0.5), height)],
            fill=255,
        )
    else:
        draw.polygon(
            [(0, height * (1 - reach)), (width, height * (1 - reach * 0.7)), (width, height), (0, height)],
            fill=255,
        )
    shade = shade.filter(ImageFilter.GaussianBlur(max(width, height) * 0.04))
    darkness = rng.uniform(0.28, 0.42)
    xs = np.linspace(0, 1, width)[None, :]
    ys = np.linspace(0, 1, height)[:, None]
    fall = 1.0 - rng.uniform(0.12, 0.25) * (xs if rng.random() < 0.5 else 1 - xs) * (0.6 + 0.4 * ys)
    light = (fall * (1.0 - darkness * np.asarray(shade, dtype=np.float32) / 255))[..., None]
    pixels = np.asarray(photo, dtype=np.float32) * light + numbers.normal(0, 5, (height, width, 1))
    photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    if unreadable:
        photo = photo.resize((photo.width // 7, photo.height // 7)).filter(ImageFilter.GaussianBlur(3))
    return photo


# --- 7. a flatbed scan of a filed letter: staple, punched holes, the lid's shadow, JPEG in a PDF ----------


def flatbed_scan(page, rng: random.Random):
    """A greyscale office scan of a page taken from a file: turned 0.4–1.8°, a dark band where the lid did not
    close along one edge, two punched holes in the left margin, a staple at the top left, a slightly grey
    background, grain. Saved by the caller as an image-only PDF (Pillow encodes it as JPEG)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    numbers = np.random.default_rng(rng.randint(0, 2**31))
    grey = page.convert("L")
    width, height = grey.size
    draw = ImageDraw.Draw(grey)
    hole = round(width * 0.022)
    if rng.random() < 0.7:  # filed in a ring binder before it was scanned
        x = round(width * 0.035)
        for y in (height * 0.38, height * 0.62):
            draw.ellipse([x - hole, y - hole, x + hole, y + hole], fill=rng.randint(25, 60))
    if rng.random() < 0.6:  # stapled to its covering note
        x, y = round(width * 0.05), round(height * 0.03)
        draw.line([x, y + hole, x + hole * 2, y], fill=70, width=max(2, hole // 5))
    angle = rng.uniform(0.4, 1.8) * rng.choice([-1, 1])
    turned = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=235)
    pixels = np.asarray(turned, dtype=np.float32)
    edge = rng.choice(["left", "right", "top"])
    band = rng.uniform(0.02, 0.05)
    span = pixels.shape[1] if edge != "top" else pixels.shape[0]
    ramp = np.clip(1 - np.arange(span) / (span * band), 0, 1) ** 2 * rng.uniform(120, 180)
    if edge == "right":
        ramp = ramp[::-1]
    shadow = ramp[None, :] if edge != "top" else ramp[:, None]
    pixels = pixels * rng.uniform(0.9, 0.95) + 10 - shadow + numbers.normal(0, 6, pixels.shape)
    scan = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    return scan.filter(ImageFilter.GaussianBlur(0.4))


# --- registration (read by the generator) ---------------------------------------------------------

BUILDERS = {
    ASSOCIATION: (".docx", association_certificate),
    ONLINE: (".html", online_certificate),
    CPD: (".pdf", cpd_statement),
    MANAGER: (".docx", manager_reference),
    FORWARDED: (".eml", forwarded_email),
}
LIBREOFFICE_PDF = (ASSOCIATION,)
FINAL_SUFFIX = {ASSOCIATION: ".pdf", ONLINE: ".pdf", PHOTO: ".jpg", SCAN: ".pdf"}
