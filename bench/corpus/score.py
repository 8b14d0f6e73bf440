"""Score what the reader found against a corpus document's ground truth, and run the cross-check both ways.

A field is right when the value read equals the truth after folding that no reviewer would care about:
accents (OCR of a photo rarely sees them), case, runs of spaces and punctuation at the ends. Honorifics are
not folded away: a reader must strip them itself. Only fields the document states are scored.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .content import CENTRES
from .generator import CERTIFICATE, HELD_OUT_FAMILIES, MANUAL, READ, Sample

CERTIFICATE_FIELDS = (
    "participant_name",
    "programme",
    "training_centre",
    "hours",
    "start_date",
    "end_date",
    "issue_date",
    "instructor",
)
LETTER_FIELDS = ("mentor_name", "mentee_name", "mentee_email", "start_date", "end_date", "signer")
# The held-out set in two parts: new documents in layouts the rules were tuned on, and layouts held out whole.
SEEN, UNSEEN = "held-out, tuned layouts", "held-out, unseen layouts"


def fold(value) -> str:
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    text = re.sub(r"\s+", " ", text.casefold()).strip()
    return text.strip(" .,;:-–|")


def field_right(name: str, found, truth) -> bool:
    if found is None:
        return False
    if name == "hours":
        try:
            return Decimal(str(found)) == Decimal(str(truth))
        except ArithmeticError:
            return False
    return fold(found) == fold(truth)


def fields_of(sample: Sample) -> tuple[str, ...]:
    return CERTIFICATE_FIELDS if sample.kind == CERTIFICATE else LETTER_FIELDS


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def share(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass
class Scores:
    """Tallies keyed by (split, something); split is "held-out" or "tuning"."""

    by_field: dict = field(default_factory=lambda: defaultdict(Tally))
    by_family: dict = field(default_factory=lambda: defaultdict(Tally))
    overall: dict = field(default_factory=lambda: defaultdict(Tally))
    status: dict = field(default_factory=lambda: defaultdict(Tally))
    misses: list = field(default_factory=list)  # (sample id, field, found, truth) for the tuning set only


def split_of(sample: Sample) -> str:
    return "held-out" if sample.held_out else "tuning"


def score(samples: list[Sample], outcomes: dict) -> Scores:
    """``outcomes`` maps a sample's id to the reader's ``Extraction``."""
    scores = Scores()
    for sample in samples:
        outcome = outcomes[sample.id]
        split = split_of(sample)
        scores.status[split].add(outcome.status == sample.expected_status)
        scores.status[(split, sample.family)].add(outcome.status == sample.expected_status)
        if sample.expected_status == MANUAL:
            continue
        found_fields = outcome.fields if outcome.status == READ else {}
        for name in fields_of(sample):
            truth = sample.truth.get(name)
            if truth is None:
                continue
            found = found_fields.get(name)
            ok = field_right(name, found, truth)
            scores.by_field[(split, sample.kind, name)].add(ok)
            scores.by_family[(split, sample.family)].add(ok)
            scores.overall[(split, sample.kind)].add(ok)
            scores.overall[split].add(ok)
            if sample.held_out:
                scores.overall[UNSEEN if sample.family in HELD_OUT_FAMILIES else SEEN].add(ok)
            if not ok and not sample.held_out:
                scores.misses.append((sample.id, name, found, truth))
    return scores


# --- the cross-check, honest and falsified -----------------------------------------------------

FALSIFIED_CERTIFICATE = ("training_centre", "hours", "start_date")
FALSIFIED_LETTER = ("start_date", "end_date")


def _date(value: str) -> date:
    return date.fromisoformat(value)


def declared_training(truth: dict, falsify: str | None = None):
    from portal.documents.crosscheck import DeclaredTraining

    values = {
        "participant_name": truth["participant_name"],
        "programme": truth["programme"],
        "training_centre": truth["training_centre"],
        "hours": Decimal(str(truth["hours"])),
        "start_date": _date(truth["start_date"]),
        "end_date": _date(truth["end_date"]),
        "instructor": truth["instructor"],
    }
    if falsify == "training_centre":
        others = [name for name, _ in CENTRES if name != truth["training_centre"]]
        values["training_centre"] = others[len(truth["participant_name"]) % len(others)]
    elif falsify == "hours":
        # More hours declared than the certificate shows (declaring fewer is no contradiction).
        values["hours"] = values["hours"] + max(8, (values["hours"] / 4).to_integral_value())
    elif falsify == "start_date":
        values["start_date"] = values["start_date"] - timedelta(weeks=5)
    return DeclaredTraining(**values)


def declared_engagement(truth: dict, falsify: str | None = None):
    from portal.documents.crosscheck import DeclaredEngagement

    start, end = _date(truth["start_date"]), _date(truth["end_date"])
    if falsify == "start_date":
        start -= timedelta(weeks=7)
    elif falsify == "end_date":
        end += timedelta(weeks=9)
    return DeclaredEngagement(
        mentor_name=truth["mentor_name"],
        mentee_name=truth["mentee_name"],
        mentee_email=truth["mentee_email"],
        start_date=start,
        end_date=end,
    )


def cross_check(sample: Sample, outcome, falsify: str | None = None) -> list:
    """The checks the worker would record for this document against an honest or falsified declaration."""
    from portal.documents.crosscheck import check_certificate, check_reference_letter

    if outcome.status != READ:
        return []
    if sample.kind == CERTIFICATE:
        return check_certificate(outcome.facts, declared_training(sample.truth, falsify), text=outcome.text)
    return check_reference_letter(outcome.text, declared_engagement(sample.truth, falsify))


@dataclass
class CrossCheckScores:
    honest_confirmed: dict = field(default_factory=lambda: defaultdict(Tally))  # per declared field
    honest_clean: dict = field(
        default_factory=lambda: defaultdict(Tally)
    )  # declarations with no contradiction
    falsified_caught: dict = field(default_factory=lambda: defaultdict(Tally))
    false_alarms: list = field(default_factory=list)
    missed: list = field(default_factory=list)


def score_cross_check(samples: list[Sample], outcomes: dict) -> CrossCheckScores:
    scores = CrossCheckScores()
    for sample in samples:
        if sample.expected_status == MANUAL:
            continue
        split = split_of(sample)
        outcome = outcomes[sample.id]
        honest = cross_check(sample, outcome)
        contradicted = [check for check in honest if check.outcome == "contradicted"]
        scores.honest_clean[split].add(outcome.status == READ and not contradicted)
        if contradicted and not sample.held_out:
            scores.false_alarms.append((sample.id, [(c.field, c.found) for c in contradicted]))
        wanted = (
            {"mentor_name", "mentee_name", "mentee_email", "start_date", "end_date"}
            if sample.kind != CERTIFICATE
            else {"participant_name", "programme", "training_centre", "hours", "start_date", "end_date"}
        )
        by_field = {check.field: check.outcome for check in honest}
        for name in sorted(wanted):
            scores.honest_confirmed[(split, sample.kind)].add(by_field.get(name) == "confirmed")
        for falsify in FALSIFIED_CERTIFICATE if sample.kind == CERTIFICATE else FALSIFIED_LETTER:
            checks = {check.field: check for check in cross_check(sample, outcome, falsify)}
            caught = falsify in checks and checks[falsify].outcome == "contradicted"
            scores.falsified_caught[(split, sample.kind, falsify)].add(caught)
            scores.falsified_caught[split].add(caught)
            if not caught and not sample.held_out:
                found = checks.get(falsify)
                scores.missed.append((sample.id, falsify, found.outcome if found else "no check"))
    return scores
