"""Reviewing: the queue (filters, waiting time against the catalogue's target, assignment), conflicts of
interest, the reviewer's checklist and notes, and the decisions: approve, return for changes, reject."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, bindparam, exists, func, select, tuple_
from sqlalchemy.orm import aliased, selectinload

from portal.dates import day
from portal.db import db, parse_id, utcnow
from portal.enums import (
    ApplicationKind,
    ApplicationState,
    CentreStatus,
    ContactMethod,
    DocumentStatus,
    MembershipStatus,
    MessageRole,
    ReasonKind,
    Role,
)
from portal.models.applications import Application, Engagement, TrainingRecord, application_reference
from portal.models.audit import AuditEntry
from portal.models.documents import Document
from portal.models.members import MembershipCheck
from portal.models.references import StaffVerification
from portal.models.review import ApplicationMessage, ReviewNote, StandardReason
from portal.models.users import User
from portal.spreadsheets import csv_text
from portal.workflows.applications.eligibility import assess
from portal.workflows.applications.sections import sections_for
from portal.workflows.audit import staff_timeline
from portal.workflows.engine import TransitionRefused, allowed_actions
from portal.workflows.membership.queries import check_of
from portal.workflows.references.queries import references_for, trust_for
from portal.workflows.registry import catalogue
from portal.workflows.review import guards as approval
from portal.workflows.review.rules import (
    CLOCK_PAUSED,
    CLOCK_RUNNING,
    QueueFilters,
    ReviewClock,
    _states,
    clock,
    conflicts,
    cross_check_passed,
    cross_check_shown,
    cross_check_summary,
    reason_shown,
)


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One application as a queue row shows it: read as plain columns, not as a loaded application with its
    accounts and training records, which made up most of the page's time."""

    id: int
    credential_code: str
    kind: ApplicationKind
    state: ApplicationState
    name: str
    submitted_at: datetime | None
    paid_at: datetime | None
    review_due_at: datetime | None
    decided_at: datetime | None
    reviewer_id: int | None
    reviewer_name: str | None
    clock_paused_at: datetime | None
    clock_paused_days: int
    waiting_since: datetime | None = None  # what the queue is ordered by (with the id)
    centres: tuple[CentreStatus, ...] = ()  # of its training, in the order declared

    @property
    def reference(self) -> str:
        return application_reference(self.credential_code, self.id)

    @property
    def is_renewal(self) -> bool:
        return self.kind == ApplicationKind.RENEWAL


