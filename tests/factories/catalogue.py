"""Credential catalogue files: the portal's own, edited copies of it, and one with a third credential."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from portal.config import PROJECT_ROOT

CATALOGUE = PROJECT_ROOT / "portal" / "workflows" / "catalogue.toml"


def edited_catalogue(folder: Path, edit: Callable[[str], str]) -> Path:
    """A copy of the portal's catalogue in ``folder`` with ``edit`` applied to its text."""
    path = folder / "catalogue.toml"
    path.write_text(edit(CATALOGUE.read_text()))
    return path


def third_credential_catalogue(folder: Path) -> Path:
    """The portal's catalogue with a third credential, Certified Mentor Coach (CMC), added as data alone."""
    return edited_catalogue(
        folder,
        lambda text: (
            text
            + """
[credentials.CMC]
name = "Certified Mentor Coach"
order = 3
training_hours = 20
engagements = 1
references = 1
supervision_sessions_per_year = 3
validity_years = 3
fee_member = 100
fee_non_member = 150
"""
        ),
    )
