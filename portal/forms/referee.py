"""The referee's answer: confirm, confirm with corrections, or decline; an optional comment and letter."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.forms.apply import choices
from portal.forms.base import BaseForm, DateInput, NotBefore, RealDate

ANSWER_LABELS = [
    ("confirm", "Yes, I confirm this engagement as described"),
    ("correct", "Yes, but some details need correcting"),
    ("decline", "No, I can't confirm this"),
]


class RefereeAnswerForm(BaseForm):
    answer = RadioField(
        "Can you confirm this mentoring engagement?",
        choices=choices(ANSWER_LABELS),
        validators=[InputRequired(message="Say whether you can confirm the engagement.")],
    )
    corrected_start_date = DateInput(
        "Correct start date",
        invalid_message="Enter the start date as a real date.",
        validators=[Optional(), RealDate()],
    )
    corrected_end_date = DateInput(
        "Correct end date",
        invalid_message="Enter the end date as a real date.",
        validators=[
            Optional(),
            RealDate(),
            NotBefore("corrected_start_date", "The end date must be on or after the start date."),
        ],
    )
    corrected_role = StringField(
        "The mentor's actual role, if it was not mentoring",
        validators=[Optional(), Length(max=200)],
        description="For example: coach, line manager, co-mentor.",
    )
    comment = TextAreaField("Comment (optional)", validators=[Optional(), Length(max=4000)])
    letter = FileField("Signed letter (optional: PDF, Word .docx, or a scan or photo)")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        corrections = (self.corrected_start_date.data, self.corrected_end_date.data, self.corrected_role.data)
        if self.answer.data == "correct" and not any(corrections):
            self.corrected_start_date.errors = [
                *self.corrected_start_date.errors,
                "Give the correct dates or role, or choose “Yes, I confirm”.",
            ]
            valid = False
        return valid
