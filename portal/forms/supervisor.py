"""The supervisor's declaration, made in their own name from an emailed link, or their refusal with a reason;
and the applicant's naming of another supervisor."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms.apply import SUPERVISOR_LANGUAGES, choices
from portal.forms.base import BaseForm, DateInput, IntegerInput, RealDate

ANSWER_LABELS = [
    ("confirm", _l("Yes, I supervise this applicant and make the declaration below")),
    ("decline", _l("No, I cannot make this declaration")),
]

FOCUS_LABELS = [
    ("mentoring_skills", _l("Mentoring skills development")),
    ("domain_knowledge", _l("Domain knowledge development")),
    ("both", _l("Both")),
]

CONFLICT_LABELS = [
    ("line_manager", _l("I am the applicant's line manager")),
    ("close_relative", _l("I am a close relative of the applicant")),
    ("business_partner", _l("I am the applicant's business partner")),
]


class SupervisorDeclarationForm(BaseForm):
    answer = RadioField(
        _l("Do you supervise this applicant?"),
        choices=choices(ANSWER_LABELS),
        validators=[InputRequired(message=_l("Say whether you supervise the applicant."))],
    )
    supervising_since = DateInput(
        _l("Supervising the applicant since"),
        invalid_message=_l("Enter the date as a real date, like 2025-03-01."),
        validators=[Optional(), RealDate()],
    )
    focus = RadioField(_l("Focus of the supervision"), choices=choices(FOCUS_LABELS), validators=[Optional()])
    practising_mentor = BooleanField(_l("I am a practising mentor"))
    knows_imc_standards = BooleanField(
        _l("I am familiar with IMC's Mentoring Definition, Core Competencies and Code of Ethics")
    )
    sessions_last_year = IntegerInput(
        _l("Supervision sessions held with the applicant in the last 12 months"),
        invalid_message=_l("Enter the number of sessions, like 5."),
        validators=[
            Optional(),
            NumberRange(min=0, max=365, message=_l("Enter a number of sessions between 0 and 365.")),
        ],
    )
    conflicts = SelectMultipleField(
        _l("Any of these ties with the applicant (leave empty if none)"),
        choices=choices(CONFLICT_LABELS),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[Optional()],
    )
    comment = TextAreaField(_l("Comment, or why you decline"), validators=[Optional(), Length(max=4000)])


class SupervisorForm(BaseForm):
    """The applicant names another supervisor after submission."""

    supervisor_name = StringField(
        _l("Supervisor's name"),
        validators=[DataRequired(message=_l("Enter your supervisor's name.")), Length(max=200)],
    )
    supervisor_email = EmailField(
        _l("Supervisor's email address"),
        validators=[
            DataRequired(message=_l("Enter your supervisor's email address.")),
            Email(message=_l("Enter an email address like name@example.com.")),
            Length(max=254),
        ],
    )
    supervisor_language = RadioField(
        _l("Language of the emails to your supervisor"), choices=choices(SUPERVISOR_LANGUAGES), default=""
    )
