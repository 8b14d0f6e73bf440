"""Forms for admins: roles, fees, standard reasons, revocation."""

from __future__ import annotations

from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.enums import ReasonKind, Role
from portal.forms.apply import choices
from portal.forms.base import BaseForm, DecimalInput


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
