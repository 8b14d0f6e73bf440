"""The career plan's forms: milestones at 1, 2 and 4 years, and a review at a checkpoint. Shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms.base import BaseForm, DateInput, RealDate
from portal.workflows.programmes.career.rules import HORIZONS, MilestoneInput


def _milestone() -> tuple[TextAreaField, DateInput]:
    what = TextAreaField(
        _l("Milestone"),
        description=_l("Where you want to be by then: a role, a responsibility, a certification."),
        validators=[Optional(), Length(max=2000)],
    )
    when = DateInput(
        _l("Target date"),
        invalid_message=_l("Enter the target date as a real date."),
        validators=[Optional(), RealDate(future=True)],
    )
    return what, when


class CareerPlanForm(BaseForm):
    aspiration = TextAreaField(
        _l("Your career aspiration (optional)"),
        validators=[Optional(), Length(max=5000)],
        description=_l("The direction the milestones lead in: a role, a certification, a kind of work."),
    )
    milestone_1_description, milestone_1_target_on = _milestone()
    milestone_2_description, milestone_2_target_on = _milestone()
    milestone_4_description, milestone_4_target_on = _milestone()

    def milestones(self) -> list[MilestoneInput]:
        return [
            MilestoneInput(
                years,
                self[f"milestone_{years}_description"].data or "",
                self[f"milestone_{years}_target_on"].data,
            )
            for years in HORIZONS
        ]


def _month(value):
    return int(value) if value not in (None, "") else None


class PlanReviewForm(BaseForm):
    checkpoint_month = SelectField(_l("At the checkpoint"), coerce=_month, validate_choice=False)
    note = TextAreaField(
        _l("How the plan stands"),
        validators=[DataRequired(message=_l("Say how the plan stands.")), Length(max=5000)],
        description=_l("Milestones reached, changed or moved, and what comes next."),
    )
