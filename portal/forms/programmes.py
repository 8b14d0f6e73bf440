"""Forms for the mentoring programmes: shape only; the programme's rules are checked by its operations."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.enums import GoalProgress, MeetingMode, SupervisionFocus
from portal.forms.apply import choices
from portal.forms.base import BaseForm, DateInput, IntegerInput, RealDate, SubForm, past_date
from portal.workflows.programmes.rules import GoalInput, ProgrammeDefaults


def _required(what: str):
    return DataRequired(message=f"Enter {what}.")


def _count(label: str, what: str, low: int, high: int, **kwargs) -> IntegerInput:
    message = f"Enter {what} as a whole number between {low} and {high}."
    return IntegerInput(
        label,
        invalid_message=message,
        validators=[InputRequired(message=message), NumberRange(min=low, max=high, message=message)],
        **kwargs,
    )


def _email(what: str):
    return [_required(what), Email(message="Enter an email address like name@example.com."), Length(max=254)]


YES_NO = choices([("no", "No"), ("yes", "Yes")])


def _text(value) -> str:
    return "" if value is None else str(value)


def _yes(value):
    if value in (None, ""):
        return None
    return value in (True, "yes", "True", "1")


# Programmes (coordinators) ------------------------------------------------------------------------------


def _checkpoint_rows_as_text(value):
    # A form built from a saved programme takes its checkpoint rows, not text, when the POST leaves the
    # field out: show them as the text the field edits.
    if value is None or isinstance(value, str):
        return value
    return ProgrammeForm.checkpoint_text((c.month, c.title, c.description) for c in value)


class ProgrammeForm(BaseForm):
    name = StringField(
        "Name of the programme", validators=[_required("the programme's name"), Length(max=200)]
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    term_months = _count(
        "Term, in months",
        "the term",
        1,
        60,
        description="Pairs may renew by mutual agreement when the term ends.",
    )
    minimum_meetings_per_year = _count("Meetings a year, at least", "the minimum", 1, 52)
    recommended_meetings_min = _count("Recommended meetings a year, from", "the lower recommendation", 1, 52)
    recommended_meetings_max = _count("Recommended meetings a year, to", "the higher recommendation", 1, 52)
    face_to_face_per_year = _count(
        "Face-to-face meetings a year, at least", "the face-to-face minimum", 0, 52
    )
    confidentiality_terms = TextAreaField(
        "Confidentiality terms of the agreement",
        validators=[_required("the confidentiality terms"), Length(max=10_000)],
    )
    checkpoints = TextAreaField(
        "Checkpoints",
        validators=[_required("at least one checkpoint"), Length(max=10_000)],
        filters=[_checkpoint_rows_as_text],
        description="One a line: the month of the term, a bar, the title, a bar, what to do. "
        "For example: 3 | Write down career goals | Set 1-, 2- and 4-year milestones.",
    )
    is_open = BooleanField("Open to new pairs")

    parsed_checkpoints: list[tuple[int, str, str]]

    def validate_checkpoints(self, field) -> None:
        parsed = []
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            month, _, rest = line.partition("|")
            title, _, text = rest.partition("|")
            if not month.strip().isdigit() or not title.strip():
                raise ValidationError(
                    f"Line {number}: write the month, a bar and the title, like "
                    "“1 | Get to know each other | …”."
                )
            parsed.append((int(month), title.strip()[:200], text.strip()))
        self.parsed_checkpoints = parsed

    def values(self) -> dict[str, Any]:
        return {**super().values(), "checkpoints": self.parsed_checkpoints}

    @staticmethod
    def checkpoint_text(checkpoints) -> str:
        return "\n".join(f"{month} | {title} | {text}" for month, title, text in checkpoints)


# The mentor directory -----------------------------------------------------------------------------------


class ProfileForm(BaseForm):
    expertise = TextAreaField(
        "Your expertise",
        validators=[_required("your expertise"), Length(max=2000)],
        description="What protégés can learn from you: fields, skills, career stages.",
    )
    sector = StringField(
        "Sector",
        validators=[_required("your sector"), Length(max=100)],
        description="For example: Construction management, Health, Public sector.",
    )
    region = StringField(
        "Region or chapter", validators=[_required("your region or chapter"), Length(max=100)]
    )
    bio = TextAreaField("About you (optional)", validators=[Optional(), Length(max=5000)])
    capacity = _count(
        "How many protégés can you mentor at once?",
        "the number of protégés",
        0,
        20,
        description="0 keeps your profile listed without taking requests.",
    )
    is_published = BooleanField("List my profile in the mentor directory")


class DirectoryForm(BaseForm):
    """The directory's search: a GET form, so results can be linked to."""

    class Meta:
        csrf = False

    q = StringField("Search expertise or names", validators=[Optional(), Length(max=200)])
    sector = SelectField("Sector", validators=[Optional()], validate_choice=False, coerce=_text)
    region = SelectField("Region or chapter", validators=[Optional()], validate_choice=False, coerce=_text)
    available = BooleanField("Only mentors with places")


