"""Administration operations: staff roles, the standard reasons reviewers pick from, the credentials list."""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.models.credentials import IssuedCredential
from portal.models.review import ReasonKind, StandardReason
from portal.models.users import Role, User
from portal.workflows.accounts import find_user
from portal.workflows.audit import record


class AdminRefused(ValueError):
    """The change is not allowed; the message says why."""


def staff() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role.in_([Role.REVIEWER, Role.ADMIN]))
                                   .order_by(User.role, User.full_name)))


def find_account(email: str) -> User | None:
    return find_user(email)


def set_role(user: User, role: Role, actor: User) -> None:
    """Promote an account to reviewer or return it to applicant. Admins are made on the command line."""
    if role not in (Role.APPLICANT, Role.REVIEWER):
        raise AdminRefused("Only the reviewer and applicant roles can be given here.")
    if user.role == Role.ADMIN:
        raise AdminRefused("An administrator's role cannot be changed here.")
    if user.role == role:
        return
    before = user.role
    user.role = role
    db.session.flush()
    record(actor, user, "role_changed", before.value, role.value)


def all_standard_reasons() -> list[StandardReason]:
    return list(db.session.scalars(select(StandardReason)
                                   .order_by(StandardReason.kind, StandardReason.is_active.desc(),
                                             StandardReason.title)))


def save_standard_reason(reason: StandardReason | None, data: dict[str, Any], actor: User) -> StandardReason:
    if reason is None:
        reason = StandardReason()
        db.session.add(reason)
    reason.kind = ReasonKind(data["kind"])
    reason.title, reason.text, reason.is_active = data["title"], data["text"], bool(data["is_active"])
    db.session.flush()
    record(actor, reason, "standard_reason_saved", reason=reason.title)
    return reason


def credentials_page(query: str, page: int, per_page: int = 50):
    statement = select(IssuedCredential).options(joinedload(IssuedCredential.holder)) \
        .order_by(IssuedCredential.issued_on.desc(), IssuedCredential.id.desc())
    query = (query or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(or_(IssuedCredential.number.ilike(like),
                                        IssuedCredential.holder_name.ilike(like)))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
