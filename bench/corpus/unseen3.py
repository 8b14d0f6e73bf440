"""The third unseen set, held out whole: a guild's landscape award drawn as shapes in LibreOffice, a university's
certificate of attendance, a professional body's CPD record, an electronically signed two-page reference, a
US mentoring charity's letter typed as RTF, a mentoring platform's automated confirmation email, and phone
photos of the printed certificates.

Written from the outside, from how guilds and foundations, universities' short-course offices, professional
bodies, employers, mentoring charities and mentoring platforms issue such documents, without reading the reading
rules. Every name, organisation, programme, wording, date style and hour style here is new to the corpus (none
appears in ``content.py``, ``unseen.py`` or ``unseen2.py``).

Truth keys and value formats are those of ``content.Certificate`` and ``content.Letter``. A CPD record's truth is
its total of hours and the first and last dates of its sessions, its centre the provider named in it (not the
body that keeps the record); a platform's notice is signed by the coordinator who confirmed the relationship.
"""

from __future__ import annotations

import html
import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from .content import Certificate, Letter

IMPRESS, ATTEND, CPD, ESIGNED, RTF, NOTICE, PHOTO = (
    "lo_drawn_award",
    "html_attendance_cert",
    "fpdf_cpd_record",
    "docx_esigned_letter",
    "lo_rtf_coordinator",
    "eml_platform_notice",
    "photo_award_jpg",
)
UNSEEN3_FAMILIES = frozenset({IMPRESS, ATTEND, CPD, ESIGNED, RTF, NOTICE, PHOTO})
# Phone photos of the printed awards, attendance certificates and CPD records.
PHOTOGRAPHED = {PHOTO: [IMPRESS, ATTEND, CPD]}
RASTER = frozenset(PHOTOGRAPHED)
UNREADABLE = frozenset({PHOTO})  # the last variant of the photo is blurred beyond reading
# (name, kind, tool, programs needed): the generator makes its ``Family`` rows from these.
FAMILY_ROWS = [
    (IMPRESS, "certificate", "LibreOffice (flat ODT of page-anchored shapes to PDF)", ("soffice",)),
    (ATTEND, "certificate", "Chromium", ("chromium",)),
    (CPD, "certificate", "fpdf2", ()),
    (ESIGNED, "letter", "python-docx", ()),
    (RTF, "letter", "LibreOffice (RTF to PDF)", ("soffice",)),
    (NOTICE, "letter", "Python email package", ()),
    (PHOTO, None, "pdftoppm + Pillow", ("pdftoppm", "soffice", "chromium")),
]

URW = Path("/usr/share/fonts/opentype/urw-base35")
FREE = Path("/usr/share/fonts/truetype/liberation")

# --- who and what -------------------------------------------------------------------------------

# (honorific printed on some documents, name)
PEOPLE = [
    ("Ms", "Çağla Yıldırım-Baert"),
    ("Mr", "Íñigo Zubizarreta Oñate"),
    ("Mr", "Bjørnar Haugland"),
    ("Mme", "Amélie Courtois-Nakamura"),
    ("Ms", "Lindiwe Khumalo-Reyes"),
    ("Mr", "Ólafur Gunnarsson"),
    ("Ms", "Mercè Puigdomènech i Soler"),
    ("Ms", "Rhiannon Llewellyn-Bose"),
    ("Mr", "Tadeusz Wróblewski"),
    ("Ms", "Joëlle van Acker"),
    ("Mr", "Sebastián de la Cruz Montaño"),
    ("Ms", "Bláthnaid Ní Fhlatharta"),
    ("Mr", "Dariush Rostami-Lund"),
    ("Ms", "Aurore Desprès-Whitlock"),
]
MENTEES = [
    "Lúcia Damasceno",
    "Torbjørn Ødemark",
    "Zeynep Aksoy-Hartley",
    "Mariam Ouédraogo",
    "Cosmin Vlădescu",
    "Inès Benhamou-Roche",
    "Tevita Fifita",
    "Ffion Pritchard-Okoro",
    "Ignacio Barrientos",
    "Solenn Le Guével",
]
# (honorific, name): tutors, assessors, coordinators, managers
STAFF = [
    ("Dr", "Aitor Echegaray-Ibáñez"),
    ("Prof.", "Hildegard Österlund"),
    ("Ms", "Nyambura Wanjiku"),
    ("", "Gaëtan Lemieux-Caron"),
    ("Dr.", "Perpetua Onyekachi"),
    ("Mx", "Rowan Achterhof"),
    ("Mrs", "Remedios Quiñónez"),
    ("Mr", "Fergus Mac Lochlainn"),
    ("", "Benedikte Skovgaard"),
    ("Dr", "Anjali Venkataraman-Hirst"),
]
CHAIRS = ["Winifred Polglase", "Dirk-Jan Heemskerk", "Ursula Brenninkmeijer", "Cadoc Penhaligon"]
REGISTRARS = ["Morwenna Tregaskis", "Eustace Okonkwo-Bright", "Linnea Sandqvist", "Gideon Abramowicz"]

