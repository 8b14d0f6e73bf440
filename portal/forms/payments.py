"""Forms for recording a payment received."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from portal.enums import PaymentMethod
from portal.forms.apply import choices
from portal.forms.base import BaseForm, DateInput, DecimalInput, RealDate


class RecordPaymentForm(BaseForm):
    reference = StringField(
        _l("Application reference"),
        validators=[
            DataRequired(message=_l("Enter the reference quoted with the payment, like CPM-000042.")),
            Length(max=40),
        ],
    )
    method = RadioField(
        _l("Paid by"),
        choices=choices(PaymentMethod.choices()),
        validators=[InputRequired(message=_l("Choose how it was paid."))],
    )
    amount = DecimalInput(
        _l("Amount received"),
        places=2,
        invalid_message=_l("Enter the amount, like 250 or 250.00."),
        validators=[
            InputRequired(message=_l("Enter the amount, like 250 or 250.00.")),
            NumberRange(min=0.01, message=_l("Enter an amount above zero.")),
        ],
    )
    currency = StringField(
        _l("Currency"),
        default="USD",
        validators=[
            DataRequired(message=_l("Enter the currency, like USD.")),
            Length(min=3, max=3, message=_l("Use a 3-letter code.")),
        ],
    )
    transaction_reference = StringField(
        _l("Bank or card transaction reference"),
        validators=[
            DataRequired(message=_l("Enter the bank's or card processor's reference.")),
            Length(max=100),
        ],
    )
    received_on = DateInput(
        _l("Date received"),
        invalid_message=_l("Enter the date received as a real date."),
        validators=[InputRequired(message=_l("Enter the date received as a real date.")), RealDate()],
    )
