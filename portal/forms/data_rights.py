"""Forms for a person's data rights: deleting the account asks again who is there."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from portal.forms.base import BaseForm


class DeleteAccountForm(BaseForm):
    password = PasswordField("Your password", validators=[DataRequired(message="Enter your password.")])
    # Asked for only when the account has two-factor sign-in; the operation says when it is missing.
    code = StringField("Code from your authenticator app", validators=[Length(max=40)])
    confirm = BooleanField(
        "I understand that my account cannot be restored once deleted",
        validators=[DataRequired(message="Confirm that you understand the account cannot be restored.")],
    )
