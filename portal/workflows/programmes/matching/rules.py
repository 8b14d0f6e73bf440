"""The matching rules, in one place: how well a mentor fits a protégé, and why, in words the protégé reads.

Fit is what the two share (sector, region or chapter, the words of the protégé's goals in the mentor's
expertise) and whether the mentor has a place; the track record is how the mentor's past pairings ended
(completed, or withdrawn after the mentor accepted) and how their protégés rated them in the final evaluation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.dates import number

# A mentor with a free place always ranks above one without (who cannot say yes); among those, the score:
# what the two share, then the track record, which orders mentors who fit alike.
WEIGHTS = {
    "sector": 30,
    "region": 20,
    "goal_word": 8,  # per word of the protégé's goals found in the mentor's expertise, up to GOAL_WORDS_COUNTED
    "completed": 5,  # per completed pairing, up to COMPLETED_COUNTED
    "rating_above_neutral": 10,  # per point of the protégés' average rating above the scale's middle (3 of 5)
    "withdrawn": -8,  # per pairing withdrawn after the mentor had accepted
}
GOAL_WORDS_COUNTED = 4
COMPLETED_COUNTED = 6
NEUTRAL_RATING = 3.0
# Words too common to say anything about a match.
STOP_WORDS = frozenset(
    "a an and the of to in on for with my your me i be by at as or is are how toward towards into from "
    "get gain become work working more better".split()
)


def words(text: str) -> set[str]:
    """The meaningful words of a text, lower-cased (three letters or more, stop words left out)."""
    return {w for w in re.findall(r"[^\W\d_]{3,}", text.casefold()) if w not in STOP_WORDS}


@dataclass(frozen=True)
class Seeker:
    """What the protégé is looking for: their sector and region (if they said), and their goals' words."""

    sector: str = ""
    region: str = ""
    goals: str = ""


@dataclass(frozen=True)
class Record:
    """How a mentor's past pairings went."""

    completed: int = 0
    withdrawn_after_accepting: int = 0
    average_rating: float | None = None  # protégés' ratings of the mentor, when enough to be anonymous


@dataclass(frozen=True)
class Candidate:
    expertise: str
    sector: str
    region: str
    places_left: int
    record: Record


@dataclass(frozen=True)
class Match:
    score: int
    reasons: tuple[str, ...]
    has_place: bool = True

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def match(seeker: Seeker, candidate: Candidate) -> Match:
    """The candidate's score for this seeker, and the reasons, strongest first."""
    score = 0
    shared = []
    if _same(seeker.sector, candidate.sector):
        score += WEIGHTS["sector"]
        shared.append("sector")
    if _same(seeker.region, candidate.region):
        score += WEIGHTS["region"]
        shared.append("region")
    goal_words = words(seeker.goals) & words(candidate.expertise)
    if goal_words:
        score += WEIGHTS["goal_word"] * min(len(goal_words), GOAL_WORDS_COUNTED)
        shared.append("goal")
    record = candidate.record
    score += WEIGHTS["completed"] * min(record.completed, COMPLETED_COUNTED)
    score += WEIGHTS["withdrawn"] * record.withdrawn_after_accepting
    if record.average_rating is not None:
        score += round(WEIGHTS["rating_above_neutral"] * (record.average_rating - NEUTRAL_RATING))

    reasons = []
    if shared:
        reasons.append(_shared_reason(shared))
    if record.completed:
        reasons.append(ngettext("%(num)d completed pairing", "%(num)d completed pairings", record.completed))
    if record.average_rating is not None:
        reasons.append(_("rated %(rating)s out of 5 by past protégés", rating=number(record.average_rating)))
    if candidate.places_left == 0:
        reasons.append(_("no place free now"))
    return Match(score, tuple(reasons), candidate.places_left > 0)


def _shared_reason(shared: list[str]) -> str:
    # Whole sentences for each combination, so that a translator sees each one.
    sentences = {
        ("sector",): _("matches your sector"),
        ("region",): _("in your region or chapter"),
        ("goal",): _("matches your goal"),
        ("sector", "region"): _("matches your sector and region"),
        ("sector", "goal"): _("matches your sector and goal"),
        ("region", "goal"): _("matches your region and goal"),
        ("sector", "region", "goal"): _("matches your sector, region and goal"),
    }
    return sentences[tuple(shared)]


def rank(seeker: Seeker, candidates: Iterable[tuple[object, Candidate]]) -> list[tuple[object, Match]]:
    """The candidates (any key with its facts), those with a place first, then by score; equal ones keep
    their given order."""
    scored = [(key, match(seeker, candidate)) for key, candidate in candidates]
    return sorted(scored, key=lambda pair: (not pair[1].has_place, -pair[1].score))
