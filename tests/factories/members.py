"""Entries of the member register, made straight in the database."""

from __future__ import annotations

from datetime import date

from portal.db import db
from portal.models.members import Member
from tests.factories import applications as data


def member(
    number: str = data.about()["member_number"],
    name: str = data.about()["full_name"],
    email: str = data.about()["contact_email"],
    valid_until: date = date(2099, 12, 31),
) -> Member:
    """A register entry, committed; by default the one matching the applicant in ``applications.about()``."""
    entry = Member(number=number.replace(" ", "").upper(), name=name, email=email, valid_until=valid_until)
    db.session.add(entry)
    db.session.commit()
    return entry
