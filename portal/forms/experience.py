"""Experience forms: the mentee's log entry and a coordinator's categories. Shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from portal.forms.base import BaseForm, DateInput, IntegerInput, RealDate


def _date(label, what):
    return DateInput(
        label, invalid_message=what, validators=[InputRequired(message=what), RealDate(future=True)]
    )


def _id(value):
    return int(value) if str(value or "").isdigit() else None


class ExperienceForm(BaseForm):
    category_id = SelectField(
        _l("Category"),
        coerce=_id,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a category."))],
    )
    started_on = _date(_l("From"), _l("Enter the first day as a real date."))
    ended_on = _date(_l("To"), _l("Enter the last day as a real date."))
    hours = IntegerInput(
        _l("Hours"),
        invalid_message=_l("Enter the hours as a whole number."),
        validators=[
            InputRequired(message=_l("Enter the hours as a whole number.")),
            NumberRange(min=1, max=5000, message=_l("Enter between 1 and 5000 hours.")),
        ],
    )
    description = TextAreaField(
        _l("What you did"),
        validators=[DataRequired(message=_l("Say what you did.")), Length(max=5000)],
        description=_l("The project, your role and what you were responsible for."),
    )


class CategoriesForm(BaseForm):
    categories = TextAreaField(
        _l("Experience categories"),
        validators=[DataRequired(message=_l("Keep at least one category.")), Length(max=10_000)],
        description=_l(
            "One a line: the name, a bar, the target in hours over the term (or nothing), a bar, what counts. "
            "For example: Responsible in Charge (RIC) experience | 500 | Work you were responsible in charge of."
        ),
    )
