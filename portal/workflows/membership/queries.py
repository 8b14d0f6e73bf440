"""Reading the member register: its pages and search, one entry by number, the CSV export, and the claims
that rest on a number."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import or_, select

from portal.db import db
from portal.enums import ApplicationState, MembershipStatus
from portal.models.applications import Application
from portal.models.members import Member, MembershipCheck
from portal.spreadsheets import csv_text
from portal.workflows.audit import TimelineEntry, staff_timeline
from portal.workflows.membership.rules import normalise_number

# An application still open to a decision: a change to the register may change its membership check.
UNDECIDED = (
    ApplicationState.AWAITING_PAYMENT,
    ApplicationState.IN_REVIEW,
    ApplicationState.RETURNED,
    ApplicationState.RESUBMITTED,
)

# The CSV's columns, with the other headers an export from another system may use for each.
COLUMNS = {
    "number": ("number", "member number", "membership number", "member no", "member id"),
    "name": ("name", "full name", "member name"),
    "email": ("email", "email address", "e-mail", "e mail"),
    "valid_until": ("valid until", "valid to", "expires", "expires on", "expiry", "expiry date"),
}


# Imports are audited against the register as a whole.
REGISTER = SimpleNamespace(__tablename__="member_register", id=0)


def history(member: Member | None = None, latest: int = 10) -> list[TimelineEntry]:
    """Who changed ``member`` when and how, or with None the register's imports: the latest first."""
    return staff_timeline(member or REGISTER)[::-1][:latest]


def register_page(query: str, page: int, per_page: int = 50):
    """The register in number order; ``query`` searches numbers, names and emails."""
    statement = select(Member).order_by(Member.number)
    query = (query or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(
            or_(
                Member.number.ilike(f"%{normalise_number(query)}%"),
                Member.name.ilike(like),
                Member.email.ilike(like),
            )
        )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def entry_by_number(number: str | None) -> Member | None:
    number = normalise_number(number)
    if not number:
        return None
    return db.session.scalar(select(Member).where(Member.number == number))


def entries_by_number(numbers: set[str]) -> dict[str, Member]:
    if not numbers:
        return {}
    return {
        member.number: member
        for member in db.session.scalars(select(Member).where(Member.number.in_(numbers)))
    }


def register_csv() -> str:
    return csv_text(
        ["number", "name", "email", "valid until"],
        (
            [member.number, member.name, member.email, member.valid_until]
            for member in db.session.scalars(select(Member).order_by(Member.number))
        ),
    )


def check_of(application: Application) -> MembershipCheck | None:
    return db.session.scalar(select(MembershipCheck).where(MembershipCheck.application_id == application.id))


def open_checks_on(numbers: set[str]) -> list[MembershipCheck]:
    """The checks the register decided (not a reviewer) for undecided applications claiming these numbers."""
    if not numbers:
        return []
    return list(
        db.session.scalars(
            select(MembershipCheck)
            .join(Application, Application.id == MembershipCheck.application_id)
            .where(
                MembershipCheck.number.in_(numbers),
                MembershipCheck.status.in_([MembershipStatus.VERIFIED, MembershipStatus.UNVERIFIED]),
                Application.state.in_(UNDECIDED),
            )
            .order_by(MembershipCheck.id)
        )
    )
