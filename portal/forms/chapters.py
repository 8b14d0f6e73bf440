"""Chapter forms: a chapter's record and coordinators (a programme coordinator's), a pair's chapter. Shape only."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.forms.base import BaseForm

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ChapterForm(BaseForm):
    name = StringField(
        _l("Name of the chapter"),
        validators=[DataRequired(message=_l("Enter the chapter's name.")), Length(max=200)],
    )
    region = StringField(_l("Region (optional)"), validators=[Optional(), Length(max=100)])
    coordinators = TextAreaField(
        _l("Chapter coordinators"),
        validators=[Optional(), Length(max=5000)],
        description=_l(
            "Their email addresses, one a line. They see the chapter's pairs and receive its quarterly report; "
            "they need not be staff."
        ),
    )

    def validate_coordinators(self, field) -> None:
        wrong = [
            line.strip()
            for line in (field.data or "").splitlines()
            if line.strip() and not EMAIL.match(line.strip())
        ]
        if wrong:
            raise ValidationError(_l("These are not email addresses: %(lines)s", lines=", ".join(wrong)))

    def emails(self) -> list[str]:
        return [line.strip().lower() for line in (self.coordinators.data or "").splitlines() if line.strip()]


def _id(value):
    return int(value) if str(value or "").isdigit() else None


class PairChapterForm(BaseForm):
    chapter_id = SelectField(_l("Your local chapter"), coerce=_id, validate_choice=False)
