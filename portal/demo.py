"""Realistic demo data in bulk, for demonstrations and the benchmarks: ``flask --app wsgi demo seed``."""

from __future__ import annotations

import os
import random
import re
import secrets
import unicodedata
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace
from typing import Any

from flask import current_app
from fpdf import FPDF
from sqlalchemy import Connection, func, insert, select, text

from portal.db import db, utcnow
from portal.documents.storage import current_storage
from portal.enums import (
    ApplicationState,
    CentreStatus,
    DocumentPurpose,
    DocumentStatus,
    EngagementSetting,
    MembershipStatus,
    PaymentMethod,
    RefereeRelationship,
    ReferenceStatus,
    Role,
    SupervisionFocus,
    TrainingMode,
)
from portal.models.applications import Application, Engagement, TrainingRecord
from portal.models.audit import AuditEntry
from portal.models.credentials import CredentialNotice, IssuedCredential
from portal.models.documents import Document
from portal.models.members import Member, MembershipCheck
from portal.models.payments import Payment
from portal.models.references import ReferenceRequest
from portal.models.users import User, new_session_token
from portal.workflows.accounts.rules import hash_password
from portal.workflows.audit import SYSTEM_LABEL
from portal.workflows.credentials.rules import add_years, new_number
from portal.workflows.membership.rules import match_claim
from portal.workflows.registry import catalogue

DEMO_PASSWORD = "demo-password-1"
FIRST = [
    "Ada",
    "Zoë",
    "Séamus",
    "Amara",
    "Wei",
    "Kofi",
    "Ingrid",
    "Mateo",
    "Priya",
    "Olúwaseun",
    "Hannah",
    "Jörg",
    "Nadia",
    "Tomás",
    "Yuki",
    "Fatima",
    "Liam",
    "Chloé",
    "Rahul",
    "Aoife",
]
LAST = [
    "Lovelace",
    "O'Brien",
    "Nakamura",
    "Okafor",
    "Müller",
    "García",
    "Chen",
    "Haddad",
    "Kowalski",
    "Ní Bhriain",
    "Santos",
    "Andersson",
    "Mensah",
    "Rossi",
    "Dubois",
    "Patel",
    "Kim",
    "Novák",
    "Silva",
    "Ward",
]
CENTRES = [
    ("Northwind Mentoring Academy", CentreStatus.ACCREDITED),
    ("Lighthouse Coaching Institute", CentreStatus.ENDORSED),
    ("Riverside Learning Centre", CentreStatus.NON_ACCREDITED),
    ("Global Mentoring School", CentreStatus.ACCREDITED),
]
PROGRAMMES = [
    "Foundations of Professional Mentoring",
    "Advanced Mentoring Practice",
    "Mentoring Skills Intensive",
    "Master Mentor Programme",
]
# How demo applications are spread over the workflow's states: a portal some years in, where most
# applications were decided long ago and the open ones are the last few weeks' arrivals.
STATE_WEIGHTS = {
    ApplicationState.DRAFT: 14,
    ApplicationState.SUBMITTED: 1,
    ApplicationState.AWAITING_PAYMENT: 4,
    ApplicationState.IN_REVIEW: 7,
    ApplicationState.RETURNED: 2,
    ApplicationState.RESUBMITTED: 1,
    ApplicationState.APPROVED: 60,
    ApplicationState.REJECTED: 8,
    ApplicationState.WITHDRAWN: 3,
}
REOPENABLE = ["about", "training", "engagements", "supervision"]
RETURN_REASON = "Give your supervisor's full postal address."
REJECT_REASON = "The engagements declared do not show mentoring as the catalogue defines it."

S = ApplicationState
FOCUSES, MODES, SETTINGS = list(SupervisionFocus), list(TrainingMode), list(EngagementSetting)
PAID = (S.IN_REVIEW, S.RETURNED, S.RESUBMITTED, S.APPROVED, S.REJECTED)
DECIDED = (S.APPROVED, S.REJECTED)
# Written in this order, so every foreign key points at a row already there.
TABLES = (
    User,
    Member,
    Application,
    MembershipCheck,
    Document,
    TrainingRecord,
    Engagement,
    ReferenceRequest,
    Payment,
    IssuedCredential,
    CredentialNotice,
    AuditEntry,
)
# Tables whose ids are chosen here, because other rows of the same batch point at them.
NUMBERED = (User, Member, Application, Document, Engagement, IssuedCredential)


