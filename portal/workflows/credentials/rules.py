"""Issued credentials: issuing on approval, status, revocation, the expiry sweep, badges and the public profile."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app

from portal.enums import CredentialStatus
from portal.models.credentials import IssuedCredential
from portal.workflows.refusals import Refused
from portal.workflows.registry import catalogue

# Crockford's base32: no I, L, O or U, so a number read aloud or typed from paper is not misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class CredentialError(Refused):
    """An operation on a credential is not possible; the message says why."""


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def new_number(code: str) -> str:
    """``CPM-7K3M-Q9XD-2HFP``: 60 random bits, so numbers cannot be guessed from one another."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{code}-{body[:4]}-{body[4:8]}-{body[8:]}"


def normalise_number(number: str) -> str:
    # A NUL cannot be part of a number, and PostgreSQL refuses to compare text holding one.
    return re.sub(r"[\s\x00]+", "", number or "").upper()


def status(credential: IssuedCredential, today: date | None = None) -> CredentialStatus:
    return credential.status_on(today or date.today(), catalogue().expiry.expiring_soon_days)


def open_badge(
    credential: IssuedCredential,
    *,
    verify_url: str,
    issuer_url: str,
    achievement_url: str,
    profile_url: str | None = None,
) -> dict[str, Any]:
    """An Open Badges 3.0 ``OpenBadgeCredential`` (a W3C verifiable credential, unsigned) for ``credential``.

    The holder is identified by name and by a salted hash of their email, so the document shows no address.
    """
    rules = catalogue()[credential.credential_code]
    salt = hashlib.sha256(f"{current_app.config['SECRET_KEY']}:{credential.number}".encode()).hexdigest()[:16]
    email_hash = hashlib.sha256((credential.holder.email.lower() + salt).encode()).hexdigest()
    issuer = {
        "id": issuer_url,
        "type": ["Profile"],
        "name": current_app.config["ISSUER_NAME"],
        "url": issuer_url,
    }
    hours = f"{credential.training_hours.normalize():f}"
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": rules.label,
        "issuer": issuer,
        "validFrom": f"{credential.issued_on.isoformat()}T00:00:00Z",
        "validUntil": f"{credential.expires_on.isoformat()}T23:59:59Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": credential.holder_name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": f"sha256${email_hash}",
                    "salt": salt,
                },
            ],
            **({"id": profile_url} if profile_url else {}),
            "achievement": {
                "id": achievement_url,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": rules.label,
                "description": rules.summary or rules.label,
                "humanCode": rules.code,
                "creator": issuer,
                "criteria": {
                    "narrative": (
                        f"At least {rules.training_hours} hours of mentoring training, {rules.engagements} completed "
                        f"mentoring engagements with {rules.references} confirmed by referees, a mentoring "
                        f"supervisor and a declaration of continuous learning; reviewed by the "
                        f"{current_app.config['ISSUER_NAME']}."
                    )
                },
            },
            "result": [{"type": ["Result"], "value": f"{hours} hours of mentoring training recognised"}],
        },
        "credentialStatus": {
            "id": verify_url,
            "type": "VerificationPage",
            "status": status(credential).value,
        },
    }


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50] or "mentor"
    return f"{words}-{secrets.token_hex(3)}"


# The verification form as a signed-out visitor first sees it (no number typed yet).
LOOKUP_PAGE_KEY = "verify-form"


def verification_page_key(number: str) -> str:
    return f"verify:{number}"


def verification_page_key_for(path_rest: str) -> str | None:
    """The cache key of ``/verify/<path_rest>`` (a WSGI path, already unquoted) as the view computes it; None
    for anything that cannot be a credential number."""
    if not path_rest or "/" in path_rest or len(path_rest) > 60 or not path_rest.isascii():
        return None
    return verification_page_key(normalise_number(path_rest))


@dataclass(frozen=True)
class CycleYear:
    number: int
    starts_on: date
    ends_on: date


def cycle_years(credential: IssuedCredential) -> list[CycleYear]:
    """The years of ``credential``'s cycle, counted back from its expiry."""
    pass

    years = catalogue()[credential.credential_code].validity_years
    start = add_years(credential.expires_on, -years)
    return [
        CycleYear(n, add_years(start, n - 1), add_years(start, n) - timedelta(days=1))
        for n in range(1, years + 1)
    ]


def window(credential: IssuedCredential) -> tuple[date, date] | None:
    rules = catalogue()[credential.credential_code].renewal
    if rules is None:
        return None
    return (
        credential.expires_on - timedelta(days=rules.opens_days_before_expiry),
        credential.expires_on + timedelta(days=rules.closes_days_after_expiry),
    )
