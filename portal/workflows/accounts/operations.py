"""Accounts: sign-up, passwords (argon2), sign-in bookkeeping, two-factor sign-in and password reset."""

from __future__ import annotations

from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from portal.db import db, utcnow
from portal.enums import Role
from portal.i18n import current_language
from portal.models.users import User, new_session_token
from portal.notifications import send_email
from portal.workflows.accounts.queries import find_user, user_for_reset_digest, user_for_signup_digest
from portal.workflows.accounts.rules import (
    SIGNUP_LINK_HOURS,
    AccountError,
    Origin,
    _hasher,
    new_recovery_codes,
    new_token,
    new_totp_secret,
    normalise_email,
    password_strength,
    token_digest,
    totp_step,
    trace_digest,
)
from portal.workflows.audit import record


def check_password(password: str, *context: str) -> None:
    """Refuse a password that is easy to guess (common, leaked, a pattern, the person's own name)."""
    _score, problem = password_strength(password, *context)
    if problem:
        raise AccountError(fields={"password": problem})


def register(
    email: str, password: str, full_name: str, role: Role = Role.APPLICANT, *, confirmed: bool = True
) -> User:
    """Create an account (staff at a console, tests; sign-up goes through :func:`sign_up`). Raises
    :class:`AccountError` if the email is taken or the password weak. Flushes, never commits."""
    check_password(password, email, full_name)
    if find_user(email) is not None:
        raise AccountError(
            _("An account with this email address already exists. Sign in or reset your password.")
        )
    user = User(
        email=normalise_email(email),
        full_name=full_name.strip(),
        password_hash=_hasher.hash(password),
        role=role,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    db.session.flush()
    record(None, user, "register", to_state=role.value)
    return user


def sign_up(email: str, password: str, full_name: str, origin: Origin | None = None) -> None:
    """Sign-up that answers the same whether or not the address has an account: the email says which.

    A new address gets an unconfirmed account and a link that confirms it and signs in; an address with an
    account is told someone tried (with how to sign in or reset); an unconfirmed one gets a new link. A weak
    password is refused before anything, for every address alike.
    """
    check_password(password, email, full_name)
    user = find_user(email)
    if user is None:
        user = register(email, password, full_name, confirmed=False)
        if origin is not None:
            key = current_app.config["SECRET_KEY"]
            user.signup_address_digest = trace_digest(origin.address, key)
            user.signup_device_digest = trace_digest(origin.user_agent, key)
    else:
        _hasher.hash(password)  # the same time as creating an account
        if user.email_confirmed_at is not None or not user.is_active:
            send_email("account_exists", user.email, related=user, language=user.locale, user=user)
            return
    token = new_token()
    user.signup_token_digest = token_digest(token)
    user.signup_token_expires_at = utcnow() + timedelta(hours=SIGNUP_LINK_HOURS)
    # The new account has no language of its own yet: the email is in the one the person signed up in.
    send_email(
        "confirm_email",
        user.email,
        related=user,
        language=current_language(),
        user=user,
        token=token,
        hours=SIGNUP_LINK_HOURS,
    )


def user_for_signup_token(token: str) -> User:
    """The unconfirmed account a valid, unexpired sign-up link belongs to, else :class:`AccountError`."""
    user = user_for_signup_digest(token_digest(token)) if token else None
    if user is None or not user.is_active or user.email_confirmed_at is not None:
        raise AccountError(_("This link is not valid, or has already been used. Sign in, or sign up again."))
    if user.signup_token_expires_at is None or user.signup_token_expires_at < utcnow():
        raise AccountError(_("This link has expired. Sign up again with the same address for a new one."))
    return user


def confirm_email(token: str) -> User:
    """Confirm the address a sign-up link was sent to; the account can sign in from now on."""
    user = user_for_signup_token(token)
    user.email_confirmed_at = utcnow()
    user.signup_token_digest = user.signup_token_expires_at = None
    record(user, user, "email_confirmed")
    return user


def _password_matches(user: User, password: str) -> bool:
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, else None (the same answer for either mistake).

    A user with two-factor sign-in is not signed in yet: the view asks for the code next.
    """
    user = find_user(email)
    if user is None or not user.is_active:
        _hasher.hash(password)  # spend the same time whether or not the account exists
        return None
    if not _password_matches(user, password):
        return None
    user.last_login_at = utcnow()
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie issued to ``user`` (sign-out, password change)."""
    user.session_token = new_session_token()


def change_password(user: User, current: str, new_password: str) -> User:
    """Set a new password after checking the current one; every other session of the user ends."""
    if not _password_matches(user, current):
        raise AccountError(fields={"current_password": _("Your current password is not right.")})
    return _set_password(user, new_password, "password_change")


def _set_password(user: User, new_password: str, action: str) -> User:
    """The new password, if strong enough; any reset link and every session end with the old one."""
    check_password(new_password, user.email, user.full_name)
    user.password_hash = _hasher.hash(new_password)
    user.reset_token_digest = user.reset_token_expires_at = None
    end_sessions(user)
    record(user, user, action)
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way (no account enumeration).

    The link carries a random token; only its SHA-256 is kept, so the database cannot be used to reset.
    """
    user = find_user(email)
    if user is None or not user.is_active:
        return
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    send_email(
        "password_reset",
        user.email,
        related=user,
        language=user.locale or current_language(),
        user=user,
        token=reset_token(user),
        hours=hours,
    )


def reset_token(user: User) -> str:
    """A new reset token for ``user`` (an older one stops working): random, kept only as its digest."""
    token = new_token()
    user.reset_token_digest = token_digest(token)
    user.reset_token_expires_at = utcnow() + timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"])
    return token


def user_for_reset_token(token: str) -> User:
    """The user a valid, unused, unexpired reset token belongs to, else :class:`AccountError`."""
    user = user_for_reset_digest(token_digest(token)) if token else None
    if user is None or not user.is_active:
        raise AccountError(
            _("This password reset link is not valid, or has already been used. Ask for a new one.")
        )
    if user.reset_token_expires_at is None or user.reset_token_expires_at < utcnow():
        raise AccountError(_("This password reset link has expired. Ask for a new one."))
    return user


def reset_password(token: str, new_password: str) -> User:
    user = _set_password(user_for_reset_token(token), new_password, "password_reset")
    user.email_confirmed_at = user.email_confirmed_at or utcnow()  # the link proved the address
    return user


def start_two_factor(user: User) -> str:
    """A new secret for ``user``'s authenticator, not in use until a first code confirms it."""
    if user.has_two_factor:
        raise AccountError(_("Two-factor sign-in is already set up for this account."))
    user.totp_secret = new_totp_secret()
    return user.totp_secret


def confirm_two_factor(user: User, code: str) -> list[str]:
    """Turn two-factor sign-in on once the authenticator's first code matches. Returns the recovery codes,
    shown once; only their digests are kept."""
    if user.has_two_factor or not user.totp_secret:
        raise AccountError(_("Start setting up two-factor sign-in first."))
    step = totp_step(user.totp_secret, code, None)
    if step is None:
        raise AccountError(fields={"code": _("That code is not right. Enter the code your app shows now.")})
    codes = new_recovery_codes()
    user.totp_confirmed_at, user.totp_last_step = utcnow(), step
    user.recovery_code_digests = [token_digest(recovery) for recovery in codes]
    end_sessions(user)  # sessions signed in with a password alone end
    record(user, user, "two_factor_on")
    return codes


def verify_second_factor(user: User, code: str) -> None:
    """Accept a current one-time code (each used once) or an unused recovery code, else refuse."""
    step = totp_step(user.totp_secret or "", code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return
    digest = token_digest(code)
    unused = list(user.recovery_code_digests or [])
    if digest in unused:
        unused.remove(digest)
        user.recovery_code_digests = unused
        record(user, user, "recovery_code_used", reason=f"{len(unused)} recovery codes left")
        return
    raise AccountError(fields={"code": _("That code is not right. Enter the code your app shows now.")})


def reset_two_factor(user: User, actor: User | None = None) -> None:
    """Turn two-factor sign-in off (a lost device): staff must set it up again at their next sign-in."""
    user.totp_secret = user.totp_confirmed_at = user.totp_last_step = None
    user.recovery_code_digests = None
    end_sessions(user)
    record(actor, user, "two_factor_reset")


def set_up_two_factor(user: User) -> tuple[str, list[str]]:
    """Two-factor sign-in on at once, for accounts made at a console (the demo staff): the secret to give
    to an authenticator app and the recovery codes, each shown once."""
    secret = start_two_factor(user)
    codes = new_recovery_codes()
    user.totp_confirmed_at = utcnow()
    user.recovery_code_digests = [token_digest(recovery) for recovery in codes]
    record(None, user, "two_factor_on")
    return secret, codes


def confirm_identity(user: User, password: str, code: str | None) -> None:
    """Ask again who is there before something that cannot be undone: the password, and a current code (or
    a recovery code) when the account has two-factor sign-in. Raises :class:`AccountError` at the field."""
    if not _password_matches(user, password or ""):
        raise AccountError(fields={"password": _("Your password is not right.")})
    if user.has_two_factor:
        if not code:
            raise AccountError(fields={"code": _("Enter the code from your authenticator app.")})
        verify_second_factor(user, code)


def set_preferences(user: User, locale: str, timezone: str) -> User:
    """The person's language and time zone (checked against what the portal offers by the form)."""
    changes = []
    if user.locale != locale:
        changes.append(f"language {user.locale or 'browser'} → {locale}")
    if user.timezone != timezone:
        changes.append(f"time zone {user.timezone or 'default'} → {timezone}")
    user.locale, user.timezone = locale, timezone
    if changes:
        record(user, user, "preferences_changed", reason="; ".join(changes))
    return user
