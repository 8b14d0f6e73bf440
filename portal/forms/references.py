"""Naming another referee for an engagement after the application was submitted."""

from __future__ import annotations

from wtforms import EmailField, RadioField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from portal.enums import RefereeRelationship
from portal.forms.apply import choices
from portal.forms.base import BaseForm


class RefereeForm(BaseForm):
    referee_name = StringField(
        "Referee's name", validators=[DataRequired(message="Enter the referee's name."), Length(max=200)]
    )
    referee_email = EmailField(
        "Referee's email address",
        validators=[
            DataRequired(message="Enter the referee's email address."),
            Email(message="Enter an email address like name@example.com."),
            Length(max=254),
        ],
    )
    referee_relationship = RadioField(
        "Who is the referee?",
        choices=choices(RefereeRelationship.choices()),
        validators=[InputRequired(message="Say who the referee is.")],
    )