@dataclass(frozen=True)
class QueueCounts:
    """What a reviewer sees first on the queue: the work that is theirs, the work that is late, and the
    applications waiting for an applicant's answer (their clock stands still)."""

    assigned_to_me: int
    overdue: int
    waiting_for_applicant: int = 0
    awaiting_second_review: int = 0


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, read by keyset: the rows after (or before) a position in the queue's order,
    named by the cursor of a row, so that a page link shows the same next rows whatever was assigned,
    decided or submitted meanwhile, and costs the same on the first page and the thousandth."""

    items: list[QueueRow]
    per_page: int
    total: int
    next_cursor: str | None  # the cursor of this page's last row, when rows follow it
    prev_cursor: str | None  # the cursor of this page's first row, when rows come before it
    counts: QueueCounts = QueueCounts(0, 0)  # the reviewer's own counts, read with the total

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None


def cursor_of(row: QueueRow) -> str:
    """A row's place in the queue's order, as a page link carries it: its waiting time and its id."""
    since = row.waiting_since
    return f"{(since - _EPOCH) // timedelta(microseconds=1)}.{row.id}" if since else f"-.{row.id}"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    """The (waiting since, id) of a cursor from a link, or None for one that is no cursor."""
    micros, _, row_id = (value or "").partition(".")
    if not (micros.isdigit() and row_id.isdigit()) or len(micros) > 18 or len(row_id) > 18:
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(micros)), int(row_id)
    except OverflowError:
        return None


def _filtered(query: Select, filters: QueueFilters) -> Select:
    """``query`` narrowed to ``filters``; the viewer's id and the time are the parameters ``viewer_id`` and
    ``now``, so that the statement is made once for every reviewer and every moment."""
    query = query.where(Application.state.in_(_states(filters.state)))
    if filters.credential:
        query = query.where(Application.credential_code == filters.credential)
    if filters.centre_status:
        try:
            status = CentreStatus(filters.centre_status)
        except ValueError:
            status = None
        if status is not None:
            query = query.where(
                exists().where(
                    TrainingRecord.application_id == Application.id, TrainingRecord.centre_status == status
                )
            )
    if filters.reviewer == "me":
        query = query.where(Application.reviewer_id == bindparam("viewer_id"))
    elif filters.reviewer == "none":
        query = query.where(Application.reviewer_id.is_(None))
    elif (reviewer_id := parse_id(filters.reviewer)) is not None:
        query = query.where(Application.reviewer_id == reviewer_id)
    if filters.overdue:
        query = query.where(
            Application.state.in_(CLOCK_RUNNING), Application.review_due_at < bindparam("now")
        )
    return query


# Made once: building an alias costs more than the rest of the queue's query put together.
_APPLICANT, _REVIEWER = aliased(User, name="applicant"), aliased(User, name="reviewer")


def _centres_of_each_row():
    # Each row's centre statuses in the order its training was declared, as one string, read with the row
    # itself: a second statement for the page's training records cost a round trip and a list of ids.
    declared = (
        select(TrainingRecord.centre_status.label("status"))
        .where(TrainingRecord.application_id == Application.id)
        .order_by(TrainingRecord.id)
        .correlate(Application)
        .subquery("declared")
    )
    return select(func.aggregate_strings(declared.c.status, " ")).scalar_subquery()


_CENTRES = _centres_of_each_row()


def _waiting_since(filters: QueueFilters):
    if set(_states(filters.state)) <= set(CLOCK_RUNNING):
        # Only a payment starts the clock, so here paid_at is the waiting time itself, and ordering by the
        # bare column lets ix_applications_clock_running serve the page without sorting every row.
        return Application.paid_at
    return func.coalesce(Application.paid_at, Application.submitted_at, Application.created_at)


def queue_select(
    filters: QueueFilters,
    viewer: User,
    now: datetime | None = None,
    *,
    after: tuple[datetime, int] | None = None,
    before: tuple[datetime, int] | None = None,
) -> Select:
    """The filtered queue, longest waiting first (or newest first), as the columns of :class:`QueueRow`:
    the rows after the cursor ``after`` in that order, or the rows before ``before`` read backwards."""
    cursor = before if before is not None else after
    return _queue_statement(filters, before is not None, cursor is not None).params(
        _parameters(viewer, now or utcnow(), cursor)
    )


def _parameters(viewer: User, now: datetime, cursor: tuple[datetime, int] | None) -> dict:
    since, row_id = cursor or (None, None)
    return {"viewer_id": viewer.id, "now": now, "since": since, "row_id": row_id}


# The queue's statements as made for each set of filters and way of reading, with the reviewer, the time and
# the cursor as parameters: making one cost about as much as running it.
_statements: dict[tuple, Select] = {}
_STATEMENTS_KEPT = 256


def _queue_statement(
    filters: QueueFilters, backwards: bool, from_cursor: bool, paged: bool = False
) -> Select:
    """The queue's statement for ``filters``; ``paged``, it reads as many rows as the parameter ``limit``."""
    key = (filters, backwards, from_cursor, paged)
    statement = _statements.get(key)
    if statement is None:
        if len(_statements) >= _STATEMENTS_KEPT:
            _statements.clear()
        statement = _make_queue_statement(filters, backwards, from_cursor)
        statement = _statements[key] = statement.limit(bindparam("limit")) if paged else statement
    return statement


def _make_queue_statement(filters: QueueFilters, backwards: bool, from_cursor: bool) -> Select:
    applicant, reviewer = _APPLICANT, _REVIEWER
    waiting_since = _waiting_since(filters)
    query = _filtered(
        select(
            Application.id,
            Application.credential_code,
            Application.kind,
            Application.state,
            func.coalesce(func.nullif(Application.full_name, ""), applicant.full_name),
            Application.submitted_at,
            Application.paid_at,
            Application.review_due_at,
            Application.decided_at,
            Application.reviewer_id,
            reviewer.full_name,
            Application.clock_paused_at,
            Application.clock_paused_days,
            waiting_since,
            _CENTRES,
        )
        .join(applicant, applicant.id == Application.applicant_id)
        .outerjoin(reviewer, reviewer.id == Application.reviewer_id),
        filters,
    )
    key = tuple_(waiting_since, Application.id)
    # The queue's own direction is oldest first, or newest first; read backwards from a cursor, the caller
    # puts the rows back in order.
    forwards = (filters.sort != "newest") != backwards
    if from_cursor:
        cursor = tuple_(
            bindparam("since", type_=Application.paid_at.type), bindparam("row_id", type_=Application.id.type)
        )
        query = query.where(key > cursor if forwards else key < cursor)
    if forwards:
        return query.order_by(waiting_since.asc(), Application.id.asc())
    return query.order_by(waiting_since.desc(), Application.id.desc())


