"""Control and line-separator characters never reach a single-line value, and a header never breaks a mail."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from email import message_from_bytes
from email import policy as email_policy

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, PasswordField, StringField, TextAreaField

import portal.forms
from portal.db import utcnow
from portal.forms.base import BaseForm, SubForm
from portal.mailer import build_mime
from portal.models.outbox import EmailMessage

# Everything str.splitlines() breaks at, other C0 controls, DEL, C1 controls, and direction overrides.
HOSTILE = [
    *"\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
    "\x01",
    "\x07",
    "\x1b",
    "\x7f",
    "\x9b",
    "\u202e",
    "\u2066",
]


def _forms() -> list[type]:
    found = set()
    for module_info in pkgutil.iter_modules(portal.forms.__path__):
        module = importlib.import_module(f"portal.forms.{module_info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, (BaseForm, SubForm)) and value not in (BaseForm, SubForm):
                found.add(value)
    return sorted(found, key=lambda form: form.__qualname__)


def _text_fields(form) -> list:
    fields = []
    for field in form:
        if isinstance(field, (FieldList, FormField)):
            continue
        if isinstance(field, StringField) and not isinstance(field, PasswordField):
            fields.append(field)
    return fields


@pytest.mark.parametrize("form_class", _forms(), ids=lambda form: form.__qualname__)
def test_every_text_field_of_every_form_keeps_control_characters_out(app, form_class):
    with app.test_request_context():
        names = [field.name for field in _text_fields(form_class(meta={"csrf": False}))]
        for char in HOSTILE:
            typed = f"Ada{char}Lovelace{char}"
            form = form_class(formdata=MultiDict({name: typed for name in names}), meta={"csrf": False})
            for field in _text_fields(form):
                where = f"{field.name} with U+{ord(char):04X}"
                if isinstance(field, TextAreaField):  # lines stay lines, as \n; other controls go
                    assert set(field.data) & set(HOSTILE) <= {"\n"}, where
                    assert field.data.replace("\n", " ").strip() in ("Ada Lovelace", "AdaLovelace"), where
                else:
                    assert field.data == "Ada Lovelace", where


def test_the_forms_walk_covers_the_sign_up_and_referee_forms():
    names = {form.__name__ for form in _forms()}
    assert {"RegisterForm", "LoginForm", "GoalForm", "SupervisionYearForm"} <= names
    assert any("Referee" in name or "Reference" in name for name in names)


@pytest.mark.parametrize("char", HOSTILE[:-2], ids=lambda char: f"U+{ord(char):04X}")
def test_a_subject_with_a_line_separator_is_sent_on_one_line(app, char):
    email = EmailMessage(
        recipient="referee@example.net",
        template="reference_request",
        subject=f"Please confirm Ada{char}Lovelace's engagement",
        text_body=f"Dear Ada{char}Lovelace",
        html_body="<p>Dear Ada</p>",
        created_at=utcnow(),
    )
    raw = bytes(build_mime(email, app.config))
    parsed = message_from_bytes(raw, policy=email_policy.default)
    assert parsed["Subject"] == "Please confirm Ada Lovelace's engagement"
    assert [key for key in parsed.keys() if key.lower() == "to"] == ["To"]