class RequestForm(BaseForm):
    programme = RadioField("Programme", validators=[InputRequired(message="Choose a programme.")], coerce=int)
    message = TextAreaField(
        "Message to the mentor (optional)",
        validators=[Optional(), Length(max=2000)],
        description="What you hope to work on together.",
    )
    guide_read = BooleanField(
        _l("I have read the programme’s guide: what mentoring is and is not, and what we each take on"),
        validators=[DataRequired(message=_l("Read the programme’s guide, then tick the box."))],
    )


class ReasonForm(BaseForm):
    reason = TextAreaField("Reason (optional)", validators=[Optional(), Length(max=2000)])


class PairForm(BaseForm):
    programme = SelectField(
        "Programme", coerce=int, validators=[InputRequired(message="Choose a programme.")]
    )
    mentor_email = EmailField("Mentor's email address", validators=_email("the mentor's email address"))
    mentee_email = EmailField("Protégé's email address", validators=_email("the protégé's email address"))


# Conflicts of interest and the agreement ----------------------------------------------------------------


class DeclarationForm(BaseForm):
    is_manager_or_subordinate = RadioField(
        "Is one of you the other's manager, or subordinate?",
        choices=YES_NO,
        coerce=_yes,
        validators=[InputRequired(message="Say whether one of you manages the other.")],
    )
    is_direct_competitor = RadioField(
        "Are you direct competitors?",
        choices=YES_NO,
        coerce=_yes,
        validators=[InputRequired(message="Say whether you are direct competitors.")],
    )
    is_same_reporting_line = RadioField(
        "Are you in the same reporting line?",
        choices=YES_NO,
        coerce=_yes,
        validators=[InputRequired(message="Say whether you are in the same reporting line.")],
    )
    details = TextAreaField("Details (if you answered yes)", validators=[Optional(), Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        answers = (
            self.is_manager_or_subordinate.data,
            self.is_direct_competitor.data,
            self.is_same_reporting_line.data,
        )
        if any(answers) and not self.details.data:
            self.details.errors = [
                *self.details.errors,
                "Describe the conflict, so the coordinator can help.",
            ]
            return False
        return valid


class GoalForm(SubForm):
    description = TextAreaField("Specific goal", validators=[Length(max=2000)], render_kw={"rows": 2})
    metric = TextAreaField(
        "Metric: how it will be measured", validators=[Length(max=2000)], render_kw={"rows": 2}
    )
    deadline = DateInput(
        "Deadline",
        invalid_message="Enter the deadline as a real date.",
        validators=[Optional(), RealDate(future=True)],
    )


class AgreementForm(BaseForm):
    term_start = DateInput(
        "The term starts on",
        invalid_message="Enter the start of the term as a real date.",
        validators=[
            InputRequired(message="Enter the start of the term as a real date."),
            RealDate(future=True),
        ],
    )
    goals = FieldList(FormField(GoalForm), min_entries=3, max_entries=3)

    def goal_inputs(self) -> list[GoalInput]:
        return [
            GoalInput(goal["description"] or "", goal["metric"] or "", goal["deadline"])
            for goal in self.goals.data
        ]


class EarlyStartForm(BaseForm):
    """A coordinator lets one agreement's term start further back than the usual grace."""

    earliest = past_date("The term may start from", "the earliest start")
    reason = TextAreaField(
        "Why",
        validators=[
            DataRequired(
                message="Say why this agreement may start earlier: the reason is kept on its record."
            ),
            Length(max=2000),
        ],
        description="Reviewers read this beside the pairing's evidence.",
    )


class SignForm(BaseForm):
    full_name = StringField("Your full name", validators=[_required("your full name"), Length(max=200)])
    accept = BooleanField(
        _l("I accept this agreement and its confidentiality terms, and I have read the programme’s guide"),
        validators=[DataRequired(message="Tick the box to accept the agreement.")],
    )


# Meetings, goals, evaluation ----------------------------------------------------------------------------

MODE_CHOICES = choices(MeetingMode.choices())
PROGRESS_CHOICES = choices(GoalProgress.choices())


class MeetingForm(BaseForm):
    held_on = DateInput(
        "Date",
        invalid_message="Enter the date as a real date.",
        validators=[InputRequired(message="Enter the date as a real date."), RealDate(future=True)],
        description="A date still to come records a planned meeting: download its calendar invitation.",
    )
    starts_at = TimeField("Time (optional)", validators=[Optional()], description="For example 14:30.")
    mode = RadioField(
        "How did you meet?", choices=MODE_CHOICES, validators=[InputRequired(message="Choose how you met.")]
    )
    duration_minutes = _count("Duration, in minutes", "the duration", 5, 600)
    notes = TextAreaField(
        "Private notes (optional)",
        validators=[Optional(), Length(max=10_000)],
        description="Only the two of you can read these.",
    )


class GoalNoteForm(BaseForm):
    progress = RadioField(
        "Progress",
        choices=PROGRESS_CHOICES,
        validators=[InputRequired(message="Choose how the goal is going.")],
    )
    note = TextAreaField("Progress note", validators=[_required("a progress note"), Length(max=5000)])


def evaluation_form(settings: ProgrammeDefaults, partner_label: str) -> type[BaseForm]:
    """The final evaluation: one rating per question from ``programmes.toml``, and free text."""
    scale = choices((str(value), label) for value, label in enumerate(settings.scale, start=1))
    fields: dict[str, Any] = {}
    for question in settings.questions:
        text = question.text.replace("My partner", f"My {partner_label}").replace(
            "my partner", f"my {partner_label}"
        )
        fields[f"rating_{question.key}"] = RadioField(
            text, choices=scale, validators=[InputRequired(message="Choose an answer to this question.")]
        )
    fields["about_partner"] = TextAreaField(
        f"About your {partner_label}",
        validators=[Optional(), Length(max=5000)],
        description="What went well, and what could be better.",
    )
    fields["about_programme"] = TextAreaField(
        "About the programme",
        validators=[Optional(), Length(max=5000)],
        description="Shared with the coordinator without your name.",
    )

    def ratings(self) -> dict[str, int]:
        return {question.key: int(self[f"rating_{question.key}"].data) for question in settings.questions}

    return type("EvaluationForm", (BaseForm,), {**fields, "ratings": ratings})


# Supervision --------------------------------------------------------------------------------------------


class SupervisionSessionForm(BaseForm):
    supervisor_name = StringField(
        "Supervisor's name", validators=[_required("your supervisor's name"), Length(max=200)]
    )
    supervisor_email = EmailField(
        "Supervisor's email address",
        validators=_email("your supervisor's email address"),
        description="We email your supervisor a link to confirm the session.",
    )
    held_on = DateInput(
        "Date of the session",
        invalid_message="Enter the date as a real date.",
        validators=[InputRequired(message="Enter the date as a real date."), RealDate()],
    )
    duration_minutes = _count("Duration, in minutes", "the duration", 15, 600)
    focus = RadioField(
        "Focus of the session",
        choices=choices(SupervisionFocus.choices()),
        validators=[InputRequired(message="Choose the focus of the session.")],
    )
