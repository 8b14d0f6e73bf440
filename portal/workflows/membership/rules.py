"""Membership rules on plain data: how numbers, names and emails compare, what a register row must hold, and
whether a claim to the member rate matches the register."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from portal.dates import day


class RegisterEntry(Protocol):
    number: str
    name: str
    email: str
    valid_until: date


def normalise_number(text: str | None) -> str:
    """A member number as the register keeps it: upper case, no spaces (" imc 4471 " is "IMC4471")."""
    return "".join((text or "").split()).upper()


def normalise_name(text: str | None) -> str:
    """A name compared whatever its case, accents, spacing and punctuation: "  José  O'Brien" is "jose obrien"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", "", plain.casefold()).split())


def normalise_email(text: str | None) -> str:
    return (text or "").strip().casefold()


@dataclass(frozen=True)
class Verdict:
    """A claim checked against the register: verified or not, with what matched or why not, in a sentence."""

    verified: bool
    detail: str


def match_claim(
    number: str, names: list[str | None], emails: list[str | None], entry: RegisterEntry | None, on: date
) -> Verdict:
    """Does the register ``entry`` for ``number`` back a claim by the person with these names and emails on
    the day ``on``? The number must be valid that day, and the entry's email or name be the person's."""
    shown = normalise_number(number)
    if entry is None:
        return Verdict(False, f"No member with number {shown}.")
    if entry.valid_until < on:
        return Verdict(False, f"Membership {entry.number} expired on {day(entry.valid_until)}.")
    matched = []
    if normalise_email(entry.email) in {normalise_email(e) for e in emails if e}:
        matched.append("email")
    if normalise_name(entry.name) in {normalise_name(n) for n in names if n}:
        matched.append("name")
    if not matched:
        return Verdict(False, f"Number {entry.number} belongs to another person.")
    return Verdict(
        True,
        f"Number {entry.number}, valid until {day(entry.valid_until)}; the {' and '.join(matched)} "
        f"{'match' if len(matched) > 1 else 'matches'} the register.",
    )


@dataclass(frozen=True)
class Row:
    """A register row as an admin typed it or a CSV file gave it, checked: ``problems`` by field, else none."""

    number: str
    name: str
    email: str
    valid_until: date | None
    problems: dict[str, str]


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_day(text: str) -> date | None:
    """A date written 2027-06-30 or 30/06/2027 (day first), else None."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def check_row(number: str, name: str, email: str, valid_until: str | date | None) -> Row:
    """A register row with what is wrong in it (number, name and a real email and date are required)."""
    problems = {}
    number = normalise_number(number)
    if not number:
        problems["number"] = _("Enter the member number.")
    elif len(number) > 40:
        problems["number"] = _("The member number is longer than 40 characters.")
    name = " ".join((name or "").split())
    if not name:
        problems["name"] = _("Enter the member's name.")
    elif len(name) > 200:
        problems["name"] = _("The name is longer than 200 characters.")
    email = (email or "").strip()
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        problems["email"] = (
            _("“%(email)s” is not an email address.", email=email)
            if email
            else _("Enter the member's email.")
        )
    if isinstance(valid_until, str):
        parsed = parse_day(valid_until)
        if parsed is None:
            problems["valid_until"] = (
                _("“%(value)s” is not a date like 2027-06-30.", value=valid_until)
                if valid_until
                else _("Enter the date valid until.")
            )
        valid_until = parsed
    elif valid_until is None:
        problems["valid_until"] = _("Enter the date valid until.")
    return Row(number, name, email, valid_until, problems)


def changes(entry: RegisterEntry, row: Row) -> list[str]:
    """What ``row`` would change in ``entry``, as "email a@x → b@x" phrases (none when it is the same)."""
    return [
        f"{label} {before} → {after}"
        for label, before, after in (
            ("number", entry.number, row.number),
            ("name", entry.name, row.name),
            ("email", entry.email, row.email),
            ("valid until", day(entry.valid_until), day(row.valid_until)),
        )
        if before != after
    ]
