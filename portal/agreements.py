"""Files the mentoring programmes produce: the signed agreement (DOCX) and calendar files (RFC 5545)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from docx import Document
from docx.shared import Pt

from portal.dates import day


@dataclass(frozen=True)
class AgreementDocument:
    programme: str
    mentor: str
    mentee: str
    term_start: date | None
    term_end: date | None
    confidentiality: str
    goals: Sequence[tuple[str, str, date]]  # specific goal, metric, deadline
    meetings: str
    signatures: Sequence[tuple[str, str, datetime]]  # role, typed name, when
    reference: str


def _day(value: date | None) -> str:
    return day(value) or "not set"


def agreement_docx(agreement: AgreementDocument) -> bytes:
    """The Mentor & Protégé agreement as a Word document."""
    document = Document()
    document.core_properties.title = f"Mentor & Protégé Agreement – {agreement.programme}"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading("Mentor & Protégé Agreement", level=0)
    document.add_paragraph(f"{agreement.programme} · {agreement.reference}")

    document.add_heading("The parties", level=1)
    document.add_paragraph(f"Mentor: {agreement.mentor}")
    document.add_paragraph(f"Protégé: {agreement.mentee}")

    document.add_heading("Term", level=1)
    document.add_paragraph(
        f"From {_day(agreement.term_start)} to {_day(agreement.term_end)}. "
        "The term may be renewed if both parties agree."
    )

    document.add_heading("Confidentiality", level=1)
    document.add_paragraph(agreement.confidentiality)

    document.add_heading("Meetings", level=1)
    document.add_paragraph(agreement.meetings)

    document.add_heading("Protégé goals", level=1)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("", "Specific goal", "Metric", "Deadline"), strict=True):
        cell.text = text
    for number, (goal, metric, deadline) in enumerate(agreement.goals, start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = str(number), goal, metric, _day(deadline)

    document.add_heading("Signatures", level=1)
    if not agreement.signatures:
        document.add_paragraph("Not signed yet.")
    for role, name, when in agreement.signatures:
        document.add_paragraph(f"{role}: {name}, accepted on {_day(when.date())} at {when:%H:%M} UTC")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Calendar files ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    description: str
    day: date
    stamp: datetime
    starts_at: time | None = None  # None: an all-day event
    duration: timedelta | None = None
    organizer: tuple[str, str] | None = None  # name, email
    attendees: Sequence[tuple[str, str]] = field(default_factory=tuple)


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _param(value: str) -> str:
    # A parameter value may not hold a double quote; quoted, it may hold ; : and ,
    return '"' + value.replace('"', "'") + '"'


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space, never splitting a character."""
    parts, current = [], ""
    for char in line:
        limit = 75 if not parts else 74
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = char
        else:
            current += char
    parts.append(current)
    return [parts[0], *(" " + part for part in parts[1:])]


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Sequence[CalendarEvent], domain: str, name: str) -> str:
    """A calendar of ``events``: an invitation (METHOD:REQUEST) when they have an organiser, else PUBLISH."""
    method = "REQUEST" if any(event.organizer for event in events) else "PUBLISH"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//International Mentoring Center//Mentor Credentials//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}@{domain}", f"DTSTAMP:{_utc(event.stamp)}"]
        if event.starts_at is None:
            lines += [
                f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
                "TRANSP:TRANSPARENT",
            ]
        else:
            # Floating local time: the pair meets at the same wall-clock time wherever the file is opened.
            start = datetime.combine(event.day, event.starts_at)
            lines.append(f"DTSTART:{start:%Y%m%dT%H%M%S}")
            if event.duration:
                lines.append(f"DURATION:PT{int(event.duration.total_seconds() // 60)}M")
        lines += [f"SUMMARY:{_escape(event.summary)}", f"DESCRIPTION:{_escape(event.description)}"]
        if event.organizer:
            organizer_name, organizer_email = event.organizer
            lines.append(f"ORGANIZER;CN={_param(organizer_name)}:mailto:{organizer_email}")
            for attendee_name, attendee_email in event.attendees:
                lines.append(
                    f"ATTENDEE;CN={_param(attendee_name)};ROLE=REQ-PARTICIPANT;"
                    f"PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{attendee_email}"
                )
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(folded + "\r\n" for line in lines for folded in _fold(line))
