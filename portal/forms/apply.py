"""Forms for the application's sections."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
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

from portal.dates import number
from portal.enums import CentreStatus, EngagementSetting, RefereeRelationship, SupervisionFocus, TrainingMode
from portal.forms.base import BaseForm, DateInput, DecimalInput, IntegerInput, NotBefore, RealDate

# Whole sentences, so that each reads naturally once translated.
_EMAIL_FORMAT = _l("Enter an email address like name@example.com.")
_END_AFTER_START = _l("The end date must be on or after the start date.")
_END_DATE = _l("Enter the end date as a real date.")
_START_DATE = _l("Enter the start date as a real date.")


def _required(message):
    return DataRequired(message=message)


def email_validators(what: str):
    """The validators of a required email address; ``what`` names it ("the member's email")."""
    return _email_validators(f"Enter {what}.")


def _email_validators(message):
    return [_required(message), Email(message=_EMAIL_FORMAT), Length(max=254)]


def _start_date(label) -> DateInput:
    """A required start date, not after today."""
    return DateInput(
        label, invalid_message=_START_DATE, validators=[InputRequired(message=_START_DATE), RealDate()]
    )


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _bool_choice(value):
    if value in (None, ""):
        return None
    return value in (True, "yes", "True", "1")


class StartForm(BaseForm):
    credential = RadioField(
        _l("Which credential are you applying for?"),
        validators=[InputRequired(message=_l("Choose a credential."))],
    )


class AboutForm(BaseForm):
    full_name = StringField(
        _l("Full name"), validators=[_required(_l("Enter your full name.")), Length(max=200)]
    )
    contact_email = EmailField(
        _l("Email address"), validators=_email_validators(_l("Enter your email address."))
    )
    postal_address = TextAreaField(
        _l("Postal address"), validators=[_required(_l("Enter your postal address.")), Length(max=1000)]
    )
    is_member = RadioField(
        _l("Are you a member of the International Mentoring Center?"),
        choices=choices([("yes", _l("Yes, I am a member")), ("no", _l("No"))]),
        coerce=_bool_choice,
        validators=[InputRequired(message=_l("Say whether you are a member."))],
    )
    member_number = StringField(_l("Membership number"), validators=[Optional(), Length(max=40)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_member.data and not self.member_number.data:
            self.member_number.errors = [*self.member_number.errors, _("Enter your membership number.")]
            return False
        return valid


class PrerequisiteForm(BaseForm):
    prior_credential_number = StringField(
        _l("Credential number"), validators=[_required(_l("Enter the credential number.")), Length(max=40)]
    )
    prior_credential_issued_on = DateInput(
        _l("Date of issue"),
        invalid_message=_l("Enter the date of issue as a real date."),
        validators=[InputRequired(message=_l("Enter the date of issue as a real date.")), RealDate()],
    )


class TrainingForm(BaseForm):
    centre_name = StringField(
        _l("Name of the training centre"),
        validators=[_required(_l("Enter the training centre's name.")), Length(max=200)],
    )
    centre_status = RadioField(
        _l("Status of the training centre"),
        choices=choices(CentreStatus.choices()),
        validators=[InputRequired(message=_l("Choose the centre's status."))],
    )
    programme_name = StringField(
        _l("Name of the mentor training programme"),
        validators=[_required(_l("Enter the programme's name.")), Length(max=200)],
    )
    hours = DecimalInput(
        _l("Mentoring training hours"),
        places=1,
        invalid_message=_l("Enter the number of training hours as a number, like 12.5."),
        validators=[
            InputRequired(message=_l("Enter the number of training hours as a number, like 12.5.")),
            NumberRange(min=0.5, max=2000, message=_l("Enter a number of hours between 0.5 and 2000.")),
        ],
    )
    mode = RadioField(
        _l("Mode of the programme"),
        choices=choices(TrainingMode.choices()),
        validators=[InputRequired(message=_l("Choose how the programme was delivered."))],
    )
    start_date = _start_date(_l("Programme start date"))
    end_date = DateInput(
        _l("Programme end date"),
        invalid_message=_END_DATE,
        validators=[
            InputRequired(message=_END_DATE),
            RealDate(),
            NotBefore("start_date", _END_AFTER_START),
        ],
    )
    instructor_name = StringField(
        _l("Instructor's name"), validators=[_required(_l("Enter the instructor's name.")), Length(max=200)]
    )
    instructor_email = EmailField(
        _l("Instructor's email address"),
        validators=_email_validators(_l("Enter the instructor's email address.")),
    )
    certificate = FileField(_l("Certificate of completion (PDF, Word .docx, or a scan or photo)"))

    def validate_hours(self, field):
        start, end = self.start_date.data, self.end_date.data
        if field.data is None or start is None or end is None or end < start:
            return
        days = (end - start).days + 1
        # More than 16 hours a day for the whole programme is a typing mistake, not a programme.
        if field.data > days * 16:
            raise ValidationError(
                ngettext(
                    "%(hours)s hours is more than the programme's %(num)d day can hold. "
                    "Check the hours and the dates.",
                    "%(hours)s hours is more than the programme's %(num)d days can hold. "
                    "Check the hours and the dates.",
                    days,
                    hours=number(field.data),
                )
            )


class EngagementForm(BaseForm):
    mentee_name = StringField(
        _l("Mentee's name"), validators=[_required(_l("Enter the mentee's name.")), Length(max=200)]
    )
    mentee_email = EmailField(
        _l("Mentee's email address"), validators=_email_validators(_l("Enter the mentee's email address."))
    )
    start_date = _start_date(_l("Start date"))
    end_date = DateInput(
        _l("End date"),
        invalid_message=_END_DATE,
        validators=[Optional(), RealDate(), NotBefore("start_date", _END_AFTER_START)],
        description=_l("Leave empty if the engagement is still going on. Only completed engagements count."),
    )
    setting = RadioField(
        _l("Where did the mentoring take place?"),
        choices=choices(EngagementSetting.choices()),
        validators=[InputRequired(message=_l("Say whether the engagement was internal or external."))],
    )
    is_confidential = BooleanField(_l("This engagement is bound by a confidentiality agreement"))
    referee_name = StringField(_l("Referee's name"), validators=[Optional(), Length(max=200)])
    referee_email = EmailField(
        _l("Referee's email address"), validators=[Optional(), Email(message=_EMAIL_FORMAT), Length(max=254)]
    )
    referee_relationship = RadioField(
        _l("Who is the referee?"), choices=choices(RefereeRelationship.choices()), validators=[Optional()]
    )
    letter = FileField(
        _l("Reference letter or email (PDF, Word .docx, saved email .eml, or a scan or photo; optional)")
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # A referee is optional, but one named at all must be named in full.
        if any([self.referee_name.data, self.referee_email.data, self.referee_relationship.data]):
            missing = [
                (self.referee_name, _("Enter the referee's name.")),
                (
                    self.referee_email,
                    _("Enter the referee's email address, or clear the referee's details."),
                ),
                (self.referee_relationship, _("Say who the referee is.")),
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
        _l("Supervisor's name"), validators=[_required(_l("Enter your supervisor's name.")), Length(max=200)]
    )
    supervisor_email = EmailField(
        _l("Supervisor's email address"),
        validators=_email_validators(_l("Enter your supervisor's email address.")),
    )
    supervisor_address = TextAreaField(
        _l("Supervisor's address"),
        validators=[_required(_l("Enter your supervisor's address.")), Length(max=1000)],
    )
    supervisor_language = RadioField(
        _l("Language of the emails to your supervisor"),
        choices=choices(SUPERVISOR_LANGUAGES),
        default="",
        validators=[Optional()],
    )
    supervision_focus = RadioField(
        _l("Focus of the supervision"),
        choices=choices(SupervisionFocus.choices()),
        validators=[InputRequired(message=_l("Choose the focus of the supervision."))],
    )
    supervision_sessions = IntegerInput(
        _l("Supervision sessions in the last 12 months"),
        invalid_message=_l("Enter the number of sessions, like 5."),
        validators=[
            InputRequired(message=_l("Enter the number of sessions, like 5.")),
            NumberRange(min=0, max=365, message=_l("Enter a number of sessions between 0 and 365.")),
        ],
    )


class DeclarationForm(BaseForm):
    confirm = BooleanField(
        _l("I make this declaration"),
        validators=[DataRequired(message=_l("Tick the box to make the declaration."))],
    )


class ConfirmForm(BaseForm):
    """A button that posts: submit, remove, withdraw. Only CSRF to check."""
