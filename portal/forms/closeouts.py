"""The close-out form: where each goal ended up, the protégé's next steps, readiness. Shape only."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from portal.enums import CertificationReadiness, GoalProgress
from portal.forms.apply import choices
from portal.forms.base import BaseForm
from portal.workflows.programmes.closeout.rules import GoalOutcome

PROGRESS_CHOICES = choices(
    [
        ("", _l("Choose…")),
        (GoalProgress.ACHIEVED.value, _l("Achieved")),
        (GoalProgress.ON_TRACK.value, _l("On track")),
        (GoalProgress.AT_RISK.value, _l("At risk")),
        (GoalProgress.NOT_STARTED.value, _l("Not started")),
    ]
)
READINESS_CHOICES = choices(
    [
        (CertificationReadiness.READY.value, _l("Ready to apply for certification")),
        (CertificationReadiness.PREPARING.value, _l("Preparing: a few months away")),
        (CertificationReadiness.NOT_YET.value, _l("Not yet: more experience is needed first")),
    ]
)


def _progress(value):
    return GoalProgress(value) if value in {p.value for p in GoalProgress} else None


class _CloseoutBase(BaseForm):
    next_steps = TextAreaField(
        _l("Next steps for the protégé"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Strategic career advice, and how to prepare for the next certification."),
    )
    readiness = RadioField(
        _l("Readiness for certification"), choices=READINESS_CHOICES, validate_choice=False
    )

    positions: Sequence[int] = ()

    def outcomes(self) -> list[GoalOutcome]:
        return [
            GoalOutcome(p, self[f"goal_{p}_progress"].data, self[f"goal_{p}_comment"].data or "")
            for p in self.positions
        ]


def closeout_form(positions: Sequence[int]) -> type[_CloseoutBase]:
    """A close-out form with a progress and a comment for each of the agreement's goals."""
    fields = {"positions": tuple(positions)}
    for position in positions:
        fields[f"goal_{position}_progress"] = SelectField(
            _l("Where it ended up"), choices=PROGRESS_CHOICES, coerce=_progress, validate_choice=False
        )
        fields[f"goal_{position}_comment"] = TextAreaField(
            _l("Comment (optional)"), validators=[Optional(), Length(max=2000)]
        )
    return type("CloseoutForm", (_CloseoutBase,), fields)