def seed(
    applications: int,
    seed_value: int = 1,
    batch: int = 5000,
    documents: bool = True,
    states: dict[ApplicationState, int] | None = None,
    credentials: list[str] | None = None,
) -> int:
    """Add ``applications`` applications, each with its own applicant, spread over the workflow as in a portal
    some years old: most decided long ago, approved ones with their credential (valid, expiring, expired, a
    few revoked); the last weeks' arrivals open, waiting for payment, in review (some assigned to the
    existing reviewers), returned or resubmitted; drafts and withdrawals. Everything a real submission has
    comes with it: training with its certificate (``documents``: one small sample PDF, hard-linked under each
    storage key), engagements and reference requests, the payment, the audit trail, and the expiry notices
    already due, so the scheduler's first sweeps find nothing to send.

    ``states`` (weights by state) and ``credentials`` (codes) narrow the mix, e.g. CPM drafts only."""
    maker = _Maker(random.Random(seed_value), documents, states or STATE_WEIGHTS, credentials)
    made = 0
    while made < applications:
        count = min(batch, applications - made)
        rows: dict[type, list[dict[str, Any]]] = defaultdict(list)
        for _ in range(count):
            maker.application(rows)
        connection = db.session.connection()
        for model in TABLES:
            if rows[model]:
                _write(connection, model, rows[model])
        db.session.commit()
        made += count
    _after_bulk_load()
    return made


