"""Configuration: defaults that run with nothing installed, overridden by environment variables.

Every setting a deployment may change is listed in ``SETTINGS`` with its default; the README's
configuration table is written from the same list.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any] = str
    help: str = ""


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY",
        None,
        str,
        "Signs sessions and links. Default: a random key kept in instance/secret_key.",
    ),
    Setting(
        "INSTANCE_PATH",
        None,
        str,
        "Folder for the SQLite database, mail and the embedded broker. Default: ./instance.",
    ),
    Setting("DATABASE_URL", None, str, "SQLAlchemy URL. Default: SQLite at instance/portal.db."),
    Setting(
        "BROKER_URL",
        None,
        str,
        "redis://, unix:// (Redis socket) or amqp:// URL. Default: the embedded Redis at instance/redis.sock.",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        None,
        str,
        "Rate-limit counters. Default: the broker's Redis (memory:// for AMQP).",
    ),
    Setting(
        "REDIS_TIMEOUT_SECONDS",
        2.0,
        float,
        "Longest wait for Redis (connect or answer) before a use of it gives up: the broker, limiter, cache.",
    ),
    Setting(
        "REDIS_PAUSE_SECONDS",
        10.0,
        float,
        "After Redis fails, how long the web processes leave it alone (jobs wait for the sweep) before retrying.",
    ),
    Setting(
        "PAGE_CACHE_URL",
        None,
        str,
        "Redis for the shared cache of signed-out public pages (home, verification). Default: the broker's "
        "Redis (none for AMQP).",
    ),
    Setting(
        "PAGE_CACHE_SECONDS",
        300,
        int,
        "How long a signed-out public page may be served from the cache; changes show at once. 0: off.",
    ),
    Setting(
        "DEFAULT_LOCALE",
        "en",
        str,
        "Language for a visitor whose browser asks for none the portal speaks, and for emails to someone "
        "who chose none (en or fr).",
    ),
    Setting(
        "DEFAULT_TIMEZONE",
        "UTC",
        str,
        "Time zone dates and times are shown in for someone who chose none (an IANA name). Exports and the API "
        "stay in UTC.",
    ),
    Setting("UPLOAD_DIR", None, str, "Where uploaded files are kept. Default: instance/uploads."),
    Setting("MAX_UPLOAD_MB", 10, int, "Largest accepted upload, in MB."),
    Setting(
        "BASE_URL",
        "http://127.0.0.1:5000",
        str,
        "Public address used in links inside emails. Default: the address `flask run-all` serves on.",
    ),
    Setting("SMTP_HOST", "", str, "SMTP server. Empty: messages are written as .eml files to MAIL_DIR."),
    Setting("SMTP_PORT", 587, int, "SMTP port."),
    Setting("SMTP_SECURITY", "starttls", str, "none, starttls or tls."),
    Setting("SMTP_USER", "", str, "SMTP user name (empty: no login)."),
    Setting("SMTP_PASSWORD", "", str, "SMTP password."),
    Setting("SMTP_TIMEOUT", 20, int, "Seconds before an SMTP connection attempt is abandoned."),
    Setting(
        "SMTP_MESSAGES_PER_CONNECTION",
        100,
        int,
        "Messages sent over one SMTP connection before a worker opens a fresh one (1: one per message).",
    ),
    Setting(
        "SMTP_IDLE_SECONDS",
        30,
        float,
        "An open SMTP connection unused this long is closed rather than reused.",
    ),
    Setting(
        "MAIL_BATCH_SIZE",
        20,
        int,
        "Emails handed to one delivery job when many leave together (a fan-out); each is still claimed, "
        "sent and recorded on its own.",
    ),
    Setting("MAIL_SENDER", "IMC Credentials <credentials@localhost>", str, "From: address of every email."),
    Setting("MAIL_REPLY_TO", "credentialing-support@localhost", str, "Reply-To: address of every email."),
    Setting(
        "MAIL_DIR", None, str, "Folder for .eml files when no SMTP server is set. Default: instance/mail."
    ),
    Setting(
        "SESSION_COOKIE_SECURE", False, _bool, "Send the session cookie over HTTPS only (true in production)."
    ),
    Setting("FORM_TIME_LIMIT_HOURS", 8, int, "How long a form stays valid (CSRF token lifetime), in hours."),
    Setting("PASSWORD_RESET_HOURS", 2, int, "How long a password-reset link works, in hours."),
    Setting("LOGIN_RATE_LIMIT", "10 per minute;50 per hour", str, "Sign-in attempts allowed per address."),
    Setting(
        "API_RATE_LIMIT",
        "60 per minute;1000 per hour",
        str,
        "Public credential verifications through the API (/api/v1/credentials/…) allowed per address.",
    ),
    Setting(
        "ACCOUNT_RATE_LIMIT",
        "5 per minute;30 per hour",
        str,
        "Failed sign-ins (and sign-ups, reset requests) allowed per account, from any address: each limit is a "
        "longer wait, none a permanent lock.",
    ),
    Setting(
        "TRUSTED_PROXIES",
        0,
        int,
        "How many proxies in front of the portal set X-Forwarded-For/-Proto (1 behind one TLS proxy). 0: none.",
    ),
    Setting("SESSION_IDLE_MINUTES", 60, int, "A session unused this long ends (sign in again). 0: never."),
    Setting(
        "SESSION_MAX_HOURS", 12, int, "A session ends this long after signing in, however busy. 0: never."
    ),
    Setting("REFERENCE_EXPIRY_DAYS", 21, int, "How long a referee's link works, in days."),
    Setting(
        "PROGRAMME_TERM_START_GRACE_DAYS",
        14,
        int,
        (
            "How far in the past a mentoring agreement's term may start (never before the pairing was "
            "accepted); a coordinator may allow one agreement more, with a reason."
        ),
    ),
    Setting(
        "REFERENCE_REMINDER_DAYS",
        "7,14",
        str,
        "Days after the request when an unanswered referee is reminded (comma-separated).",
    ),
    Setting(
        "REFEREE_RATE_LIMIT", "20 per minute;100 per hour", str, "Referee page requests allowed per address."
    ),
    Setting(
        "DRAFT_RETENTION_DAYS",
        365,
        int,
        "A draft application untouched this long is erased with its files (warned first by email). 0: never.",
    ),
    Setting(
        "DRAFT_WARNING_DAYS",
        30,
        int,
        "How long before a stale draft is erased its owner is warned, in days (less than DRAFT_RETENTION_DAYS).",
    ),
    Setting(
        "DATA_EXPORT_DAYS",
        7,
        int,
        "How long the emailed link to a person's data export works (once) before the file is removed.",
    ),
    Setting(
        "OUTBOX_SWEEP_SECONDS", 30, int, "How often the scheduler re-sends messages the broker did not take."
    ),
    Setting(
        "CATALOGUE_PATH",
        None,
        str,
        "The credential catalogue (TOML). Default: portal/workflows/catalogue.toml.",
    ),
    Setting(
        "ISSUER_NAME",
        "International Mentoring Center",
        str,
        "The body named on certificates, receipts and Open Badges.",
    ),
    Setting(
        "CREDENTIAL_KEY_DIR",
        None,
        str,
        "Folder of the Ed25519 keys that sign credentials (made on first use; `flask credentials rotate-key` "
        "adds one). Default: instance/credential_keys.",
    ),
    Setting(
        "PAYMENT_PROVIDER",
        "manual",
        str,
        "How applicants pay: manual (an admin records each bank transfer), or stripe (also by card through "
        "Stripe Checkout, confirmed by Stripe's signed webhook).",
    ),
    Setting("STRIPE_SECRET_KEY", "", str, "Stripe's secret API key (sk_live_… or sk_test_…), for stripe."),
    Setting(
        "STRIPE_WEBHOOK_SECRET",
        "",
        str,
        "The signing secret (whsec_…) of the Stripe webhook endpoint at /payments/stripe/webhook.",
    ),
    Setting(
        "STRIPE_API_BASE",
        "",
        str,
        "Address of Stripe's API. Empty: Stripe's own (https://api.stripe.com); tests point it at a stand-in.",
    ),
    Setting(
        "PAYMENT_BANK_DETAILS",
        "",
        str,
        "Bank account shown to applicants who pay by transfer. Empty: they are told to ask support.",
    ),
    Setting(
        "WEBHOOK_ALLOW_LOCAL",
        False,
        _bool,
        "Let webhook endpoints be http:// on localhost and reach loopback or private addresses (development "
        "and tests only). Off: https:// and public addresses only.",
    ),
    Setting(
        "WEBHOOK_TIMEOUT_SECONDS",
        5.0,
        float,
        "Longest wait to connect to a webhook endpoint, and for each read of its answer.",
    ),
    Setting(
        "WEBHOOK_MAX_ATTEMPTS",
        8,
        int,
        "Attempts at one webhook delivery before it is recorded as failed (a 2xx answer ends them).",
    ),
    Setting(
        "WEBHOOK_RETRY_SECONDS",
        30.0,
        float,
        "Wait before a failed webhook delivery's second attempt; each later wait doubles (at most 6 hours).",
    ),
    Setting("HEARTBEAT_SECONDS", 30, int, "How often each worker process records that it is alive."),
    Setting(
        "BROKER_HEARTBEAT_SECONDS",
        60,
        int,
        "After this many seconds of silence a worker counts as dead, and its unfinished jobs run again.",
    ),
    Setting("LOG_LEVEL", "INFO", str, "Logging level."),
    Setting("LOG_FORMAT", "text", str, "text, or json for one JSON object per line (for log collectors)."),
)


def _secret_key(instance_path: Path) -> str:
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the app's config mapping from defaults, the environment, then ``overrides``."""
    overrides = dict(overrides or {})
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in overrides:
            values[setting.name] = overrides.pop(setting.name)
        elif setting.name in os.environ and os.environ[setting.name] != "":
            values[setting.name] = setting.parse(os.environ[setting.name])
        else:
            values[setting.name] = setting.default

    instance = Path(values["INSTANCE_PATH"] or PROJECT_ROOT / "instance").resolve()
    values["INSTANCE_PATH"] = str(instance)
    values["SECRET_KEY"] = values["SECRET_KEY"] or _secret_key(instance)
    values["DATABASE_URL"] = values["DATABASE_URL"] or f"sqlite:///{instance / 'portal.db'}"
    values["BROKER_URL"] = values["BROKER_URL"] or f"unix://{instance / 'redis.sock'}"
    values["UPLOAD_DIR"] = str(Path(values["UPLOAD_DIR"] or instance / "uploads").resolve())
    values["MAIL_DIR"] = str(Path(values["MAIL_DIR"] or instance / "mail").resolve())
    values["CREDENTIAL_KEY_DIR"] = str(
        Path(values["CREDENTIAL_KEY_DIR"] or instance / "credential_keys").resolve()
    )
    values["CATALOGUE_PATH"] = values["CATALOGUE_PATH"] or str(
        PROJECT_ROOT / "portal" / "workflows" / "catalogue.toml"
    )
    if not values["RATELIMIT_STORAGE_URI"]:
        values["RATELIMIT_STORAGE_URI"] = _limiter_storage(values["BROKER_URL"])
    if values["PAGE_CACHE_URL"] is None and values["BROKER_URL"].startswith(
        ("redis://", "rediss://", "unix://")
    ):
        values["PAGE_CACHE_URL"] = values["BROKER_URL"]

    flask_values = {
        "SQLALCHEMY_DATABASE_URI": values["DATABASE_URL"],
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_UPLOAD_BYTES": values["MAX_UPLOAD_MB"] * 1024 * 1024,
        "MAX_CONTENT_LENGTH": (values["MAX_UPLOAD_MB"] + 1)
        * 1024
        * 1024,  # headroom for the form's other fields
        "WTF_CSRF_TIME_LIMIT": values["FORM_TIME_LIMIT_HOURS"] * 3600,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": values["SESSION_COOKIE_SECURE"],
        "REMEMBER_COOKIE_HTTPONLY": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
    }

    values.update(flask_values)
    values.update(overrides)
    return values


def _limiter_storage(broker_url: str) -> str:
    if broker_url.startswith("unix://"):
        return "redis+unix://" + broker_url.removeprefix("unix://")
    if broker_url.startswith(("redis://", "rediss://")):
        return broker_url
    return "memory://"
