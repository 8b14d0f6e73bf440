"""The credential catalogue: loads and validates ``catalogue.toml``, the one home of every credential rule.

Names, summaries and reasons are read in the current language (``[credentials.CPM.fr]`` and the like, English
when a language lacks one); machine formats (the Open Badge, the API, exports) use the ``english_`` ones.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from portal.enums import CentreStatus
from portal.workflows.texts import Localised, Text, read_text


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message says where."""


@dataclass(frozen=True)
class Prerequisite:
    credential: str
    full_cycles: int


@dataclass(frozen=True)
class Renewal:
    """What renewing a credential asks for, and when it may be asked."""

    supervision_sessions_per_year: int
    requires_declaration: bool
    opens_days_before_expiry: int
    closes_days_after_expiry: int


@dataclass(frozen=True)
class Expiry:
    expiring_soon_days: int = 90
    reminder_days: tuple[int, ...] = (90, 30)


@dataclass(frozen=True)
class Kept:
    """What is kept of an erased person's records of one kind: for how many years, and why (shown to them)."""

    years: int
    reason_text: Text
    reason = Localised("reason_text")


@dataclass(frozen=True)
class Retention:
    """The retention policy: what outlives an account's deletion (``[retention]`` in the catalogue)."""

    credentials: Kept  # years after the credential's expiry
    applications: Kept  # years after the decision, anonymised
    payments: Kept  # years after the payment was received
    show_holder_name: bool  # the public verification page keeps the holder's name as issued


@dataclass(frozen=True)
class Credential:
    code: str
    name_text: Text
    summary_text: Text
    order: int
    training_hours: int
    engagements: int
    references: int
    supervision_sessions_per_year: int
    validity_years: int
    fee_member: Decimal
    fee_non_member: Decimal
    currency: str
    prerequisite: Prerequisite | None = None
    renewal: Renewal | None = None
    # Reviewers who approve before the credential is issued, each a different person.
    approvals_required: int = 1
    # Whether approval waits until the named supervisor has confirmed their declaration by link.
    supervisor_declaration_required: bool = False

    def fee(self, is_member: bool) -> Decimal:
        return self.fee_member if is_member else self.fee_non_member

    # Read in the current language; the ``english_`` ones below are what machine formats carry.
    name = Localised("name_text")
    summary = Localised("summary_text")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def english_name(self) -> str:
        """The name machine formats carry, whoever asks: the Open Badge, the API, exports."""
        return self.name_text.english

    @property
    def english_summary(self) -> str:
        return self.summary_text.english

    @property
    def english_label(self) -> str:
        return f"{self.english_name} ({self.code})"


@dataclass(frozen=True)
class Catalogue:
    credentials: dict[str, Credential]
    review_target_weeks: dict[CentreStatus, int]
    currency: str
    source: Path = field(compare=False, default=Path())
    expiry: Expiry = field(default_factory=Expiry)
    retention: Retention | None = None

    def get(self, code: str) -> Credential | None:
        return self.credentials.get(code)

    def __getitem__(self, code: str) -> Credential:
        return self.credentials[code]

    def ordered(self) -> list[Credential]:
        return sorted(self.credentials.values(), key=lambda c: (c.order, c.code))

    def review_weeks(self, statuses: list[CentreStatus]) -> int:
        """The review target for training from these centres: the slowest one decides."""
        if not statuses:
            return max(self.review_target_weeks.values())
        return max(self.review_target_weeks[status] for status in statuses)


_REQUIRED_INT = (
    "training_hours",
    "engagements",
    "references",
    "supervision_sessions_per_year",
    "validity_years",
)


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and validate the catalogue at ``path``."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogueError(f"{path}: {error}") from error

    currency = str(raw.get("currency", "USD"))
    weeks_raw = raw.get("review_target_weeks", {})
    try:
        review_weeks = {status: int(weeks_raw[status.value]) for status in CentreStatus}
    except KeyError as error:
        raise CatalogueError(f"{path}: review_target_weeks needs a value for {error}") from error

    credentials: dict[str, Credential] = {}
    for code, entry in raw.get("credentials", {}).items():
        credentials[code] = _credential(path, code, entry, currency)
    if not credentials:
        raise CatalogueError(f"{path}: no credentials defined")
    for credential in credentials.values():
        if credential.prerequisite and credential.prerequisite.credential not in credentials:
            raise CatalogueError(
                f"{path}: {credential.code} requires {credential.prerequisite.credential}, which is not defined"
            )
    return Catalogue(
        credentials=credentials,
        review_target_weeks=review_weeks,
        currency=currency,
        source=path,
        expiry=_expiry(path, raw.get("expiry", {})),
        retention=_retention(path, raw.get("retention")),
    )