def _rows(query: Select, parameters: dict | None = None) -> list[QueueRow]:
    """The rows of ``query`` (:func:`queue_select`), each with the distinct centre statuses of its training."""
    return [
        QueueRow(
            *row[:-1], centres=tuple(dict.fromkeys(map(CentreStatus, row[-1].split()))) if row[-1] else ()
        )
        for row in db.session.execute(query, parameters)
    ]


def queue_page(
    filters: QueueFilters, viewer: User, per_page: int, after: str | None = None, before: str | None = None
) -> QueuePage:
    """One page of the queue: the rows after the cursor ``after`` (or before ``before``; the first page when
    neither is given or the cursor is no cursor), the count of every row the filters match and the
    reviewer's own counts."""
    now = utcnow()
    per_page = min(max(per_page, 1), 100)
    total, counts = _counts(filters, viewer, now)
    backwards = parse_cursor(before) if after is None else None
    forwards = parse_cursor(after)
    # One row more than the page: whether another page lies beyond it, without counting.
    cursor = backwards if backwards is not None else forwards
    query = _queue_statement(filters, backwards is not None, cursor is not None, paged=True)
    items = _rows(query, {**_parameters(viewer, now, cursor), "limit": per_page + 1})
    more = len(items) > per_page
    items = items[:per_page]
    if backwards is not None:
        if not more:  # back at the start of the queue: the first page, full, as its own link shows it
            return queue_page(filters, viewer, per_page)
        items.reverse()
        return QueuePage(items, per_page, total, cursor_of(items[-1]), cursor_of(items[0]), counts)
    return QueuePage(
        items,
        per_page,
        total,
        cursor_of(items[-1]) if more else None,
        cursor_of(items[0]) if forwards is not None and items else None,
        counts,
    )


def _count(*where) -> Select:
    return select(func.count()).select_from(Application).where(*where).scalar_subquery()


def _counts_statement() -> Select:
    # Made once, with the reviewer and the time as parameters: building it anew cost as much as running it.
    # The running applications are counted in one pass over ix_applications_running_counts (which holds the
    # reviewer and the due date of each), where three counts read 17,000 index entries at 100,000
    # applications; the paused and second-review counts are index lookups of a few rows.
    running = (
        select(
            func.count().label("running"),
            func.count().filter(Application.reviewer_id == bindparam("viewer_id")).label("mine"),
            func.count().filter(Application.review_due_at < bindparam("now")).label("late"),
        )
        .where(Application.state.in_(CLOCK_RUNNING))
        .subquery("running")
    )
    return select(
        running.c.running,
        running.c.mine,
        running.c.late,
        _count(Application.state.in_(CLOCK_PAUSED)),
        _count(Application.state == ApplicationState.AWAITING_SECOND_REVIEW),
    )


_COUNTS = _counts_statement()
_UNFILTERED = QueueFilters()


def _counts(filters: QueueFilters, viewer: User, now: datetime) -> tuple[int, QueueCounts]:
    """How many rows the filters match, and the reviewer's counts, in one statement. The queue's default
    view is the running applications, already counted; any other view adds a count of its own."""
    default_view = replace(filters, sort=_UNFILTERED.sort) == _UNFILTERED
    statement = _COUNTS
    if not default_view:
        statement = statement.add_columns(
            _filtered(select(func.count()).select_from(Application), filters).scalar_subquery()
        )
    running, mine, late, waiting, second, *total = db.session.execute(
        statement, {"viewer_id": viewer.id, "now": now}
    ).one()
    return (total[0] if total else running) or 0, QueueCounts(mine or 0, late or 0, waiting or 0, second or 0)


def queue_all(filters: QueueFilters, viewer: User) -> list[QueueRow]:
    return _rows(queue_select(filters, viewer))


