"""The second unseen set, held out whole: bilingual attestations, a corporate academy's landscape certificate, a
transcript of modules, a mentee's own letter, an emailed "Yes, I confirm" reply chain, a low-resolution signed scan
and a phone photo.

Written from the outside, from how bilingual training centres, company academies, universities' lifelong-learning
offices, mentees and mail clients issue such documents, without reading the reading rules. Every name,
organisation, programme, wording, date style and hour style here is new to the corpus (none appears in
``content.py`` or ``unseen.py``).

Truth keys and value formats are those of ``content.Certificate`` and ``content.Letter``. A transcript's truth is
its total of hours and the first and last dates of its modules; a letter written by the mentee is signed by the
mentee; a reply chain's signer is whoever replies.
"""

from __future__ import annotations

import html
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from .content import Certificate, Letter

BILINGUAL, ACADEMY, TRANSCRIPT, MENTEE, REPLY, SCAN, PHOTO = (
    "lo_bilingual_attest",
    "html_academy_cert",
    "fpdf_transcript",
    "docx_mentee_letter",
    "eml_reply_chain",
    "scan_signed_pdf",
    "photo_bilingual_jpg",
)
UNSEEN2_FAMILIES = frozenset({BILINGUAL, ACADEMY, TRANSCRIPT, MENTEE, REPLY, SCAN, PHOTO})
# What the raster families are taken of: low-resolution scans of the printed academy certificates and
# transcripts (signed by hand before scanning), phone photos of the printed bilingual attestations.
PHOTOGRAPHED = {SCAN: [ACADEMY, TRANSCRIPT], PHOTO: [BILINGUAL]}
RASTER = frozenset(PHOTOGRAPHED)
UNREADABLE = frozenset({PHOTO})  # the last variant of the photo is blurred beyond reading
# (name, kind, tool, programs needed): the generator makes its ``Family`` rows from these.
FAMILY_ROWS = [
    (BILINGUAL, "certificate", "LibreOffice", ("soffice",)),
    (ACADEMY, "certificate", "Chromium", ("chromium",)),
    (TRANSCRIPT, "certificate", "fpdf2", ()),
    (MENTEE, "letter", "python-docx", ()),
    (REPLY, "letter", "Python email package", ()),
    (SCAN, None, "pdftoppm + Pillow", ("pdftoppm", "chromium")),
    (PHOTO, None, "pdftoppm + Pillow", ("pdftoppm", "soffice")),
]

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
DEJAVU_OBLIQUE = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"
DEJAVU_CONDENSED = "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf"
DEJAVU_CONDENSED_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf"

# --- who and what -------------------------------------------------------------------------------

# (given, middle names sometimes printed, family)
PEOPLE = [
    ("Anne-Sophie", "Marie", "Leclerc-Tremblay"),
    ("Joaquín", "Andrés", "Irigoyen Salaberry"),
    ("Nokuthula", "Nomsa", "Mokoena-Pillay"),
    ("Éloïse", "Ysaline", "Bergeron"),
    ("Radosław", "Piotr", "Kamiński"),
    ("Hye-jin", "", "Seo"),
    ("Faustine", "Odile", "Lévesque-Morin"),
    ("Itzel", "Guadalupe", "Ramírez Calderón"),
    ("Mattias", "Erik", "Fjällström"),
    ("Ifeoluwa", "Temitope", "Adeyemi-Cole"),
    ("Brenda", "Maeve", "O'Rourke-Vance"),
    ("Séverine", "Agathe", "Aubry-Chastel"),
]
MENTEES = [
    ("Ghislaine", "Thériault"),
    ("Nuno", "Figueiredo-Lobo"),
    ("Katarzyna", "Dębska"),
    ("Mamadou", "Sy-Diallo"),
    ("Wiremu", "Ngata-Poutama"),
    ("Lorelei", "Abernethy"),
    ("Dáire", "Ó Súilleabháin"),
    ("Sunniva", "Ødegård"),
    ("Pilar", "Echeverría-Goñi"),
    ("Emre", "Karataş"),
]
SIGNATORIES = [
    "Béatrice Vaillancourt",
    "Hamish Strachan-Goudie",
    "Consuelo Arriaga Mendívil",
    "Anselme Pépin-Giroux",
    "Chinyere Ebubedike",
    "Magnus Thorvaldsen",
    "Marigold Kettering",
    "Delphine Ouellet-Roy",
    "Olamide Bakare",
    "Renata Saldívar",
]
# Bilingual centres: (name, city as the other language writes it, city in English, language)
BILINGUAL_CENTRES = [
    ("Institut Kervalen", "Montréal", "Montreal", "fr"),
    ("Fundación Alto Cauca", "Bogotá", "Bogota", "es"),
    ("Centre Acadie-Mentorat", "Moncton", "Moncton", "fr"),
    ("Centro Tlalocan de Mentoría", "Ciudad de México", "Mexico City", "es"),
    ("Groupe Lumenor", "Genève", "Geneva", "fr"),
]
BILINGUAL_PROGRAMMES = {
    "fr": [
        (
            "Mentoring Skills for Neighbourhood Organisers",
            "Compétences en mentorat pour organisateurs de quartier",
        ),
        ("Foundations of Intercultural Mentoring", "Fondements du mentorat interculturel"),
        ("Mentoring Newly Arrived Professionals", "Accompagner les professionnels nouvellement arrivés"),
    ],
    "es": [
        ("Mentoring in Rural Schools", "Mentoría en escuelas rurales"),
        ("Mentoring Women Entrepreneurs", "Mentoría para mujeres emprendedoras"),
        ("Peer Mentoring for Health Promoters", "Mentoría entre pares para promotores de salud"),
    ],
}
ACADEMIES = [
    ("Norvale Group Academy", "#1d3557"),
    ("Castellan Bank Learning Academy", "#7a1f3d"),
    ("Pyrite Energy Leadership Academy", "#2a6f4e"),
    ("Orrin & Vale Consulting Academy", "#5b4b8a"),
]
ACADEMY_COURSES = [
    "Mentoring Conversations That Stick",
    "Reverse Mentoring Lab",
    "Mentor Bootcamp: Sponsoring Talent",
    "Being a Graduate Buddy",
    "Mentoring Through Change",
]
# Transcript issuers: (institution, office)
TRANSCRIPT_ISSUERS = [
    ("Kilbride School of Professional Practice", "Office of the Registrar"),
    ("Ashcombe Polytechnic", "Extramural Studies Unit"),
    ("Tarn Valley University", "Department of Extended Studies"),
]
TRANSCRIPT_PROGRAMMES = [
    "Postgraduate Award in Mentoring and Coaching Practice",
    "Professional Diploma in Youth Mentoring",
    "University Certificate in Academic Mentoring",
]
MODULES = [
    "Orientation and Learning Contract",
    "The Mentoring Relationship",
    "Questioning and Active Listening",
    "Goal-Setting Frameworks",
    "Safeguarding for Mentors",
    "Reflective Journal and Supervision",
    "Evaluating Mentoring Outcomes",
    "Mentoring Portfolio (assessed)",
]
CONTEXTS = [
    "a newly qualified nurse on the renal ward",
    "in my first year of teaching",
    "a junior analyst trying to find my feet",
    "starting out as a freelance designer",
    "a PhD student thinking about leaving academia",
    "new to managing a small team",
]
REFEREE_MAIL_DOMAINS = ["inboxly.example", "posteo.example", "fastmail.example", "hey.example"]
BODY = "Mentor Accreditation Council"
BODY_ADDRESS = "references@mentor-accreditation.example"

