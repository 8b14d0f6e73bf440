"""Forms for holders and visitors: the public profile switch, and looking a credential up by number."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from portal.forms.base import BaseForm


class ProfileForm(BaseForm):
    is_profile_public = BooleanField(_l("Show my credentials on a public mentor profile"))


class VerifyForm(BaseForm):
    class Meta:
        csrf = False

    number = StringField(
        _l("Credential number"),
        validators=[
            DataRequired(message=_l("Enter the credential number, like CPM-7K3M-Q9XD-2HFP.")),
            Length(max=40),
        ],
    )
