"""Administration operations: staff roles, the standard reasons reviewers pick from, the credentials list."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.enums import Role
from portal.models.credentials import IssuedCredential
from portal.models.review import StandardReason
from portal.models.users import User
from portal.workflows.accounts.queries import find_user


def staff() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role.in_([Role.REVIEWER, Role.ADMIN])).order_by(User.role, User.full_name)
        )
    )


def find_account(email: str) -> User | None:
    return find_user(email)


def all_standard_reasons() -> list[StandardReason]:
    return list(
        db.session.scalars(
            select(StandardReason).order_by(
                StandardReason.kind, StandardReason.is_active.desc(), StandardReason.title
            )
        )
    )


def credentials_page(query: str, page: int, per_page: int = 50):
    statement = (
        select(IssuedCredential)
        .options(joinedload(IssuedCredential.holder))
        .order_by(IssuedCredential.issued_on.desc(), IssuedCredential.id.desc())
    )
    query = (query or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(
            or_(IssuedCredential.number.ilike(like), IssuedCredential.holder_name.ilike(like))
        )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
