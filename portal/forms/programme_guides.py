"""The programme guide's editing form (a coordinator's): one text per section, shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from portal.forms.base import BaseForm


def _section(label: str, what: str) -> TextAreaField:
    return TextAreaField(label, validators=[DataRequired(message=what), Length(max=10_000)])


class GuideForm(BaseForm):
    mentoring_is = _section(_l("What mentoring is"), _l("Say what mentoring is."))
    mentoring_is_not = _section(_l("What mentoring is not"), _l("Say what mentoring is not."))
    mentor_responsibilities = _section(
        _l("The mentor’s responsibilities"), _l("Enter the mentor’s responsibilities.")
    )
    mentee_responsibilities = _section(
        _l("The protégé’s responsibilities"), _l("Enter the protégé’s responsibilities.")
    )
    coordinator_responsibilities = _section(
        _l("The coordinator’s responsibilities"), _l("Enter the coordinator’s responsibilities.")
    )
    confidentiality = _section(_l("Confidentiality"), _l("Enter the confidentiality terms."))
