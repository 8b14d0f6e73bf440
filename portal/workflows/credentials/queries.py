"""Issued credentials: issuing on approval, status, revocation, the expiry sweep, badges and the public profile."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from portal.dates import day
from portal.db import db
from portal.enums import ApplicationState, CredentialStatus
from portal.models.applications import Application
from portal.models.credentials import IssuedCredential
from portal.models.users import User
from portal.workflows.credentials import keys
from portal.workflows.credentials.rules import (
    STATUS_LIST_SIZE,
    Addresses,
    add_years,
    did_document,
    did_web,
    normalise_number,
    open_badge,
    status,
    status_list_credential,
    window,
)
from portal.workflows.registry import catalogue


def find(number: str) -> IssuedCredential | None:
    return db.session.scalar(
        select(IssuedCredential).where(IssuedCredential.number == normalise_number(number))
    )


def holder_credentials(user: User) -> list[IssuedCredential]:
    return list(
        db.session.scalars(
            select(IssuedCredential)
            .where(IssuedCredential.holder_id == user.id)
            .order_by(IssuedCredential.issued_on.desc(), IssuedCredential.id.desc())
        )
    )


_LATER = aliased(IssuedCredential, name="later")


def verification(number: str) -> tuple[IssuedCredential, str | None] | None:
    """The credential with ``number`` and the number of the one that renewed it, if any: what the public
    verification page shows, read in one query."""
    row = db.session.execute(
        select(IssuedCredential, _LATER.number)
        .outerjoin(_LATER, _LATER.previous_id == IssuedCredential.id)
        .where(IssuedCredential.number == normalise_number(number))
        .order_by(_LATER.id)
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def successor(credential: IssuedCredential) -> IssuedCredential | None:
    return db.session.scalar(select(IssuedCredential).where(IssuedCredential.previous_id == credential.id))


def qualifying_prerequisite(application: Application, today: date | None = None) -> IssuedCredential | None:
    """A credential the portal issued to the applicant that satisfies the prerequisite (held a full cycle)."""
    rules = catalogue()[application.credential_code]
    if rules.prerequisite is None:
        return None
    required = catalogue()[rules.prerequisite.credential]
    cutoff = add_years(today or date.today(), -required.validity_years * rules.prerequisite.full_cycles)
    return db.session.scalar(
        select(IssuedCredential)
        .where(
            IssuedCredential.holder_id == application.applicant_id,
            IssuedCredential.credential_code == required.code,
            IssuedCredential.revoked_at.is_(None),
            IssuedCredential.issued_on <= cutoff,
        )
        .order_by(IssuedCredential.issued_on)
        .limit(1)
    )


def public_profile(slug: str) -> tuple[User, list[IssuedCredential]] | None:
    if "\x00" in slug:  # never in a slug, and PostgreSQL refuses to compare text holding one
        return None
    user = db.session.scalar(select(User).where(User.profile_slug == slug, User.is_profile_public.is_(True)))
    if user is None or not user.is_active:
        return None
    credentials = [
        credential
        for credential in holder_credentials(user)
        if status(credential) in (CredentialStatus.VALID, CredentialStatus.EXPIRING_SOON)
    ]
    return user, credentials


FINAL = (ApplicationState.APPROVED, ApplicationState.REJECTED, ApplicationState.WITHDRAWN)


def open_renewal(credential: IssuedCredential) -> Application | None:
    return db.session.scalar(
        select(Application)
        .where(Application.renews_credential_id == credential.id, Application.state.not_in(FINAL))
        .limit(1)
    )


def renewal_problems(credential: IssuedCredential, user: User, today: date | None = None) -> list[str]:
    """Why ``user`` cannot renew ``credential`` today (none when they can)."""
    pass

    today = today or date.today()
    if credential.holder_id != user.id:
        return [_("Only the holder can renew a credential.")]
    if credential.revoked_at is not None:
        return [_("A revoked credential cannot be renewed.")]
    if successor(credential) is not None:
        return [_("This credential has already been renewed.")]
    span = window(credential)
    if span is None:
        return [_("The %(code)s cannot be renewed.", code=credential.credential_code)]
    opens, closes = span
    if today < opens:
        return [
            _(
                "Renewal opens on %(day)s, %(days)s days before your credential expires.",
                day=day(opens),
                days=(credential.expires_on - opens).days,
            )
        ]
    if today > closes:
        return [_("Renewal closed on %(day)s. Apply for the credential again.", day=day(closes))]
    return []


def issuer_did() -> str:
    return did_web(current_app.config["BASE_URL"])


def issuer_did_document() -> dict[str, Any]:
    """The portal's DID document: every key that ever signed, so credentials signed before a rotation verify."""
    signing = keys.all_keys() or [keys.current_key()]
    return did_document(issuer_did(), [key.public_jwk() for key in signing])


def signed_credential(credential: IssuedCredential, addresses: Addresses) -> str:
    """``credential`` as an Open Badges 3.0 credential, signed as a VC-JWT by the current key."""
    did = issuer_did()
    return keys.sign(open_badge(credential, addresses, did), did)


def signed_status_list(list_number: int, addresses: Addresses) -> str | None:
    """Status list ``list_number`` (from 1) as a signed ``BitstringStatusListCredential``; None before any
    credential has a place in it. It is dated by its latest revocation, so an unchanged list signs the same."""
    low = (list_number - 1) * STATUS_LIST_SIZE
    in_list = (IssuedCredential.status_list_index >= low) & (
        IssuedCredential.status_list_index < low + STATUS_LIST_SIZE
    )
    first_issued = db.session.scalar(
        select(IssuedCredential.issued_on)
        .where(in_list)
        .order_by(IssuedCredential.status_list_index)
        .limit(1)
    )
    if list_number < 1 or first_issued is None:
        return None
    revoked = db.session.execute(
        select(IssuedCredential.status_list_index, IssuedCredential.revoked_at).where(
            in_list, IssuedCredential.revoked_at.is_not(None)
        )
    ).all()
    changed = max(
        (revoked_at for _index, revoked_at in revoked),
        default=datetime.combine(first_issued, time(), tzinfo=UTC),
    )
    did = issuer_did()
    document = status_list_credential(
        addresses.status_list(list_number), did, [index - low for index, _at in revoked], changed
    )
    return keys.sign(document, did)
