"""How dates, times, numbers and money read to a person, in their language and time zone, everywhere the
portal writes one ("2 December 2026" in English, "2 décembre 2026" in French). Exports and the API keep ISO
8601 and UTC; nothing else formats a date, a time or an amount by hand.

In a request or an email (see ``portal.i18n``) the person's language and zone apply; anywhere else (a PDF
built by a script, a test without an app) the house style: British English, UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal
from flask import has_app_context
from flask_babel import get_locale, get_timezone

_HOUSE_LOCALE = Locale.parse("en_GB")
_HOUSE_ZONE = UTC


def _locale() -> Locale:
    if has_app_context():
        return get_locale() or _HOUSE_LOCALE
    return _HOUSE_LOCALE


def _zone() -> tzinfo:
    if has_app_context():
        return get_timezone() or _HOUSE_ZONE
    return _HOUSE_ZONE


def _local(value: datetime) -> datetime:
    # The database keeps UTC without a zone.
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(_zone())


def day(value: date | datetime | None) -> str:
    """The day of ``value`` in words ("2 December 2026"); a moment's day is the one in the person's zone."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return format_date(value, "long", locale=_locale())


def clock(value: datetime | time | None) -> str:
    """The time of day of ``value`` in the person's time zone ("14:05"); a bare time (a meeting's local
    start) is shown as it is."""
    if not value:
        return ""
    local = value if isinstance(value, time) else _local(value).time()
    return format_time(local, "short", locale=_locale())


def moment(value: datetime | None) -> str:
    """A moment as people write it, in the person's time zone, with the zone named ("2 December 2026, 14:05
    GMT")."""
    if not value:
        return ""
    local = _local(value)
    return f"{day(local)}, {format_time(local.time(), 'short', locale=_locale())} {local.tzname()}"


def money(amount: Decimal | int | float | None, currency: str) -> str:
    """An amount in ``currency`` as the person's language writes it ("US$250.00", "250,00 $US"); whole amounts
    without decimals ("US$250")."""
    if amount is None:
        return "–"
    locale = _locale()
    if Decimal(amount) % 1:
        return format_currency(amount, currency, locale=locale)
    # The language's own pattern (where the symbol goes, how groups are written) without the decimals.
    pattern = locale.currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)


def number(value: Decimal | int | float | None) -> str:
    """A number as the person's language writes it ("1,234.5", "1 234,5")."""
    return "" if value is None else format_decimal(value, locale=_locale())
