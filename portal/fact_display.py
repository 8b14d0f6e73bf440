"""How a document's facts and cross-checks read to a person: hours as people write them, one date format, in
the reader's language. What the workers store stays English; it is translated here, when shown (the reasons a
document was left to a person: ``portal.workflows.documents.reasons``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.dates import day
from portal.documents.display import format_hours

format_date = day  # the portal's one way a date is shown: "3 March 2024"


def format_fact(name: str, value: Any) -> str:
    """A stored fact (dates as YYYY-MM-DD, hours as a number) as a reviewer should read it."""
    if value is None:
        return "–"
    if name == "hours" or name.endswith("_hours"):
        return format_hours(value)
    if name.endswith("_date") and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, date):
        return format_date(value)
    return str(value)


# The names of the facts the readers find (portal.documents.facts and .letters), as a reviewer reads them.
_FACT_LABELS = {
    "participant_name": _l("Participant name"),
    "programme": _l("Programme"),
    "training_centre": _l("Training centre"),
    "hours": _l("Hours"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "issue_date": _l("Issue date"),
    "instructor": _l("Instructor"),
    "mentor_name": _l("Mentor name"),
    "mentee_name": _l("Mentee name"),
    "mentee_email": _l("Mentee email"),
    "signer": _l("Signer"),
}


def fact_label(name: str) -> str:
    """A fact's name as a heading: "start_date" -> "Start date"."""
    label = _FACT_LABELS.get(name)
    return str(label) if label is not None else name.replace("_", " ").capitalize()


# The labels the cross-check stores with each field it compared (portal.documents.crosscheck).
_CHECK_LABELS = {
    "Participant": _l("Participant"),
    "Programme": _l("Programme"),
    "Training centre": _l("Training centre"),
    "Start date": _l("Start date"),
    "End date": _l("End date"),
    "Instructor": _l("Instructor"),
    "Training hours": _l("Training hours"),
    "Issued after the training ended": _l("Issued after the training ended"),
    "Mentor": _l("Mentor"),
    "Mentee": _l("Mentee"),
    "Mentee e-mail": _l("Mentee e-mail"),
    "Mentoring started": _l("Mentoring started"),
    "Mentoring ended": _l("Mentoring ended"),
}
_CHECK_OUTCOMES = {
    "confirmed": _l("Confirmed"),
    "contradicted": _l("Contradicted"),
    "not_found": _l("Not found"),
}
_AFTER = re.compile(r"^after (?P<day>.+)$")


def check_label(label: str) -> str:
    """The stored label of a compared field, in the reader's language."""
    return str(_CHECK_LABELS.get(label, label))


def check_outcome(outcome: str) -> str:
    """A comparison's outcome ("not_found") as a tag reads it ("Not found")."""
    shown = _CHECK_OUTCOMES.get(outcome)
    return str(shown) if shown is not None else outcome.replace("_", " ").capitalize()


def check_declared(declared: str | None) -> str:
    """What was declared, as the cross-check stored it ("after 3 March 2024"), in the reader's language."""
    found = _AFTER.match(declared or "")
    return _("after %(day)s", day=found["day"]) if found else (declared or "")
