"""Forms for holders and visitors: the public profile switch, and looking a credential up by number."""

from __future__ import annotations

from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from portal.forms.base import BaseForm


class ProfileForm(BaseForm):
    is_profile_public = BooleanField("Show my credentials on a public mentor profile")


class VerifyForm(BaseForm):
    class Meta:
        csrf = False

    number = StringField(
        "Credential number",
        validators=[
            DataRequired(message="Enter the credential number, like CPM-7K3M-Q9XD-2HFP."),
            Length(max=40),
        ],
    )
