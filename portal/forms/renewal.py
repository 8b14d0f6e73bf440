"""Forms for renewing a credential: supervision in each year of its cycle."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, FieldList, FormField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange

from portal.forms.base import BaseForm, IntegerInput, SubForm


class SupervisionYearForm(SubForm):
    """One year of the cycle."""

    sessions = IntegerInput(
        _l("Supervision sessions that year"),
        invalid_message=_l("Enter the number of sessions, like 5."),
        validators=[
            InputRequired(message=_l("Enter the number of sessions, like 5.")),
            NumberRange(min=0, max=365, message=_l("Enter between 0 and 365 sessions.")),
        ],
    )
    supervisor_name = StringField(
        _l("Supervisor's name"),
        validators=[DataRequired(message=_l("Enter the supervisor's name.")), Length(max=200)],
    )
    supervisor_email = EmailField(
        _l("Supervisor's email address"),
        validators=[
            DataRequired(message=_l("Enter the supervisor's email address.")),
            Email(message=_l("Enter an email address like name@example.com."), check_deliverability=False),
            Length(max=254),
        ],
    )


class SupervisionYearsForm(BaseForm):
    years = FieldList(FormField(SupervisionYearForm))

    def values(self) -> dict:
        return {"years": [entry.data for entry in self.years]}