def queue_csv(filters: QueueFilters, viewer: User) -> str:
    """The filtered queue, every page of it, as CSV."""

    rows = []
    for application in queue_all(filters, viewer):
        timing = clock(application)
        rows.append(
            [
                application.reference,
                application.credential_code,
                application.kind,
                application.state,
                application.name,
                " ".join(sorted(status.value for status in application.centres)),
                application.submitted_at,
                application.paid_at,
                timing.waited_days if timing.started_at else "",
                timing.target_weeks or "",
                application.review_due_at,
                "yes" if timing.overdue else "no",
                application.reviewer_name or "",
            ]
        )
    return csv_text(
        [
            "reference",
            "credential",
            "kind",
            "state",
            "applicant",
            "centre_statuses",
            "submitted_at",
            "paid_at",
            "days_waited",
            "target_weeks",
            "review_due_at",
            "overdue",
            "reviewer",
        ],
        rows,
    )


def reviewers() -> list[User]:
    """Every active reviewer and administrator, by name."""

    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([Role.REVIEWER, Role.ADMIN]), User.is_active_account.is_(True))
            .order_by(User.full_name)
        )
    )


def reviewer_names() -> list:
    """The same people as :func:`reviewers`, as (id, full_name) rows: all the queue shows of them."""
    return list(
        db.session.execute(
            select(User.id, User.full_name)
            .where(User.role.in_([Role.REVIEWER, Role.ADMIN]), User.is_active_account.is_(True))
            .order_by(User.full_name)
        )
    )


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    met: bool
    required: str | None = None
    actual: str | None = None
    detail: str | None = None
    note: str | None = None


def _guard_items(application: Application) -> list[tuple[str, str, list[str]]]:
    rules = catalogue()[application.credential_code]
    items = [("fee_paid", _("Fee paid"), approval.fee_paid(application))]
    if application.is_member:
        items.append(("membership", _("Membership verified"), approval.membership_settled(application)))
    if not application.is_renewal:
        items.append(
            (
                "disputes_resolved",
                _("Every disputed engagement accepted or excluded"),
                approval.disputes_resolved(application),
            )
        )
        items.append(
            (
                "references_confirmed",
                ngettext(
                    "%(num)d reference confirmed by referees",
                    "%(num)d references confirmed by referees",
                    rules.references,
                ),
                approval.references_confirmed(application),
            )
        )
    if rules.supervisor_declaration_required and not application.is_renewal:
        items.append(
            (
                "supervisor_confirmed",
                _("The supervisor's declaration confirmed by the supervisor"),
                approval.supervisor_confirmed(application),
            )
        )
    if application.is_renewal:
        items.append(
            (
                "supervision_confirmed",
                _("Each year's supervision sessions confirmed by the supervisor"),
                approval.supervision_confirmed(application),
            )
        )
    items.append(
        (
            "documents_settled",
            _("Every document read or checked by hand"),
            approval.documents_settled(application),
        )
    )
    if rules.prerequisite and not application.is_renewal:
        items.append(
            (
                "prerequisite_held",
                _(
                    "%(code)s held for a full cycle (issued by the portal or checked)",
                    code=rules.prerequisite.credential,
                ),
                approval.prerequisite_held(application),
            )
        )
    return items


def checklist(application: Application) -> list[ChecklistItem]:
    """The catalogue's criteria and the approval guards, each met or not, with the reviewer's note."""
    notes = notes_for(application)
    items = [
        ChecklistItem(c.key, c.label, c.met, c.required, c.actual, c.detail, notes.get(c.key))
        for c in assess(application).criteria
    ]
    items += [
        ChecklistItem(
            key,
            label,
            not problems,
            actual=_membership_standing(application) if key == "membership" else None,
            detail=" ".join(problems) or None,
            note=notes.get(key),
        )
        for key, label, problems in _guard_items(application)
    ]
    return items


def _membership_standing(application: Application) -> str | None:
    """How the membership line was met: "Verified automatically: number, valid until …; the email matches"."""
    check = check_of(application)
    if check is None:
        return None
    standing = _(
        "%(status)s: %(detail)s", status=check.status.label, detail=check.decision_reason or check.detail
    )
    if application.fee_difference is not None and application.fee_difference.is_paid:
        paid = _("Fee difference paid on %(day)s.", day=day(application.fee_difference.received_on))
        standing = f"{standing} {paid}"
    return standing


def notes_for(application: Application) -> dict[str, str]:
    return {
        note.criterion_key: note.text
        for note in db.session.scalars(select(ReviewNote).where(ReviewNote.application_id == application.id))
    }


