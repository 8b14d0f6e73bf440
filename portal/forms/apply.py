"""Forms for the application's sections."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.enums import CentreStatus, EngagementSetting, RefereeRelationship, SupervisionFocus, TrainingMode
from portal.forms.base import BaseForm, DateInput, DecimalInput, IntegerInput, NotBefore, RealDate, past_date


def _required(what: str):
    return DataRequired(message=f"Enter {what}.")


def email_validators(what: str):
    return [_required(what), Email(message="Enter an email address like name@example.com."), Length(max=254)]


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _bool_choice(value):
    if value in (None, ""):
        return None
    return value in (True, "yes", "True", "1")


class StartForm(BaseForm):
    credential = RadioField(
        "Which credential are you applying for?", validators=[InputRequired(message="Choose a credential.")]
    )


class AboutForm(BaseForm):
    full_name = StringField("Full name", validators=[_required("your full name"), Length(max=200)])
    contact_email = EmailField("Email address", validators=email_validators("your email address"))
    postal_address = TextAreaField(
        "Postal address", validators=[_required("your postal address"), Length(max=1000)]
    )
    is_member = RadioField(
        "Are you a member of the International Mentoring Center?",
        choices=choices([("yes", "Yes, I am a member"), ("no", "No")]),
        coerce=_bool_choice,
        validators=[InputRequired(message="Say whether you are a member.")],
    )
    member_number = StringField("Membership number", validators=[Optional(), Length(max=40)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_member.data and not self.member_number.data:
            self.member_number.errors = [*self.member_number.errors, "Enter your membership number."]
            return False
        return valid


class PrerequisiteForm(BaseForm):
    prior_credential_number = StringField(
        "Credential number", validators=[_required("the credential number"), Length(max=40)]
    )
    prior_credential_issued_on = DateInput(
        "Date of issue",
        invalid_message="Enter the date of issue as a real date.",
        validators=[InputRequired(message="Enter the date of issue as a real date."), RealDate()],
    )


class TrainingForm(BaseForm):
    centre_name = StringField(
        "Name of the training centre", validators=[_required("the training centre's name"), Length(max=200)]
    )
    centre_status = RadioField(
        "Status of the training centre",
        choices=choices(CentreStatus.choices()),
        validators=[InputRequired(message="Choose the centre's status.")],
    )
    programme_name = StringField(
        "Name of the mentor training programme",
        validators=[_required("the programme's name"), Length(max=200)],
    )
    hours = DecimalInput(
        "Mentoring training hours",
        places=1,
        invalid_message="Enter the number of training hours, like 35 or 12.5.",
        validators=[
            InputRequired(message="Enter the number of training hours, like 35 or 12.5."),
            NumberRange(min=0.5, max=2000, message="Enter a number of hours between 0.5 and 2000."),
        ],
    )
    mode = RadioField(
        "Mode of the programme",
        choices=choices(TrainingMode.choices()),
        validators=[InputRequired(message="Choose how the programme was delivered.")],
    )
    start_date = past_date("Programme start date", "the start date")
    end_date = DateInput(
        "Programme end date",
        invalid_message="Enter the end date as a real date.",
        validators=[
            InputRequired(message="Enter the end date as a real date."),
            RealDate(),
            NotBefore("start_date", "The end date must be on or after the start date."),
        ],
    )
    instructor_name = StringField(
        "Instructor's name", validators=[_required("the instructor's name"), Length(max=200)]
    )
    instructor_email = EmailField(
        "Instructor's email address", validators=email_validators("the instructor's email address")
    )
    certificate = FileField("Certificate of completion (PDF, Word .docx, or a scan or photo)")

    def validate_hours(self, field):
        start, end = self.start_date.data, self.end_date.data
        if field.data is None or start is None or end is None or end < start:
            return
        days = (end - start).days + 1
        # More than 16 hours a day for the whole programme is a typing mistake, not a programme.
        if field.data > days * 16:
            raise ValidationError(
                f"{field.data} hours is more than the programme's {days} day(s) can hold. "
                "Check the hours and the dates."
            )


class EngagementForm(BaseForm):
    mentee_name = StringField("Mentee's name", validators=[_required("the mentee's name"), Length(max=200)])
    mentee_email = EmailField(
        "Mentee's email address", validators=email_validators("the mentee's email address")
    )
    start_date = past_date("Start date", "the start date")
    end_date = DateInput(
        "End date",
        invalid_message="Enter the end date as a real date.",
        validators=[
            Optional(),
            RealDate(),
            NotBefore("start_date", "The end date must be on or after the start date."),
        ],
        description="Leave empty if the engagement is still going on. Only completed engagements count.",
    )
    setting = RadioField(
        "Where did the mentoring take place?",
        choices=choices(EngagementSetting.choices()),
        validators=[InputRequired(message="Say whether the engagement was internal or external.")],
    )
    is_confidential = BooleanField("This engagement is bound by a confidentiality agreement")
    referee_name = StringField("Referee's name", validators=[Optional(), Length(max=200)])
    referee_email = EmailField(
        "Referee's email address",
        validators=[
            Optional(),
            Email(message="Enter an email address like name@example.com."),
            Length(max=254),
        ],
    )
    referee_relationship = RadioField(
        "Who is the referee?", choices=choices(RefereeRelationship.choices()), validators=[Optional()]
    )
    letter = FileField(
        "Reference letter or email (PDF, Word .docx, saved email .eml, or a scan or photo; optional)"
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # A referee is optional, but one named at all must be named in full.
        if any([self.referee_name.data, self.referee_email.data, self.referee_relationship.data]):
            missing = [
                (self.referee_name, "Enter the referee's name."),
                (self.referee_email, "Enter the referee's email address, or clear the referee's details."),
                (self.referee_relationship, "Say who the referee is."),
            ]
            for field, message in missing:
                if not field.data:
                    field.errors = [*field.errors, message]
                    valid = False
        return valid


# The languages a supervisor may be written to in; empty: the applicant's own.
SUPERVISOR_LANGUAGES = [("", _l("The same as mine")), ("en", "English"), ("fr", "Français")]


class SupervisionForm(BaseForm):
    supervisor_name = StringField(
        "Supervisor's name", validators=[_required("your supervisor's name"), Length(max=200)]
    )
    supervisor_email = EmailField(
        "Supervisor's email address", validators=email_validators("your supervisor's email address")
    )
    supervisor_address = TextAreaField(
        "Supervisor's address", validators=[_required("your supervisor's address"), Length(max=1000)]
    )
    supervisor_language = RadioField(
        _l("Language of the emails to your supervisor"),
        choices=choices(SUPERVISOR_LANGUAGES),
        default="",
        validators=[Optional()],
    )
    supervision_focus = RadioField(
        "Focus of the supervision",
        choices=choices(SupervisionFocus.choices()),
        validators=[InputRequired(message="Choose the focus of the supervision.")],
    )
    supervision_sessions = IntegerInput(
        "Supervision sessions in the last 12 months",
        invalid_message="Enter the number of sessions, like 5.",
        validators=[
            InputRequired(message="Enter the number of sessions, like 5."),
            NumberRange(min=0, max=365, message="Enter a number of sessions between 0 and 365."),
        ],
    )


class DeclarationForm(BaseForm):
    confirm = BooleanField(
        "I make this declaration", validators=[DataRequired(message="Tick the box to make the declaration.")]
    )


class ConfirmForm(BaseForm):
    """A button that posts: submit, remove, withdraw. Only CSRF to check."""
