"""Forms for reviewers: the queue's filters, assignment, checklist notes and the decisions."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.enums import ApplicationState, CentreStatus, ContactMethod
from portal.forms.apply import choices
from portal.forms.base import BaseForm


class QueueFilterForm(BaseForm):
    """Read from the query string: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    state = SelectField(
        _l("Status"),
        choices=choices(
            [
                ("active", _l("In review, awaiting second review or resubmitted")),
                ("open", _l("All open")),
                ("all", _l("All")),
            ]
            + [(state.value, state.label) for state in ApplicationState if state != ApplicationState.DRAFT]
        ),
        default="active",
        validators=[Optional()],
    )
    credential = SelectField(_l("Credential"), validators=[Optional()], default="")
    centre_status = SelectField(
        _l("Training centre"),
        choices=choices([("", _l("Any"))] + CentreStatus.choices()),
        default="",
        validators=[Optional()],
    )
    reviewer = SelectField(_l("Reviewer"), validators=[Optional()], default="")
    overdue = BooleanField(_l("Overdue only"))
    sort = SelectField(
        _l("Order"),
        choices=choices([("oldest", _l("Longest waiting first")), ("newest", _l("Newest first"))]),
        default="oldest",
        validators=[Optional()],
    )


class AssignForm(BaseForm):
    reviewer_id = SelectField(
        _l("Reviewer"), coerce=int, validators=[DataRequired(message=_l("Choose a reviewer."))]
    )


class ApproveForm(BaseForm):
    """Approve: only CSRF to check."""


def _reason_field(label: str, **kwargs):
    return SelectField(
        label,
        coerce=lambda value: int(value) if value not in (None, "", "None") else None,
        validators=[Optional()],
        **kwargs,
    )


