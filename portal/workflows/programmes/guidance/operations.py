"""Changes: a coordinator edits a programme's guide; a person acknowledges it, once. Audited; flush only."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.db import db
from portal.models.programme_guides import GuideAcknowledgement, ProgrammeGuide
from portal.models.programmes import Programme
from portal.models.users import User
from portal.workflows.audit import record
from portal.workflows.programmes.guidance import rules
from portal.workflows.programmes.guidance.queries import acknowledgement_of, guide_of
from portal.workflows.programmes.queries import is_coordinator
from portal.workflows.programmes.rules import ProgrammeError


def save_guide(programme: Programme, coordinator: User, texts: dict[str, str]) -> ProgrammeGuide:
    """Replace the programme’s guide with ``texts`` (one per section)."""
    if not is_coordinator(coordinator):
        raise ProgrammeError(_("Only a coordinator can change a programme's guide."))
    guide = guide_of(programme)
    if guide is None:
        guide = ProgrammeGuide(programme_id=programme.id)
        db.session.add(guide)
    for key in rules.SECTIONS:
        setattr(guide, key, texts[key].strip())
    guide.updated_by_id = coordinator.id
    db.session.flush()
    record(coordinator, programme, "update_guide")
    return guide


def acknowledge_guide(programme: Programme, user: User) -> GuideAcknowledgement:
    """Record that ``user`` has read the programme’s guide; a second acknowledgement changes nothing."""
    existing = acknowledgement_of(programme, user)
    if existing is not None:
        return existing
    acknowledgement = GuideAcknowledgement(programme_id=programme.id, user_id=user.id)
    db.session.add(acknowledgement)
    db.session.flush()
    record(user, programme, "acknowledge_guide", reason=f"Guide of {programme.name} read and acknowledged")
    return acknowledgement
