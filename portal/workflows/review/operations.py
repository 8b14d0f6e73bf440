"""Reviewing: the queue (filters, waiting time against the catalogue's target, assignment), conflicts of
interest, the reviewer's checklist and notes, and the decisions: approve, return for changes, reject."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.dates import day
from portal.db import db, utcnow
from portal.enums import ContactMethod, DisputeOutcome, DocumentPurpose, MembershipStatus, MessageRole
from portal.i18n import format_locale
from portal.models.applications import Application, Engagement
from portal.models.credentials import IssuedCredential
from portal.models.references import StaffVerification
from portal.models.review import ApplicationMessage, ReviewNote
from portal.models.users import User
from portal.notifications import send_email
from portal.workflows.applications.sections import sections_for
from portal.workflows.audit import record
from portal.workflows.credentials.operations import issue_credential
from portal.workflows.documents.operations import accept_upload
from portal.workflows.documents.rules import Upload, UploadRejected
from portal.workflows.engine import TransitionRefused, apply_transition
from portal.workflows.membership.operations import decide_claim
from portal.workflows.payments.operations import request_fee_difference
from portal.workflows.references.queries import standings
from portal.workflows.references.rules import dispute_problem
from portal.workflows.registry import catalogue
from portal.workflows.review.guards import is_last_approval
from portal.workflows.review.queries import accepted_by_hand_summary, letters_on_file, open_question
from portal.workflows.review.rules import (
    CLOCK_RUNNING,
    OPEN,
    UNDER_REVIEW,
    AssignmentRefused,
    clock_moved,
    conflicts,
    cross_check_summary,
    letter_acceptance_problem,
    paused_days,
    resumed_due,
)

# Texts kept on the timeline and on verifications are written in the house English, whoever acts.
HOUSE_ENGLISH = format_locale("en")


def assign(application: Application, reviewer: User, actor: User) -> None:
    """Give ``application`` to ``reviewer`` (oneself or another). Flushes, never commits."""
    _not_conflicted(application, actor)  # nor may anyone named on it hand it to someone
    if not (reviewer.is_reviewer and reviewer.is_active):
        raise AssignmentRefused([_("%(person)s is not a reviewer.", person=reviewer.full_name)])
    if application.state not in OPEN:
        raise AssignmentRefused(
            [
                _(
                    "%(reference)s is %(state)s: there is nothing left to review.",
                    reference=application.reference,
                    state=application.state.label.lower(),
                )
            ]
        )
    problems = conflicts(application, reviewer)
    if problems:
        raise AssignmentRefused(problems)
    if application.reviewer_id == reviewer.id:
        return
    application.reviewer_id, application.assigned_at = reviewer.id, utcnow()
    db.session.flush()
    record(actor, application, "assign", reason=f"Assigned to {reviewer.full_name}")


def assign_to(application: Application, reviewer_id: int | None, actor: User) -> None:
    """Assign to the reviewer with this id, or with None take the application off everyone's list."""
    if reviewer_id is None:
        unassign(application, actor)
        return
    reviewer = db.session.get(User, reviewer_id)
    if reviewer is None:
        raise AssignmentRefused([_("Choose a reviewer.")])
    assign(application, reviewer, actor)


def unassign(application: Application, actor: User) -> None:
    _not_conflicted(application, actor)
    if application.reviewer_id is None:
        return
    application.reviewer_id, application.assigned_at = None, None
    db.session.flush()
    record(actor, application, "unassign")


def save_notes(application: Application, notes: dict[str, str], actor: User) -> None:
    """Keep the reviewer's note on each checklist criterion; an emptied note is removed."""
    _not_conflicted(application, actor)
    existing = {
        note.criterion_key: note
        for note in db.session.scalars(select(ReviewNote).where(ReviewNote.application_id == application.id))
    }
    changed = False
    for key, text in notes.items():
        text = (text or "").strip()
        note = existing.get(key)
        if note is None and text:
            db.session.add(
                ReviewNote(
                    application_id=application.id, criterion_key=key[:60], text=text, author_id=actor.id
                )
            )
            changed = True
        elif note is not None and not text:
            db.session.delete(note)
            changed = True
        elif note is not None and note.text != text:
            note.text, note.author_id = text, actor.id
            changed = True
    if changed:
        db.session.flush()
        record(actor, application, "review_notes")


