"""Administration operations: staff roles, the standard reasons reviewers pick from, the credentials list."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal.db import db
from portal.enums import ReasonKind, Role
from portal.models.review import StandardReason
from portal.models.users import User
from portal.workflows.audit import record
from portal.workflows.refusals import Refused


class AdminRefused(Refused):
    """The change is not allowed; the message says why."""


def set_role(user: User, role: Role, actor: User) -> None:
    """Promote an account to reviewer or return it to applicant. Admins are made on the command line."""
    if role not in (Role.APPLICANT, Role.REVIEWER):
        raise AdminRefused(_("Only the reviewer and applicant roles can be given here."))
    if user.role == Role.ADMIN:
        raise AdminRefused(_("An administrator's role cannot be changed here."))
    if user.role == role:
        return
    before = user.role
    user.role = role
    db.session.flush()
    record(actor, user, "role_changed", before.value, role.value)


def save_standard_reason(reason: StandardReason | None, data: dict[str, Any], actor: User) -> StandardReason:
    if reason is None:
        reason = StandardReason()
        db.session.add(reason)
    reason.kind = ReasonKind(data["kind"])
    reason.title, reason.text, reason.is_active = data["title"], data["text"], bool(data["is_active"])
    db.session.flush()
    record(actor, reason, "standard_reason_saved", reason=reason.title)
    return reason