_FR_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
_ES_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()
)
_ROMAN = "I II III IV V VI VII VIII IX X XI XII".split()


def _turn(options: list, variant: int, stride: int = 0):
    return options[(variant + stride) % len(options)]


def _printed(rng: random.Random, person: tuple[str, str, str]) -> str:
    given, middle, family = person
    return " ".join(part for part in (given, middle if rng.random() < 0.45 else "", family) if part)


def _fold(text: str) -> str:
    text = text.replace("ł", "l").replace("ø", "o").replace("Ø", "O").replace("ş", "s")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


# --- saying dates and hours ---------------------------------------------------------------------


def fr_date(value: date, article: bool = True) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{'le ' if article else ''}{day} {_FR_MONTHS[value.month - 1]} {value.year}"


def es_date(value: date) -> str:
    return f"{value.day} de {_ES_MONTHS[value.month - 1]} de {value.year}"


def en_day_month_year(value: date) -> str:
    return f"{value.day} {value:%B} {value.year}"


def fr_range(start: date, end: date) -> str:
    first = "1er" if start.day == 1 else str(start.day)
    month = _FR_MONTHS[start.month - 1]
    if start.year != end.year:
        return f"du {first} {month} {start.year} au {fr_date(end, False)}"
    if start.month != end.month:
        return f"du {first} {month} au {fr_date(end, False)}"
    return f"du {first} au {fr_date(end, False)}"


def es_range(start: date, end: date) -> str:
    month = _ES_MONTHS[start.month - 1]
    if start.year != end.year:
        return f"del {start.day} de {month} de {start.year} al {es_date(end)}"
    if start.month != end.month:
        return f"del {start.day} de {month} al {es_date(end)}"
    return f"del {start.day} al {es_date(end)}"


def en_range(start: date, end: date) -> str:
    if start.year != end.year:
        return f"from {en_day_month_year(start)} to {en_day_month_year(end)}"
    if start.month != end.month:
        return f"from {start.day} {start:%B} to {en_day_month_year(end)}"
    return f"from {start.day} to {en_day_month_year(end)}"


def academy_date(value: date, style: str) -> str:
    """ "04 FEB 2025", "2025.02.04" or "Feb. 4th, 2025"."""
    if style == "caps":
        return f"{value.day:02} {value:%b}".upper() + f" {value.year}"
    if style == "dotted_ymd":
        return f"{value.year}.{value.month:02}.{value.day:02}"
    suffix = "th" if 11 <= value.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(value.day % 10, "th")
    return f"{value:%b}. {value.day}{suffix}, {value.year}"


def transcript_date(value: date, style: str) -> str:
    """ "2025/02/04" or "4.II.2025"."""
    if style == "slashed_ymd":
        return f"{value.year}/{value.month:02}/{value.day:02}"
    return f"{value.day}.{_ROMAN[value.month - 1]}.{value.year}"