def confirm_prior_credential(application: Application, actor: User, note: str | None) -> None:
    """Record that a reviewer checked the declared prior credential with its issuer."""
    _not_conflicted(application, actor)
    if catalogue()[application.credential_code].prerequisite is None:
        raise TransitionRefused([_("This credential has no prerequisite to check.")])
    if application.state not in UNDER_REVIEW:
        raise TransitionRefused(
            [_("The prior credential can be checked only while the application is in review.")]
        )
    application.prerequisite_checked_at, application.prerequisite_checked_by_id = utcnow(), actor.id
    db.session.flush()
    record(
        actor,
        application,
        "prerequisite_checked",
        reason=(note or "").strip() or f"{application.prior_credential_number} checked with its issuer",
    )


def confirm_membership(application: Application, actor: User, reason: str) -> None:
    """A reviewer confirms by hand a membership the register could not verify (checked with the membership
    team, say), with the reason. Flushes, never commits."""
    _membership_decision_allowed(application, actor)
    decide_claim(application, MembershipStatus.CONFIRMED, actor, reason)


def mark_membership_false(application: Application, actor: User, reason: str) -> None:
    """A reviewer finds the claim to the member rate false: the applicant is asked, by email, for the
    difference to the non-member fee, and approval waits until it is paid. Flushes, never commits."""
    _membership_decision_allowed(application, actor)
    decide_claim(application, MembershipStatus.FALSE_CLAIM, actor, reason)
    request_fee_difference(application, actor, reason)


def _membership_decision_allowed(application: Application, actor: User) -> None:
    _not_conflicted(application, actor)
    if application.state not in UNDER_REVIEW:
        raise TransitionRefused(
            [_("A membership claim can be decided only while the application is in review.")]
        )


def resolve_dispute(
    application: Application, engagement: Engagement, outcome: DisputeOutcome, reason: str, actor: User
) -> None:
    """A reviewer accepts a disputed engagement (it counts again) or excludes it (it never counts), with a
    written reason kept on the timeline. Flushes, never commits."""
    _not_conflicted(application, actor)
    if application.state not in UNDER_REVIEW:
        raise TransitionRefused(
            [_("A disputed engagement can be resolved only while the application is in review.")]
        )
    problem = dispute_problem(standings(application).get(engagement.id), outcome, reason)
    if problem:
        raise TransitionRefused([problem])
    engagement.dispute_outcome, engagement.dispute_reason = outcome, reason.strip()
    engagement.dispute_resolved_at, engagement.dispute_resolved_by_id = utcnow(), actor.id
    db.session.flush()
    record(
        actor,
        application,
        f"dispute_{outcome.value}",
        reason=f"{engagement.mentee_name}: {reason.strip()}",
    )


def record_verification(application: Application, engagement: Engagement, data: dict, actor: User) -> None:
    """Record a verification contact made by staff (whom, how, when, the outcome); one that confirmed the
    engagement counts as a confirmed reference. Flushes, never commits."""
    _not_conflicted(application, actor)
    if application.state not in UNDER_REVIEW:
        raise TransitionRefused(
            [_("A verification can be recorded only while the application is in review.")]
        )
    if data["contacted_on"] > utcnow().date():
        raise TransitionRefused(fields={"contacted_on": _("The contact cannot be in the future.")})
    verification = _verification(
        application, engagement, actor, **{**data, "method": ContactMethod(data["method"])}
    )
    outcome = "confirmed" if verification.confirmed else "did not confirm"
    with force_locale(HOUSE_ENGLISH):  # the timeline keeps it in English, whoever records it
        contacted_on = day(verification.contacted_on)
    record(
        actor,
        application,
        "reference_verified_by_staff",
        reason=(
            f"{engagement.mentee_name}: {verification.contact_name}, {verification.method.label.lower()} on "
            f"{contacted_on}, {outcome}. {verification.note}"
        ),
    )


