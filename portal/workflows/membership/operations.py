"""Changing membership: an admin's register entries (one by one or a CSV import), an application's claim
checked against the register, and a reviewer's decision on a claim the register could not back."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from portal.dates import day
from portal.db import db, utcnow
from portal.enums import MembershipStatus
from portal.models.applications import Application
from portal.models.members import Member, MembershipCheck
from portal.models.users import User
from portal.spreadsheets import SpreadsheetError, read_csv
from portal.workflows.audit import record
from portal.workflows.membership.queries import (
    COLUMNS,
    REGISTER,
    check_of,
    entry_by_number,
    open_checks_on,
)
from portal.workflows.membership.rules import Row, changes, check_row, match_claim, normalise_number
from portal.workflows.refusals import Refused

# --- the register -------------------------------------------------------------------------------------------


def save_entry(member: Member | None, data: dict, actor: User) -> Member:
    """Add a register entry (``member`` None) or change one; claims resting on its number are checked again."""
    row = check_row(data.get("number"), data.get("name"), data.get("email"), data.get("valid_until"))
    if row.problems:
        raise Refused(fields=row.problems)
    clash = entry_by_number(row.number)
    if clash is not None and clash is not member:
        raise Refused(
            fields={"number": _("Member %(number)s is already in the register.", number=row.number)}
        )
    numbers = {row.number}
    if member is None:
        member = _add(row, actor)
        record(actor, member, "member_added", reason=_summary(row))
    else:
        what = changes(member, row)
        if not what:
            return member
        numbers.add(member.number)
        _apply(member, row, actor)
        db.session.flush()
        record(actor, member, "member_changed", reason="; ".join(what))
    recheck_claims(numbers, actor)
    return member


@dataclass
class ImportReport:
    """What an import did (or, previewed, would do), row by row."""

    added: list[tuple[int, str]] = field(default_factory=list)  # (line, number)
    updated: list[tuple[int, str, str]] = field(default_factory=list)  # (line, number, what changed)
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    rechecked: list[str] = field(default_factory=list)  # applications whose membership check changed
    preview: bool = False

    @property
    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected"
        )


def import_register(data: bytes, filename: str, actor: User, *, preview: bool = False) -> ImportReport:
    """Add and update register entries from a CSV file. A row with a problem is rejected with its line number
    and reason, the others are imported; a file that cannot be read is refused whole. With ``preview``,
    nothing changes: the report says what importing would do."""
    try:
        rows = read_csv(data, COLUMNS)
    except SpreadsheetError as error:
        raise Refused(fields={"file": str(error)}) from error
    report = ImportReport(preview=preview)
    existing = {member.number: member for member in db.session.scalars(select(Member))}
    seen: dict[str, int] = {}
    planned: list[tuple[int, Row, Member | None]] = []
    for line, values in rows:
        row = check_row(values["number"], values["name"], values["email"], values["valid_until"])
        if row.problems:
            report.rejected.append((line, " ".join(row.problems.values())))
            continue
        if row.number in seen:
            report.rejected.append(
                (
                    line,
                    _(
                        "Number %(number)s is already on line %(line)s.",
                        number=row.number,
                        line=seen[row.number],
                    ),
                )
            )
            continue
        seen[row.number] = line
        member = existing.get(row.number)
        if member is None:
            report.added.append((line, row.number))
        elif what := changes(member, row):
            report.updated.append((line, row.number, "; ".join(what)))
        else:
            report.unchanged += 1
            continue
        planned.append((line, row, member))
    if preview or not planned:
        return report
    for line, row, member in planned:
        if member is None:
            member = _add(row, actor)
            record(actor, member, "member_added", reason=f"{filename}, line {line}: {_summary(row)}")
        else:
            what = "; ".join(changes(member, row))
            _apply(member, row, actor)
            record(actor, member, "member_changed", reason=f"{filename}, line {line}: {what}")
    db.session.flush()
    record(actor, REGISTER, "member_register_imported", reason=f"{filename}: {report.summary}")
    report.rechecked = recheck_claims({row.number for _line, row, _member in planned}, actor)
    return report


def _add(row: Row, actor: User) -> Member:
    member = Member(
        number=row.number,
        name=row.name,
        email=row.email,
        valid_until=row.valid_until,
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )
    db.session.add(member)
    db.session.flush()
    return member


def _apply(member: Member, row: Row, actor: User) -> None:
    member.number, member.name, member.email = row.number, row.name, row.email
    member.valid_until, member.updated_by_id = row.valid_until, actor.id


def _summary(row: Row) -> str:
    return f"{row.number}, {row.name}, {row.email}, valid until {day(row.valid_until)}"


# --- claims -------------------------------------------------------------------------------------------------


def check_claim(application: Application, actor: User | None) -> MembershipCheck | None:
    """Check the application's claim to the member rate against the register (at submission and
    resubmission). A reviewer's decision on the same number stands, and a claim found false stands whatever
    is claimed later (its fee difference was asked for); a withdrawn claim drops its check."""
    check = check_of(application)
    if check is not None and check.status == MembershipStatus.FALSE_CLAIM:
        return check
    if not application.is_member:
        if check is not None and check.decided_at is None:
            db.session.delete(check)
            db.session.flush()
        return None
    number = normalise_number(application.member_number)
    if check is not None and check.decided_at is not None and check.number == number:
        return check
    _record(application, check, number, actor)
    return check_of(application)


def recheck_claims(numbers: set[str], actor: User | None) -> list[str]:
    """Check again the undecided applications' claims on these numbers after the register changed; the
    references of those whose outcome changed."""
    changed = []
    for check in open_checks_on(numbers):
        application = db.session.get(Application, check.application_id)
        if _record(application, check, check.number, actor, why="after a change to the member register"):
            changed.append(application.reference)
    return changed


def _record(
    application: Application, check: MembershipCheck | None, number: str, actor: User | None, why: str = ""
) -> bool:
    """Store the register's verdict on the claim; True when it changed (and was audited)."""
    entry = entry_by_number(number)
    on = (application.submitted_at or utcnow()).date()
    verdict = match_claim(
        number,
        [application.full_name, application.applicant.full_name],
        [application.contact_email, application.applicant.email],
        entry,
        on,
    )
    status = MembershipStatus.VERIFIED if verdict.verified else MembershipStatus.UNVERIFIED
    if check is None:
        check = MembershipCheck(application_id=application.id)
        db.session.add(check)
    elif (check.number, check.status, check.detail, check.member_id) == (
        number,
        status,
        verdict.detail,
        entry.id if entry else None,
    ):
        return False
    check.number, check.status, check.detail = number, status, verdict.detail
    check.member_id, check.checked_at = (entry.id if entry else None), utcnow()
    check.decided_at = check.decided_by_id = check.decision_reason = None
    db.session.flush()
    action = "membership_verified" if verdict.verified else "membership_unverified"
    record(
        actor,
        application,
        action,
        reason=" ".join(filter(None, [verdict.detail, why and f"(Checked {why}.)"])),
    )
    return True


def decide_claim(
    application: Application, status: MembershipStatus, actor: User, reason: str
) -> MembershipCheck:
    """A reviewer confirms a claim by hand or finds it false, with a reason. Flushes, never commits."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(fields={"reason": _("Say why.")})
    if not application.is_member:
        raise Refused([_("This application does not claim the member rate.")])
    check = check_of(application) or check_claim(application, actor)
    if status == MembershipStatus.CONFIRMED and check.status != MembershipStatus.UNVERIFIED:
        raise Refused(
            [
                _(
                    "The membership is %(status)s: there is nothing to confirm.",
                    status=check.status.label.lower(),
                )
            ]
        )
    if status == MembershipStatus.FALSE_CLAIM and check.status == MembershipStatus.FALSE_CLAIM:
        raise Refused([_("The membership claim has already been found false.")])
    check.status, check.decided_at, check.decided_by_id, check.decision_reason = (
        status,
        utcnow(),
        actor.id,
        reason,
    )
    db.session.flush()
    action = "membership_confirmed" if status == MembershipStatus.CONFIRMED else "membership_false"
    record(actor, application, action, reason=f"{check.number}: {reason}")
    return check
