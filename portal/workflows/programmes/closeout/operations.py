"""Recording the close-out at the final checkpoint. Audited; flush only."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from portal.db import db
from portal.enums import CertificationReadiness, GoalProgress
from portal.models.closeouts import Closeout
from portal.models.programmes import Pairing
from portal.models.users import User
from portal.workflows.audit import record
from portal.workflows.programmes.closeout import rules
from portal.workflows.programmes.closeout.queries import closeout_of, closeout_open, final_checkpoint
from portal.workflows.programmes.operations import complete_checkpoint
from portal.workflows.programmes.rules import ProblemsFound, ProgrammeError


def record_closeout(
    pairing: Pairing,
    actor: User,
    outcomes: Sequence[rules.GoalOutcome],
    next_steps: str,
    readiness: str | None,
) -> Closeout:
    """Either member records (or changes) where each goal ended up, the protégé's next steps and readiness for
    the next certification; the final checkpoint is then done."""
    if pairing.role_of(actor) is None:
        raise ProgrammeError(_("Only the members of this pairing can do that."))
    if not closeout_open(pairing):
        raise ProgrammeError(
            _("The close-out is recorded at the final checkpoint, while the pairing is active.")
        )
    positions = [goal.position for goal in pairing.goals]
    if problems := rules.closeout_problems(positions, outcomes, next_steps, readiness):
        raise ProblemsFound(problems)
    closeout = closeout_of(pairing)
    changed = closeout is not None
    if closeout is None:
        closeout = Closeout(pairing_id=pairing.id)
        db.session.add(closeout)
    closeout.goal_outcomes = {
        str(o.position): {"progress": GoalProgress(o.progress).value, "comment": o.comment.strip()}
        for o in outcomes
        if o.position in positions
    }
    closeout.next_steps = next_steps.strip()
    closeout.readiness = CertificationReadiness(readiness)
    closeout.recorded_by_id = actor.id
    db.session.flush()
    record(
        actor,
        pairing,
        "close_out",
        reason=("Changed: " if changed else "") + CertificationReadiness(readiness).label,
    )
    final = final_checkpoint(pairing)
    if final is not None and final.completed_on is None:
        complete_checkpoint(pairing, final, actor)
    return closeout