# Award issuers: (name, initials on the seal, year founded, footer line, date style)
GUILDS = [
    (
        "Rosemullion Mentoring Guild",
        "R · M · G",
        1987,
        "14 Quay Street, Truro TR1 2HE · Charity no. 1187340",
        "day_of",
    ),
    (
        "Vlierhof Foundation for Vocational Mentoring",
        "V · F · V · M",
        1994,
        "Havenkade 31, 4381 BE Vlissingen",
        "dots",
    ),
    ("Tresillian Society of Mentors", "T · S · M", 1979, "The Old Custom House, Fowey PL23 1AA", "day_of"),
    (
        "Mentorenkreis Bodensee e.V.",
        "M · K · B",
        2003,
        "Seestraße 112, 88045 Friedrichshafen · VR 2417",
        "dots",
    ),
]
GUILD_PROGRAMMES = [
    "Award in Mentoring Apprentices on Site",
    "Mentoring Skills for Shift Supervisors",
    "Practitioner Award in Group Mentoring",
    "Mentoring Craft Trainees Through Their First Year",
]
GUILD_ROLES = ["Course Assessor", "Award Tutor", "Lead Assessor"]
# Universities: (name, office, country, date style)
UNIVERSITIES = [
    ("Strathcarron University", "Centre for Short Courses", "UK", "ordinal_compact"),
    ("Tamarack State University", "Division of Professional and Continuing Studies", "USA", "abbrev_compact"),
    ("Holmwood University", "School of Professional Studies", "UK", "ordinal_compact"),
    ("Kittatinny College", "Office of Noncredit Programs", "USA", "abbrev_compact"),
]
SHORT_COURSES = [
    "Mentoring Postgraduate Researchers",
    "The Reflective Mentor in Practice",
    "Mentoring Across the Disciplines",
    "Summer School in Mentoring Leadership",
]
CONVENOR_ROLES = ["Course Convenor", "Short Course Director"]
# Professional bodies keeping CPD records: (name, record prefix, date style)
BODIES = [
    ("Association of Registered Mentoring Practitioners", "ARMP", "excel"),
    ("Irish Institute of Workplace Mentors", "IIWM", "short_year"),
    ("Society for Clinical Mentorship and Preceptorship", "SCMP", "excel"),
]
PROVIDERS = [
    "Glenveagh Training Partnership",
    "Moorgate Coaching Rooms Ltd",
    "Ystrad Mentoring School",
    "Coldharbour Practice Education Unit",
]
CPD_PROGRAMMES = [
    "Supervising Mentors in Practice",
    "Mentoring for Apprentice Assessors",
    "Preceptorship Skills for Mentors",
]
SESSION_TOPICS = [
    "Induction and contracting",
    "Observed mentoring triad",
    "Feedback that lands",
    "Working with resistance",
    "Ethics case clinic",
    "Supervised practice review",
    "Portfolio sign-off tutorial",
]
CPD_MODES = ["Face to face", "Live online", "Blended"]
# Employers writing the signed references: (name, address line, mail domain, date style)
EMPLOYERS = [
    (
        "Tolsey Port Authority",
        "Harbour Office, Tolsey Quay, Gloucester GL1 2EH",
        "tolseyport.example",
        "padded_long",
    ),
    (
        "Kerrisdale Software Inc.",
        "1800 West Ninth Street, Suite 400, Austin, TX 78703",
        "kerrisdale.example",
        "weekday_us",
    ),
    (
        "Fernhill Dairies Co-operative",
        "Creamery Road, Fernhill, Cork P25 XK71",
        "fernhilldairies.example",
        "padded_long",
    ),
    (
        "Wabash Valley Regional Hospital",
        "2200 North Seventh Street, Terre Haute, IN 47804",
        "wvrh.example",
        "weekday_us",
    ),
]
MANAGER_ROLES = [
    "Director of Operations",
    "Head of Clinical Education",
    "Engineering Manager",
    "Site Manager",
]
# US mentoring charities: (name, street, city line, program name)
CHARITIES = [
    (
        "Bridgeport Youth Mentoring Alliance",
        "455 Fairfield Avenue",
        "Bridgeport, CT 06604",
        "Next Step Mentoring",
    ),
    (
        "Cascadia Women in Trades Network",
        "3121 SE Division Street",
        "Portland, OR 97202",
        "Journey Mentor Match",
    ),
    (
        "Sangre de Cristo Teachers' Circle",
        "118 Paseo de Peralta",
        "Santa Fe, NM 87501",
        "First-Year Teacher Mentoring",
    ),
]
COORDINATOR_ROLES = [
    "Mentoring Program Coordinator",
    "Match Support Specialist",
    "Program Manager, Mentoring",
]
# Mentoring platforms and the programmes run on them: (platform, sender domain, organisation, programme)
PLATFORMS = [
    ("Pairwise", "pairwise-mentoring.example", "Osprey Bay Health", "Clinical Mentoring Programme"),
    ("Kinfolk Mentor", "kinfolkmentor.example", "Lowmoor Borough Council", "Leaders of Tomorrow Mentoring"),
    (
        "Pairwise",
        "pairwise-mentoring.example",
        "Quernstone Insurance Group",
        "Women in Underwriting Mentoring",
    ),
]

# --- saying dates and hours ---------------------------------------------------------------------


def ordinal(day: int) -> str:
    return f"{day}{'th' if 11 <= day <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def say(value: date, style: str) -> str:
    """One date as the family prints it.

    "the 3rd day of March 2024", "3.3.2024", "21 March, 2024", "3/21/2024", "3-Mar-24", "03/03/24",
    "03 March 2024", "Sunday, March 3, 2024", "Mar. 3, 2024", "3/3/24", "Mar 03, 2024", "Sun, Mar 3, 2024".
    """
    forms = {
        "day_of": lambda: f"the {ordinal(value.day)} day of {value:%B} {value.year}",
        "dots": lambda: f"{value.day}.{value.month}.{value.year}",
        "ordinal_compact": lambda: f"{value.day} {value:%B}, {value.year}",
        "abbrev_compact": lambda: f"{value.month}/{value.day}/{value.year}",
        "excel": lambda: f"{value.day}-{value:%b}-{value:%y}",
        "short_year": lambda: f"{value:%d/%m/%y}",
        "padded_long": lambda: f"{value:%d %B %Y}",
        "weekday_us": lambda: f"{value:%A, %B} {value.day}, {value.year}",
        "abbrev_dot_us": lambda: f"{value:%b}. {value.day}, {value.year}".replace("May.", "May"),
        "slashed_short_us": lambda: f"{value.month}/{value.day}/{value:%y}",
        "padded_abbrev_us": lambda: f"{value:%b %d, %Y}",
        "weekday_abbrev_us": lambda: f"{value:%a, %b} {value.day}, {value.year}",
    }
    return forms[style]()


def say_range(start: date, end: date, style: str) -> str:
    """A course's dates as the family prints them: "from the 3rd day of March to the 14th day of November 2024",
    "3.3.–14.11.2024", "3rd–7th March 2024", "Mar 3–7, 2024", "Mar 3 – Apr 14, 2024"."""
    same_year = start.year == end.year
    if style == "day_of":
        first = f"the {ordinal(start.day)} day of {start:%B}" + ("" if same_year else f" {start.year}")
        return f"from {first} to {say(end, style)}"
    if style == "dots":
        first = f"{start.day}.{start.month}." + ("" if same_year else f"{start.year}")
        return f"{first}–{say(end, style)}"
    if style == "ordinal_compact":
        if same_year and start.month == end.month:
            return f"{ordinal(start.day)}–{ordinal(end.day)} {end:%B %Y}"
        if same_year:
            return f"{ordinal(start.day)} {start:%B} – {ordinal(end.day)} {end:%B %Y}"
        return f"{ordinal(start.day)} {start:%B %Y} – {ordinal(end.day)} {end:%B %Y}"
    if same_year and start.month == end.month:
        return f"{start:%b} {start.day}–{end.day}, {end.year}"
    if same_year:
        return f"{start:%b} {start.day} – {end:%b} {end.day}, {end.year}"
    return f"{start:%b} {start.day}, {start.year} – {end:%b} {end.day}, {end.year}"


def number(hours: Decimal) -> str:
    text = f"{hours:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def clock(hours: Decimal) -> str:
    """Hours as a spreadsheet's duration column shows them: 12.75 → "12:45"."""
    whole, part = divmod(hours, 1)
    return f"{int(whole):02}:{int(part * 60):02}"