class _Maker:
    """Builds the rows of one demo application at a time, handing out ids past those already taken."""

    def __init__(
        self,
        rng: random.Random,
        documents: bool,
        states: dict[ApplicationState, int],
        credentials: list[str] | None,
    ):
        self.rng = rng
        self.now = utcnow()
        self.today = self.now.date()
        self.codes = credentials or [credential.code for credential in catalogue().ordered()]
        self.states, self.weights = zip(*states.items(), strict=True)
        self.password_hash = hash_password(DEMO_PASSWORD)
        self.next_id = {model: (db.session.scalar(select(func.max(model.id))) or 0) + 1 for model in NUMBERED}
        self.reviewers = db.session.execute(
            select(User.id, User.email)
            .where(User.role.in_([Role.REVIEWER, Role.ADMIN]), User.is_active_account.is_(True))
            .order_by(User.id)
        ).all()
        template = current_app.jinja_env.get_template("apply/_declaration_text.txt")
        self.statements = {
            code: template.render(credential=catalogue()[code], application=SimpleNamespace(is_renewal=False))
            for code in self.codes
        }
        self.expiry_days = int(current_app.config["REFERENCE_EXPIRY_DAYS"])
        self.numbers: set[str] = set()
        self.slugs: set[str] = set()
        self.sample = _sample_certificate() if documents else None

    def _id(self, model: type) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def _membership(
        self,
        rows: dict[type, list[dict[str, Any]]],
        app_id: int,
        number: str,
        name: str,
        email: str,
        created: datetime,
        submitted: datetime | None,
        state: ApplicationState,
    ) -> None:
        """The member's register entry and their claim's check: decided applications were backed by the
        register; a few open ones claim a number it lacks or one that had expired, for a reviewer to decide."""
        on = (submitted or self.now).date()
        roll = self.rng.random()
        backed = state in DECIDED or roll < 0.8
        entry = None
        if backed or roll < 0.9:
            entry = SimpleNamespace(
                id=self._id(Member),
                number=number,
                name=name,
                email=email,
                valid_until=on + self._days(30, 900) if backed else on - self._days(1, 200),
            )
            rows[Member].append(
                dict(
                    vars(entry),
                    created_at=created,
                    updated_at=created,
                    created_by_id=None,
                    updated_by_id=None,
                )
            )
        if submitted is None:
            return
        verdict = match_claim(number, [name], [email], entry, on)
        rows[MembershipCheck].append(
            dict(
                application_id=app_id,
                number=number,
                status=MembershipStatus.VERIFIED if verdict.verified else MembershipStatus.UNVERIFIED,
                detail=verdict.detail,
                member_id=entry.id if entry else None,
                checked_at=submitted,
                decided_at=None,
                decided_by_id=None,
                decision_reason=None,
            )
        )

    def _days(self, low: float, high: float) -> timedelta:
        return timedelta(days=self.rng.uniform(low, high))

    def _before_now(self, moment: datetime) -> datetime:
        return min(moment, self.now - timedelta(minutes=1))

    def application(self, rows: dict[type, list[dict[str, Any]]]) -> None:
        rng, now = self.rng, self.now
        user_id, app_id = self._id(User), self._id(Application)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = f"demo{user_id}@example.org"
        code = rng.choice(self.codes)
        credential = catalogue()[code]
        state = rng.choices(self.states, self.weights)[0]
        is_member = rng.random() < 0.6
        centre, status = rng.choice(CENTRES)
        draft = state == S.DRAFT

        # The timeline, oldest event first: decided applications reach back over three and a half years, so
        # their credentials are valid, expiring soon or expired; open ones are recent.
        if draft:
            created, submitted = now - self._days(0, 60), None
        else:
            back = (
                (45, 1280)
                if state in DECIDED + (S.WITHDRAWN,)
                else (0, 1)
                if state == S.SUBMITTED
                else (0, 90)
            )
            submitted = now - self._days(*back)
            created = submitted - self._days(2, 40)
        paid = self._before_now(submitted + self._days(0.1, 5)) if state in PAID else None
        returned = (
            self._before_now(paid + self._days(3, 20)) if state in (S.RETURNED, S.RESUBMITTED) else None
        )
        resubmitted = self._before_now(returned + self._days(1, 10)) if state == S.RESUBMITTED else None
        decided = self._before_now(paid + self._days(5, 40)) if state in DECIDED else None
        withdrawn = self._before_now(submitted + self._days(1, 20)) if state == S.WITHDRAWN else None
        last = max(
            moment
            for moment in (created, submitted, paid, returned, resubmitted, decided, withdrawn)
            if moment
        )
        reviewer = (
            rng.choice(self.reviewers) if self.reviewers and state in PAID and rng.random() < 0.7 else None
        )
        review_due = paid + timedelta(weeks=catalogue().review_weeks([status])) if paid else None

        rows[User].append(
            dict(
                id=user_id,
                email=email,
                full_name=name,
                password_hash=self.password_hash,
                role=Role.APPLICANT,
                session_token=new_session_token(),
                is_active_account=True,
                created_at=created,
                email_confirmed_at=created,
                last_login_at=last,
                is_profile_public=False,
                profile_slug=None,
            )
        )
        rows[Application].append(
            dict(
                id=app_id,
                applicant_id=user_id,
                credential_code=code,
                state=state,
                created_at=created,
                updated_at=last,
                submitted_at=submitted,
                full_name=name,
                contact_email=email,
                postal_address=f"{rng.randint(1, 200)} High Street\nSpringfield",
                is_member=is_member,
                member_number=f"IMC-{user_id:06d}" if is_member else None,
                prior_credential_number=new_number("CPM") if credential.prerequisite else None,
                prior_credential_issued_on=(self.today - self._days(800, 2500))
                if credential.prerequisite
                else None,
                supervisor_name="Sam Supervisor",
                supervisor_email=f"supervisor{user_id % 97}@example.org",
                supervisor_address="1 Mentor Row\nSpringfield",
                supervision_focus=rng.choice(FOCUSES),
                supervision_sessions=rng.randint(0 if draft else 5, 8),
                declaration_accepted_at=submitted,
                declaration_statement=None if draft else self.statements[code],
                reopened_sections=[rng.choice(REOPENABLE)] if state == S.RETURNED else [],
                fee_amount=None if draft else credential.fee(is_member),
                fee_currency=None if draft else credential.currency,
                reviewer_id=reviewer[0] if reviewer else None,
                assigned_at=paid if reviewer else None,
                paid_at=paid,
                review_due_at=review_due,
                decided_at=decided,
                prerequisite_checked_at=decided if credential.prerequisite and state == S.APPROVED else None,
                prerequisite_checked_by_id=(
                    reviewer[0] if reviewer and credential.prerequisite and state == S.APPROVED else None
                ),
            )
        )

        if is_member:
            self._membership(rows, app_id, f"IMC-{user_id:06d}", name, email, created, submitted, state)

        hours = Decimal(credential.training_hours + rng.randint(0, 15))
        programme = rng.choice(PROGRAMMES)
        certificate_id = None
        if self.sample is not None and not draft:
            certificate_id = self._id(Document)
            rows[Document].append(
                dict(
                    id=certificate_id,
                    application_id=app_id,
                    uploaded_by_id=user_id,
                    purpose=DocumentPurpose.CERTIFICATE,
                    storage_key=self.sample.link(),
                    original_name=f"{programme} certificate.pdf",
                    file_type="pdf",
                    size_bytes=self.sample.size,
                    sha256=self.sample.sha256,
                    created_at=submitted - timedelta(hours=1),
                    status=DocumentStatus.CHECKED_BY_HAND,
                    status_reason="Demo data: a sample certificate.",
                    processing_attempts=1,
                    processed_at=submitted,
                )
            )
        end = self.today - self._days(120, 700)
        rows[TrainingRecord].append(
            dict(
                application_id=app_id,
                centre_name=centre,
                centre_status=status,
                programme_name=programme,
                hours=hours,
                mode=rng.choice(MODES),
                start_date=end - timedelta(days=60),
                end_date=end,
                instructor_name="Grace Hopper",
                instructor_email="grace@northwind.example",
                certificate_id=certificate_id,
            )
        )

        for k in range(credential.engagements):
            begin = self.today - self._days(400, 2000)
            finish = begin + self._days(90, 360)
            mentee = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            referee = k < credential.references
            engagement_id = self._id(Engagement)
            rows[Engagement].append(
                dict(
                    id=engagement_id,
                    application_id=app_id,
                    mentee_name=mentee,
                    mentee_email=f"mentee{user_id}-{k}@example.net",
                    start_date=begin,
                    end_date=finish,
                    setting=rng.choice(SETTINGS),
                    is_confidential=rng.random() < 0.1,
                    referee_name=mentee if referee else None,
                    referee_email=f"mentee{user_id}-{k}@example.net" if referee else None,
                    referee_relationship=RefereeRelationship.MENTEE if referee else None,
                )
            )
            if referee and not draft:
                rows[ReferenceRequest].append(
                    self._reference(app_id, engagement_id, name, rows[Engagement][-1], submitted)
                )

        if paid:
            rows[Payment].append(
                dict(
                    application_id=app_id,
                    provider="manual",
                    method=rng.choice([PaymentMethod.BANK_TRANSFER, PaymentMethod.CARD]),
                    amount=credential.fee(is_member),
                    currency=credential.currency,
                    transaction_reference=f"DEMO-{app_id:08d}",
                    received_on=paid.date(),
                    recorded_at=paid,
                    recorded_by_id=None,
                )
            )
        self._audit(
            rows,
            app_id,
            user_id,
            email,
            state,
            reviewer,
            submitted,
            paid,
            returned,
            resubmitted,
            decided or withdrawn,
            credential.fee(is_member),
        )
        if state == S.APPROVED:
            self._credential(rows, app_id, user_id, name, code, hours, decided, reviewer)

    def _reference(
        self, app_id: int, engagement_id: int, mentor: str, engagement: dict[str, Any], sent: datetime
    ) -> dict[str, Any]:
        # Most referees answer within a week; the rest are still inside the first reminder's gap.
        answered = sent + self._days(0.2, 6)
        confirmed = answered < self.now
        return dict(
            application_id=app_id,
            engagement_id=engagement_id,
            referee_name=engagement["referee_name"],
            referee_email=engagement["referee_email"],
            referee_relationship=RefereeRelationship.MENTEE.value,
            declared_mentor_name=mentor,
            declared_mentee_name=engagement["mentee_name"],
            declared_start_date=engagement["start_date"],
            declared_end_date=engagement["end_date"],
            declared_setting=engagement["setting"].value,
            status=ReferenceStatus.CONFIRMED if confirmed else ReferenceStatus.SENT,
            created_at=sent,
            sent_at=sent,
            last_message_at=sent,
            reminders_sent=0,
            expires_at=sent + timedelta(days=self.expiry_days),
            answered_at=answered if confirmed else None,
            answer_ip="192.0.2.10" if confirmed else None,
        )

    def _audit(
        self,
        rows,
        app_id,
        user_id,
        email,
        state,
        reviewer,
        submitted,
        paid,
        returned,
        resubmitted,
        ended,
        fee,
    ) -> None:
        def entry(moment, action, source, target, actor=None, reason=None):
            rows[AuditEntry].append(
                dict(
                    created_at=moment,
                    actor_id=actor[0] if actor else None,
                    actor_label=actor[1] if actor else SYSTEM_LABEL,
                    subject_type="applications",
                    subject_id=app_id,
                    action=action,
                    from_state=source.value,
                    to_state=target.value,
                    reason=reason,
                )
            )

        applicant = (user_id, email)
        if submitted is None:
            return
        entry(submitted, "submit", S.DRAFT, S.SUBMITTED, applicant)
        if state == S.SUBMITTED:
            return
        entry(submitted, "request_payment", S.SUBMITTED, S.AWAITING_PAYMENT)
        if state == S.WITHDRAWN:  # before paying: the demo's withdrawals
            entry(ended, "withdraw", S.AWAITING_PAYMENT, S.WITHDRAWN, applicant)
            return
        if paid is None:
            return
        entry(
            paid,
            "record_payment",
            S.AWAITING_PAYMENT,
            S.IN_REVIEW,
            reason=f"Bank transfer {fee:.2f} USD, ref. DEMO-{app_id:08d}",
        )
        if returned is not None:
            entry(returned, "return", S.IN_REVIEW, S.RETURNED, reviewer, RETURN_REASON)
        if resubmitted is not None:
            entry(resubmitted, "resubmit", S.RETURNED, S.RESUBMITTED, applicant)
        if state in DECIDED:
            entry(
                ended,
                "approve" if state == S.APPROVED else "reject",
                S.IN_REVIEW,
                state,
                reviewer,
                REJECT_REASON if state == S.REJECTED else None,
            )

    def _credential(self, rows, app_id, user_id, name, code, hours, decided, reviewer) -> None:
        rules = catalogue()[code]
        issued = decided.date()
        expires = add_years(issued, rules.validity_years)
        revoked = self.rng.random() < 0.01
        credential_id = self._id(IssuedCredential)
        rows[IssuedCredential].append(
            dict(
                id=credential_id,
                number=self._number(code),
                credential_code=code,
                holder_id=user_id,
                application_id=app_id,
                previous_id=None,
                holder_name=name,
                training_hours=hours,
                issued_on=issued,
                expires_on=expires,
                created_at=decided,
                expired_at=_noon(expires + timedelta(days=1)) if expires < self.today else None,
                revoked_at=self._before_now(decided + self._days(30, 300)) if revoked else None,
                revoked_reason="Demo data: revoked after a complaint was upheld." if revoked else None,
                revoked_by_id=reviewer[0] if revoked and reviewer else None,
                status_list_index=credential_id,
            )
        )
        rows[AuditEntry].append(
            dict(
                created_at=decided,
                actor_id=reviewer[0] if reviewer else None,
                actor_label=reviewer[1] if reviewer else SYSTEM_LABEL,
                subject_type="credentials",
                subject_id=credential_id,
                action="issue",
                from_state=None,
                to_state="valid",
                reason=f"Approved application {code}-{app_id:06d}",
            )
        )
        if not revoked:
            # The notices the expiry sweep would have sent by now, so it does not send them all at once.
            expiry = catalogue().expiry
            for days in expiry.reminder_days:
                if expires - timedelta(days=days) <= self.today:
                    rows[CredentialNotice].append(
                        dict(
                            credential_id=credential_id,
                            kind=f"expiring_{days}",
                            sent_at=_noon(expires - timedelta(days=days)),
                        )
                    )
            if expires < self.today:
                rows[CredentialNotice].append(
                    dict(
                        credential_id=credential_id,
                        kind="expired",
                        sent_at=_noon(expires + timedelta(days=1)),
                    )
                )
        if self.rng.random() < 0.3:
            user = rows[User][-1]
            user["is_profile_public"], user["profile_slug"] = True, self._slug(name)

    def _number(self, code: str) -> str:
        while (number := new_number(code)) in self.numbers:
            pass
        self.numbers.add(number)
        return number

    def _slug(self, name: str) -> str:
        words = (
            re.sub(
                r"[^a-z0-9]+",
                "-",
                unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower(),
            ).strip("-")
            or "mentor"
        )
        while (slug := f"{words}-{secrets.token_hex(4)}") in self.slugs:
            pass
        self.slugs.add(slug)
        return slug


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=utcnow().tzinfo)