class ReturnForm(BaseForm):
    sections = SelectMultipleField(
        _l("Sections the applicant may change"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one section to reopen."))],
    )
    standard_reason = _reason_field(_l("Standard reason (optional)"))
    reason = TextAreaField(_l("What to fix"), validators=[Optional(), Length(max=5000)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.standard_reason.data and not self.reason.data:
            self.reason.errors = [*self.reason.errors, _("Say what the applicant needs to fix.")]
            return False
        return valid


class RejectForm(BaseForm):
    # Its own ids: the return form on the same page has fields of the same names.
    standard_reason = _reason_field(_l("Standard reason (optional)"), id="reject-standard_reason")
    reason = TextAreaField(
        _l("Reason for rejecting"), validators=[Optional(), Length(max=5000)], id="reject-reason"
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.standard_reason.data and not self.reason.data:
            self.reason.errors = [*self.reason.errors, _("Give the reason for rejecting the application.")]
            return False
        return valid


class CheckedByHandForm(BaseForm):
    note = StringField(_l("What you checked (optional)"), validators=[Optional(), Length(max=1000)])


class PrerequisiteCheckForm(BaseForm):
    note = StringField(
        _l("How you checked it"),
        validators=[DataRequired(message=_l("Say how you checked the credential.")), Length(max=1000)],
    )


def notes_form(labels: dict[str, str], formdata=None, notes: dict[str, str] | None = None) -> BaseForm:
    """One note per checklist criterion; the criteria come from the catalogue, so the fields are built here."""
    fields = {
        f"note_{key}": TextAreaField(
            _l("Your note on “%(item)s”", item=label), validators=[Optional(), Length(max=5000)]
        )
        for key, label in labels.items()
    }
    form_class = type("ChecklistNotesForm", (BaseForm,), fields)
    data = {f"note_{key}": text for key, text in (notes or {}).items()}
    return form_class(formdata=formdata, data=data)


class DisputeForm(BaseForm):
    """A reviewer's decision on an engagement its referee declined or corrected."""

    outcome = SelectField(
        _l("Decision"),
        choices=choices(
            [
                ("accepted", _l("Accept it: it counts toward this application")),
                ("excluded", _l("Exclude it: it does not count")),
            ]
        ),
        validators=[DataRequired(message=_l("Choose to accept or exclude the engagement."))],
    )
    reason = TextAreaField(
        _l("Why"),
        validators=[
            DataRequired(message=_l("Say why: the reason is kept on the timeline.")),
            Length(max=5000),
        ],
    )


class VerificationForm(BaseForm):
    """A verification contact made by staff about one engagement."""

    contact_name = StringField(
        _l("Whom you reached"),
        validators=[DataRequired(message=_l("Say whom you reached.")), Length(max=200)],
    )
    method = SelectField(
        _l("How"),
        # A letter is accepted from the desk beside its cross-check (LetterAcceptanceForm), not typed in here.
        choices=choices([c for c in ContactMethod.choices() if c[0] != ContactMethod.LETTER]),
        validators=[DataRequired()],
    )
    contacted_on = DateField(
        _l("When"), validators=[DataRequired(message=_l("Enter the date of the contact."))]
    )
    outcome = SelectField(
        _l("Outcome"),
        choices=choices(
            [("confirmed", _l("They confirmed the engagement")), ("not_confirmed", _l("They did not"))]
        ),
        validators=[DataRequired()],
    )
    note = TextAreaField(
        _l("What was said"), validators=[DataRequired(message=_l("Note what was said.")), Length(max=5000)]
    )

    def values(self) -> dict:
        return {
            "contact_name": self.contact_name.data,
            "method": self.method.data,
            "contacted_on": self.contacted_on.data,
            "confirmed": self.outcome.data == "confirmed",
            "note": self.note.data,
        }


ATTACHMENT_LABEL = _l("Attach a file (optional: PDF, Word .docx, or a scan or photo)")


def message_form(label: str, required: str) -> type[BaseForm]:
    """A message of the thread on an application: its text, and a file sent with it through the same upload
    checks as every document. The reviewer's question and the applicant's answer differ only in words."""
    return type(
        "MessageForm",
        (BaseForm,),
        {
            "body": TextAreaField(label, validators=[DataRequired(message=required), Length(max=5000)]),
            "attachment": FileField(ATTACHMENT_LABEL),
        },
    )


QuestionForm = message_form(_l("Your question"), _l("Write your question."))
AnswerForm = message_form(_l("Your answer"), _l("Write your answer."))


class CloseQuestionForm(BaseForm):
    reason = TextAreaField(
        _l("Why you no longer need an answer"),
        validators=[DataRequired(message=_l("Say why you no longer need an answer.")), Length(max=5000)],
        id="close-reason",
    )


class MembershipDecisionForm(BaseForm):
    """A reviewer's decision on a claim to the member rate that the member register did not back."""

    decision = RadioField(
        _l("Decision"),
        choices=choices(
            [
                ("confirmed", _l("Confirm the membership: I checked it by hand")),
                (
                    "false_claim",
                    _l("The claim is false: ask the applicant for the non-member fee difference"),
                ),
            ]
        ),
        validators=[DataRequired(message=_l("Choose to confirm the membership or to mark the claim false."))],
        id="membership-decision",  # its own ids: the decision forms on the same page have a reason too
    )
    reason = TextAreaField(
        _l("Why"),
        id="membership-reason",
        validators=[DataRequired(message=_l("Say why.")), Length(max=2000)],
    )


class LetterAcceptanceForm(BaseForm):
    """A reviewer accepts the referee's uploaded letter or saved email as verifying its engagement."""

    document_id = HiddenField(validators=[DataRequired(message=_l("Choose the letter you accept."))])
    note = TextAreaField(
        _l("What you checked"),
        validators=[DataRequired(message=_l("Note what you checked in the letter.")), Length(max=5000)],
    )
    reason = TextAreaField(
        _l("Why you accept it although the cross-check did not pass"),
        validators=[Optional(), Length(max=2000)],
    )