def letter_date(value: date, style: str) -> str:
    """ "4th Feb 2025" or "February 4 2025" (no comma), as people type them."""
    if style == "ordinal_abbrev":
        suffix = "th" if 11 <= value.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(value.day % 10, "th")
        return f"{value.day}{suffix} {value:%b} {value.year}"
    return f"{value:%B} {value.day} {value.year}"


def request_date(value: date, style: str) -> str:
    """ "Tue 4 Feb 2025" or "February 4th 2025"."""
    if style == "weekday":
        return f"{value:%a} {value.day} {value:%b} {value.year}"
    suffix = "th" if 11 <= value.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(value.day % 10, "th")
    return f"{value:%B} {value.day}{suffix} {value.year}"


def season(value: date) -> str:
    if value.month in (3, 4, 5):
        return f"spring {value.year}"
    if value.month in (6, 7, 8):
        return f"summer {value.year}"
    if value.month in (9, 10, 11):
        return f"autumn {value.year}"
    return f"the winter of {value.year if value.month == 12 else value.year - 1}"


def _number(hours: Decimal, comma: bool = False) -> str:
    text = f"{hours:f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",") if comma else text


# --- what each document says ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cert2(Certificate):
    """A certificate of this set, its truth that of ``content.Certificate``: ``date_style`` is the language of a
    bilingual attestation; ``extra`` holds what one layout alone prints."""

    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Letter2(Letter):
    """A letter of this set, its truth that of ``content.Letter``."""

    extra: dict = field(default_factory=dict)


def content_for(layout: str, rng: random.Random, variant: int = 0) -> Cert2 | Letter2:
    """What variant ``variant`` of ``layout`` says; organisations and styles go in turn by variant."""
    if layout == BILINGUAL:
        return _bilingual(rng, variant)
    if layout == ACADEMY:
        return _academy(rng, variant)
    if layout == TRANSCRIPT:
        return _transcript(rng, variant)
    return _letter(layout, rng, variant)