def _verification(
    application: Application, engagement: Engagement, actor: User, **fields
) -> StaffVerification:
    verification = StaffVerification(
        application_id=application.id, engagement_id=engagement.id, recorded_by_id=actor.id, **fields
    )
    db.session.add(verification)
    db.session.flush()
    return verification


def accept_letter(
    application: Application,
    engagement: Engagement,
    document_id: int | None,
    note: str,
    reason: str | None,
    actor: User,
) -> None:
    """A reviewer accepts the referee's uploaded letter or saved email about ``engagement`` after checking it,
    with the document worker's cross-check beside it: it counts as a confirmed reference, verified by the
    reviewer from the letter. A letter the portal could not read, or whose cross-check did not pass, needs a
    reason. Flushes, never commits."""
    _not_conflicted(application, actor)
    if application.state not in CLOCK_RUNNING:
        raise TransitionRefused([_("A letter can be accepted only while the application is in review.")])
    letter = next(
        (
            found
            for found in letters_on_file(application)
            if found.engagement.id == engagement.id and found.document.id == document_id
        ),
        None,
    )
    if letter is None:
        raise TransitionRefused([_("That document is not a referee's letter about this engagement.")])
    if letter.accepted is not None:
        raise TransitionRefused([_("This letter has already been accepted.")])
    if problem := letter_acceptance_problem(letter.document.status, letter.outcomes, reason):
        raise TransitionRefused(fields={"reason": problem})
    with force_locale(
        HOUSE_ENGLISH
    ):  # kept in English on the verification and the timeline, shown translated
        cross_check = cross_check_summary(letter.document.status, letter.outcomes)
    reason = (reason or "").strip()
    note = note.strip() + (f" Accepted although the cross-check did not pass: {reason}" if reason else "")
    signer = (letter.document.facts or {}).get("signer") or engagement.referee_name or "The referee"
    _verification(
        application,
        engagement,
        actor,
        contact_name=str(signer)[:200],
        method=ContactMethod.LETTER,
        contacted_on=utcnow().date(),
        confirmed=True,
        note=note,
        document_id=letter.document.id,
        cross_check=cross_check,
    )
    record(
        actor,
        application,
        "reference_verified_from_letter",
        reason=f"{engagement.mentee_name}: “{letter.document.original_name}” ({cross_check}). {note}",
    )


def _not_conflicted(application: Application, actor: User) -> None:
    problems = conflicts(application, actor)
    if problems:
        raise TransitionRefused(problems)


def approve(application: Application, actor: User) -> IssuedCredential | None:
    """Approve. The last approval the catalogue asks for issues the credential and returns it; an earlier one
    is recorded with what its reviewer accepted by hand, and the application waits for a different reviewer
    (None). Flushes, never commits. (Conflicts of interest, and who may second, are guards.)"""
    if not is_last_approval(application):
        with force_locale(HOUSE_ENGLISH):  # the audit entry is kept in English, whoever approves
            accepted = accepted_by_hand_summary(application)
        apply_transition(application, "approve_first", actor, accepted)
        return None
    apply_transition(application, "approve", actor)
    return issue_credential(application, actor)


def return_for_changes(application: Application, actor: User, sections: list[str], reason: str) -> None:
    """Reopen ``sections`` and send the application back with what to fix."""
    known = [view.section.key for view in sections_for(application)]
    unknown = [key for key in sections if key not in known]
    if unknown:
        raise TransitionRefused(
            [_("There is no section “%(key)s” in this application.", key=key) for key in unknown]
        )
    application.reopened_sections = [key for key in known if key in sections]
    apply_transition(application, "return", actor, reason)