def _retention(path: Path, entry: dict | None) -> Retention:
    if entry is None:
        raise CatalogueError(f"{path}: no [retention] policy: say what outlives a deleted account, and why")
    kept = {}
    for kind in ("credentials", "applications", "payments"):
        try:
            kept[kind] = Kept(years=int(entry[kind]["years"]), reason_text=read_text(entry[kind], "reason"))
        except (KeyError, TypeError, ValueError) as error:
            raise CatalogueError(f"{path}: retention.{kind} needs years and a reason ({error})") from error
        if kept[kind].years < 0 or not kept[kind].reason_text.english:
            raise CatalogueError(f"{path}: retention.{kind}: years must be positive, with a reason")
    show_name = bool(entry["credentials"].get("show_holder_name", True))
    return Retention(**kept, show_holder_name=show_name)


def _expiry(path: Path, entry: dict) -> Expiry:
    try:
        soon = int(entry.get("expiring_soon_days", 90))
        reminders = tuple(sorted({int(day) for day in entry.get("reminder_days", [90, 30])}, reverse=True))
    except (TypeError, ValueError) as error:
        raise CatalogueError(f"{path}: expiry: {error}") from error
    if soon < 0 or any(day <= 0 for day in reminders):
        raise CatalogueError(f"{path}: expiry: days must be positive")
    return Expiry(expiring_soon_days=soon, reminder_days=reminders)


def _renewal(where: str, entry: dict | None) -> Renewal | None:
    if entry is None:
        return None
    try:
        renewal = Renewal(
            supervision_sessions_per_year=int(entry["supervision_sessions_per_year"]),
            requires_declaration=bool(entry.get("declaration", True)),
            opens_days_before_expiry=int(entry.get("opens_days_before_expiry", 180)),
            closes_days_after_expiry=int(entry.get("closes_days_after_expiry", 0)),
        )
    except KeyError as error:
        raise CatalogueError(f"{where}.renewal is missing {error.args[0]}") from error
    if (
        renewal.supervision_sessions_per_year < 0
        or renewal.opens_days_before_expiry < 0
        or renewal.closes_days_after_expiry < 0
    ):
        raise CatalogueError(f"{where}.renewal: numbers must be positive")
    return renewal


# The review has one state between the first approval and the last, so at most two approvals.
MAX_APPROVALS = 2


def _approvals(where: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CatalogueError(f"{where}: approvals_required must be a whole number")
    if not 1 <= value <= MAX_APPROVALS:
        raise CatalogueError(f"{where}: approvals_required must be 1 or {MAX_APPROVALS}")
    return value


def _credential(path: Path, code: str, entry: dict, currency: str) -> Credential:
    where = f"{path}: credentials.{code}"
    missing = [key for key in ("name", *_REQUIRED_INT, "fee_member", "fee_non_member") if key not in entry]
    if missing:
        raise CatalogueError(f"{where} is missing {', '.join(missing)}")
    numbers = {key: int(entry[key]) for key in _REQUIRED_INT}
    if any(value < 0 for value in numbers.values()) or numbers["validity_years"] < 1:
        raise CatalogueError(f"{where}: numbers must be positive")
    if numbers["references"] > numbers["engagements"]:
        raise CatalogueError(f"{where}: more references than engagements")
    approvals = _approvals(where, entry.get("approvals_required", 1))
    declaration_required = entry.get("supervisor_declaration_required", False)
    if not isinstance(declaration_required, bool):
        raise CatalogueError(f"{where}: supervisor_declaration_required must be true or false")
    prerequisite = None
    if "prerequisite" in entry:
        prereq = entry["prerequisite"]
        prerequisite = Prerequisite(
            credential=str(prereq["credential"]), full_cycles=int(prereq.get("full_cycles", 1))
        )
    return Credential(
        code=code,
        name_text=read_text(entry, "name"),
        summary_text=read_text(entry, "summary", default=""),
        order=int(entry.get("order", 100)),
        fee_member=Decimal(str(entry["fee_member"])),
        fee_non_member=Decimal(str(entry["fee_non_member"])),
        currency=currency,
        prerequisite=prerequisite,
        renewal=_renewal(where, entry.get("renewal")),
        approvals_required=approvals,
        supervisor_declaration_required=declaration_required,
        **numbers,
    )
