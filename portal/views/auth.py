"""Sign-up, sign-in (with a second factor), sign-out, session lifetime, password change and reset."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user

from portal.access import me
from portal.db import db
from portal.extensions import limiter
from portal.forms.auth import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    PreferencesForm,
    RegisterForm,
    ResetPasswordForm,
    TwoFactorForm,
)
from portal.forms.base import BaseForm
from portal.i18n import LANGUAGE_COOKIE, current_language, current_timezone
from portal.i18n import supported as supported_language
from portal.models.users import User
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.accounts import operations as account_ops
from portal.workflows.accounts import rules as account_rules

bp = Blueprint("auth", __name__, url_prefix="/account")

# How long a correct password waits for its second factor before signing in must start again.
PENDING_SECONDS = 300
# Pages a signed-in person reaches whatever their session still owes (two-factor set-up, signing out).
_ALWAYS_OPEN = {"auth.two_factor", "auth.logout", "static", "public.health", "public.health_workers"}


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """The account a sign-in, sign-up or reset is about: limited whichever addresses the attempts come from."""
    pending = session.get("pending_sign_in") or {}
    who = request.form.get("email") or str(pending.get("user", ""))
    return "account:" + account_rules.normalise_email(who)[:254]


def _refused(response) -> bool:
    # Only failures count against an account: a person who signs in is not held back by their own success.
    return response.status_code != 302


def _safe_next(target: str | None, fallback: str = "apply.dashboard") -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for(fallback)


def _start_session(user) -> None:
    # A fresh session on sign-in: nothing an attacker planted before survives (session fixation).
    session.clear()
    login_user(user)
    session["signed_in_at"] = session["seen_at"] = int(time.time())


def _remember_device(user) -> None:
    # Kept so that a reference answered from the applicant's own browser can be flagged to reviewers.
    user.last_login_ip = (request.remote_addr or "")[:64] or None
    user.last_login_user_agent = request.user_agent.string[:400] or None


@bp.before_app_request
def _session_rules():
    """An idle or too old session ends; staff who must use two-factor sign-in set it up before anything else."""
    if not current_user.is_authenticated:
        return None
    now, config = int(time.time()), current_app.config
    idle, longest = config["SESSION_IDLE_MINUTES"] * 60, config["SESSION_MAX_HOURS"] * 3600
    started, seen = session.get("signed_in_at", now), session.get("seen_at", now)
    if (idle and now - seen > idle) or (longest and now - started > longest):
        logout_user()
        session.clear()
        flash(_("Your session has ended. Sign in again to continue."), "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    if now - seen >= 60 or "signed_in_at" not in session:  # the cookie is rewritten at most once a minute
        session["seen_at"], session["signed_in_at"] = now, started
    if (
        account_rules.needs_two_factor(current_user.role)
        and not current_user.has_two_factor
        and request.endpoint not in _ALWAYS_OPEN
    ):
        flash(_("Set up two-factor sign-in to continue: your role gives access to personal data."), "info")
        return redirect(url_for("auth.two_factor"))
    return None


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"])
def register():
    """The same answer whether or not the address has an account (no account enumeration): the email
    sent to it says what happened."""
    if current_user.is_authenticated:
        return redirect(url_for("apply.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        if (
            carry_out(
                lambda: account_ops.sign_up(
                    form.email.data,
                    form.password.data,
                    form.full_name.data,
                    # remote_addr is the visitor's own: ProxyFix has read X-Forwarded-For (TRUSTED_PROXIES).
                    account_rules.Origin(request.remote_addr, request.user_agent.string),
                ),
                form=form,
            )
            is not FAILED
        ):
            return render_template("auth/signup_sent.html", email=form.email.data)
    return render_template("auth/register.html", form=form, strength=_strength(form))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def confirm_email(token: str):
    # GET only shows a button (mail scanners open links); the POST confirms and signs in.
    try:
        account_ops.user_for_signup_token(token)
    except account_rules.AccountError as error:
        return render_template("auth/link_invalid.html", message=str(error), signup=True), 400
    form = BaseForm()
    if form.validate_on_submit():
        user = account_ops.confirm_email(token)
        _remember_device(user)
        db.session.commit()
        _start_session(user)
        flash(_("Your account is ready. Start your application below."), "success")
        return redirect(url_for("apply.dashboard"))
    return render_template("auth/confirm_email.html", form=form)


def _strength(form) -> tuple[int, str] | None:
    """The strength of the password just submitted, for the meter beside the field (no JavaScript needed)."""
    if request.method != "POST" or not form.password.data:
        return None
    score, _feedback = account_rules.password_strength(form.password.data)
    return score, account_rules.STRENGTH_LABELS[score]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_refused)
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = account_ops.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("The email address or password is not right."))
        elif user.email_confirmed_at is None:
            db.session.rollback()
            form.form_errors.append(
                _(
                    "Confirm your email address first: open the link we emailed you when you signed up. "
                    "No email? Sign up again with the same address for a new link."
                )
            )
        elif user.has_two_factor:
            db.session.commit()
            session.clear()
            session["pending_sign_in"] = {
                "user": user.id,
                "at": int(time.time()),
                "next": _safe_next(request.args.get("next")),
            }
            return redirect(url_for("auth.sign_in_code"))
        else:
            _remember_device(user)
            db.session.commit()
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_refused)
def sign_in_code():
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    pending = session.get("pending_sign_in")
    user = db.session.get(User, pending["user"]) if pending else None
    if user is None or not user.is_active or time.time() - pending["at"] > PENDING_SECONDS:
        session.pop("pending_sign_in", None)
        flash(_("Sign in again to continue."), "info")
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        if carry_out(lambda: account_ops.verify_second_factor(user, form.code.data), form=form) is not FAILED:
            _remember_device(user)
            db.session.commit()
            _start_session(user)
            return redirect(pending["next"])
    return render_template("auth/sign_in_code.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    """Set up two-factor sign-in: the secret to add to an authenticator app, then a first code to confirm."""
    user = me()
    if user.has_two_factor:
        return render_template("auth/two_factor_on.html", codes=None)
    if not user.totp_secret:
        carry_out(lambda: account_ops.start_two_factor(user))
    form = TwoFactorForm()
    if form.validate_on_submit():
        codes = carry_out(lambda: account_ops.confirm_two_factor(user, form.code.data), form=form)
        if codes is not FAILED:
            _start_session(user)  # the enrolment ended every other session, this one goes on
            return render_template("auth/two_factor_on.html", codes=codes)
    return render_template(
        "auth/two_factor.html",
        form=form,
        secret=user.totp_secret,
        uri=account_rules.totp_uri(user.totp_secret, user.email),
        required=account_rules.needs_two_factor(user.role),
    )


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def change_password():
    """Change the password: the current one first; every other session (other devices) ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = me()
        done = _("Your password has been changed. You have been signed out everywhere else.")
        if (
            carry_out(
                lambda: account_ops.change_password(user, form.current_password.data, form.password.data),
                form=form,
                done=done,
            )
            is not FAILED
        ):
            _start_session(user)
            return redirect(url_for("apply.dashboard"))
    return render_template("auth/change_password.html", form=form, strength=_strength(form))


