"""Forms for accounts: sign-up, sign-in, password reset."""

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
