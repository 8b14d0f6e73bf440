"""Forms for a person's data rights: deleting the account asks again who is there."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from portal.forms.base import BaseForm


class DeleteAccountForm(BaseForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(message=_l("Enter your password."))]
    )
    # Asked for only when the account has two-factor sign-in; the operation says when it is missing.
    code = StringField(_l("Code from your authenticator app"), validators=[Length(max=40)])
    confirm = BooleanField(
        _l("I understand that my account cannot be restored once deleted"),
        validators=[DataRequired(message=_l("Confirm that you understand the account cannot be restored."))],
    )
