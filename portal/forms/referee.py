"""The referee's answer: confirm, confirm with corrections, or decline; an optional comment and letter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.forms.apply import choices
from portal.forms.base import BaseForm, DateInput, NotBefore, RealDate

ANSWER_LABELS = [
    ("confirm", _l("Yes, I confirm this engagement as described")),
    ("correct", _l("Yes, but some details need correcting")),
    ("decline", _l("No, I can't confirm this")),
]


class RefereeAnswerForm(BaseForm):
    answer = RadioField(
        _l("Can you confirm this mentoring engagement?"),
        choices=choices(ANSWER_LABELS),
        validators=[InputRequired(message=_l("Say whether you can confirm the engagement."))],
    )
    corrected_start_date = DateInput(
        _l("Correct start date"),
        invalid_message=_l("Enter the start date as a real date."),
        validators=[Optional(), RealDate()],
    )
    corrected_end_date = DateInput(
        _l("Correct end date"),
        invalid_message=_l("Enter the end date as a real date."),
        validators=[
            Optional(),
            RealDate(),
            NotBefore("corrected_start_date", _l("The end date must be on or after the start date.")),
        ],
    )
    corrected_role = StringField(
        _l("The mentor's actual role, if it was not mentoring"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example: coach, line manager, co-mentor."),
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=4000)])
    letter = FileField(_l("Signed letter (optional: PDF, Word .docx, or a scan or photo)"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        corrections = (self.corrected_start_date.data, self.corrected_end_date.data, self.corrected_role.data)
        if self.answer.data == "correct" and not any(corrections):
            self.corrected_start_date.errors = [
                *self.corrected_start_date.errors,
                str(_l("Give the correct dates or role, or choose “Yes, I confirm”.")),
            ]
            valid = False
        return valid