def _ascii(text: str) -> str:
    text = text.translate(str.maketrans({"ø": "o", "Ø": "O", "ı": "i", "ğ": "g", "ă": "a"}))
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def work_email(name: str, domain: str, style: str) -> str:
    """ "Zeynep Aksoy-Hartley" → ``zaksoy-hartley@…`` (initial and surname) or ``zeynep.aksoyhartley@…``."""
    given, *rest = _ascii(name).lower().replace("'", "").split()
    if style == "initial":
        return f"{given[0]}{rest[-1]}@{domain}"
    return f"{given}.{''.join(rest).replace('-', '')}@{domain}"


def _turn(options: list, variant: int, stride: int = 0):
    """Options go in turn by variant, so ten variants show each of them (stride shifts one list's phase)."""
    return options[(variant + stride) % len(options)]


# --- what each document says ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cert3(Certificate):
    """A certificate of this set, its truth that of ``content.Certificate``; ``extra`` holds what one layout
    alone prints."""

    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Letter3(Letter):
    """A letter of this set, its truth that of ``content.Letter``."""

    extra: dict = field(default_factory=dict)


def content_for(layout: str, rng: random.Random, variant: int = 0) -> Cert3 | Letter3:
    """What variant ``variant`` of ``layout`` says; issuers and styles go in turn by variant."""
    makers = {IMPRESS: _award, ATTEND: _attendance, CPD: _cpd_record, ESIGNED: _reference, RTF: _coordinator}
    return makers.get(layout, _notice)(rng, variant)


def _dates(rng: random.Random, shortest: int, longest: int) -> tuple[date, date]:
    start = date(2022, 2, 7) + timedelta(days=rng.randint(0, 1050))
    return start, start + timedelta(days=rng.randint(shortest, longest))


def _certificate(rng: random.Random, honorific_share: float, extra: dict, **facts) -> Cert3:
    """A certificate of this set: the participant and the tutor drawn here, the rest given by the layout;
    ``honorific_share`` of the documents print the participant's honorific (``extra["honorific"]``)."""
    title, tutor = rng.choice(STAFF)
    honorific, person = rng.choice(PEOPLE)
    extra["honorific"] = honorific if rng.random() < honorific_share else ""
    return Cert3(participant=person, instructor_title=title, instructor=tutor, extra=extra, **facts)


def _letter(rng: random.Random, email_of, extra: dict, **facts) -> Letter3:
    """A letter of this set: mentor, mentee and signer drawn here; ``email_of(mentee)`` is the mentee's address."""
    title, signer = rng.choice(STAFF)
    mentee = rng.choice(MENTEES)
    return Letter3(
        mentor=rng.choice(PEOPLE)[1],
        mentee=mentee,
        mentee_email=email_of(mentee),
        signer_title=title,
        signer=signer,
        extra=extra,
        **facts,
    )


