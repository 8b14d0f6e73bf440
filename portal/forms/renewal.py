"""Forms for renewing a credential: supervision in each year of its cycle."""

from __future__ import annotations

from wtforms import EmailField, FieldList, FormField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange

from portal.forms.base import BaseForm, IntegerInput, SubForm


class SupervisionYearForm(SubForm):
    """One year of the cycle."""

    sessions = IntegerInput(
        "Supervision sessions that year",
        invalid_message="Enter the number of sessions, like 5.",
        validators=[
            InputRequired(message="Enter the number of sessions, like 5."),
            NumberRange(min=0, max=365, message="Enter between 0 and 365 sessions."),
        ],
    )
    supervisor_name = StringField(
        "Supervisor's name",
        validators=[DataRequired(message="Enter the supervisor's name."), Length(max=200)],
    )
    supervisor_email = EmailField(
        "Supervisor's email address",
        validators=[
            DataRequired(message="Enter the supervisor's email address."),
            Email(message="Enter an email address like name@example.com.", check_deliverability=False),
            Length(max=254),
        ],
    )


class SupervisionYearsForm(BaseForm):
    years = FieldList(FormField(SupervisionYearForm))

    def values(self) -> dict:
        return {"years": [entry.data for entry in self.years]}
