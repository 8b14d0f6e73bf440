"""Forms for webhook endpoints: the address, a description and the events it receives."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from portal.enums import WebhookEventType
from portal.forms.apply import choices
from portal.forms.base import BaseForm


class EndpointForm(BaseForm):
    url = StringField(
        _l("Endpoint address"),
        description=_l("Where the portal POSTs each event, like https://example.org/webhooks."),
        validators=[DataRequired(message=_l("Enter the endpoint's address.")), Length(max=2000)],
    )
    description = StringField(_l("Description (optional)"), validators=[Length(max=200)])
    event_types = SelectMultipleField(
        _l("Events it receives"),
        choices=choices(WebhookEventType.choices()),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one event."))],
    )
    is_enabled = BooleanField(_l("Enabled: send it events"), default=True)
