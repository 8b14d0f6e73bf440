"""Issued credentials: issuing on approval, status, revocation, the expiry sweep, badges and the public profile."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

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


# W3C Bitstring Status List: at least 16 KB of bits per list, so one list holds this many credentials.
STATUS_LIST_SIZE = 131_072
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


@dataclass(frozen=True)
class Addresses:
    """Where the portal publishes what a credential refers to, all under ``BASE_URL`` (the views know the
    routes): the issuer's site, a credential's verification page, a status list, an achievement and its image."""

    home: str
    verify: Callable[[str], str]  # credential number -> its verification page
    status_list: Callable[[int], str]  # list number (from 1) -> the status list credential
    achievement: Callable[[str], str]  # credential code -> the achievement's description
    image: Callable[[str], str]  # credential code -> the badge image


def did_web(base_url: str) -> str:
    """The ``did:web`` identifier of the site at ``base_url``: the host, its port percent-encoded, then each
    path segment after a colon (``https://example.org:8443/portal`` -> ``did:web:example.org%3A8443:portal``)."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "localhost") + (f"%3A{parts.port}" if parts.port else "")
    segments = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *segments])


def did_document(did: str, public_jwks: list[dict[str, Any]]) -> dict[str, Any]:
    """The DID document naming every signing key, old ones included, as an assertion method."""
    methods = [
        {"id": f"{did}#{jwk['kid']}", "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}
        for jwk in public_jwks
    ]
    ids = [method["id"] for method in methods]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    }


def status_list_place(index: int) -> tuple[int, int]:
    """The list (from 1) and the bit within it of a credential's status list index."""
    return index // STATUS_LIST_SIZE + 1, index % STATUS_LIST_SIZE


def encode_status_list(positions: Iterable[int]) -> str:
    """The bitstring with ``positions`` set, index 0 the first (leftmost) bit, GZIP-compressed and written as
    multibase base64url without padding (the leading ``u``), as the Bitstring Status List requires."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for position in positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    packed = gzip.compress(bytes(bits), mtime=0)  # no timestamp: the same list encodes the same way
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def _moment(day: date, end: bool = False) -> str:
    return f"{day.isoformat()}T{'23:59:59' if end else '00:00:00'}Z"


def status_list_credential(
    list_url: str, did: str, positions: Iterable[int], valid_from: datetime
) -> dict[str, Any]:
    """A ``BitstringStatusListCredential`` for revocation: a set bit is a revoked credential."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": valid_from.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(positions),
        },
    }


def open_badge(credential: IssuedCredential, addresses: Addresses, did: str) -> dict[str, Any]:
    """An Open Badges 3.0 ``OpenBadgeCredential`` (W3C Verifiable Credentials 2.0) for ``credential``, issued
    by ``did``, its revocation in a Bitstring Status List and its expiry in ``validUntil``.

    The holder is identified by name and by a salted hash of their email, so the document shows no address.
    Nothing in it changes after issue except through the status list, so every copy signed says the same.
    """
    rules = catalogue()[credential.credential_code]
    salt = hashlib.sha256(f"{current_app.config['SECRET_KEY']}:{credential.number}".encode()).hexdigest()[:16]
    email_hash = hashlib.sha256((credential.holder.email.lower() + salt).encode()).hexdigest()
    issuer = {
        "id": did,
        "type": ["Profile"],
        "name": current_app.config["ISSUER_NAME"],
        "url": addresses.home,
    }
    hours = f"{credential.training_hours.normalize():f}"
    list_number, position = status_list_place(credential.status_list_index or credential.id)
    list_url = addresses.status_list(list_number)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": addresses.verify(credential.number),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": rules.english_label,
        "issuer": issuer,
        "validFrom": _moment(credential.issued_on),
        "validUntil": _moment(credential.expires_on, end=True),
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
            "achievement": {
                "id": addresses.achievement(credential.credential_code),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": rules.english_label,
                "description": rules.english_summary or rules.english_label,
                "humanCode": rules.code,
                "image": {"id": addresses.image(credential.credential_code), "type": "Image"},
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
            "id": f"{list_url}#{position}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(position),
            "statusListCredential": list_url,
        },
    }


def linkedin_url(credential: IssuedCredential, organisation: str, verify_url: str) -> str:
    """LinkedIn's "add a licence or certification" form, filled in for ``credential``."""
    rules = catalogue()[credential.credential_code]
    fields = {
        "startTask": "CERTIFICATION_NAME",
        # The profile entry carries the credential's official name, as the badge and the API do.
        "name": rules.english_label,
        "organizationName": organisation,
        "issueYear": credential.issued_on.year,
        "issueMonth": credential.issued_on.month,
        "expirationYear": credential.expires_on.year,
        "expirationMonth": credential.expires_on.month,
        "certUrl": verify_url,
        "certId": credential.number,
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(fields)


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