def _award(rng: random.Random, variant: int) -> Cert3:
    guild, initials, founded, footer, style = _turn(GUILDS, variant)
    start, end = _dates(rng, 20, 240)
    extra = {
        "initials": initials,
        "founded": founded,
        "footer": footer,
        "chair": rng.choice(CHAIRS),
        "award_no": f"{initials.replace(' · ', '')}/{end.year}/{rng.randint(100, 989):04}",
        "title": rng.choice(["Award of Completion", "Certificate of Achievement", "Practitioner Award"]),
    }
    return _certificate(
        rng,
        0.4,
        extra,
        programme=rng.choice(GUILD_PROGRAMMES),
        centre=guild,
        department=None,
        hours=Decimal(rng.choice([21, 28, 30, 32, 40, 54])),
        start=start,
        end=end,
        issued=end + timedelta(days=rng.randint(10, 50)),
        role=rng.choice(GUILD_ROLES),
        date_style=style,
        hours_style=_turn(["adjectival", "notional"], variant, variant // 4),
    )


def _attendance(rng: random.Random, variant: int) -> Cert3:
    university, office, country, style = _turn(UNIVERSITIES, variant)
    start = date(2022, 3, 7) + timedelta(days=rng.randint(0, 1000))
    start -= timedelta(days=start.weekday())  # short courses start on a Monday
    length = rng.choice([4, 4, 11, 25, 46])
    sessions = {4: 5, 11: 6, 25: 8, 46: 7}[length]
    hours = Decimal(rng.choice([Decimal("2.5"), 3, 4])) * sessions if length > 4 else Decimal(sessions * 6)
    extra = {
        "country": country,
        "sessions": sessions,
        "registrar": rng.choice(REGISTRARS),
        "serial": f"SC-{start.year % 100:02}-{rng.randint(1000, 9999)}",
    }
    return _certificate(
        rng,
        0.5,
        extra,
        programme=rng.choice(SHORT_COURSES),
        centre=university,
        department=office,
        hours=hours,
        start=start,
        end=start + timedelta(days=length),
        issued=start + timedelta(days=length + rng.randint(5, 28)),
        role=rng.choice(CONVENOR_ROLES),
        date_style=style,
        hours_style=_turn(["totalling", "genitive"], variant, variant // 4),
    )


def _cpd_record(rng: random.Random, variant: int) -> Cert3:
    body, prefix, style = _turn(BODIES, variant)
    count = rng.randint(3, 6)
    days = [date(2022, 1, 17) + timedelta(days=rng.randint(0, 1050))]
    for _ in range(count - 1):
        days.append(days[-1] + timedelta(days=rng.choice([7, 14, 14, 21, 28])))
    durations = [Decimal(rng.choice([90, 120, 150, 180, 195, 210, 240, 360])) / 60 for _ in days]
    topics = sorted(rng.sample(SESSION_TOPICS, count), key=SESSION_TOPICS.index)  # in the course's order
    extra = {
        "body": body,
        "member_no": f"{prefix}-{rng.randint(10000, 99999)}",
        "sessions": list(zip(days, topics, durations, strict=True)),
        "modes": [rng.choice(CPD_MODES) for _ in days],
        "cycle": f"{days[0].year}/{(days[0].year + 1) % 100:02}",
    }
    return _certificate(
        rng,
        1.0,  # a member record always has the title the member chose
        extra,
        programme=rng.choice(CPD_PROGRAMMES),
        centre=rng.choice(PROVIDERS),
        department=None,
        hours=sum(durations, Decimal(0)),
        start=days[0],
        end=days[-1],
        issued=days[-1] + timedelta(days=rng.randint(3, 21)),
        role=rng.choice(["Programme Tutor", "Practice Educator"]),
        date_style=style,
        hours_style="clock",
    )


def _reference(rng: random.Random, variant: int) -> Letter3:
    organisation, address, domain, style = _turn(EMPLOYERS, variant)
    start, end = _dates(rng, 120, 400)
    return _letter(
        rng,
        lambda mentee: work_email(mentee, domain, _turn(["initial", "dotted"], variant, 1)),
        {"address": address, "domain": domain, "envelope": f"{rng.getrandbits(64):016X}"},
        start=start,
        end=end,
        written=end + timedelta(days=rng.randint(10, 60)),
        signer_role=rng.choice(MANAGER_ROLES),
        organisation=organisation,
        date_style=style,
    )


def _coordinator(rng: random.Random, variant: int) -> Letter3:
    charity, street, city, program = _turn(CHARITIES, variant)
    start, end = _dates(rng, 150, 330)
    words = [w for w in _ascii(charity).lower().replace("'", "").split() if w not in {"of", "in", "de"}]
    mailbox = rng.choice(["gmail.example", "outlook.example", "yahoo.example"])
    extra = {
        "street": street,
        "city": city,
        "program": program,
        "site": "www." + "".join(word[0] for word in words) + "mentors.example",
        "hours": rng.choice([30, 35, 40, 45, 50]),
        "meetings": rng.choice(["twice a month", "every week", "every other week"]),
    }
    return _letter(
        rng,
        lambda mentee: work_email(mentee, mailbox, "dotted"),
        extra,
        start=start,
        end=end,
        written=end + timedelta(days=rng.randint(7, 90)),
        signer_role=rng.choice(COORDINATOR_ROLES),
        organisation=charity,
        date_style=_turn(["abbrev_dot_us", "slashed_short_us"], variant),
    )


def _notice(rng: random.Random, variant: int) -> Letter3:
    platform, sender, organisation, programme = _turn(PLATFORMS, variant)
    start, end = _dates(rng, 90, 300)
    domain = _ascii(organisation.split()[0]).lower() + ".example"
    written = end + timedelta(days=rng.randint(0, 3))
    extra = {
        "platform": platform,
        "sender": sender,
        "programme": programme,
        "meetings": rng.randint(9, 22),
        "hours": rng.choice([18, 24, 31, 38, 42]),
        "sent": datetime(*written.timetuple()[:3], rng.randint(8, 19), rng.randint(0, 59), tzinfo=UTC),
        "relationship": f"R-{rng.randint(100000, 999999)}",
    }
    return _letter(
        rng,
        lambda mentee: work_email(mentee, domain, _turn(["dotted", "initial"], variant)),
        extra,
        start=start,
        end=end,
        written=written,
        signer_role="Programme Coordinator",
        organisation=organisation,
        date_style=_turn(["padded_abbrev_us", "weekday_abbrev_us"], variant, variant // 3),
    )


# --- 1. a guild's landscape award: shapes on a flat ODT page, exported by LibreOffice ---------------

_ODF_NAMESPACES = " ".join(
    f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{name}"'
    for prefix, name in (
        ("office", "office:1.0"),
        ("style", "style:1.0"),
        ("text", "text:1.0"),
        ("draw", "drawing:1.0"),
        ("fo", "xsl-fo-compatible:1.0"),
        ("svg", "svg-compatible:1.0"),
    )
)


def _odp_text_style(
    name: str,
    size: float,
    *,
    align: str = "center",
    bold=False,
    italic=False,
    colour="#2b2118",
    font: str = "C059",
    spacing: str = "0cm",
) -> str:
    weight = ' fo:font-weight="bold"' if bold else ""
    slant = ' fo:font-style="italic"' if italic else ""
    return (
        f'<style:style style:name="{name}" style:family="paragraph">'
        f'<style:paragraph-properties fo:text-align="{align}" fo:margin-top="{spacing}"/>'
        f'<style:text-properties fo:font-family="{font}" fo:font-size="{size}pt" fo:color="{colour}"{weight}{slant}/>'
        "</style:style>"
    )


_ON_PAGE = 'text:anchor-type="page" text:anchor-page-number="1"'


def _frame(x: float, y: float, width: float, height: float, paragraphs: list[tuple[str, str]]) -> str:
    body = "".join(f'<text:p text:style-name="{style}">{escape(text)}</text:p>' for style, text in paragraphs)
    return (
        f'<draw:frame draw:style-name="plain" {_ON_PAGE} svg:x="{x}cm" svg:y="{y}cm" svg:width="{width}cm" '
        f'svg:height="{height}cm"><draw:text-box>{body}</draw:text-box></draw:frame>'
    )


def impress_award(cert: Cert3, rng: random.Random, path: Path) -> Path:
    """A landscape page drawn like a slide, every line a shape placed on the page: the guild's seal in the left column, the award on the right, two signatures, and
    the guild's name only in the footer (the seal carries its initials)."""
    extra = cert.extra
    gold, ink = rng.choice([("#c9a64a", "#5a4210"), ("#b8924f", "#4b3512"), ("#a9b8c9", "#23364d")])
    font = rng.choice(["C059", "P052"])
    styles = "".join(
        [
            _odp_text_style("title", 34, bold=True, font=font, colour=ink),
            _odp_text_style("small", 12, italic=True, font=font),
            _odp_text_style("name", 30, font=font, spacing="0.5cm"),
            _odp_text_style("course", 18, bold=True, font=font, spacing="0.3cm"),
            _odp_text_style("line", 12.5, font=font, spacing="0.45cm"),
            _odp_text_style("sig", 11, align="start", font=font),
            _odp_text_style("sigrole", 9.5, align="start", italic=True, font=font),
            _odp_text_style("seal", 15, bold=True, font=font, colour=ink),
            _odp_text_style("sealsmall", 8.5, font=font, colour=ink),
            _odp_text_style("foot", 9, font="URW Gothic", colour="#555555"),
            _odp_text_style("number", 9, font="URW Gothic", colour="#555555"),
        ]
    )
    name = f"{extra['honorific']} {cert.participant}".strip()
    if cert.hours_style == "adjectival":
        completion = [("small", f"for successfully completing the {number(cert.hours)}-hour programme")]
        hours_line = []
    else:
        completion = [("small", "for successfully completing the programme")]
        hours_line = [("line", f"Notional learning hours: {number(cert.hours)}")]
    if cert.date_style == "day_of":
        held = f"held {say_range(cert.start, cert.end, 'day_of')}"
        given = f"Given under the seal of the Guild this {ordinal(cert.issued.day)} day of {cert.issued:%B} {cert.issued.year}"
        if "Society" in cert.centre:
            given = given.replace("Guild", "Society")
    else:
        held = f"Course dates: {say_range(cert.start, cert.end, 'dots')}"
        given = f"Dated {say(cert.issued, 'dots')}"
    right = [
        ("title", extra["title"]),
        ("small", "is presented to"),
        ("name", name),
        *completion,
        ("course", cert.programme),
        ("line", held),
        *hours_line,
        ("line", given),
    ]
    tutor = cert.instructor_as_printed
    pages = [
        # Two rules as the border, the seal and its ring, then the text columns.
        f'<draw:rect {_ON_PAGE} draw:style-name="border" svg:x="0.8cm" svg:y="0.8cm" svg:width="28.1cm" svg:height="19.4cm"/>',
        f'<draw:rect {_ON_PAGE} draw:style-name="inner" svg:x="1.1cm" svg:y="1.1cm" svg:width="27.5cm" svg:height="18.8cm"/>',
        f'<draw:ellipse {_ON_PAGE} draw:style-name="seal" svg:x="2.4cm" svg:y="4.2cm" svg:width="6.6cm" svg:height="6.6cm"/>',
        f'<draw:ellipse {_ON_PAGE} draw:style-name="ring" svg:x="2.9cm" svg:y="4.7cm" svg:width="5.6cm" svg:height="5.6cm"/>',
        _frame(
            2.4, 6.2, 6.6, 2.8, [("seal", extra["initials"]), ("sealsmall", f"FOUNDED {extra['founded']}")]
        ),
        _frame(1.8, 11.6, 7.8, 1.2, [("number", f"Award no. {extra['award_no']}")]),
        f'<draw:line {_ON_PAGE} draw:style-name="rule" svg:x1="10.2cm" svg:y1="2.2cm" svg:x2="10.2cm" svg:y2="17.6cm"/>',
        _frame(10.8, 2.0, 17.0, 11.8, right),
        f'<draw:line {_ON_PAGE} draw:style-name="rule" svg:x1="11.2cm" svg:y1="15.4cm" svg:x2="18.2cm" svg:y2="15.4cm"/>',
        f'<draw:line {_ON_PAGE} draw:style-name="rule" svg:x1="20.2cm" svg:y1="15.4cm" svg:x2="27.2cm" svg:y2="15.4cm"/>',
        _frame(11.2, 15.5, 7.0, 1.6, [("sig", tutor), ("sigrole", cert.role)]),
        _frame(20.2, 15.5, 7.0, 1.6, [("sig", extra["chair"]), ("sigrole", "Chair of Council")]),
        _frame(1.4, 18.3, 26.9, 1.0, [("foot", f"{cert.centre} · {extra['footer']}")]),
    ]
    graphic = (
        '<style:style style:name="{0}" style:family="graphic"><style:graphic-properties {1} style:wrap="run-through"'
        ' style:run-through="foreground" style:vertical-rel="page" style:horizontal-rel="page"/></style:style>'
    )
    graphics = "".join(
        graphic.format(name, props)
        for name, props in (
            ("plain", 'draw:stroke="none" draw:fill="none" fo:padding="0cm" fo:border="none"'),
            (
                "border",
                f'draw:stroke="solid" svg:stroke-color="{gold}" svg:stroke-width="0.12cm" draw:fill="none"',
            ),
            (
                "inner",
                f'draw:stroke="solid" svg:stroke-color="{ink}" svg:stroke-width="0.02cm" draw:fill="none"',
            ),
            (
                "seal",
                f'draw:stroke="solid" svg:stroke-color="{ink}" svg:stroke-width="0.05cm" draw:fill="solid" '
                f'draw:fill-color="{gold}"',
            ),
            (
                "ring",
                f'draw:stroke="dash" draw:stroke-dash="dots" svg:stroke-color="{ink}" svg:stroke-width="0.03cm" '
                'draw:fill="none"',
            ),
            ("rule", f'draw:stroke="solid" svg:stroke-color="{ink}" svg:stroke-width="0.02cm"'),
        )
    )
    document = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_ODF_NAMESPACES} office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
<draw:stroke-dash draw:name="dots" draw:style="round" draw:dots1="1" draw:dots1-length="0.02cm" draw:distance="0.12cm"/>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="landscape"><style:page-layout-properties fo:margin-top="0.5cm" fo:margin-bottom="0.5cm"
 fo:margin-left="0.5cm" fo:margin-right="0.5cm" fo:page-width="29.7cm" fo:page-height="21cm"
 style:print-orientation="landscape" fo:background-color="#fffdf6"/></style:page-layout>
{graphics}{styles}
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="landscape"/></office:master-styles>
<office:body><office:text><text:p>{"".join(pages)}</text:p>
</office:text></office:body>
</office:document>
"""
    path.write_text(document, encoding="utf-8")
    return path


# --- 2. a university's certificate of attendance: HTML printed by Chromium -------------------------


def _scrawl_svg(rng: random.Random, width: int = 190, height: int = 46) -> str:
    """A registrar's signature as a drawn path (an image in the page, not text)."""
    points = []
    loops = rng.randint(3, 6)
    for step in range(90):
        t = step / 89
        x = 6 + t * (width - 20) + math.cos(t * loops * 2 * math.pi) * 9
        y = height / 2 - math.sin(t * loops * 2 * math.pi + rng.random() * 0.3) * (height * 0.42) * (
            1.2 - t * 0.5
        ) * (1.4 if step % 23 < 4 else 1)
        points.append(f"{x:.1f},{y:.1f}")
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<polyline points="{" ".join(points)}" fill="none" stroke="#1b2a6b" stroke-width="1.6"/></svg>'
    )


def attendance_certificate(cert: Cert3, rng: random.Random, path: Path) -> Path:
    """A4 portrait: crest and university, "Certificate of Attendance", the facts in two paragraphs of prose
    (the hours among them), a note that attendance carries no credit, the registrar's signature and the date."""
    extra = cert.extra
    esc = html.escape
    colour = rng.choice(["#5b1a2e", "#0f3b5f", "#24523a"])
    us = extra["country"] == "USA"
    when = say_range(cert.start, cert.end, cert.date_style)
    issued = say(cert.issued, cert.date_style)
    hours = number(cert.hours)
    if cert.hours_style == "totalling":
        teaching = f"The course comprised {extra['sessions']} taught sessions totalling {hours} hours and was"
    else:
        teaching = (
            f"The participant completed {hours} hours' tuition across {extra['sessions']} taught sessions. "
            "The course was"
        )
    name = f"{extra['honorific']} {cert.participant}".strip()
    crest_letter = cert.centre.split()[-1 if cert.centre.startswith("University") else 0][0]
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Certificate of Attendance</title>
<style>
@page {{ size: {"Letter" if us else "A4"}; margin: 22mm 24mm; }}
body {{ font-family: "URW Bookman", "Bookman Old Style", serif; color: #1d1d1d; font-size: 11.5pt; }}
header {{ display: flex; align-items: center; gap: 6mm; border-bottom: 2px solid {colour}; padding-bottom: 4mm; }}
.uni {{ font-size: 19pt; color: {colour}; letter-spacing: .5pt; }}
.office {{ font-family: "URW Gothic", sans-serif; font-size: 9.5pt; text-transform: uppercase; letter-spacing: 1.2pt; }}
h1 {{ font-weight: normal; font-size: 25pt; text-align: center; margin: 16mm 0 10mm; color: {colour}; }}
p {{ line-height: 1.55; text-align: justify; margin: 0 0 5mm; }}
.course {{ font-style: italic; }}
.note {{ font-size: 9pt; color: #555; margin-top: 10mm; }}
.sign {{ margin-top: 18mm; }}
.sign .who {{ border-top: 1px solid #444; width: 70mm; padding-top: 1.5mm; }}
footer {{ position: fixed; bottom: 0; left: 0; right: 0; font-family: "URW Gothic", sans-serif; font-size: 8pt;
  color: #777; display: flex; justify-content: space-between; }}
</style></head>
<body>
<header>
<svg width="54" height="64" viewBox="0 0 54 64"><path d="M2 2h50v30c0 16-12 26-25 30C14 58 2 48 2 32z"
 fill="{colour}"/><text x="27" y="38" font-size="26" text-anchor="middle" fill="#fff"
 font-family="serif">{esc(crest_letter)}</text></svg>
<div><div class="uni">{esc(cert.centre)}</div><div class="office">{esc(cert.department or "")}</div></div>
</header>
<h1>Certificate of Attendance</h1>
<p>This is to certify that <strong>{esc(name)}</strong> attended the short course
<span class="course">{esc(cert.programme)}</span>, offered by the {esc(cert.department or "")} and held
{esc(when)}.</p>
<p>{esc(teaching)} convened by {esc(cert.instructor_as_printed)}, {esc(cert.role)}.</p>
<p class="note">This certificate confirms attendance only. The short course was not assessed and carries no
academic credit{" toward any degree program" if us else " towards any award of the University"}.</p>
<div class="sign">{_scrawl_svg(rng)}<div class="who">{esc(extra["registrar"])}<br>
{"University Registrar" if us else "Academic Registrar"}</div>
<p style="margin-top:6mm">Date of issue: {esc(issued)}</p></div>
<footer><span>Certificate no. {esc(extra["serial"])}</span><span>{esc(cert.centre)}</span></footer>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path


# --- 3. a professional body's CPD record: an fpdf2 form of boxed cells --------------------------------


def cpd_record(cert: Cert3, rng: random.Random, path: Path) -> Path:
    """A member's CPD record for one verified activity, as a body's online log prints it: boxed label cells,
    a session table with durations in hh:mm and their total, the provider's verification at the foot."""
    from fpdf import FPDF

    extra = cert.extra
    style = cert.date_style
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(16, 14, 16)
    for family, files in (("Narrow", "LiberationSansNarrow"), ("Sans", "LiberationSans")):
        pdf.add_font(family, "", str(FREE / f"{files}-Regular.ttf"))
        pdf.add_font(family, "B", str(FREE / f"{files}-Bold.ttf"))
    pdf.add_page()
    shade = rng.choice([(226, 234, 242), (232, 238, 228), (238, 232, 242)])
    pdf.set_font("Sans", "B", 14)
    pdf.cell(120, 7, extra["body"])
    pdf.set_font("Narrow", "B", 12)
    pdf.cell(0, 7, "CPD RECORD", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Narrow", "", 9)
    pdf.cell(120, 5, "Continuing Professional Development: verified activity")
    pdf.cell(0, 5, "Member copy", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)

    def boxes(rows: list[tuple[str, str]]) -> None:
        for label, value in rows:
            pdf.set_fill_color(*shade)
            pdf.set_font("Narrow", "B", 9.5)
            pdf.cell(46, 7.5, f" {label}", border=1, fill=True)
            pdf.set_font("Sans", "", 10)
            pdf.cell(0, 7.5, f" {value}", border=1, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

    boxes(
        [
            ("Member", f"{extra['honorific']} {cert.participant}"),
            ("Membership no.", extra["member_no"]),
            ("CPD cycle", extra["cycle"]),
            ("Category", "Structured CPD (externally verified)"),
        ]
    )
    boxes(
        [
            ("Activity title", cert.programme),
            ("Provider", cert.centre),
            ("Provider's tutor", cert.instructor_as_printed),
        ]
    )
    widths = (26, 86, 32, 0)
    pdf.set_fill_color(*shade)
    pdf.set_font("Narrow", "B", 9.5)
    for width, heading in zip(widths, ("Date", "Session", "Mode", "Duration (hh:mm)"), strict=True):
        pdf.cell(
            width,
            7,
            f" {heading}",
            border=1,
            fill=True,
            new_x="RIGHT" if width else "LMARGIN",
            new_y="TOP" if width else "NEXT",
        )
    pdf.set_font("Sans", "", 9.5)
    for (day, topic, hours), mode in zip(extra["sessions"], extra["modes"], strict=True):
        for width, value in zip(widths, (say(day, style), topic, mode, clock(hours)), strict=True):
            pdf.cell(
                width,
                7,
                f" {value}",
                border=1,
                new_x="RIGHT" if width else "LMARGIN",
                new_y="TOP" if width else "NEXT",
            )
    pdf.set_font("Narrow", "B", 10)
    pdf.cell(sum(widths), 7.5, "Total verified CPD (hh:mm) ", border=1, align="R", fill=True)
    pdf.cell(0, 7.5, f" {clock(cert.hours)}", border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(9)
    pdf.set_font("Narrow", "B", 10.5)
    pdf.cell(0, 6, "Verification by the provider", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 9.5)
    pdf.multi_cell(
        0,
        5,
        "I confirm that the member named above attended the sessions recorded on this form and took an active "
        "part in them.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    boxes(
        [
            ("Verified by", cert.instructor_as_printed),
            ("Position", f"{cert.role}, {cert.centre}"),
            ("Date verified", say(cert.issued, style)),
        ]
    )
    pdf.set_y(-16)
    pdf.set_font("Narrow", "", 8)
    pdf.set_text_color(110, 110, 110)
    pdf.cell(130, 4, f"{extra['body']} · records are sampled each year for audit")
    pdf.cell(0, 4, "Page 1 of 1", align="R")
    pdf.output(str(path))
    return path


# --- 4. an electronically signed two-page reference: python-docx, header and footer parts ----------


def esigned_reference(letter: Letter3, rng: random.Random, path: Path) -> Path:
    """A two-page reference: the letterhead in the first page's header, a running head on the second, the body
    closing without a typed name, and the e-signature stamp (who, role, when, envelope) in the footer."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    extra = letter.extra
    style = letter.date_style
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = rng.choice(["Carlito", "Liberation Serif", "Noto Sans"])
    normal.font.size = Pt(12 if normal.font.name == "Liberation Serif" else 11)  # Times-like at 12 pt
    section = document.sections[0]
    section.different_first_page_header_footer = True
    head = section.first_page_header.paragraphs[0]
    run = head.add_run(letter.organisation)
    run.bold, run.font.size = True, Pt(17)
    run.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5A)
    section.first_page_header.add_paragraph(f"{extra['address']} · www.{extra['domain']}").runs[
        0
    ].font.size = Pt(8.5)
    running = section.header.paragraphs[0]
    running.text = f"{letter.organisation} · Reference for {letter.mentor} (continued)"
    running.runs[0].font.size = Pt(8.5)
    stamp_time = datetime(
        letter.written.year,
        letter.written.month,
        letter.written.day,
        rng.randint(9, 17),
        rng.randint(0, 59),
        tzinfo=UTC,
    )
    for footer in (section.first_page_footer, section.footer):
        table = footer.add_table(
            rows=1, cols=1, width=section.page_width - section.left_margin - section.right_margin
        )
        table.style = "Table Grid"
        cell = table.cell(0, 0)
        lines = [
            f"Electronically signed by {letter.signer_as_printed}, {letter.signer_role}, {letter.organisation}",
            f"Signed {stamp_time:%Y-%m-%d %H:%M} UTC · Envelope {extra['envelope']}",
        ]
        cell.paragraphs[0].text = lines[0]
        cell.add_paragraph(lines[1])
        for paragraph in cell.paragraphs:
            paragraph.runs[0].font.size = Pt(8)
    document.add_paragraph(say(letter.written, style)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("The Registration Panel\nGuild of Accredited Mentors (reference desk)")
    first = letter.mentor.split()[0]
    subject = document.add_paragraph()
    subject.add_run(
        f"Reference in support of {letter.mentor}'s application for mentor accreditation"
    ).bold = True
    us = style == "weekday_us"
    paragraphs = [
        "Dear Members of the Panel," if us else "Dear Panel members,",
        f"I write as {letter.signer_role} at {letter.organisation}, where {letter.mentor} has worked alongside me "
        f"for several years. I was asked to describe the mentoring that {first} provided within our "
        f"organization's internal scheme, and I am glad to do so."
        if us
        else f"I write as {letter.signer_role} at {letter.organisation}, where {letter.mentor} has worked alongside "
        f"me for several years. I was asked to describe the mentoring that {first} provided within our "
        "organisation's internal scheme, and I am glad to do so.",
        f"The mentoring relationship began on {say(letter.start, style)} and ended on {say(letter.end, style)}. "
        f"Throughout that period {first} mentored {letter.mentee}, who joined us as a graduate and who can be "
        f"reached at {letter.mentee_email} should the Panel wish to hear from the mentee directly.",
        "They met every two or three weeks, in working time, usually for an hour. The sessions were planned by "
        "the mentee, who brought the agenda; both kept brief notes, and at the mid-point they reviewed the goals "
        "set at the start and agreed to shift the emphasis from technical questions to confidence in meetings "
        "with external partners.",
        "I did not sit in on the sessions, which were confidential, but I saw their effect. The mentee took on a "
        "project lead role within the year and now mentors a newer colleague in turn. When a difficult period "
        "came in the middle of the engagement, the mentor adjusted the pace, kept the appointments and involved "
        "me only with the mentee's agreement, which is exactly what I would hope for.",
        f"{first} also completed our internal mentor briefing and took part in the quarterly mentor circle, "
        "where mentors discuss their practice without naming their mentees. Colleagues there describe a mentor "
        "who listens far more than speaks and who is careful about the boundary between mentoring and line "
        "management.",
        "For completeness: the mentor was not the mentee's line manager at any point, had no part in the "
        "mentee's appraisal or pay, and received nothing for mentoring beyond the working time the scheme allows.",
        "Our scheme asks mentors to close each engagement formally. The closing review was held on the last "
        "date above and both parties signed it; the record is kept by our people team and I have checked it "
        "before writing this letter.",
        "I have no hesitation in supporting the application. Should the Panel need anything further, please "
        "reply to the address in the letterhead and mark your message for my attention.",
        "Yours faithfully," if not us else "Sincerely,",
        "(signed electronically, see the footer of this letter)",
    ]
    for text in paragraphs:
        document.add_paragraph(text).paragraph_format.space_after = Pt(8 + rng.randint(0, 4))
    document.save(str(path))
    return path


# --- 5. a US mentoring charity's letter: RTF typed by hand, exported by LibreOffice ----------------


def _rtf(text: str) -> str:
    """Plain text as RTF: braces and backslashes escaped, anything beyond ASCII as ``\\uN?``."""
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif ord(char) > 127:
            code = ord(char)
            out.append(f"\\u{code if code < 32768 else code - 65536}?")
        else:
            out.append(char)
    return "".join(out)


def coordinator_letter(letter: Letter3, rng: random.Random, path: Path) -> Path:
    """A one-page US letter as WordPad or TextEdit would save it: a centred letterhead, the date, "To Whom It May
    Concern:", the match in three paragraphs with "approx." hours, "Sincerely," and the coordinator's block."""
    extra = letter.extra
    style = letter.date_style
    first = letter.mentor.split()[0]
    font = rng.choice(["Liberation Serif", "C059", "Nimbus Roman"])
    hours = extra["hours"]
    body = [
        f"This letter confirms that {letter.mentor} volunteered as a mentor in our {extra['program']} program "
        f"from {say(letter.start, style)} through {say(letter.end, style)}.",
        f"During that time {first} was matched with {letter.mentee}. The pair met {extra['meetings']}, in "
        f"person and by video, for approx. {hours} hours in total, not counting the group events the program "
        "runs each quarter. Our match support staff checked in with both of them every month, and the match "
        "closed on the date above with both sides reporting that its goals had been met.",
        f"{letter.mentee} has agreed to be contacted about this match at {letter.mentee_email}. Please feel "
        "free to call me as well if I can be of further help.",
    ]
    lines = [
        r"{\rtf1\ansi\ansicpg1252\deff0",
        r"{\fonttbl{\f0\froman\fcharset0 " + font + r";}{\f1\fswiss\fcharset0 Liberation Sans;}}",
        r"{\colortbl;\red31\green78\blue61;\red90\green90\blue90;}",
        r"\paperw12240\paperh15840\margl1440\margr1440\margt1080\margb1080",
        r"\pard\qc\f1\fs30\b\cf1 " + _rtf(letter.organisation) + r"\b0\par",
        r"\pard\qc\fs18\cf2 " + _rtf(f"{extra['street']} | {extra['city']} | {extra['site']}") + r"\par",
        r"\pard\qc\brdrb\brdrs\brdrw10\brsp20\fs8 \par",
        r"\pard\ql\cf0\f0\fs23\sa0\par\par " + _rtf(say(letter.written, style)) + r"\par\par",
        r"To Whom It May Concern:\par\par",
        *[r"\pard\ql\sa200\sl300\slmult1 " + _rtf(text) + r"\par" for text in body],
        r"\pard\ql\sa0 Sincerely,\par\par\par",
        _rtf(letter.signer_as_printed) + r"\par",
        _rtf(letter.signer_role) + r"\par",
        _rtf(letter.organisation) + r"\par",
        _rtf(f"({rng.randint(201, 989)}) 555-0{rng.randint(100, 199)}") + r"\par",
        "}",
    ]
    path.write_text("\n".join(lines), encoding="ascii")
    return path


# --- 6. a mentoring platform's automated confirmation: Python's email package ---------------------


def platform_notice(letter: Letter3, rng: random.Random, path: Path) -> Path:
    """The notice a mentoring platform sends the mentor when the coordinator closes a relationship: plain text
    and an HTML alternative with a details table, "~38 hrs" logged, the approving coordinator named in a row."""
    from email.message import EmailMessage
    from email.utils import format_datetime

    extra = letter.extra
    style = letter.date_style
    first = letter.mentor.split()[0]
    rows = [
        ("Mentor", letter.mentor),
        ("Mentee", f"{letter.mentee} ({letter.mentee_email})"),
        ("Programme", f"{extra['programme']}, {letter.organisation}"),
        ("Relationship started", say(letter.start, style)),
        ("Relationship closed", say(letter.end, style)),
        ("Meetings logged", f"{extra['meetings']} (~{extra['hours']} hrs)"),
        ("Confirmed by", f"{letter.signer_as_printed}, {letter.signer_role}"),
        ("Reference", extra["relationship"]),
    ]
    intro = (
        f"Your mentoring relationship in {extra['programme']} has been closed and confirmed by your "
        "programme coordinator. Here is the record you can share as evidence of your mentoring."
    )
    outro = (
        "You can download this record as a PDF from the Relationships page at any time. If a detail is wrong, "
        "reply to your coordinator rather than to this email: this mailbox is not monitored."
    )
    plain = "\n".join(
        [
            f"Hi {first},",
            "",
            intro,
            "",
            *[f"{label}: {value}" for label, value in rows],
            "",
            outro,
            "",
            f"The {extra['platform']} team",
            "",
            f"You receive this because you are a mentor on {extra['platform']}.",
        ]
    )
    esc = html.escape
    cells = "".join(
        f'<tr><td style="padding:6px 12px;color:#6b7280;white-space:nowrap">{esc(label)}</td>'
        f'<td style="padding:6px 12px;color:#111827">{esc(value)}</td></tr>'
        for label, value in rows
    )
    page = (
        '<!doctype html><html><body style="margin:0;background:#f3f4f6;font-family:Helvetica,Arial,sans-serif">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">'
        '<table role="presentation" width="560" style="background:#ffffff;margin:24px 0;border-radius:8px">'
        f'<tr><td style="padding:20px 24px;font-size:20px;font-weight:bold;color:#4338ca">{esc(extra["platform"])}'
        "</td></tr>"
        f'<tr><td style="padding:0 24px;font-size:15px">Hi {esc(first)},<p>{esc(intro)}</p></td></tr>'
        f'<tr><td style="padding:0 12px"><table style="font-size:14px;border-collapse:collapse">{cells}</table>'
        "</td></tr>"
        f'<tr><td style="padding:12px 24px;font-size:13px;color:#374151"><p>{esc(outro)}</p>'
        f"<p>The {esc(extra['platform'])} team</p></td></tr></table>"
        f'<p style="font-size:11px;color:#9ca3af">You receive this because you are a mentor on '
        f"{esc(extra['platform'])}.</p></td></tr></table></body></html>"
    )
    message = EmailMessage()
    message["From"] = f"{extra['platform']} <no-reply@{extra['sender']}>"
    message["To"] = f"{letter.mentor} <{work_email(letter.mentor, 'mailbox.example', 'dotted')}>"
    message["Subject"] = f"Relationship closed: {letter.mentor.split()[0]} & {letter.mentee.split()[0]}"
    message["Date"] = format_datetime(extra["sent"])
    message["Message-ID"] = f"<{extra['relationship'].lower()}.{rng.getrandbits(40):x}@{extra['sender']}>"
    message.set_content(plain, cte=rng.choice(["8bit", "quoted-printable"]))
    message.add_alternative(page, subtype="html", cte="quoted-printable")
    path.write_bytes(message.as_bytes())
    return path


BUILDERS = {
    IMPRESS: (".fodt", impress_award),
    ATTEND: (".html", attendance_certificate),
    CPD: (".pdf", cpd_record),
    ESIGNED: (".docx", esigned_reference),
    RTF: (".rtf", coordinator_letter),
    NOTICE: (".eml", platform_notice),
}
LIBREOFFICE_PDF = (IMPRESS, RTF)
FINAL_SUFFIX = {IMPRESS: ".pdf", ATTEND: ".pdf", RTF: ".pdf", PHOTO: ".jpg"}


# --- 7. a phone photo of a printed certificate (Pillow) ------------------------------------------


def raster(
    family: str, source: str, page, rng: random.Random, unreadable: bool, path: Path, dpi: int
) -> None:
    """Save ``page`` (a rendering of the printed source) as the phone photo."""
    phone_photo(page, rng, unreadable=unreadable).save(path, quality=rng.randint(72, 84))


def phone_photo(page, rng: random.Random, *, unreadable: bool = False):
    """The printed page on a table, taken from a little to one side and above: perspective, a slight turn, the
    shadow of the phone and hand across part of it, warm indoor light, a little camera blur."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    page = page.convert("RGB")
    width, height = page.size
    pad = int(max(width, height) * 0.07)
    table = rng.choice([(139, 110, 82), (205, 200, 190), (48, 52, 58)])
    canvas = Image.new("RGB", (width + 2 * pad, height + 2 * pad), table)
    grain = np.random.default_rng(rng.getrandbits(32)).normal(0, 6, (canvas.height, canvas.width, 1))
    canvas = Image.fromarray(np.clip(np.asarray(canvas, dtype=np.float32) + grain, 0, 255).astype(np.uint8))
    canvas.paste(page, (pad, pad))
    # The camera leans to one side: that side of the page comes out shorter.
    lean = rng.uniform(0.025, 0.06) * height
    side = rng.choice([-1, 1])
    w, h = canvas.size
    left_pull, right_pull = (lean, 0) if side < 0 else (0, lean)
    corners = [(0, -left_pull), (0, h + left_pull), (w, h + right_pull), (w, -right_pull)]
    photo = canvas.transform(
        canvas.size, Image.Transform.QUAD, [v for c in corners for v in c], Image.BICUBIC, fillcolor=table
    )
    photo = photo.rotate(rng.uniform(0.5, 2.0) * rng.choice([-1, 1]), resample=Image.BICUBIC, fillcolor=table)
    # The shadow of the phone and the hand holding it, soft-edged, from one corner.
    shadow = Image.new("L", photo.size, 0)
    draw = ImageDraw.Draw(shadow)
    x0 = rng.uniform(0.55, 0.75) * w
    draw.polygon([(x0, h), (w, h * rng.uniform(0.45, 0.7)), (w, h)], fill=rng.randint(70, 110))
    shadow = shadow.filter(ImageFilter.GaussianBlur(w * 0.04))
    pixels = np.asarray(photo, dtype=np.float32) * (1 - np.asarray(shadow, dtype=np.float32)[..., None] / 255)
    pixels *= np.array([1.0, 0.96, 0.88], dtype=np.float32)  # a warm bulb
    photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.7))
    if unreadable:  # shaken and out of focus
        photo = photo.resize((w // 7, h // 7)).filter(ImageFilter.GaussianBlur(3)).resize((w // 2, h // 2))
    return photo
