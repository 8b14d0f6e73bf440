"""Data-rights rules on plain data: what blocks an erasure, what is erased or kept (and until when), and
when a stale draft is warned about or erased."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from portal.dates import day
from portal.enums import ApplicationState, PairingState, Role
from portal.workflows.catalogue import Kept, Retention

# What an erased person is called wherever their name stood (their partner's pairing page, kept records).
ERASED_NAME = "Deleted account"
# What stands in place of erased free text and third parties' names the records still need a value for.
ERASED_TEXT = "(erased)"

# States an application is decided or closed in: kept anonymised. Drafts are erased; the rest are in hand.
CLOSED = frozenset({ApplicationState.APPROVED, ApplicationState.REJECTED, ApplicationState.WITHDRAWN})
# Pairings in these states involve the other person now: they are ended first, so that the partner is told.
PAIRING_IN_HAND = frozenset(
    {PairingState.REQUESTED, PairingState.DECLARING, PairingState.AGREEING, PairingState.ACTIVE}
)


def placeholder_email(user_id: int) -> str:
    """The address an erased account keeps: unique, and in a domain that can never receive mail (RFC 2606)."""
    return f"deleted-{user_id}@erased.invalid"


@dataclass(frozen=True)
class Blocker:
    """Something that must be settled before an account can be erased, and what the person can do."""

    problem: str
    action: str  # the button's words
    kind: str  # "application", "pairing" or "staff": which page the action is on
    target_id: int | None = None


def state_words(state: ApplicationState | PairingState) -> str:
    """A state as it reads inside a sentence, in the reader's language ("in review", « en cours d'évaluation »);
    the words are the state labels the pages show (templates/_macros/ui.html)."""
    return _(state.label).lower()


def staff_blocker(role: Role) -> Blocker | None:
    if role == Role.APPLICANT:
        return None
    return Blocker(
        _(
            "Staff accounts are closed by an administrator, so that the decisions taken with them stay "
            "attributed. Ask an administrator to close yours."
        ),
        "",
        "staff",
    )


def application_blocker(reference: str, credential_name: str, state: ApplicationState, app_id: int):
    if state == ApplicationState.DRAFT or state in CLOSED:
        return None
    return Blocker(
        _(
            "Your %(credential)s application %(reference)s is %(state)s. We do not erase an application while "
            "it is being handled: withdraw it first (no fee paid is lost by deleting later), then delete your "
            "account.",
            credential=credential_name,
            reference=reference,
            state=state_words(state),
        ),
        _("Withdraw it"),
        "application",
        app_id,
    )


def pairing_blocker(
    programme: str, partner: str, state: PairingState, term_end: date | None, pairing_id: int
):
    if state not in PAIRING_IN_HAND:
        return None
    if state == PairingState.ACTIVE:
        values = {"partner": partner, "programme": programme}
        problem = (
            _(
                "Your mentoring pairing with %(partner)s in %(programme)s is active until %(day)s. Your "
                "partner's record of it depends on you: finish it, or ask the programme's coordinator to end "
                "it, then delete your account.",
                day=day(term_end),
                **values,
            )
            if term_end
            else _(
                "Your mentoring pairing with %(partner)s in %(programme)s is active. Your partner's record of "
                "it depends on you: finish it, or ask the programme's coordinator to end it, then delete your "
                "account.",
                **values,
            )
        )
        return Blocker(problem, _("Open the pairing"), "pairing", pairing_id)
    return Blocker(
        _(
            "Your mentoring pairing with %(partner)s in %(programme)s is %(state)s. Withdraw from it first, so "
            "that they are told, then delete your account.",
            partner=partner,
            programme=programme,
            state=state_words(state),
        ),
        _("Open the pairing"),
        "pairing",
        pairing_id,
    )


def years_later(start: date | datetime, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    start = start.date() if isinstance(start, datetime) else start
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


@dataclass(frozen=True)
class KeptItem:
    """One record that outlives the erasure: what it is, until when, and the policy's reason."""

    what: str
    until: date
    reason: str


def kept_credential(name: str, number: str, expires_on: date, policy: Retention) -> KeptItem:
    what = (
        _(
            "Your %(name)s %(number)s: number, dates and status, with your name as issued",
            name=name,
            number=number,
        )
        if policy.show_holder_name
        else _(
            "Your %(name)s %(number)s: number, dates and status, without your name", name=name, number=number
        )
    )
    return KeptItem(
        what,
        years_later(expires_on, policy.credentials.years),
        policy.credentials.reason,
    )


def kept_application(reference: str, until: date, kept: Kept) -> KeptItem:
    return KeptItem(
        _("Application %(reference)s, anonymised: no name, contact details or files", reference=reference),
        until,
        kept.reason,
    )


def kept_payment(receipt: str, until: date, kept: Kept) -> KeptItem:
    """A payment goes with its application, so it is kept as long as that is."""
    return KeptItem(
        _("Payment %(receipt)s: amount, date and bank reference", receipt=receipt), until, kept.reason
    )


def application_kept_until(
    closed_on: date | datetime, paid_on: date | None, credential_until: date | None, policy: Retention
) -> date:
    """The last day an erased person's anonymised application is kept: its own years, its payment's (which
    goes with it) and its credential's (whose record rests on it), whichever ends last."""
    ends = [years_later(closed_on, policy.applications.years)]
    if paid_on is not None:
        ends.append(years_later(paid_on, policy.payments.years))
    if credential_until is not None:
        ends.append(credential_until)
    return max(ends)


def warn_untouched_since(now: datetime, retention_days: int, warning_days: int) -> datetime:
    """Drafts last changed before this moment are due for their warning."""
    return now - timedelta(days=max(retention_days - warning_days, 0))


def erase_after(
    updated_at: datetime, warned_at: datetime, retention_days: int, warning_days: int
) -> datetime:
    """When a warned draft may be erased: its retention passed, and never sooner than the warning promised."""
    return max(updated_at + timedelta(days=retention_days), warned_at + timedelta(days=warning_days))


def credential_retention_over(expires_on: date, today: date, kept: Kept) -> bool:
    """An erased holder's credential has been kept as long as the policy says."""
    return today > years_later(expires_on, kept.years)


def application_retention_over(
    closed_on: date | datetime, paid_on: date | None, has_credential: bool, today: date, policy: Retention
) -> bool:
    """An erased person's anonymised application may go: its own and its payment's years are over, and its
    credential is gone."""
    return not has_credential and today > application_kept_until(closed_on, paid_on, None, policy)
