"""The guide's sections and their default text, on plain data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

DEFAULTS_PATH = Path(__file__).with_name("guide.toml")

# The guide's sections, in the order a reader meets them, with their headings.
SECTIONS = {
    "mentoring_is": _l("What mentoring is"),
    "mentoring_is_not": _l("What mentoring is not"),
    "mentor_responsibilities": _l("The mentor’s responsibilities"),
    "mentee_responsibilities": _l("The protégé’s responsibilities"),
    "coordinator_responsibilities": _l("The coordinator’s responsibilities"),
    "confidentiality": _l("Confidentiality"),
}


@dataclass(frozen=True)
class GuideSection:
    key: str
    heading: str
    text: str


@cache
def default_texts() -> dict[str, str]:
    """The sections' default text from ``guide.toml``; confidentiality comes from the programme's terms."""
    raw = tomllib.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))
    missing = set(SECTIONS) - {"confidentiality"} - set(raw)
    if missing:
        raise ValueError(f"{DEFAULTS_PATH}: no default for {', '.join(sorted(missing))}")
    return {key: " ".join(str(raw[key]).split()) for key in SECTIONS if key in raw}


def sections(texts: dict[str, str]) -> list[GuideSection]:
    """The guide as a reader sees it: every section with its heading, empty ones left out."""
    return [
        GuideSection(key, str(heading), texts[key]) for key, heading in SECTIONS.items() if texts.get(key)
    ]
