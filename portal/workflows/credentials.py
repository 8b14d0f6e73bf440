"""Issued credentials: issuing on approval, status, revocation, the expiry sweep, badges and the public profile."""
from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, exists, select
from sqlalchemy.orm import Session, aliased

from portal.db import after_commit, db, utcnow
from portal.models.applications import Application, ApplicationKind
from portal.models.credentials import CredentialNotice, CredentialStatus, IssuedCredential
from portal.models.users import User
from portal.notifications import send_email
from portal.workflows.audit import record
from portal.workflows.registry import catalogue

# Crockford's base32: no I, L, O or U, so a number read aloud or typed from paper is not misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class CredentialError(ValueError):
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


def find(number: str) -> IssuedCredential | None:
    return db.session.scalar(select(IssuedCredential).where(IssuedCredential.number == normalise_number(number)))


def holder_credentials(user: User) -> list[IssuedCredential]:
    return list(db.session.scalars(
        select(IssuedCredential).where(IssuedCredential.holder_id == user.id)
        .order_by(IssuedCredential.issued_on.desc(), IssuedCredential.id.desc())
    ))


_LATER = aliased(IssuedCredential, name="later")


def verification(number: str) -> tuple[IssuedCredential, str | None] | None:
    """The credential with ``number`` and the number of the one that renewed it, if any: what the public
    verification page shows, read in one query."""
    row = db.session.execute(
        select(IssuedCredential, _LATER.number).outerjoin(_LATER, _LATER.previous_id == IssuedCredential.id)
        .where(IssuedCredential.number == normalise_number(number)).order_by(_LATER.id).limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def successor(credential: IssuedCredential) -> IssuedCredential | None:
    return db.session.scalar(select(IssuedCredential).where(IssuedCredential.previous_id == credential.id))


def issue_credential(application: Application, actor: User | None, today: date | None = None) -> IssuedCredential:
    """Issue the credential an approved application earned. Flushes, never commits."""
    today = today or date.today()
    rules = catalogue()[application.credential_code]
    previous = application.renews_credential if application.kind == ApplicationKind.RENEWAL else None
    if previous is not None:
        # A renewal continues the cycle: the new one runs on from the old one's expiry, not from today.
        starts = max(today, previous.expires_on)
        hours = previous.training_hours
    else:
        starts = today
        hours = sum((record.hours for record in application.training_records), Decimal(0))
    credential = IssuedCredential(
        number=_unused_number(application.credential_code),
        credential_code=application.credential_code,
        holder_id=application.applicant_id,
        application_id=application.id,
        previous_id=previous.id if previous else None,
        holder_name=application.full_name or application.applicant.full_name,
        training_hours=hours,
        issued_on=today,
        expires_on=add_years(starts, rules.validity_years),
    )
    db.session.add(credential)
    db.session.flush()
    record(actor, credential, "issue", to_state=CredentialStatus.VALID.value,
           reason=f"Approved application {application.reference}")
    send_email("credential_issued", application.contact_email or application.applicant.email, related=credential,
               credential=credential, rules=rules, application=application)
    return credential


def _unused_number(code: str) -> str:
    while True:
        number = new_number(code)
        if not db.session.scalar(select(exists().where(IssuedCredential.number == number))):
            return number


def revoke(credential: IssuedCredential, actor: User, reason: str) -> None:
    """Revoke ``credential`` for ``reason`` (required). Flushes, never commits."""
    reason = (reason or "").strip()
    if not reason:
        raise CredentialError("Give the reason for revoking this credential.")
    if credential.revoked_at is not None:
        raise CredentialError("This credential has already been revoked.")
    before = status(credential)
    credential.revoked_at, credential.revoked_reason, credential.revoked_by_id = utcnow(), reason, actor.id
    db.session.flush()
    record(actor, credential, "revoke", before.value, CredentialStatus.REVOKED.value, reason)
    send_email("credential_revoked", credential.holder.email, related=credential, credential=credential,
               rules=catalogue()[credential.credential_code], reason=reason)


def qualifying_prerequisite(application: Application, today: date | None = None) -> IssuedCredential | None:
    """A credential the portal issued to the applicant that satisfies the prerequisite (held a full cycle)."""
    rules = catalogue()[application.credential_code]
    if rules.prerequisite is None:
        return None
    required = catalogue()[rules.prerequisite.credential]
    cutoff = add_years(today or date.today(), -required.validity_years * rules.prerequisite.full_cycles)
    return db.session.scalar(
        select(IssuedCredential).where(
            IssuedCredential.holder_id == application.applicant_id,
            IssuedCredential.credential_code == required.code,
            IssuedCredential.revoked_at.is_(None),
            IssuedCredential.issued_on <= cutoff,
        ).order_by(IssuedCredential.issued_on).limit(1)
    )


@dataclass(frozen=True)
class SweepResult:
    expired: int
    reminded: int


def sweep_expiry(today: date | None = None) -> SweepResult:
    """Mark credentials past their expiry and remind holders before it, each notice once. Flushes only.

    Idempotent: a notice is a row with a unique (credential, kind), so a second run finds nothing due.
    """
    today = today or date.today()
    rules = catalogue().expiry
    later = aliased(IssuedCredential)
    renewed = exists().where(later.previous_id == IssuedCredential.id)

    expired = 0
    for credential in db.session.scalars(
        select(IssuedCredential).where(IssuedCredential.revoked_at.is_(None), IssuedCredential.expired_at.is_(None),
                                       IssuedCredential.expires_on < today)
    ):
        credential.expired_at = utcnow()
        record(None, credential, "expire", to_state=CredentialStatus.EXPIRED.value)
        if successor(credential) is None:  # a renewed holder needs no "your credential expired" email
            _notify(credential, "expired", "credential_expired")
        expired += 1

    reminded = 0
    if rules.reminder_days:
        horizon = date.fromordinal(today.toordinal() + max(rules.reminder_days))
        due = list(db.session.scalars(
            select(IssuedCredential).where(IssuedCredential.revoked_at.is_(None), IssuedCredential.expires_on >= today,
                                           IssuedCredential.expires_on <= horizon, ~renewed)
        ))
        sent = _sent_kinds([credential.id for credential in due])
        for credential in due:
            days_left = (credential.expires_on - today).days
            thresholds = [days for days in rules.reminder_days if days_left <= days]
            nearest = min(thresholds)
            if f"expiring_{nearest}" in sent.get(credential.id, set()):
                continue
            _notify(credential, f"expiring_{nearest}", "credential_expiring", days_left=days_left)
            # A reminder for an earlier threshold is out of date once a nearer one has gone.
            for days in thresholds:
                if days != nearest and f"expiring_{days}" not in sent.get(credential.id, set()):
                    db.session.add(CredentialNotice(credential_id=credential.id, kind=f"expiring_{days}"))
            reminded += 1
    db.session.flush()
    return SweepResult(expired=expired, reminded=reminded)


def _sent_kinds(credential_ids: list[int]) -> dict[int, set[str]]:
    sent: dict[int, set[str]] = {}
    if credential_ids:
        for credential_id, kind in db.session.execute(
            select(CredentialNotice.credential_id, CredentialNotice.kind)
            .where(CredentialNotice.credential_id.in_(credential_ids))
        ):
            sent.setdefault(credential_id, set()).add(kind)
    return sent


def _notify(credential: IssuedCredential, kind: str, template: str, **context: Any) -> None:
    db.session.add(CredentialNotice(credential_id=credential.id, kind=kind))
    send_email(template, credential.holder.email, related=credential, credential=credential,
               rules=catalogue()[credential.credential_code], **context)


def open_badge(credential: IssuedCredential, *, verify_url: str, issuer_url: str, achievement_url: str,
               profile_url: str | None = None) -> dict[str, Any]:
    """An Open Badges 3.0 ``OpenBadgeCredential`` (a W3C verifiable credential, unsigned) for ``credential``.

    The holder is identified by name and by a salted hash of their email, so the document shows no address.
    """
    rules = catalogue()[credential.credential_code]
    salt = hashlib.sha256(f"{current_app.config['SECRET_KEY']}:{credential.number}".encode()).hexdigest()[:16]
    email_hash = hashlib.sha256((credential.holder.email.lower() + salt).encode()).hexdigest()
    issuer = {"id": issuer_url, "type": ["Profile"], "name": current_app.config["ISSUER_NAME"], "url": issuer_url}
    hours = f"{credential.training_hours.normalize():f}"
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": rules.label,
        "issuer": issuer,
        "validFrom": f"{credential.issued_on.isoformat()}T00:00:00Z",
        "validUntil": f"{credential.expires_on.isoformat()}T23:59:59Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False,
                 "identityHash": credential.holder_name},
                {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                 "identityHash": f"sha256${email_hash}", "salt": salt},
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
                "criteria": {"narrative": (
                    f"At least {rules.training_hours} hours of mentoring training, {rules.engagements} completed "
                    f"mentoring engagements with {rules.references} confirmed by referees, a mentoring "
                    f"supervisor and a declaration of continuous learning; reviewed by the "
                    f"{current_app.config['ISSUER_NAME']}.")},
            },
            "result": [{"type": ["Result"], "value": f"{hours} hours of mentoring training recognised"}],
        },
        "credentialStatus": {"id": verify_url, "type": "VerificationPage",
                             "status": status(credential).value},
    }


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50] or "mentor"
    return f"{words}-{secrets.token_hex(3)}"


