"""The base form every form derives from: CSRF on, surrounding white space stripped from text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, DecimalField, Field, FieldList, FormField, IntegerField, SubmitField
from wtforms.validators import ValidationError


def clean_text(value: Any) -> Any:
    """Text as stored: without surrounding white space, and without NUL characters."""
    # No one types a NUL, and PostgreSQL refuses to store one in a text column (a 500 otherwise).
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            # Lists and sub-forms take no filters: their own fields are stripped where they are defined.
            if not issubclass(unbound_field.field_class, (FieldList, FormField)):
                # The options given here replace the field's own keyword arguments: keep its filters.
                options["filters"] = (
                    *unbound_field.kwargs.get("filters", ()),
                    *options.get("filters", ()),
                    clean_text,
                )
            return unbound_field.bind(form=form, **options)

    def values(self) -> dict[str, Any]:
        """The submitted values as plain data, without the CSRF token, buttons and files."""

        return {
            name: field.data
            for name, field in self._fields.items()
            if name != "csrf_token" and not isinstance(field, (SubmitField, FileField))
        }


EARLIEST_DATE = date(1950, 1, 1)


class RealDate:
    """A date that is not before 1950 and, unless ``future`` is allowed, not after today."""

    def __init__(self, future: bool = False):
        self.future = future

    def __call__(self, form, field: Field) -> None:
        if field.data is None:
            return
        if field.data < EARLIEST_DATE:
            raise ValidationError(f"Enter a date after {EARLIEST_DATE:%Y}.")
        if not self.future and field.data > date.today():
            raise ValidationError("The date must be today or in the past.")


class NotBefore:
    """This date must be on or after the date in field ``other``."""

    def __init__(self, other: str, message: str):
        self.other, self.message = other, message

    def __call__(self, form, field: Field) -> None:
        other = form[self.other].data
        if field.data is not None and other is not None and field.data < other:
            raise ValidationError(self.message)


class _FriendlyParse:
    """A field whose unparseable input gets a message a person can act on, rather than WTForms' default."""

    def __init__(self, *args, invalid_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.invalid_message) from error
        # NaN, infinities and absurdly large numbers break range checks further on; no real answer is one.
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(self.invalid_message)
        if (
            isinstance(self.data, (int, Decimal))
            and not isinstance(self.data, bool)
            and abs(self.data) > 10**9
        ):
            self.data = None
            raise ValueError(self.invalid_message)


class DateInput(_FriendlyParse, DateField):
    pass


class DecimalInput(_FriendlyParse, DecimalField):
    pass


class IntegerInput(_FriendlyParse, IntegerField):
    pass
