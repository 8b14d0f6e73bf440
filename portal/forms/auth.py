"""Forms for accounts: sign-up, sign-in, two-factor codes, password change and reset."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from portal.forms.base import BaseForm
from portal.i18n import LANGUAGES

PASSWORD_RULES = [
    DataRequired(message=_l("Enter a password.")),
    Length(min=10, max=200, message=_l("Use at least 10 characters.")),
]


class RegisterForm(BaseForm):
    full_name = StringField(
        _l("Full name"), validators=[DataRequired(message=_l("Enter your full name.")), Length(max=200)]
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Email(message=_l("Enter an email address like name@example.com.")),
            Length(max=254),
        ],
    )
    password = PasswordField(_l("Password"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Confirm password"), validators=[EqualTo("password", message=_l("The passwords do not match."))]
    )


class LoginForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Enter your email address.")), Length(max=254)],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Email(message=_l("Enter an email address like name@example.com.")),
        ],
    )


class ResetPasswordForm(BaseForm):
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Confirm new password"),
        validators=[EqualTo("password", message=_l("The passwords do not match."))],
    )


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))]
    )
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Confirm new password"),
        validators=[EqualTo("password", message=_l("The passwords do not match."))],
    )


class TwoFactorForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=_l("Enter the code from your authenticator app.")), Length(max=40)],
    )


@cache
def _time_zones() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(available_timezones()) if "/" in zone]


class PreferencesForm(BaseForm):
    """The language of pages and emails, and the time zone dates and times are shown in."""

    locale = SelectField(_l("Language"), validators=[DataRequired(message=_l("Choose a language."))])
    timezone = SelectField(
        _l("Time zone"),
        validators=[DataRequired(message=_l("Choose a time zone."))],
        description=_l("Dates and times on your pages and in your emails are shown in this time zone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = list(LANGUAGES.items())
        self.timezone.choices = _time_zones()