def set_profile_visibility(user: User, public: bool) -> None:
    """Publish or hide the holder's mentor profile; its address stays the same across the two."""
    if public and not user.profile_slug:
        user.profile_slug = _slug(user.full_name)
    user.is_profile_public = public
    record(user, user, "profile_published" if public else "profile_hidden")
    db.session.flush()


def public_profile(slug: str) -> tuple[User, list[IssuedCredential]] | None:
    if "\x00" in slug:  # never in a slug, and PostgreSQL refuses to compare text holding one
        return None
    user = db.session.scalar(select(User).where(User.profile_slug == slug, User.is_profile_public.is_(True)))
    if user is None or not user.is_active:
        return None
    credentials = [credential for credential in holder_credentials(user)
                   if status(credential) in (CredentialStatus.VALID, CredentialStatus.EXPIRING_SOON)]
    return user, credentials


def verification_page_key(number: str) -> str:
    return f"verify:{number}"


def verification_page_key_for(path_rest: str) -> str | None:
    """The cache key of ``/verify/<path_rest>`` (a WSGI path, already unquoted) as the view computes it; None
    for anything that cannot be a credential number."""
    if not path_rest or "/" in path_rest or len(path_rest) > 60 or not path_rest.isascii():
        return None
    return verification_page_key(normalise_number(path_rest))


@event.listens_for(Session, "after_flush")
def _verification_pages_changed(session: Session, flush_context) -> None:
    """Once the transaction commits, drop the cached verification pages of credentials it changed: the
    credential's own, and its predecessor's, which links to the credential that renewed it."""
    changed = [item for item in (*session.new, *session.dirty, *session.deleted)
               if isinstance(item, IssuedCredential) and (item not in session.dirty or session.is_modified(item))]
    cache = current_app.extensions.get("page_cache") if changed and has_app_context() else None
    if cache is None:
        return
    numbers = {item.number for item in changed}
    numbers |= {item.previous.number for item in changed if item.previous_id and item.previous is not None}
    after_commit(session, lambda: cache.invalidate(sorted(verification_page_key(n) for n in numbers)))
