"""Forms for recording a payment received."""

from __future__ import annotations

from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from portal.enums import PaymentMethod
from portal.forms.apply import choices
from portal.forms.base import BaseForm, DateInput, DecimalInput, RealDate


class RecordPaymentForm(BaseForm):
    reference = StringField(
        "Application reference",
        validators=[
            DataRequired(message="Enter the reference quoted with the payment, like CPM-000042."),
            Length(max=40),
        ],
    )
    method = RadioField(
        "Paid by",
        choices=choices(PaymentMethod.choices()),
        validators=[InputRequired(message="Choose how it was paid.")],
    )
    amount = DecimalInput(
        "Amount received",
        places=2,
        invalid_message="Enter the amount, like 250 or 250.00.",
        validators=[
            InputRequired(message="Enter the amount, like 250 or 250.00."),
            NumberRange(min=0.01, message="Enter an amount above zero."),
        ],
    )
    currency = StringField(
        "Currency",
        default="USD",
        validators=[
            DataRequired(message="Enter the currency, like USD."),
            Length(min=3, max=3, message="Use a 3-letter code."),
        ],
    )
    transaction_reference = StringField(
        "Bank or card transaction reference",
        validators=[DataRequired(message="Enter the bank's or card processor's reference."), Length(max=100)],
    )
    received_on = DateInput(
        "Date received",
        invalid_message="Enter the date received as a real date.",
        validators=[InputRequired(message="Enter the date received as a real date."), RealDate()],
    )