class _SampleCertificate:
    """One small PDF in the file store; every demo certificate is a hard link to it under its own key."""

    def __init__(self, pdf: bytes):

        self.storage = current_storage()
        stored = self.storage.save(BytesIO(pdf), max_bytes=len(pdf))
        self.key, self.size, self.sha256 = stored.key, stored.size, stored.sha256
        self.first = True

    def link(self) -> str:
        if self.first:
            self.first = False
            return self.key
        key = secrets.token_hex(16)
        try:
            os.link(self.storage.path(self.key), self.storage.path(key))
        except OSError:  # a file system without hard links: copy instead
            with self.storage.open(self.key) as source:
                key = self.storage.save(source, max_bytes=self.size).key
        return key


def _sample_certificate() -> _SampleCertificate:

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    for line in ("CERTIFICATE OF COMPLETION", "Demo data: a sample certificate", "Mentoring training"):
        pdf.cell(0, 12, line, new_x="LMARGIN", new_y="NEXT")
    return _SampleCertificate(bytes(pdf.output()))


def _write(connection: Connection, model: type, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (all with the same keys) with the column defaults the ORM would have applied."""
    table = model.__table__
    given = set(rows[0])
    defaulted = [
        column
        for column in table.columns
        if column.name not in given
        and column.default is not None
        and (column.default.is_scalar or column.default.is_callable)
    ]
    for column in defaulted:
        default = column.default
        for row in rows:
            row[column.name] = default.arg if default.is_scalar else default.arg(None)
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    # COPY is several times faster than even batched INSERTs; the values go through each column's own bind
    # processing, so enums, JSON and UTC datetimes are stored exactly as the ORM would store them.
    columns = [table.columns[name] for name in rows[0]]
    dialect = connection.dialect
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    quote = dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(column.name) for column in columns)}) FROM STDIN"
    converted = [(index, process) for index, process in enumerate(processors) if process is not None]
    names = [column.name for column in columns]
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = [row[name] for name in names]
            for index, process in converted:
                if values[index] is not None:
                    values[index] = process(values[index])
            copy.write_row(values)


def _after_bulk_load() -> None:
    if db.engine.dialect.name != "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return
    # Explicit ids leave PostgreSQL's sequences behind; move them past the rows just written.
    for model in NUMBERED:
        table = model.__tablename__
        db.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        )
    db.session.commit()
    # Statistics for the planner, and the visibility map that lets counts use index-only scans: what
    # autovacuum would give a database that grew over years rather than in a minute.
    names = ", ".join(model.__tablename__ for model in TABLES)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM (ANALYZE) {names}"))
