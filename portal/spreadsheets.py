"""Exports people open in a spreadsheet or a text editor: values as plain text, formulas defused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def plain(value: Any) -> Any:
    """``value`` as JSON and CSV can hold it: dates in ISO form, amounts as text, enumerations by value."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _safe_cell(value: Any) -> Any:
    # A cell starting with = + - @ is run as a formula by spreadsheet programs (CSV injection).
    value = plain(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def csv_text(header: list[str], rows: Iterable[list[Any]]) -> str:
    """A CSV file with ``header`` and ``rows``, every cell safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
    return out.getvalue()


class SpreadsheetError(ValueError):
    """A file that cannot be read as the CSV asked for; the message says why, for the person who sent it."""


def _header_key(name: str) -> str:
    # "Member Number", "member_number" and " MEMBER-NUMBER " are the same column.
    return " ".join(name.replace("_", " ").replace("-", " ").split()).casefold()


def read_csv(
    data: bytes, columns: dict[str, tuple[str, ...]], max_rows: int = 50_000
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file as ``(line number, {column: text})``, blank rows skipped.

    ``columns`` names each wanted column with the headers accepted for it, matched whatever their case,
    spaces, hyphens or underscores; other columns are ignored. Raises :class:`SpreadsheetError` for a file
    that is not UTF-8 text, has no header, lacks a column or is not well-formed CSV: nothing is returned from
    a file read half-way.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            f"The file is not UTF-8 text (byte {error.start + 1}): save it as “CSV UTF-8” and try again."
        ) from error
    if "\x00" in text:
        raise SpreadsheetError("The file is not a CSV file: it contains binary data.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise SpreadsheetError("The file is empty: its first line should name the columns.")
        keys = [_header_key(cell) for cell in header]
        positions: dict[str, int] = {}
        for column, accepted in columns.items():
            found = [i for i, key in enumerate(keys) if key in {_header_key(a) for a in accepted}]
            if not found:
                raise SpreadsheetError(
                    f"The first line has no “{accepted[0]}” column; it needs "
                    + ", ".join(f"“{names[0]}”" for names in columns.values())
                    + "."
                )
            positions[column] = found[0]
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= max_rows:
                raise SpreadsheetError(
                    f"The file has more than {max_rows} rows: split it and import each part."
                )
            rows.append(
                (
                    reader.line_num,
                    {
                        column: cells[at].strip() if at < len(cells) else ""
                        for column, at in positions.items()
                    },
                )
            )
    except csv.Error as error:
        raise SpreadsheetError(
            f"The file is not well-formed CSV at line {reader.line_num}: {error}."
        ) from error
    return rows
