"""Issued credentials: issuing on approval, status, revocation, the expiry sweep, badges and the public profile."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased

from portal.db import db
from portal.enums import ApplicationState, CredentialStatus
from portal.models.applications import Application
from portal.models.credentials import IssuedCredential
from portal.models.users import User
from portal.workflows.credentials.rules import add_years, normalise_number, status, window
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
        return ["Only the holder can renew a credential."]
    if credential.revoked_at is not None:
        return ["A revoked credential cannot be renewed."]
    if successor(credential) is not None:
        return ["This credential has already been renewed."]
    span = window(credential)
    if span is None:
        return [f"The {credential.credential_code} cannot be renewed."]
    opens, closes = span
    if today < opens:
        return [
            (
                f"Renewal opens on {opens.day} {opens:%B %Y}, {(credential.expires_on - opens).days} days "
                f"before your credential expires."
            )
        ]
    if today > closes:
        return [f"Renewal closed on {closes.day} {closes:%B %Y}. Apply for the credential again."]
    return []
