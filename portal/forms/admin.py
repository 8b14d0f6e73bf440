"""Forms for admins: roles, fees, standard reasons, revocation, the member register."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.enums import ReasonKind, Role
from portal.forms.apply import choices, email_validators
from portal.forms.base import BaseForm, DateInput, DecimalInput


class RoleForm(BaseForm):
    role = RadioField(
        "Role",
        choices=choices([(Role.APPLICANT.value, "Applicant"), (Role.REVIEWER.value, "Reviewer")]),
        validators=[InputRequired(message="Choose a role.")],
    )


class FindUserForm(BaseForm):
    class Meta:
        csrf = False

    email = StringField("Email address", validators=[Optional(), Length(max=254)])


def _fee(label: str):
    return DecimalInput(
        label,
        places=2,
        invalid_message="Enter an amount like 250 or 250.00, or leave it empty.",
        validators=[Optional(), NumberRange(min=0.01, max=100000, message="Enter an amount above zero.")],
    )


class FeeForm(BaseForm):
    fee_member = _fee("Fee for members")
    fee_non_member = _fee("Fee for non-members")


class StandardReasonForm(BaseForm):
    kind = RadioField(
        "Used when",
        choices=choices(ReasonKind.choices()),
        validators=[InputRequired(message="Choose when this reason is used.")],
    )
    title = StringField(
        "Short name (reviewers see it)",
        validators=[DataRequired(message="Enter a short name."), Length(max=120)],
    )
    text = TextAreaField(
        "Wording (the applicant reads it)",
        validators=[DataRequired(message="Enter the wording."), Length(max=5000)],
    )
    is_active = BooleanField("Offered to reviewers", default=True)


class RevokeForm(BaseForm):
    reason = TextAreaField(
        "Reason for revoking",
        validators=[DataRequired(message="Give the reason for revoking this credential."), Length(max=5000)],
    )


class MemberForm(BaseForm):
    """One entry of the member register (the operation checks the number is not taken)."""

    number = StringField(
        "Member number", validators=[DataRequired(message="Enter the member number."), Length(max=40)]
    )
    name = StringField("Name", validators=[DataRequired(message="Enter the member's name."), Length(max=200)])
    email = EmailField("Email address", validators=email_validators("the member's email"))
    valid_until = DateInput(
        "Valid until",
        invalid_message="Enter the date valid until as a real date.",
        validators=[InputRequired(message="Enter the date valid until as a real date.")],
    )


class MemberImportForm(BaseForm):
    file = FileField("CSV file", validators=[FileRequired(message="Choose a CSV file to import.")])
    preview = BooleanField("Preview only: show what the import would do, and change nothing")