def standard_reasons(kind: ReasonKind) -> list[StandardReason]:
    return list(
        db.session.scalars(
            select(StandardReason)
            .where(StandardReason.kind == kind, StandardReason.is_active.is_(True))
            .order_by(StandardReason.title)
        )
    )


def compose_reason(kind: ReasonKind, standard_id: int | None, own_words: str | None) -> str:
    """The reason the applicant reads: the chosen standard wording, then the reviewer's own words."""
    parts = []
    if standard_id:
        standard = db.session.get(StandardReason, standard_id)
        if standard is None or standard.kind != kind or not standard.is_active:
            raise TransitionRefused([_("Choose one of the standard reasons listed.")])
        parts.append(standard.text.strip())
    if own_words and own_words.strip():
        parts.append(own_words.strip())
    return "\n\n".join(parts)


@dataclass(frozen=True)
class ReviewSheet:
    """Everything the review page shows about one application, for one reviewer."""

    checklist: list[ChecklistItem]
    notes: dict[str, str]
    documents: list
    references: list
    entries: list
    clock: ReviewClock
    actions: set[str]
    conflicts: list[str]
    reviewers: list[User]
    options: tuple[list[tuple[str, str]], dict[ReasonKind, list[StandardReason]]]
    accepted_by_hand: list[str]
    approval: ApprovalStep
    membership: MembershipCheck | None = None

    @property
    def met_count(self) -> int:
        return sum(1 for item in self.checklist if item.met)

    @property
    def unmet(self) -> list[ChecklistItem]:
        return [item for item in self.checklist if not item.met]


def accepted_by_hand(application: Application, documents: list[Document], references: list) -> list[str]:
    """What approving would accept on a person's word rather than the portal's own checks, in sentences: the
    approval confirmation lists them so the reviewer sees what they are vouching for."""
    accepted = [
        _("“%(file)s” was checked by hand, not read by the portal.", file=document.original_name)
        for document in documents
        if document.status == DocumentStatus.CHECKED_BY_HAND
    ]
    if application.prerequisite_checked_at is not None:
        accepted.append(_("The prior credential was checked with its issuer by a reviewer."))
    membership = check_of(application) if application.is_member else None
    if membership is not None and membership.status == MembershipStatus.CONFIRMED:
        accepted.append(_("The membership was confirmed by a reviewer, not matched in the member register."))
    for reference in references:
        if reference.is_current and reference.status.is_confirmation:
            trust = trust_for(reference)
            if trust.signals:
                accepted.append(
                    _(
                        "%(referee)s's reference has warning signs: %(signs)s",
                        referee=reference.referee_name,
                        signs=" ".join(signal.reason for signal in trust.signals),
                    )
                )
    for verification in db.session.scalars(
        select(StaffVerification).where(
            StaffVerification.application_id == application.id,
            StaffVerification.method == ContactMethod.LETTER,
        )
    ):
        accepted.append(
            _(
                "“%(file)s” was accepted by a reviewer as verifying an engagement (cross-check: %(cross_check)s).",
                file=verification.document.original_name if verification.document else _("A letter"),
                cross_check=cross_check_shown(verification.cross_check),
            )
        )
    return accepted


def accepted_by_hand_summary(application: Application) -> str:
    """What an approval accepts by hand, as one text for its audit entry."""
    documents = list(db.session.scalars(select(Document).where(Document.application_id == application.id)))
    lines = accepted_by_hand(application, documents, references_for(application))
    if not lines:
        return _("Nothing was accepted by hand: every document was read and every check made by the portal.")
    return _("Accepted by hand: %(lines)s", lines=" ".join(lines))


@dataclass(frozen=True)
class ApprovalStep:
    """Where an application stands among the approvals its credential needs, for one reviewer."""

    required: int
    first: AuditEntry | None  # the approval waiting to be seconded: who gave it, when, what they accepted
    is_last: bool  # approving now issues the credential
    mine: bool  # the viewer gave the first approval, so cannot give the second


def approval_step(application: Application, viewer: User) -> ApprovalStep:
    first = approval.first_approval(application)
    return ApprovalStep(
        required=catalogue()[application.credential_code].approvals_required,
        first=first,
        is_last=approval.is_last_approval(application),
        mine=first is not None and first.actor_id == viewer.id,
    )


