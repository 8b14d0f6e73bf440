"""Forms of the JSON API and of its tokens' admin page: a query string's filters, a request body's fields,
and a new token. The API's forms take no CSRF token: a bearer token, never a cookie, authenticates them."""

from __future__ import annotations

from wtforms import Field, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.enums import ApplicationState
from portal.forms.admin import RevokeForm
from portal.forms.apply import choices
from portal.forms.base import BaseForm, DateInput, IntegerInput, RealDate
from portal.forms.payments import RecordPaymentForm
from portal.workflows.applications.records import ApplicationFilters
from portal.workflows.credentials.records import CredentialFilters
from portal.workflows.registry import catalogue

PER_PAGE, MAX_PER_PAGE = 25, 100
_DATE = "Use a date like 2026-03-31."


class ApiTokenForm(BaseForm):
    name = StringField(
        "Name (what uses it, e.g. “Finance system”)",
        validators=[DataRequired(message="Name the token after what will use it."), Length(max=100)],
    )
    scope = RadioField(
        "It may",
        choices=choices(
            [("read", "Read only"), ("write", "Read, and revoke credentials and record payments")]
        ),
        validators=[InputRequired(message="Choose what the token may do.")],
    )
    expires_on = DateInput(
        "Stops working after (optional)",
        invalid_message="Enter the day as a real date, or leave it empty.",
        validators=[Optional(), RealDate(future=True)],
    )


def _known_credential(form, field: Field) -> None:
    if field.data and catalogue().get(field.data) is None:
        raise ValidationError(f"Use one of: {', '.join(sorted(catalogue().credentials))}.")


def _date(label: str, description: str) -> DateInput:
    return DateInput(label, description=description, invalid_message=_DATE, validators=[Optional()])


class _ApiForm(BaseForm):
    class Meta:
        csrf = False


class _PageForm(_ApiForm):
    page = IntegerInput(
        "page",
        description="The page, from 1.",
        invalid_message="Use a page number from 1.",
        validators=[Optional(), NumberRange(min=1, max=1_000_000, message="Use a page number from 1.")],
    )
    per_page = IntegerInput(
        "per_page",
        description=f"Items per page (default {PER_PAGE}, at most {MAX_PER_PAGE}).",
        invalid_message=f"Use a page size from 1 to {MAX_PER_PAGE}.",
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_PER_PAGE, message=f"Use a page size from 1 to {MAX_PER_PAGE}."),
        ],
    )


class ApplicationFilterForm(_PageForm):
    state = SelectField(
        "state",
        description="Only in this state.",
        choices=[state.value for state in ApplicationState if state != ApplicationState.DRAFT],
        validators=[Optional()],
    )
    credential = StringField(
        "credential",
        description="Only for this credential (its code, e.g. CPM).",
        validators=[Optional(), Length(max=20), _known_credential],
    )
    submitted_after = _date("submitted_after", "Submitted on or after this day (UTC).")
    submitted_before = _date("submitted_before", "Submitted before this day (UTC).")

    def filters(self) -> ApplicationFilters:
        return ApplicationFilters(
            state=ApplicationState(self.state.data) if self.state.data else None,
            credential_code=self.credential.data or None,
            submitted_after=self.submitted_after.data,
            submitted_before=self.submitted_before.data,
        )


class CredentialFilterForm(_PageForm):
    credential = StringField(
        "credential",
        description="Only of this credential (its code, e.g. CPM).",
        validators=[Optional(), Length(max=20), _known_credential],
    )
    revoked = SelectField(
        "revoked",
        description="Only revoked ones (true), or only the others (false).",
        choices=["true", "false"],
        validators=[Optional()],
    )
    issued_after = _date("issued_after", "Issued on or after this day.")
    issued_before = _date("issued_before", "Issued before this day.")

    def filters(self) -> CredentialFilters:
        return CredentialFilters(
            credential_code=self.credential.data or None,
            revoked=None if not self.revoked.data else self.revoked.data == "true",
            issued_after=self.issued_after.data,
            issued_before=self.issued_before.data,
        )


class ApiRevokeForm(_ApiForm, RevokeForm):
    pass


class ApiPaymentForm(_ApiForm, RecordPaymentForm):
    """The admin page's payment, for an application named by its id rather than the reference quoted."""

    reference = None
    application_id = IntegerInput(
        "application_id",
        invalid_message="Give the application's id, a whole number.",
        validators=[InputRequired(message="Give the application's id, a whole number.")],
    )