def _bilingual(rng: random.Random, variant: int) -> Cert2:
    centre, city, city_en, language = _turn(BILINGUAL_CENTRES, variant)
    english, other = rng.choice(BILINGUAL_PROGRAMMES[language])
    start = date(2023, 9, 4) + timedelta(days=rng.randint(0, 520))
    end = start + timedelta(days=rng.choice([2, 4, 11, 25, 46]))
    hours = Decimal(rng.choice([14, 21, 28, 35])) if rng.random() < 0.7 else Decimal("10.5")
    return Cert2(
        participant=_printed(rng, rng.choice(PEOPLE)),
        programme=english,
        centre=centre,
        department=None,
        hours=hours,
        start=start,
        end=end,
        issued=end + timedelta(days=rng.randint(0, 12)),
        instructor_title="",
        instructor=rng.choice(SIGNATORIES),
        role="",
        date_style=language,
        hours_style=_turn(["plain", "days"], variant // 2),
        extra={
            "programme_other": other,
            "city": city,
            "city_en": city_en,
            "side_by_side": variant % 3 != 2,
            "translated_title": rng.random() < 0.6,
        },
    )


def _academy(rng: random.Random, variant: int) -> Cert2:
    academy, colour = _turn(ACADEMIES, variant)
    start = date(2024, 1, 15) + timedelta(days=rng.randint(0, 480))
    days = rng.choice([1, 1, 2, 3])
    end = start + timedelta(days=days - 1)
    per_day = Decimal(rng.choice(["7", "6.5", "7.5"]))
    return Cert2(
        participant=_printed(rng, rng.choice(PEOPLE)),
        programme=rng.choice(ACADEMY_COURSES),
        centre=academy,
        department=None,
        hours=per_day * days,
        start=start,
        end=end,
        issued=end + timedelta(days=rng.randint(0, 6)),
        instructor_title="",
        instructor=rng.choice(SIGNATORIES),
        role="",
        date_style=_turn(["caps", "dotted_ymd", "ordinal_abbrev_dot"], variant),
        hours_style=_turn(["learning_time", "cpd_colon", "earned"], variant, 1),
        extra={
            "days": days,
            "colour": colour,
            "number": f"{academy.split()[0][:3].upper()}-{start.year}-{rng.randint(100, 99999):05}",
        },
    )


def _transcript(rng: random.Random, variant: int) -> Cert2:
    institution, office = _turn(TRANSCRIPT_ISSUERS, variant)
    count = rng.randint(4, 6)
    names = [MODULES[0], *rng.sample(MODULES[1:-1], count - 2), MODULES[-1]]
    day = date(2023, 9, 11) + timedelta(days=rng.randint(0, 400))
    modules = []
    for name in names:
        length = rng.choice([0, 1, 6, 13, 20, 27])
        hours = Decimal(rng.choice(["3", "3.5", "6", "7.5", "10", "12", "14"]))
        modules.append(
            (f"{rng.choice('MCP')}{rng.randint(100, 499)}", name, day, day + timedelta(days=length), hours)
        )
        day = day + timedelta(days=length + rng.randint(5, 20))
    total = sum((module[4] for module in modules), Decimal(0))
    return Cert2(
        participant=_printed(rng, rng.choice(PEOPLE)),
        programme=rng.choice(TRANSCRIPT_PROGRAMMES),
        centre=institution,
        department=office,
        hours=total,
        start=modules[0][2],
        end=modules[-1][3],
        issued=modules[-1][3] + timedelta(days=rng.randint(14, 60)),
        instructor_title="",
        instructor=rng.choice(SIGNATORIES),
        role="",
        date_style=_turn(["slashed_ymd", "roman_month"], variant),
        hours_style=_turn(["total_row", "total_and_period", "total_and_minimum"], variant, 1),
        extra={
            "modules": modules,
            "foot_first": (variant // 2) % 2 == 1,
            "learner_no": f"{rng.randint(20, 25)}{rng.randint(10000, 99999)}",
        },
    )


def personal_email(given: str, family: str, rng: random.Random, style: str) -> str:
    """ "Ghislaine Thériault" → ghislaine.theriault@, gtheriault@ or ghislaine_t<year>@ at a mail provider."""
    first, last = _fold(given), _fold(family).replace(" ", "").replace("'", "")
    domain = rng.choice(REFEREE_MAIL_DOMAINS)
    if style == "initial":
        return f"{first[0]}{last.replace('-', '')}@{domain}"
    if style == "underscore":
        return f"{first}_{last[0]}{rng.randint(80, 99)}@{domain}"
    return f"{first}.{last}@{domain}"


def _letter(layout: str, rng: random.Random, variant: int) -> Letter2:
    given, family = rng.choice(MENTEES)
    mentee = f"{given} {family}"
    start = date(2022, 3, 1) + timedelta(days=rng.randint(0, 700))
    end = start + timedelta(days=rng.randint(120, 400))
    mentor_person = rng.choice(PEOPLE)
    mentor = _printed(rng, mentor_person)
    email = personal_email(given, family, rng, _turn(["dotted", "initial", "underscore"], variant))
    if layout == MENTEE:
        signer = mentee
        style = _turn(["ordinal_abbrev", "month_first"], variant)
        extra = {
            "mentor_given": mentor_person[0],
            "context": rng.choice(CONTEXTS),
            "phone": rng.random() < 0.5,
        }
    else:
        by_mentee = variant % 2 == 0
        signer = mentee if by_mentee else rng.choice(SIGNATORIES)
        style = _turn(["weekday", "ordinal_month_first"], variant // 2)
        extra = {
            "by_mentee": by_mentee,
            "html": variant % 4 in (1, 2),
            "mentor_given": mentor_person[0],
            "signer_email": email if by_mentee else personal_email(*signer.split(" ", 1), rng, "dotted"),
            "reply_wording": _turn(
                [
                    "Yes, I confirm.",
                    "Yes – I can confirm all of the above.",
                    "Confirmed, that is all correct.",
                ],
                variant,
            ),
        }
    return Letter2(
        mentor=mentor,
        mentee=mentee,
        mentee_email=email,
        start=start,
        end=end,
        written=end + timedelta(days=rng.randint(20, 200)),
        signer_title="",
        signer=signer,
        signer_role="",
        organisation=BODY,
        date_style=style,
        extra=extra,
    )


# --- 1. a bilingual attestation (python-docx, then LibreOffice) ----------------------------------


def bilingual_certificate(cert: Cert2, rng: random.Random, path: Path) -> Path:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    extra = cert.extra
    french = cert.date_style == "fr"
    document = docx.Document()
    section = document.sections[0]
    if rng.random() < 0.4:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(1.8)
    style = document.styles["Normal"]
    style.font.name = rng.choice(["Liberation Serif", "Liberation Sans"])
    style.font.size = Pt(11)

    def centred(text: str = "", size: float = 11, bold: bool = False, italic: bool = False, after: float = 4):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(after)
        if text:
            run = paragraph.add_run(text)
            run.font.size, run.bold, run.italic = Pt(size), bold, italic
        return paragraph

    other_title = "Attestation de participation" if french else "Constancia de participación"
    centred(cert.centre.upper(), 15, bold=True, after=0)
    centred(
        f"{extra['city']} · {'Formation continue' if french else 'Formación continua'}",
        9,
        italic=True,
        after=18,
    )
    centred(f"Certificate of Attendance / {other_title}", 19, bold=True, after=16)

    if french:
        lines = [
            ("This is to certify that", "Nous attestons que"),
            (None, None),
            ("attended the training programme", "a suivi la formation"),
            (cert.programme, extra["programme_other"]),
            (en_range(cert.start, cert.end), fr_range(cert.start, cert.end)),
            (_bilingual_hours_en(cert), _bilingual_hours_other(cert)),
        ]
    else:
        lines = [
            ("This is to certify that", "Se hace constar que"),
            (None, None),
            ("took part in the programme", "participó en el programa"),
            (cert.programme, extra["programme_other"]),
            (en_range(cert.start, cert.end), es_range(cert.start, cert.end)),
            (_bilingual_hours_en(cert), _bilingual_hours_other(cert)),
        ]
    if not extra["translated_title"]:
        lines[3] = (cert.programme, cert.programme)
    if extra["side_by_side"]:
        table = document.add_table(rows=0, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for english, other in lines:
            if english is None:
                centred(cert.participant, 22, bold=True, after=10)
                table = document.add_table(rows=0, cols=2)
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                continue
            cells = table.add_row().cells
            for cell, text, italic in ((cells[0], english, False), (cells[1], other, True)):
                paragraph = cell.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(text)
                run.italic = italic
                run.bold = text in (cert.programme, extra["programme_other"])
                run.font.color.rgb = RGBColor(0x33, 0x33, 0x33) if italic else RGBColor(0, 0, 0)
    else:
        for english, other in lines:
            if english is None:
                centred(cert.participant, 22, bold=True, after=10)
                continue
            bold = english == cert.programme
            if english == other:
                centred(english, 12, bold=bold, after=8)
                continue
            centred(english, 12 if bold else 11, bold=bold, after=0)
            centred(other, 10, italic=True, after=8)

    centred(after=14)
    issued_other = (
        f"Fait à {extra['city']}, {fr_date(cert.issued)}"
        if french
        else f"Expedido en {extra['city']}, el {es_date(cert.issued)}"
    )
    centred(
        f"{issued_other} / Issued in {extra['city_en']} on {en_day_month_year(cert.issued)}", 10, after=26
    )
    centred("______________________________", 10, after=0)
    centred(cert.instructor, 11, bold=True, after=0)
    role = (
        rng.choice(["Responsable de la formation / Lead Trainer", "Responsable pédagogique / Programme Lead"])
        if french
        else rng.choice(
            ["Docente responsable / Lead Trainer", "Coordinación académica / Academic Coordinator"]
        )
    )
    centred(role, 9, italic=True, after=0)
    document.save(path)
    return path


def _bilingual_hours_en(cert: Cert2) -> str:
    if cert.hours_style == "days" and cert.hours % 7 == 0:
        return f"{int(cert.hours / 7)} days of {7} hours — {_number(cert.hours)} training hours"
    return f"Length: {_number(cert.hours)} training hours"


def _bilingual_hours_other(cert: Cert2) -> str:
    if cert.date_style == "fr":
        return f"Durée : {_number(cert.hours, comma=True)} heures"
    return f"Duración: {_number(cert.hours, comma=True)} horas"


# --- 2. a corporate academy's landscape certificate (HTML, Chromium) -----------------------------


def academy_certificate(cert: Cert2, rng: random.Random, path: Path) -> Path:
    extra = cert.extra
    e = html.escape
    say = lambda value: academy_date(value, cert.date_style)  # noqa: E731
    if cert.start == cert.end:
        when = f"on {say(cert.start)}"
    else:
        when = rng.choice(["between {a} and {b}", "delivered {a} to {b}"]).format(
            a=say(cert.start), b=say(cert.end)
        )
    number = _number(cert.hours)
    if cert.hours_style == "learning_time":
        days = extra["days"]
        hours_line = f"Total learning time: {days} day{'s' if days > 1 else ''} ({number} hours)"
    elif cert.hours_style == "cpd_colon":
        hours_line = f"CPD: {number}"
    else:
        hours_line = f"{number} learning hours earned"
    intro = rng.choice(["Proudly awarded to", "Recognising", "This certifies that"])
    doing = rng.choice(["for completing", "on completion of"])
    heading = rng.choice(["Certificate of Achievement", "Academy Certificate", "Certificate"])
    # The spaced-out brand reads as single letters: the academy is named in plain words once more.
    if rng.random() < 0.5:
        programme_of, director = f"a programme of the {cert.centre}", "Academy Director"
    else:
        programme_of, director = "", f"Director, {cert.centre}"
    colour = extra["colour"]
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "Liberation Sans", "DejaVu Sans", sans-serif; color: #222; }}
.sheet {{ width: 297mm; height: 210mm; box-sizing: border-box; padding: 16mm 22mm 12mm; position: relative;
  border-left: 14mm solid {colour}; }}
.brand {{ font-size: 11pt; letter-spacing: .18em; text-transform: uppercase; color: {colour}; font-weight: bold; }}
h1 {{ font-weight: 300; font-size: 30pt; margin: 10mm 0 6mm; color: #333; }}
.intro, .doing {{ font-size: 12pt; color: #555; margin: 0; }}
.name {{ font-size: 28pt; margin: 6mm 0 0; padding-bottom: 2mm; border-bottom: 0.4pt solid #888; width: 62%; }}
.course {{ font-size: 19pt; font-weight: bold; margin: 3mm 0 2mm; color: {colour}; }}
.when, .hours {{ font-size: 11pt; margin: 1.5mm 0; }}
table.foot {{ position: absolute; left: 22mm; right: 22mm; bottom: 14mm; width: calc(100% - 44mm);
  border-collapse: collapse; }}
table.foot td {{ border-top: 1pt solid {colour}; padding: 2mm 4mm 0 0; vertical-align: top; width: 33%;
  font-size: 11pt; }}
.cap {{ display: block; font-size: 7.5pt; text-transform: uppercase; letter-spacing: .12em; color: #777; }}
</style></head><body><div class="sheet">
<div class="brand">{e(cert.centre)}</div>
<h1>{e(heading)}</h1>
<p class="intro">{e(intro)}</p>
<div class="name">{e(cert.participant)}</div>
<p class="doing">{e(doing)}</p>
<div class="course">{e(cert.programme)}</div>
{f'<p class="when">{e(programme_of)}</p>' if programme_of else ""}
<p class="when">{e(when)}</p>
<p class="hours">{e(hours_line)}</p>
<table class="foot"><tr>
<td><span class="cap">Date</span>{e(say(cert.issued))}</td>
<td><span class="cap">Certificate No.</span>{e(extra["number"])}</td>
<td><span class="cap">Director</span>{e(cert.instructor)}<br><small>{e(director)}</small></td>
</tr></table>
</div></body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path


# --- 3. a transcript of modules (fpdf2's table API) ---------------------------------------------


def module_transcript(cert: Cert2, rng: random.Random, path: Path) -> Path:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    extra = cert.extra
    say = lambda value: transcript_date(value, cert.date_style)  # noqa: E731
    pdf = FPDF(format="A4")
    pdf.set_compression(rng.random() < 0.5)
    pdf.add_font("body", "", DEJAVU_CONDENSED)
    pdf.add_font("body", "B", DEJAVU_CONDENSED_BOLD)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    if extra["foot_first"]:  # drawn first: the page's text runs foot, then head, in the file's own order
        _transcript_foot(pdf, cert)
    pdf.set_font("body", "B", 15)
    pdf.cell(0, 8, cert.centre, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", "", 10)
    pdf.cell(0, 5, cert.department, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(90, 90, 90)
    pdf.line(18, pdf.get_y() + 2, 192, pdf.get_y() + 2)
    pdf.ln(7)
    pdf.set_font("body", "B", 13)
    pdf.cell(0, 7, rng.choice(["Transcript of Study", "Training Record", "Record of Modules Completed"]))
    pdf.ln(11)
    pdf.set_font("body", "", 10)
    for label, value in (
        ("Learner", cert.participant),
        ("Learner number", extra["learner_no"]),
        ("Programme of study", cert.programme),
    ):
        pdf.set_font("body", "", 9)
        pdf.cell(42, 6, label)
        pdf.set_font("body", "B", 10.5)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    pdf.set_font("body", "", 9.5)
    grey = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
    with pdf.table(
        col_widths=(16, 70, 28, 28, 18),
        text_align=("LEFT", "LEFT", "CENTER", "CENTER", "RIGHT"),
        headings_style=grey,
        line_height=6.5,
        borders_layout=rng.choice(["SINGLE_TOP_LINE", "HORIZONTAL_LINES", "ALL"]),
    ) as table:
        table.row(["Code", "Module", "Began", "Completed", "Hours"])
        for code, name, begun, finished, hours in extra["modules"]:
            table.row([code, name, say(begun), say(finished), _number(hours)])
        table.row(["", "Total", "", "", _number(cert.hours)], style=FontFace(emphasis="BOLD"))
    pdf.ln(6)
    pdf.set_font("body", "", 10)
    if cert.hours_style == "total_and_period":
        pdf.cell(
            0, 6, f"Period of study: {say(cert.start)} to {say(cert.end)}", new_x="LMARGIN", new_y="NEXT"
        )
    if cert.hours_style == "total_and_minimum":
        minimum = max(10, int(cert.hours) // 10 * 10)
        pdf.cell(
            0,
            6,
            f"Minimum for the award: {minimum} hours of study across all modules.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.cell(0, 6, "Result: all modules passed; award conferred.", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Date of issue: {say(cert.issued)}", new_x="LMARGIN", new_y="NEXT")
    if not extra["foot_first"]:
        _transcript_foot(pdf, cert)
    pdf.output(str(path))
    return path


def _transcript_foot(pdf, cert: Cert2) -> None:
    """The signatory's line and the note at the foot of the page; the cursor goes back where it was."""
    y = pdf.get_y()
    pdf.set_y(250)
    pdf.line(18, 250, 88, 250)
    pdf.set_font("body", "B", 10)
    pdf.cell(0, 6, cert.instructor, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", "", 9)
    pdf.cell(0, 5, "Programme Lead", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(280)
    pdf.set_font("body", "", 7)
    pdf.cell(0, 4, "This transcript is not valid without the signature of the Programme Lead.", align="C")
    pdf.set_y(y)


# --- 4. the mentee's own letter (python-docx) ----------------------------------------------------


def mentee_letter(letter: Letter2, rng: random.Random, path: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    extra = letter.extra
    say = lambda value: letter_date(value, letter.date_style)  # noqa: E731
    first = extra["mentor_given"]
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = rng.choice(["Calibri", "Liberation Sans", "DejaVu Sans"])
    normal.font.size = Pt(11)
    if rng.random() < 0.6:
        paragraph = document.add_paragraph(say(letter.written))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(rng.choice(["To the assessors,", "Hi there,", "Hello,"]))
    ending = rng.choice(["early", "late"]) + f" {letter.end.year}"
    document.add_paragraph(
        f"I'm writing in support of {letter.mentor}'s application. I was mentored by {first} between "
        f"{season(letter.start)} and {ending}, when I was {extra['context']}, and I'm happy to say a few words "
        "about what that was like from my side."
    )
    document.add_paragraph(
        rng.choice(
            [
                f"{first} never told me what to do, which annoyed me at first. Looking back, the questions were "
                "the point: I left most sessions with one thing to try and came back with what had happened.",
                f"We met roughly every three weeks, mostly over coffee and sometimes on a video call. {first} "
                "helped me get through a difficult restructure and pushed me to apply for the role I now hold.",
                f"What stood out was how well {first} listened. I always felt the sessions were about my goals, "
                "and when I got stuck there was always a practical suggestion or someone to talk to.",
            ]
        )
    )
    document.add_paragraph(
        rng.choice(
            [
                "To be exact, our first conversation was on {a} and our last one on {b}.",
                "For your records, we started on {a} and wrapped up on {b}.",
                "I checked my calendar: the first meeting was {a} and the final one {b}.",
            ]
        ).format(a=say(letter.start), b=say(letter.end))
    )
    document.add_paragraph(
        rng.choice(
            [
                "Please get in touch if you want to know more.",
                "Feel free to email me if anything else would help.",
            ]
        )
    )
    document.add_paragraph(rng.choice(["Best wishes,", "Warmly,", "Thanks so much,", "Cheers,"]))
    sign = document.add_paragraph(letter.mentee)
    sign.paragraph_format.space_after = Pt(0)
    mail = document.add_paragraph(letter.mentee_email)
    mail.paragraph_format.space_after = Pt(0)
    if extra["phone"]:
        document.add_paragraph(f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}")
    document.save(path)
    return path


# --- 5. a reply chain saved as .eml (Python's email package) -------------------------------------


def reply_chain(letter: Letter2, rng: random.Random, path: Path) -> Path:
    from email import policy
    from email.message import EmailMessage
    from email.utils import format_datetime

    extra = letter.extra
    say = lambda value: request_date(value, letter.date_style)  # noqa: E731
    referee_given = letter.signer.split()[0]
    asked = datetime.combine(letter.written, datetime.min.time(), UTC) + timedelta(hours=rng.randint(8, 16))
    replied = asked + timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 7), minutes=rng.randint(0, 59))
    role = "mentee" if extra["by_mentee"] else "referee"
    request = [
        f"Dear {referee_given},",
        "",
        f"{letter.mentor} has applied to the {BODY} and has named you as a {role}.",
        "In their application they state:",
        "",
        f"  Mentor: {letter.mentor}",
        f"  Mentee: {letter.mentee} <{letter.mentee_email}>",
        f"  Mentoring relationship: {say(letter.start)} to {say(letter.end)}",
        "",
        "Could you reply to this email to confirm these details, or tell us what is not right?",
        "",
        "With thanks,",
        f"Reference Checks Team, {BODY}",
    ]
    if extra["by_mentee"]:
        confirm = f"{extra['mentor_given']} mentored me over exactly that period."
    else:
        confirm = (
            f"I coordinated the scheme and can vouch that {extra['mentor_given']} mentored {letter.mentee}."
        )
    reply = [
        extra["reply_wording"],
        "",
        confirm,
        "",
        rng.choice(["Best,", "Kind regards,", "Thanks,"]),
        letter.signer,
    ]
    quoted_from = f"Reference Checks Team <{BODY_ADDRESS}>"
    message = EmailMessage(policy=policy.default)
    message["From"] = f"{letter.signer} <{extra['signer_email']}>"
    message["To"] = quoted_from
    message["Subject"] = f"Re: Please confirm: mentoring by {letter.mentor}"
    message["Date"] = format_datetime(replied)
    message["Message-ID"] = (
        f"<{rng.getrandbits(64):016x}.{replied:%Y%m%d%H%M}@{extra['signer_email'].split('@')[1]}>"
    )
    original = f"<ref-{rng.getrandbits(48):012x}@mentor-accreditation.example>"
    message["In-Reply-To"] = original
    message["References"] = original
    when = f"{asked:%a}, {asked.day} {asked:%b} {asked.year} at {asked:%H:%M}"
    if not extra["html"]:
        lines = [*reply, "", f"On {when}, {quoted_from} wrote:", *[f"> {line}".rstrip() for line in request]]
        message.set_content("\n".join(lines) + "\n", cte=rng.choice(["8bit", "quoted-printable"]))
    else:
        e = html.escape
        body = "".join(f"<div>{e(line) or '<br>'}</div>" for line in reply)
        rows = "".join(
            f"<tr><td style='padding-right:12px;color:#555'>{e(label)}</td><td><b>{e(value)}</b></td></tr>"
            for label, value in (
                ("Mentor", letter.mentor),
                ("Mentee", f"{letter.mentee} <{letter.mentee_email}>"),
                ("Mentoring relationship", f"{say(letter.start)} to {say(letter.end)}"),
            )
        )
        quoted = (
            f"<p>{e(request[0])}</p><p>{e(request[2])}<br>{e(request[3])}</p><table>{rows}</table>"
            f"<p>{e(request[9])}</p><p>{e(request[11])}<br>{e(request[12])}</p>"
        )
        page = (
            f"<html><body>{body}<br><div>On {e(when)}, {e(quoted_from)} wrote:</div>"
            f'<blockquote type="cite" style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">'
            f"{quoted}</blockquote></body></html>"
        )
        message.set_content(page, subtype="html", cte=rng.choice(["8bit", "quoted-printable"]))
    path.write_bytes(message.as_bytes())
    return path


BUILDERS = {
    BILINGUAL: (".docx", bilingual_certificate),
    ACADEMY: (".html", academy_certificate),
    TRANSCRIPT: (".pdf", module_transcript),
    MENTEE: (".docx", mentee_letter),
    REPLY: (".eml", reply_chain),
}
LIBREOFFICE_PDF = (BILINGUAL,)
FINAL_SUFFIX = {BILINGUAL: ".pdf", ACADEMY: ".pdf", SCAN: ".pdf", PHOTO: ".jpg"}


# --- 6. a low-resolution signed scan and a phone photo (Pillow) ----------------------------------


def raster(
    family: str, source: str, page, rng: random.Random, unreadable: bool, path: Path, dpi: int
) -> None:
    """Save ``page`` (a 150 dpi rendering of the printed source) as the scan or the photo."""
    if family == SCAN:
        lowres_signed_scan(page, rng, source).save(path, "PDF", resolution=float(dpi))
    else:
        bilingual_photo(page, rng, unreadable=unreadable).save(path, quality=76)


def _signature(draw, rng: random.Random, x: float, y: float, width: float, ink) -> None:
    """A scrawl: a few looping strokes and an underline, like a quick signature in ballpoint."""
    import math

    points = []
    loops = rng.randint(4, 7)
    for step in range(160):
        t = step / 159
        px = x + t * width + math.cos(t * loops * 2 * math.pi) * width * 0.05
        py = y - math.sin(t * loops * 2 * math.pi + rng.random() * 0.2) * width * 0.14 * (1.1 - t * 0.7)
        points.append((px, py))
    draw.line(points, fill=ink, width=3, joint="curve")
    draw.line([(x - width * 0.05, y + width * 0.1), (x + width * 1.05, y + width * 0.07)], fill=ink, width=2)


def lowres_signed_scan(page, rng: random.Random, source: str):
    from io import BytesIO

    from PIL import Image, ImageDraw, ImageFilter

    image = page.convert("RGB")
    draw = ImageDraw.Draw(image)
    ink = rng.choice([(28, 40, 120), (20, 20, 30)])
    if source == ACADEMY:  # above the Director's cell on the right of the footer
        x, y = image.width * rng.uniform(0.70, 0.75), image.height * rng.uniform(0.80, 0.82)
    else:  # above the Programme Lead's line near the foot
        x, y = image.width * rng.uniform(0.11, 0.16), image.height * rng.uniform(0.81, 0.82)
    _signature(draw, rng, x, y, image.width * 0.13, ink)
    image = image.convert("L").point(lambda value: min(255, int(value * 1.06) + 6))
    image = image.rotate(
        rng.uniform(0.5, 1.5) * rng.choice([-1, 1]), resample=Image.BICUBIC, expand=True, fillcolor=250
    )
    image = image.filter(ImageFilter.GaussianBlur(0.45))
    for quality in (rng.randint(28, 40), rng.randint(35, 50)):
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        buffer.seek(0)
        image = Image.open(buffer)
        image.load()
    return image


def bilingual_photo(page, rng: random.Random, *, unreadable: bool = False):
    import numpy as np
    from PIL import Image, ImageFilter

    page = page.convert("RGB")
    width, height = page.size
    margin = int(width * 0.08)
    canvas = Image.new(
        "RGB", (width + 2 * margin, height + 2 * margin), rng.choice([(96, 72, 52), (60, 62, 66)])
    )
    canvas.paste(page, (margin, margin))
    # A camera held a little off square: the far edge narrower than the near one.
    squeeze = rng.uniform(0.02, 0.05) * width
    corners = [  # the source quadrilateral: upper left, lower left, lower right, upper right
        (margin - squeeze, margin - squeeze * 0.4),
        (margin * 0.6, margin * 1.4 + height),
        (margin * 1.4 + width, margin * 1.4 + height),
        (margin + width + squeeze, margin - squeeze * 0.4),
    ]
    photo = canvas.transform(
        canvas.size, Image.Transform.QUAD, [v for point in corners for v in point], Image.BICUBIC
    )
    photo = photo.rotate(
        rng.uniform(0.6, 2.2) * rng.choice([-1, 1]), resample=Image.BICUBIC, fillcolor=(70, 60, 50)
    )
    pixels = np.asarray(photo).astype(np.float32)
    ys, xs = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]]
    cx, cy = rng.uniform(0.3, 0.7) * pixels.shape[1], rng.uniform(0.2, 0.5) * pixels.shape[0]
    distance = np.hypot(xs - cx, ys - cy) / max(pixels.shape)
    light = 1.06 - 0.38 * distance  # a lamp above one spot, falling off to the edges
    tint = np.array([1.0, 0.97, 0.9], dtype=np.float32)
    pixels = np.clip(pixels * light[..., None] * tint, 0, 255)
    photo = Image.fromarray(pixels.astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    if unreadable:
        small = photo.resize((photo.width // 8, photo.height // 8)).filter(ImageFilter.GaussianBlur(2.5))
        photo = small.resize((photo.width // 2, photo.height // 2))
    return photo
