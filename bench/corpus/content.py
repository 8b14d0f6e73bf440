"""What the corpus documents say: people, organisations, programmes, dates and hours, and the words for them.

Every value here is invented for the corpus; none of the organisation names appears in ``portal/``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

PARTICIPANTS = [
    "Zoë Ashworth-Bélanger",
    "Siobhán Kearney",
    "José María Ortega",
    "Marta Kowalczyk",
    "Tobias Lindqvist",
    "Amara Okonjo-Hale",
    "Renée Duchamp",
    "Padraig O'Sullivan",
    "Ingrid Sørbø",
    "Kwame Mensah-Boateng",
    "Élodie Marchetti",
    "Hannah Fairweather",
    "Rafael Nuñez Castillo",
    "Yasmin El-Amrani",
    "Declan Moriarty",
    "Chiara Bellandi-Ross",
    "Nikolai Petrović",
    "Beatriz Gonçalves",
    "Oluwaseun Adebayo",
    "Maëlle Kerhervé",
]
MENTEES = [
    "Freya Ellingham",
    "Ibrahim Haddad",
    "Lucía Fernández-Ruiz",
    "Connor McAllister",
    "Anouk de Vries",
    "Priya Raghunathan",
    "Mateusz Zieliński",
    "Grace Achterberg",
    "Noémie Laurent",
    "Samuel Osei-Tutu",
    "Astrid Halvorsen",
    "Tomás Ó Briain",
]
INSTRUCTORS = [
    ("Dr.", "Imogen Castellanos-Reid"),
    ("Prof.", "Bartholomew Nkemelu"),
    ("Ms", "Henrike Vogelsang"),
    ("", "Aurélien Dufresne"),
    ("Dr", "Fionnuala Breathnach"),
    ("Mr", "Desmond Achebe-Clarke"),
    ("", "Solveig Amundsen"),
    ("Prof.", "Ottoline Ferrars"),
    ("Mrs", "Parveen Chaudhry"),
    ("", "Lorcan Tierney"),
]
ROLES = [
    "Course Tutor",
    "Programme Facilitator",
    "Programme Director",
    "Lead Trainer",
    "Senior Lecturer",
    "Training Coordinator",
    "Head of Professional Learning",
]
REFEREE_ROLES = [
    "Head of People Development",
    "Line Manager",
    "Mentoring Scheme Coordinator",
    "Director of Learning",
    "HR Business Partner",
]
CENTRES = [
    ("Halloran Institute of Coaching Studies", "Registry of Professional Awards"),
    ("Brightwater Mentoring Collective", "Learning & Development"),
    ("Kestrel Academy of Leadership", "Faculty of Coaching"),
    ("St Aldhelm's School of Supervision", "Department of Continuing Education"),
    ("Vintry Lane Learning Ltd", None),
    ("Marchbank University", "School of Education and Social Care"),
    ("Ferncliffe College of Mentoring", "Registry"),
    ("Greyfriars Coaching Academy", None),
    ("Tideway Centre for Mentoring Practice", "Awards Office"),
    ("Ashgrove Professional Development Ltd", None),
    ("Corrib Institute of Leadership", "Continuing Professional Development"),
    ("Wrenfield School of Mentoring", None),
]
EMPLOYERS = [
    "Saltmarsh Housing Trust",
    "Quayside Engineering Ltd",
    "Pennine Water Services",
    "Linden Health Partnership",
    "Harrowgate Borough Council",
    "Holloway & Crane Solicitors",
]
PROGRAMMES = [
    "Foundations of Developmental Mentoring",
    "Certificate in Reflective Mentoring Practice",
    "Advanced Diploma in Coaching and Mentoring Supervision",
    "Mentoring for Early-Career Teachers",
    "Level 5 Award in Workplace Mentoring",
    "Trauma-Informed Mentoring Skills",
    "Peer Mentoring: Theory and Practice",
    "Mentoring Across Difference and Culture",
    "Professional Certificate in Mentoring Conversations",
    "Introduction to Team Coaching and Mentoring",
]
HOURS = [12, 16, 18, 20, 24, 30, 35, 36, 40, 42, 45, 48, 50, 56, 60, 72]
FRACTIONAL_HOURS = [Decimal("12.5"), Decimal("17.5"), Decimal("37.5"), Decimal("22.5")]

_UNITS = [
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def in_words(number: int) -> str:
    """``35`` → ``"thirty-five"`` (0 < number < 100)."""
    if number < 20:
        return _UNITS[number]
    tens, units = divmod(number, 10)
    return _TENS[tens] + (f"-{_UNITS[units]}" if units else "")


def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


DATE_STYLES = ("long", "ordinal", "us", "iso", "short_month")


def say_date(value: date, style: str) -> str:
    if style == "ordinal":
        return f"{ordinal(value.day)} {value:%B %Y}"
    if style == "us":
        return f"{value:%B} {value.day}, {value.year}"
    if style == "iso":
        return value.isoformat()
    if style == "short_month":
        return f"{value.day} {value:%b} {value.year}"
    return f"{value.day} {value:%B %Y}"


def say_range(start: date, end: date, style: str) -> str:
    """A date range as people print it; the en dash form shares the month and year where they agree."""
    if style == "long" and start.year == end.year:
        if start.month == end.month:
            return f"{start.day}–{end.day} {end:%B %Y}"
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{say_date(start, style)} – {say_date(end, style)}"


def say_hours(hours: Decimal, style: str) -> str:
    number = f"{hours:f}".rstrip("0").rstrip(".") if "." in f"{hours:f}" else f"{hours:f}"
    if style == "words" and hours == hours.to_integral_value() and 0 < hours < 100:
        return f"{in_words(int(hours)).capitalize()} ({number}) hours"
    if style == "guided":
        return f"{number} guided learning hours"
    if style == "contact":
        return f"{number} contact hours"
    if style == "hrs":
        return f"{number} hrs"
    return f"{number} hours"


@dataclass(frozen=True)
class Certificate:
    participant: str
    programme: str
    centre: str
    department: str | None
    hours: Decimal
    start: date
    end: date
    issued: date
    instructor_title: str
    instructor: str
    role: str
    date_style: str
    hours_style: str

    @property
    def instructor_as_printed(self) -> str:
        return f"{self.instructor_title} {self.instructor}".strip()

    def truth(self) -> dict:
        return {
            "participant_name": self.participant,
            "programme": self.programme,
            "training_centre": self.centre,
            "hours": float(self.hours),
            "start_date": self.start.isoformat(),
            "end_date": self.end.isoformat(),
            "issue_date": self.issued.isoformat(),
            "instructor": self.instructor,
        }


@dataclass(frozen=True)
class Letter:
    mentor: str
    mentee: str
    mentee_email: str
    start: date
    end: date
    written: date
    signer_title: str
    signer: str
    signer_role: str
    organisation: str
    date_style: str

    @property
    def signer_as_printed(self) -> str:
        return f"{self.signer_title} {self.signer}".strip()

    def truth(self) -> dict:
        return {
            "mentor_name": self.mentor,
            "mentee_name": self.mentee,
            "mentee_email": self.mentee_email,
            "start_date": self.start.isoformat(),
            "end_date": self.end.isoformat(),
            "signer": self.signer,
        }


def email_for(name: str, domain: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    parts = [part.strip("'") for part in folded.replace("-", " ").split()]
    return f"{parts[0]}.{parts[-1]}@{domain}"


def random_certificate(rng: random.Random) -> Certificate:
    start = date(2021, 1, 4) + timedelta(days=rng.randint(0, 1200))
    end = start + timedelta(days=rng.randint(6, 150))
    hours = rng.choice(FRACTIONAL_HOURS) if rng.random() < 0.12 else Decimal(rng.choice(HOURS))
    title, instructor = rng.choice(INSTRUCTORS)
    centre, department = rng.choice(CENTRES)
    return Certificate(
        participant=rng.choice(PARTICIPANTS),
        programme=rng.choice(PROGRAMMES),
        centre=centre,
        department=department,
        hours=hours,
        start=start,
        end=end,
        issued=end + timedelta(days=rng.randint(3, 40)),
        instructor_title=title,
        instructor=instructor,
        role=rng.choice(ROLES),
        date_style=rng.choice(DATE_STYLES),
        hours_style=rng.choice(["plain", "words", "guided", "contact", "hrs"]),
    )


def random_letter(rng: random.Random) -> Letter:
    start = date(2021, 3, 1) + timedelta(days=rng.randint(0, 900))
    end = start + timedelta(days=rng.randint(90, 420))
    title, signer = rng.choice(INSTRUCTORS)
    organisation = rng.choice(EMPLOYERS)
    mentee = rng.choice(MENTEES)
    domain = organisation.split()[0].lower().strip("&") + ".example"
    return Letter(
        mentor=rng.choice(PARTICIPANTS),
        mentee=mentee,
        mentee_email=email_for(mentee, domain),
        start=start,
        end=end,
        written=end + timedelta(days=rng.randint(5, 60)),
        signer_title=title,
        signer=signer,
        signer_role=rng.choice(REFEREE_ROLES),
        organisation=organisation,
        date_style=rng.choice(["long", "ordinal", "us", "short_month"]),
    )


# Names for the layout families added to the tuning set later (see the generator): other people and
# organisations than the pools above, so no rule can learn a name from them.
OTHER_PARTICIPANTS = [
    "Aoife Ní Bhriain",
    "Søren Kjærgaard-Lund",
    "Małgorzata Wiśniewska",
    "Thibault Ménard-Roux",
    "Ngozi Eze-Obiora",
    "Björn Åkesson",
    "Inés Villalobos-Prieto",
    "Ciarán Mac Giolla",
    "Zuzana Horáková",
    "Léa Fontaine-Dubois",
    "Emeka Nwachukwu",
    "Håkon Bråten",
]
OTHER_MENTEES = [
    "Dagný Sigurðardóttir",
    "Rhys ap Gwilym",
    "Felipe Araújo-Santos",
    "Oona Mäkelä",
    "Kofi Asante-Darko",
    "Brígida Câmara",
    "Jean-Luc Moreau",
    "Ayşe Yılmaz",
]
OTHER_INSTRUCTORS = [
    ("Dr", "Gwenllian Pryce-Jones"),
    ("", "Mícheál Ó Dónaill"),
    ("Prof.", "Zdeněk Dvořák"),
    ("Ms", "Anneliese Brückner"),
    ("Mr", "Tomasz Kaczmarek-Hill"),
    ("", "Rosalind Ashby-Veitch"),
]
OTHER_CENTRES = [
    ("Lindqvist–Høeg Institute for Mentoring", None),
    ("Cairnbrook Academy of Professional Practice", "Office of Awards"),
    ("Oakhanger Centre for Coaching Excellence", None),
    ("Saint-Aubin School of Leadership", "Department of Mentoring"),
    ("Penrhyn Learning Partnership Ltd", None),
    ("Ravensworth College of Coaching", "Quality & Standards"),
]
OTHER_EMPLOYERS = [
    "Ellesmere Port Health Board",
    "Kittiwake Logistics Ltd",
    "Thornbury & Vale Housing Association",
    "Brecon Beacons Rural Trust",
    "Müller-Hartmann Consulting GmbH",
]
OTHER_ROLES = ["Lead Facilitator", "Course Convenor", "Principal Trainer", "Academic Lead"]


def other_certificate(rng: random.Random) -> Certificate:
    """A certificate drawn from the other name pools (the later tuning families)."""
    base = random_certificate(rng)
    title, instructor = rng.choice(OTHER_INSTRUCTORS)
    centre, department = rng.choice(OTHER_CENTRES)
    return Certificate(
        **{
            **base.__dict__,
            "participant": rng.choice(OTHER_PARTICIPANTS),
            "centre": centre,
            "department": department,
            "instructor_title": title,
            "instructor": instructor,
            "role": rng.choice(OTHER_ROLES),
        }
    )


def other_letter(rng: random.Random) -> Letter:
    """A letter drawn from the other name pools (the later tuning families)."""
    base = random_letter(rng)
    title, signer = rng.choice(OTHER_INSTRUCTORS)
    organisation = rng.choice(OTHER_EMPLOYERS)
    mentee = rng.choice(OTHER_MENTEES)
    domain = organisation.split()[0].lower().strip("&") + ".example"
    import unicodedata

    domain = unicodedata.normalize("NFKD", domain).encode("ascii", "ignore").decode()
    return Letter(
        **{
            **base.__dict__,
            "mentor": rng.choice(OTHER_PARTICIPANTS),
            "mentee": mentee,
            "mentee_email": email_for(mentee, domain),
            "signer_title": title,
            "signer": signer,
            "organisation": organisation,
        }
    )


# Names, wordings, date and hour styles for the fresh families held out whole (see the generator): none of them
# appears in the pools above, so those documents are new in every respect, not only in layout.
FRESH_PARTICIPANTS = [
    "Maarten van der Berg",
    "Siân O'Driscoll-Pryce",
    "Anaïs de la Fontaine",
    "Jürgen Weiß-Hofer",
    "Dara Ní Mhaoláin",
    "Luca Dell'Orto",
    "Camille St-Onge",
    "Tjaša Kovačič",
    "Hélène D'Arcy",
    "Pieter-Jan Verhoeven",
    "Bríd Mac an Bhaird",
    "Ximena Ortiz-Quiñones",
]
FRESH_MENTEES = [
    "Fenna van den Heuvel",
    "Oisín D'Alton",
    "Margarida Sá-Pereira",
    "Kenji O'Hara-Tanaka",
    "Liv Østergård",
    "Grégoire Le Floch",
    "Nadia Ben-Haddou",
    "Iolo ap Dafydd",
]
FRESH_INSTRUCTORS = [
    ("Dr", "Wilhelmina van Rensburg"),
    ("Prof.", "Ruairí Mac Cárthaigh"),
    ("", "Bénédicte Laroche-Vidal"),
    ("Ms", "Ottilie D'Souza"),
    ("Mr", "Ifeanyi Okafor-Lewis"),
    ("", "Margit Szőke"),
    ("Dr.", "Cornelis de Graaf"),
]
FRESH_UNIVERSITIES = [
    ("University of Kilbrannan", "Office of Continuing Education"),
    ("Aldermoor University", "Centre for Lifelong Learning"),
    ("Trevelyan-Hale University", "Continuing & Professional Education"),
    ("University of St Ebba's", "Extra-Mural Studies Office"),
]
FRESH_SEAL_CENTRES = [
    ("Knockmealdown Institute of Mentoring", None),
    ("Vaudreuil-Beaumont Academy", None),
    ("Harbourlight School of Coaching Ltd", None),
    ("Oystermouth Centre for Professional Mentoring", None),
]
FRESH_PROGRAMMES = [
    "Mentoring Skills for Community Leaders",
    "Short Course in Coaching Conversations",
    "Mentoring Newly Qualified Social Workers",
    "Reflective Supervision for Mentors",
    "Cross-Generational Mentoring Practice",
    "Mentoring in Higher Education: An Introduction",
]
FRESH_INSTRUCTOR_ROLES = ["Course Leader", "Mentor Educator", "Principal Tutor", "Course Instructor"]
FRESH_CHARITIES = [
    "Lantern House Youth Trust",
    "Friends of the Wyre Valley",
    "Beacon Street Refugee Support",
    "The Millbrook Foundation",
]
FRESH_EMPLOYERS = [
    "Ambleside & Kent Water Co.",
    "Northgate Civic Services",
    "Penhallow Architects LLP",
    "Tarn Robotics B.V.",
]
FRESH_MANAGER_ROLES = [
    "Operations Manager",
    "Head of Engineering",
    "Volunteer Programme Manager",
    "Chief Executive",
    "Trustee and Mentoring Lead",
    "Team Leader, Customer Care",
]
FRESH_DATE_STYLES = ("of_ordinal", "dotted", "us")
FRESH_HOURS_STYLES = ("contact", "words")


def say_fresh_date(value: date, style: str) -> str:
    """ "the 5th of March, 2024", "05.03.2024" (day first) or "March 5, 2024"."""
    if style == "of_ordinal":
        return f"the {ordinal(value.day)} of {value:%B}, {value.year}"
    if style == "dotted":
        return f"{value:%d.%m.%Y}"
    return f"{value:%B} {value.day}, {value.year}"


def say_fresh_range(start: date, end: date, style: str) -> str:
    """ "March 5–June 20, 2024" (one year, one dash), "05.03.2024 – 20.06.2024", or "from the 5th of March,
    2024 to the 20th of June, 2024"."""
    if style == "us" and start.year == end.year:
        return f"{start:%B} {start.day}–{end:%B} {end.day}, {end.year}"
    if style == "us":
        return f"{say_fresh_date(start, style)}–{say_fresh_date(end, style)}"
    if style == "dotted":
        return f"{say_fresh_date(start, style)} – {say_fresh_date(end, style)}"
    return f"from {say_fresh_date(start, style)} to {say_fresh_date(end, style)}"