@bp.post("/sign-out")
@login_required
def logout():
    form = BaseForm()
    if form.validate_on_submit():
        account_ops.end_sessions(me())
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You have signed out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"])
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
        return render_template("auth/link_invalid.html", message=str(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if carry_out(lambda: account_ops.reset_password(token, form.password.data), form=form) is not FAILED:
            logout_user()
            session.clear()
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, strength=_strength(form))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    """The language of the person's pages and emails and the time zone their dates are shown in."""
    user = me()
    form = PreferencesForm(
        data={"locale": user.locale or current_language(), "timezone": user.timezone or current_timezone()}
    )
    if form.validate_on_submit():
        account_ops.set_preferences(user, form.locale.data, form.timezone.data)
        db.session.commit()
        refresh()  # this very page answers in the new language
        flash(_("Your preferences have been saved."), "success")
        return redirect(url_for("auth.preferences"))
    return render_template("auth/preferences.html", form=form)


@bp.route("/language/<code>", methods=["GET", "POST"])
def switch_language(code: str):
    """The footer's language switch: remembered in a cookie (it works signed out), and in a signed-in
    person's account when sent as a form (a link cannot change an account: anyone could send one)."""
    language = supported_language(code)
    if language is None:
        abort(404)
    if request.method == "POST":
        if not BaseForm().validate_on_submit():
            abort(400)
        if current_user.is_authenticated:
            account_ops.set_preferences(me(), language, me().timezone or current_timezone())
            db.session.commit()
    response = redirect(_safe_next(request.values.get("next"), fallback="public.home"))
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
