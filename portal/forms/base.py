"""The base form every form derives from: CSRF on, text normalised (surrounding white space stripped,
control and line-separator characters kept out of single-line fields)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import LazyString
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DecimalField,
    Field,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, ValidationError

from portal.workflows.documents.rules import Upload


def clean_text(value: Any) -> Any:
    """Text as stored: without surrounding white space, and without NUL characters."""
    # No one types a NUL, and PostgreSQL refuses to store one in a text column (a 500 otherwise).
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


# Everything Unicode counts as a line or paragraph break: \r, \n, VT, FF, the file/group/record separators,
# NEL, U+2028 and U+2029 (str.splitlines() breaks at each).
_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Direction overrides and isolates make a name read differently from how it is stored (spoofing).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS


def single_line(value: Any) -> Any:
    """A one-line answer (a name, a title, an email address) as stored: every control or line-separator
    character becomes a space, runs of spaces they leave become one. Such text goes into email headers,
    file names and CSV cells, where a line break ends the value or starts a new header."""
    if not isinstance(value, str) or not any(_is_control(char) for char in value):
        return value
    text = "".join(" " if _is_control(char) else char for char in value)
    return re.sub(r" {2,}", " ", text)


def multi_line(value: Any) -> Any:
    """Text typed on several lines (an address, a reason): every kind of line break becomes \\n, tabs stay,
    other control characters go."""
    if not isinstance(value, str):
        return value
    text = _BREAKS.sub("\n", value)
    return "".join(char for char in text if char in "\n\t" or not _is_control(char))


def _normaliser(field_class: type) -> Any:
    if issubclass(field_class, TextAreaField):
        return multi_line
    if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
        return single_line  # a password is compared, never shown or sent: it is taken as typed
    return None


def bind_normalised(form, unbound_field, options):
    """Bind a field with its text normaliser (single- or multi-line) and ``clean_text`` after its own filters."""
    # Lists and sub-forms take no filters: their own fields are normalised where they are defined.
    if not issubclass(unbound_field.field_class, (FieldList, FormField)):
        normaliser = _normaliser(unbound_field.field_class)
        # The options given here replace the field's own keyword arguments: keep its filters.
        options["filters"] = (
            *unbound_field.kwargs.get("filters", ()),
            *options.get("filters", ()),
            *((normaliser,) if normaliser else ()),
            clean_text,
        )
    return unbound_field.bind(form=form, **options)


class SubForm(Form):
    """A form inside another (a ``FormField``): no CSRF token of its own, the same normalised text."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            return bind_normalised(form, unbound_field, options)


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            return bind_normalised(form, unbound_field, options)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # A validator's message marked with lazy_gettext arrives as a lazy string: made text here, in the
        # request's language, since the error macros show only text.
        for field in self._fields.values():
            if isinstance(field.errors, list):
                field.errors[:] = [str(e) if isinstance(e, LazyString) else e for e in field.errors]
        return valid

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


def upload_of(field) -> Upload | None:
    """The file chosen in a ``FileField``, as the plain data an operation takes; None when none was chosen."""
    data = field.data
    if data is None or not getattr(data, "filename", ""):
        return None
    return Upload(stream=data.stream, filename=data.filename)


def past_date(label: str, what: str, **kwargs) -> DateInput:
    """A required date not after today, every error naming ``what`` ("the start date")."""
    message = f"Enter {what} as a real date."
    return DateInput(
        label, invalid_message=message, validators=[InputRequired(message=message), RealDate()], **kwargs
    )
