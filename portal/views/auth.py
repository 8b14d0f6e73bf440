"""Sign-up, sign-in, sign-out and password reset."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal.access import me
from portal.db import db
from portal.extensions import limiter
from portal.forms.auth import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from portal.forms.base import BaseForm
from portal.workflows.accounts import operations as account_ops
from portal.workflows.accounts import rules as account_rules

bp = Blueprint("auth", __name__, url_prefix="/account")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("apply.dashboard")


def _start_session(user) -> None:
    # A fresh session on sign-in: nothing an attacker planted before survives (session fixation).
    session.clear()
    login_user(user)


def _remember_device(user) -> None:
    # Kept so that a reference answered from the applicant's own browser can be flagged to reviewers.
    user.last_login_ip = (request.remote_addr or "")[:64] or None
    user.last_login_user_agent = request.user_agent.string[:400] or None


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("apply.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = account_ops.register(form.email.data, form.password.data, form.full_name.data)
        except account_rules.AccountError as error:
            form.email.errors.append(str(error))
        else:
            _remember_device(user)
            db.session.commit()
            _start_session(user)
            flash("Your account is ready. Start your application below.", "success")
            return redirect(url_for("apply.dashboard"))
    return render_template("auth/register.html", form=form)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = account_ops.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append("The email address or password is not right.")
        else:
            _remember_device(user)
            db.session.commit()
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/sign-out")
@login_required
def logout():
    form = BaseForm()
    if form.validate_on_submit():
        account_ops.end_sessions(me())
        db.session.commit()
        logout_user()
        session.clear()
        flash("You have signed out.", "info")
    return redirect(url_for("public.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        account_ops.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token: str):
    # GET only shows the form (mail scanners open links); the POST uses the token.
    try:
        account_ops.user_for_reset_token(token)
    except account_rules.AccountError as error:
        return render_template("auth/reset_invalid.html", message=str(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        account_ops.reset_password(token, form.password.data)
        db.session.commit()
        logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
