"""Forms for accounts: sign-up, sign-in, two-factor codes, password change and reset."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from portal.forms.base import BaseForm

PASSWORD_RULES = [
    DataRequired(message="Enter a password."),
    Length(min=10, max=200, message="Use at least 10 characters."),
]


class RegisterForm(BaseForm):
    full_name = StringField(
        "Full name", validators=[DataRequired(message="Enter your full name."), Length(max=200)]
    )
    email = EmailField(
        "Email address",
        validators=[
            DataRequired(message="Enter your email address."),
            Email(message="Enter an email address like name@example.com."),
            Length(max=254),
        ],
    )
    password = PasswordField("Password", validators=PASSWORD_RULES)
    confirm = PasswordField(
        "Confirm password", validators=[EqualTo("password", message="The passwords do not match.")]
    )


class LoginForm(BaseForm):
    email = EmailField(
        "Email address", validators=[DataRequired(message="Enter your email address."), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password.")])


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired(message="Enter your email address."),
            Email(message="Enter an email address like name@example.com."),
        ],
    )


class ResetPasswordForm(BaseForm):
    password = PasswordField("New password", validators=PASSWORD_RULES)
    confirm = PasswordField(
        "Confirm new password", validators=[EqualTo("password", message="The passwords do not match.")]
    )


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(message="Enter your current password.")]
    )
    password = PasswordField("New password", validators=PASSWORD_RULES)
    confirm = PasswordField(
        "Confirm new password", validators=[EqualTo("password", message="The passwords do not match.")]
    )


class TwoFactorForm(BaseForm):
    code = StringField(
        "Code",
        validators=[DataRequired(message="Enter the code from your authenticator app."), Length(max=40)],
    )
