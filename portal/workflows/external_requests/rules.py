"""The rules every request answered by link shares: tokens, the link's state, reminder timing, trust signals.

A person without an account (a referee, a supervisor) is emailed a link carrying a random token; only the
token's SHA-256 is stored. The link shows a page on GET and is used only by the POST that answers, once.
Each kind (reference requests, supervisor declarations, supervision sessions) adds its form, page and
consequences; what is the same for all of them is here.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.db import utcnow


class LinkUnusable(Exception):
    """The link is expired, used, superseded or unknown: the person sees one page that says nothing more."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LinkState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    UNUSABLE = "unusable"


def link_state(
    *, found: bool, usable: bool, answered: bool, waiting: bool, expires_at: datetime | None, now=None
) -> LinkState:
    """What a link shows: the form (open), "already answered", or the plain "link not usable" page.

    ``usable``: the request still stands (not replaced, its subject still under way); ``waiting``: its
    state still waits for an answer."""
    if not found or not usable:
        return LinkState.UNUSABLE
    if answered:
        return LinkState.ANSWERED
    if waiting and expires_at is not None and expires_at > (now or utcnow()):
        return LinkState.OPEN
    return LinkState.UNUSABLE


def expiry_days() -> int:
    """How long a link works: ``REFERENCE_EXPIRY_DAYS``, for every kind answered by link."""
    return int(current_app.config["REFERENCE_EXPIRY_DAYS"])


def reminder_days(value: Any = None) -> tuple[int, ...]:
    """``REFERENCE_REMINDER_DAYS`` ("7,14") as days after the request, ascending."""
    raw = current_app.config["REFERENCE_REMINDER_DAYS"] if value is None else value
    parts = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    days = sorted({int(str(part).strip()) for part in parts if str(part).strip()})
    if any(day <= 0 for day in days):
        raise ValueError(f"REFERENCE_REMINDER_DAYS must be positive whole days, not {raw!r}")
    return tuple(days)


# A reminder this close to expiry would leave the person no time to act on it.
NO_REMINDER_BEFORE_EXPIRY = timedelta(days=2)


def reminder_due(
    *,
    last_message_at: datetime,
    reminders_sent: int,
    expires_at: datetime,
    now: datetime,
    days: tuple[int, ...],
) -> bool:
    """Whether the next reminder is due: each is timed from the last message sent, at the gap between the
    configured days (7 and 14: a week after the request, then a week after the first reminder)."""
    due = next_reminder_at(
        last_message_at=last_message_at, reminders_sent=reminders_sent, expires_at=expires_at, days=days
    )
    return due is not None and now >= due and now < expires_at - NO_REMINDER_BEFORE_EXPIRY


def next_reminder_at(
    *, last_message_at: datetime, reminders_sent: int, expires_at: datetime, days: tuple[int, ...]
) -> datetime | None:
    """When the person is reminded next (the hourly sweep sends it then), or None when no reminder is left
    or the next would fall too close to the link's expiry to be sent."""
    if reminders_sent >= len(days):
        return None
    gap = days[reminders_sent] - (days[reminders_sent - 1] if reminders_sent else 0)
    due = last_message_at + timedelta(days=gap)
    return None if due >= expires_at - NO_REMINDER_BEFORE_EXPIRY else due


def shortest_gap(days: tuple[int, ...]) -> int:
    """The fewest days between two messages: no request sent more recently than this can be due."""
    return min(b - a for a, b in zip((0, *days), days, strict=False))


# Links are needed only until the email leaves; after that the stored copy keeps no working token.
LINK_IN_EMAIL = re.compile(r"(/references/|/supervisors/|/programmes/supervision/confirm/)[A-Za-z0-9_-]{16,}")


REDACTED_LINK = "[link removed once sent]"


def redact_links(text: str) -> str:
    return LINK_IN_EMAIL.sub(r"\g<1>" + REDACTED_LINK, text)


# Trust signals: what a reviewer should weigh about an answer given by link; never a decision by itself.


class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def rank(self) -> int:
        return ("green", "amber", "red").index(self.value)

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS[self.value])


LEVEL_LABELS = {"green": _l("No concerns"), "amber": _l("Check"), "red": _l("Concern")}


@dataclass(frozen=True)
class Signal:
    level: Level
    reason: str


@dataclass(frozen=True)
class Trust:
    """What a reviewer should weigh; never a decision by itself."""

    signals: tuple[Signal, ...]

    @property
    def level(self) -> Level:
        levels = (signal.level for signal in self.signals)
        return max(levels, key=lambda level: level.rank, default=Level.GREEN)


# Addresses anyone can open: someone speaking for an organisation would normally write from its domain.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.fr",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "126.com",
        "fastmail.com",
        "tutanota.com",
        "hey.com",
        "laposte.net",
        "orange.fr",
        "free.fr",
        "libero.it",
        "rediffmail.com",
    }
)


QUICK_ANSWER = timedelta(minutes=10)


def domain_of(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


@dataclass(frozen=True)
class AddressFacts:
    """Whose address answered, beside the applicant's own addresses (their account's and contact ones)."""

    email: str
    applicant_emails: tuple[str, ...]

    @property
    def own(self) -> bool:
        """The address is one of the applicant's own."""
        return self.email.strip().lower() in {e.strip().lower() for e in self.applicant_emails if e}

    @property
    def domain(self) -> str:
        return domain_of(self.email)

    @property
    def same_domain(self) -> bool:
        """On one of the applicant's own domains (a free-mail domain is nobody's own)."""
        own_domains = {domain_of(e) for e in self.applicant_emails if e} - FREE_MAIL_DOMAINS
        return self.domain in own_domains

    @property
    def free_mail(self) -> bool:
        return self.domain in FREE_MAIL_DOMAINS


@dataclass(frozen=True)
class AnswerFacts:
    """When and from where the answer came, beside the applicant's last sign-in."""

    requested_at: datetime | None = None
    answered_at: datetime | None = None
    answer_ip: str | None = None
    answer_user_agent: str | None = None
    applicant_ip: str | None = None
    applicant_user_agent: str | None = None


def answer_signals(facts: AnswerFacts) -> list[Signal]:
    """The signals every kind of answer by link gives: the applicant's own network, and haste."""
    signals: list[Signal] = []
    if facts.answer_ip and facts.answer_ip == facts.applicant_ip:
        if facts.answer_user_agent and facts.answer_user_agent == facts.applicant_user_agent:
            signals.append(
                Signal(
                    Level.RED,
                    _("Answered from the same network address and browser as the applicant's last sign-in."),
                )
            )
        else:
            signals.append(
                Signal(
                    Level.AMBER,
                    _(
                        "Answered from the same network address as the applicant's "
                        "last sign-in (a different browser)."
                    ),
                )
            )
    if facts.requested_at and facts.answered_at and facts.answered_at - facts.requested_at < QUICK_ANSWER:
        minutes = max(1, int((facts.answered_at - facts.requested_at).total_seconds() // 60))
        signals.append(
            Signal(
                Level.AMBER,
                ngettext(
                    "Answered %(num)d minute after the request was sent.",
                    "Answered %(num)d minutes after the request was sent.",
                    minutes,
                ),
            )
        )
    return signals
