"""Issued credentials: issuing on approval, status, revocation, the expiry sweep, badges and the public profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import event, exists, select
from sqlalchemy.orm import Session, aliased

from portal.db import after_commit, db, utcnow
from portal.enums import ApplicationKind, CredentialStatus, WebhookEventType
from portal.events import emit
from portal.models.applications import Application
from portal.models.credentials import CredentialNotice, IssuedCredential
from portal.models.users import User
from portal.notifications import send_email
from portal.workflows.audit import record
from portal.workflows.credentials.queries import successor
from portal.workflows.credentials.rules import (
    CredentialError,
    _slug,
    add_years,
    new_number,
    status,
    verification_page_key,
)
from portal.workflows.registry import catalogue


def issue_credential(
    application: Application, actor: User | None, today: date | None = None
) -> IssuedCredential:
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
    # Sequential and never shared: two credentials issued at once get different ids.
    credential.status_list_index = credential.id
    db.session.flush()
    record(
        actor,
        credential,
        "issue",
        to_state=CredentialStatus.VALID.value,
        reason=f"Approved application {application.reference}",
    )
    emit(WebhookEventType.CREDENTIAL_ISSUED, credential)
    send_email(
        "credential_issued",
        application.contact_email or application.applicant.email,
        related=credential,
        language=application.applicant.locale,
        credential=credential,
        rules=rules,
        application=application,
    )
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
        raise CredentialError(_("Give the reason for revoking this credential."))
    if credential.revoked_at is not None:
        raise CredentialError(_("This credential has already been revoked."))
    before = status(credential)
    credential.revoked_at, credential.revoked_reason, credential.revoked_by_id = utcnow(), reason, actor.id
    db.session.flush()
    record(actor, credential, "revoke", before.value, CredentialStatus.REVOKED.value, reason)
    emit(WebhookEventType.CREDENTIAL_REVOKED, credential)
    send_email(
        "credential_revoked",
        credential.holder.email,
        related=credential,
        language=credential.holder.locale,
        credential=credential,
        rules=catalogue()[credential.credential_code],
        reason=reason,
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
        select(IssuedCredential).where(
            IssuedCredential.revoked_at.is_(None),
            IssuedCredential.expired_at.is_(None),
            IssuedCredential.expires_on < today,
        )
    ):
        credential.expired_at = utcnow()
        record(None, credential, "expire", to_state=CredentialStatus.EXPIRED.value)
        if successor(credential) is None:  # a renewed holder needs no "your credential expired" email
            _notify(credential, "expired", "credential_expired")
        expired += 1

    reminded = 0
    if rules.reminder_days:
        horizon = date.fromordinal(today.toordinal() + max(rules.reminder_days))
        due = list(
            db.session.scalars(
                select(IssuedCredential).where(
                    IssuedCredential.revoked_at.is_(None),
                    IssuedCredential.expires_on >= today,
                    IssuedCredential.expires_on <= horizon,
                    ~renewed,
                )
            )
        )
        sent = _sent_kinds([credential.id for credential in due])
        for credential in due:
            days_left = (credential.expires_on - today).days
            thresholds = [days for days in rules.reminder_days if days_left <= days]
            nearest = min(thresholds)
            if f"expiring_{nearest}" in sent.get(credential.id, set()):
                continue
            _notify(credential, f"expiring_{nearest}", "credential_expiring", days_left=days_left)
            emit(WebhookEventType.CREDENTIAL_EXPIRING, credential, days_left=days_left)
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
            select(CredentialNotice.credential_id, CredentialNotice.kind).where(
                CredentialNotice.credential_id.in_(credential_ids)
            )
        ):
            sent.setdefault(credential_id, set()).add(kind)
    return sent


def _notify(credential: IssuedCredential, kind: str, template: str, **context: Any) -> None:
    db.session.add(CredentialNotice(credential_id=credential.id, kind=kind))
    send_email(
        template,
        credential.holder.email,
        related=credential,
        language=credential.holder.locale,
        credential=credential,
        rules=catalogue()[credential.credential_code],
        **context,
    )


def set_profile_visibility(user: User, public: bool) -> None:
    """Publish or hide the holder's mentor profile; its address stays the same across the two."""
    if public and not user.profile_slug:
        user.profile_slug = _slug(user.full_name)
    user.is_profile_public = public
    record(user, user, "profile_published" if public else "profile_hidden")
    db.session.flush()


@event.listens_for(Session, "after_flush")
def _verification_pages_changed(session: Session, flush_context) -> None:
    """Once the transaction commits, drop the cached verification pages of credentials it changed: the
    credential's own, and its predecessor's, which links to the credential that renewed it."""
    changed = [
        item
        for item in (*session.new, *session.dirty, *session.deleted)
        if isinstance(item, IssuedCredential) and (item not in session.dirty or session.is_modified(item))
    ]
    cache = current_app.extensions.get("page_cache") if changed and has_app_context() else None
    if cache is None:
        return
    numbers = {item.number for item in changed}
    numbers |= {item.previous.number for item in changed if item.previous_id and item.previous is not None}
    after_commit(session, lambda: cache.invalidate(sorted(verification_page_key(n) for n in numbers)))