def say_fresh_hours(hours: Decimal, style: str) -> str:
    """ "24 contact hours" or "twenty-four (24) hours"."""
    number = f"{hours:f}".rstrip("0").rstrip(".") if "." in f"{hours:f}" else f"{hours:f}"
    if style == "words" and hours == hours.to_integral_value() and 0 < hours < 100:
        return f"{in_words(int(hours))} ({number}) hours"
    return f"{number} contact hours"


_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "đ": "d"}
)


def _ascii(text: str) -> str:
    """As a person types a name into an address: "Østergård" → "Ostergard", "Weiß" → "Weiss"."""
    import unicodedata

    return unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED)).encode("ascii", "ignore").decode()


def fresh_email(name: str, domain: str) -> str:
    """ "Fenna van den Heuvel" → ``fenna.vandenheuvel@…``; "Oisín D'Alton" → ``oisin.dalton@…``."""
    first, *rest = _ascii(name).lower().replace("'", "").split()
    return f"{first}.{''.join(rest)}@{domain}"


def fresh_certificate(rng: random.Random, centres: list[tuple[str, str | None]]) -> Certificate:
    start = date(2022, 1, 10) + timedelta(days=rng.randint(0, 1000))
    end = start + timedelta(days=rng.randint(10, 140))
    hours = Decimal("22.5") if rng.random() < 0.1 else Decimal(rng.choice([12, 18, 24, 30, 36, 45, 64]))
    title, instructor = rng.choice(FRESH_INSTRUCTORS)
    centre, department = rng.choice(centres)
    return Certificate(
        participant=rng.choice(FRESH_PARTICIPANTS),
        programme=rng.choice(FRESH_PROGRAMMES),
        centre=centre,
        department=department,
        hours=hours,
        start=start,
        end=end,
        issued=end + timedelta(days=rng.randint(2, 30)),
        instructor_title=title,
        instructor=instructor,
        role=rng.choice(FRESH_INSTRUCTOR_ROLES),
        date_style=rng.choice(FRESH_DATE_STYLES),
        hours_style=rng.choice(FRESH_HOURS_STYLES),
    )


def fresh_letter(rng: random.Random, organisations: list[str]) -> Letter:
    start = date(2022, 2, 1) + timedelta(days=rng.randint(0, 800))
    end = start + timedelta(days=rng.randint(60, 330))
    title, signer = rng.choice(FRESH_INSTRUCTORS)
    organisation = rng.choice(organisations)
    mentee = rng.choice(FRESH_MENTEES)
    words = [word for word in organisation.split() if word.lower() not in {"the", "friends", "of"}]
    domain = _ascii(words[0]).lower().strip("&.") + ".example"
    return Letter(
        mentor=rng.choice(FRESH_PARTICIPANTS),
        mentee=mentee,
        mentee_email=fresh_email(mentee, domain),
        start=start,
        end=end,
        written=end + timedelta(days=rng.randint(4, 45)),
        signer_title=title,
        signer=signer,
        signer_role=rng.choice(FRESH_MANAGER_ROLES),
        organisation=organisation,
        date_style=rng.choice(FRESH_DATE_STYLES),
    )