@dataclass(frozen=True)
class LetterOnFile:
    """A referee's letter or saved email about one engagement (uploaded by the applicant or by the referee),
    with what the document worker's cross-check made of it and, once accepted, the reviewer's acceptance."""

    engagement: Engagement
    document: Document
    cross_check: str
    passed: bool
    accepted: StaffVerification | None

    @property
    def outcomes(self) -> list[str]:
        return outcomes_of(self.document)


def outcomes_of(document: Document) -> list[str]:
    return [str(check.get("outcome")) for check in document.checks or []]


def letters_on_file(application: Application) -> list[LetterOnFile]:
    """Every letter about one of the application's engagements, in the order of the engagements."""
    accepted = {
        verification.document_id: verification
        for verification in db.session.scalars(
            select(StaffVerification).where(
                StaffVerification.application_id == application.id, StaffVerification.document_id.is_not(None)
            )
        )
    }
    by_engagement: dict[int, list[Document]] = {}
    for engagement in application.engagements:
        if engagement.letter is not None:
            by_engagement.setdefault(engagement.id, []).append(engagement.letter)
    for reference in references_for(application):
        if reference.letter is not None and reference.letter not in by_engagement.get(
            reference.engagement_id, []
        ):
            by_engagement.setdefault(reference.engagement_id, []).append(reference.letter)
    return [
        LetterOnFile(
            engagement,
            document,
            cross_check_summary(document.status, outcomes_of(document)),
            cross_check_passed(document.status, outcomes_of(document)),
            accepted.get(document.id),
        )
        for engagement in application.engagements
        for document in by_engagement.get(engagement.id, [])
    ]


@dataclass(frozen=True)
class QueuePlace:
    """Where one application stands in the reviewer's queue: its neighbours, for next and previous."""

    position: int | None
    total: int
    previous_id: int | None
    next_id: int | None


def queue_place(application_id: int, filters: QueueFilters, viewer: User) -> QueuePlace:
    """The applications either side of ``application_id`` in the queue as ``filters`` show it."""
    ids = list(db.session.scalars(queue_select(filters, viewer).with_only_columns(Application.id)))
    if application_id not in ids:
        return QueuePlace(None, len(ids), None, ids[0] if ids else None)
    at = ids.index(application_id)
    return QueuePlace(
        at + 1,
        len(ids),
        ids[at - 1] if at > 0 else None,
        ids[at + 1] if at + 1 < len(ids) else None,
    )


def decision_options(application: Application) -> tuple[list[tuple[str, str]], dict[ReasonKind, list]]:
    """What a return may reopen, as (key, title), and the standard reasons offered for each decision."""

    return (
        [(view.section.key, view.section.title) for view in sections_for(application)],
        {kind: standard_reasons(kind) for kind in ReasonKind},
    )


def review_sheet(application: Application, viewer: User) -> ReviewSheet:

    documents = list(
        db.session.scalars(
            select(Document).where(Document.application_id == application.id).order_by(Document.id)
        )
    )
    references = references_for(application)
    return ReviewSheet(
        checklist=checklist(application),
        notes=notes_for(application),
        documents=documents,
        references=references,
        entries=[
            replace(entry, reason=reason_shown(entry.reason))
            for entry in staff_timeline(application, documents)
        ],
        clock=clock(application),
        actions={transition.action for transition in allowed_actions(application, viewer)},
        conflicts=conflicts(application, viewer),
        reviewers=reviewers(),
        options=decision_options(application),
        accepted_by_hand=accepted_by_hand(application, documents, references),
        approval=approval_step(application, viewer),
        membership=check_of(application) if application.is_member else None,
    )


def thread(application: Application) -> list[ApplicationMessage]:
    """The questions and answers about ``application``, oldest first, with their attachments."""
    return list(
        db.session.scalars(
            select(ApplicationMessage)
            .where(ApplicationMessage.application_id == application.id)
            .options(selectinload(ApplicationMessage.attachments), selectinload(ApplicationMessage.author))
            .order_by(ApplicationMessage.created_at, ApplicationMessage.id)
        )
    )


def open_question(application: Application) -> ApplicationMessage | None:
    """The reviewer's question the applicant still owes an answer to, if any."""
    return db.session.scalar(
        select(ApplicationMessage)
        .where(
            ApplicationMessage.application_id == application.id,
            ApplicationMessage.role == MessageRole.REVIEWER,
            ApplicationMessage.closed_at.is_(None),
        )
        .order_by(ApplicationMessage.id.desc())
        .limit(1)
    )