def reject(application: Application, actor: User, reason: str) -> None:
    apply_transition(application, "reject", actor, reason)


def resume_review(application: Application, actor: User) -> None:
    apply_transition(application, "resume_review", actor)


# --- Questions: the thread between a reviewer and the applicant ------------------------------------------


def ask_question(
    application: Application, actor: User, body: str, attachment: Upload | None = None
) -> ApplicationMessage:
    """A reviewer asks the applicant for more information without returning the application: it waits for
    the answer (state "information requested") and the review clock stands still meanwhile. The question is
    the audit entry's reason and the applicant's email. Flushes, never commits."""
    body = _message_text(body, _("Write your question."))
    apply_transition(application, "request_information", actor, body, clock_paused_at=utcnow())
    return _post(application, actor, MessageRole.REVIEWER, body, attachment)


def answer_question(
    application: Application, actor: User, body: str, attachment: Upload | None = None
) -> ApplicationMessage:
    """The applicant answers the open question: the review clock runs again, the expected decision date
    later by the days it stood still, and the reviewer who asked is emailed. Flushes, never commits."""
    body = _message_text(body, _("Write your answer."))
    question = open_question(application)
    _resume_clock(application, actor, "answer_information", None)
    answer = _post(application, actor, MessageRole.APPLICANT, body, attachment)
    if question is not None:
        question.closed_at = answer.created_at
        reviewer = question.author if question.author and question.author.is_active else application.reviewer
        if reviewer is not None:
            send_email(
                "information_answered",
                reviewer.email,
                related=application,
                application=application,
                reviewer=reviewer,
                answer=answer,
                attachments=[document.original_name for document in answer.attachments],
            )
    return answer


def close_question(application: Application, actor: User, reason: str) -> None:
    """A reviewer stops waiting for an answer (it came another way, or is no longer needed): the application
    is back in review, its clock running again. Flushes, never commits."""
    reason = _message_text(reason, _("Say why you no longer need an answer."), field="reason")
    question = open_question(application)
    _resume_clock(application, actor, "close_question", reason)
    if question is not None:
        question.closed_at = utcnow()


def _message_text(text: str | None, problem: str, field: str = "body") -> str:
    text = (text or "").strip()
    if not text:
        raise TransitionRefused(fields={field: problem})
    return text


def _resume_clock(application: Application, actor: User, action: str, reason: str | None) -> None:
    """Move the application back into review with its clock running: the days it stood still are added to
    the expected decision date (and kept, so the days waited leave them out); the audit entry says so."""
    now = utcnow()
    paused_at = application.clock_paused_at or now
    days = paused_days(paused_at, now)
    values = {"clock_paused_at": None, "clock_paused_days": (application.clock_paused_days or 0) + days}
    if application.review_due_at is not None:
        values["review_due_at"] = resumed_due(application.review_due_at, paused_at, now)
        with force_locale(HOUSE_ENGLISH):  # kept in English on the timeline, shown in the reader's language
            moved = clock_moved(days, values["review_due_at"])
        reason = f"{reason}\n\n{moved}" if reason else moved
    apply_transition(application, action, actor, reason, **values)


def _post(
    application: Application, actor: User, role: MessageRole, body: str, attachment: Upload | None
) -> ApplicationMessage:
    message = ApplicationMessage(application_id=application.id, author_id=actor.id, role=role, body=body)
    db.session.add(message)
    db.session.flush()
    if attachment is not None:
        try:
            document = accept_upload(
                application, attachment.stream, attachment.filename, DocumentPurpose.MESSAGE_ATTACHMENT, actor
            )
        except UploadRejected as rejected:
            raise TransitionRefused(fields={"attachment": str(rejected)}) from rejected
        document.message_id = message.id
        db.session.flush()
        db.session.refresh(message, ["attachments"])
    return message
