"""Forms for admins: roles, fees, standard reasons, revocation, the member register."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.enums import ReasonKind, Role
from portal.forms.apply import choices, email_validators
from portal.forms.base import BaseForm, DateInput, DecimalInput


class RoleForm(BaseForm):
    role = RadioField(
        _l("Role"),
        choices=choices([(Role.APPLICANT.value, _l("Applicant")), (Role.REVIEWER.value, _l("Reviewer"))]),
        validators=[InputRequired(message=_l("Choose a role."))],
    )


class FindUserForm(BaseForm):
    class Meta:
        csrf = False

    email = StringField(_l("Email address"), validators=[Optional(), Length(max=254)])


def _fee(label: str):
    return DecimalInput(
        label,
        places=2,
        invalid_message=_l("Enter an amount like 250 or 250.00, or leave it empty."),
        validators=[Optional(), NumberRange(min=0.01, max=100000, message=_l("Enter an amount above zero."))],
    )


class FeeForm(BaseForm):
    fee_member = _fee(_l("Fee for members"))
    fee_non_member = _fee(_l("Fee for non-members"))


class StandardReasonForm(BaseForm):
    kind = RadioField(
        _l("Used when"),
        choices=choices(ReasonKind.choices()),
        validators=[InputRequired(message=_l("Choose when this reason is used."))],
    )
    title = StringField(
        _l("Short name (reviewers see it)"),
        validators=[DataRequired(message=_l("Enter a short name.")), Length(max=120)],
    )
    text = TextAreaField(
        _l("Wording (the applicant reads it)"),
        validators=[DataRequired(message=_l("Enter the wording.")), Length(max=5000)],
    )
    is_active = BooleanField(_l("Offered to reviewers"), default=True)


class RevokeForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        validators=[
            DataRequired(message=_l("Give the reason for revoking this credential.")),
            Length(max=5000),
        ],
    )


class MemberForm(BaseForm):
    """One entry of the member register (the operation checks the number is not taken)."""

    number = StringField(
        _l("Member number"), validators=[DataRequired(message=_l("Enter the member number.")), Length(max=40)]
    )
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Enter the member's name.")), Length(max=200)]
    )
    email = EmailField(_l("Email address"), validators=email_validators("the member's email"))
    valid_until = DateInput(
        _l("Valid until"),
        invalid_message=_l("Enter the date valid until as a real date."),
        validators=[InputRequired(message=_l("Enter the date valid until as a real date."))],
    )


class MemberImportForm(BaseForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file to import."))])
    preview = BooleanField(_l("Preview only: show what the import would do, and change nothing"))
