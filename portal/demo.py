"""Realistic demo data in bulk, for demonstrations and the benchmarks: ``flask --app wsgi demo seed``."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from portal.db import db
from portal.models.applications import (Application, ApplicationState, CentreStatus, Engagement, EngagementSetting,
                                        RefereeRelationship, SupervisionFocus, TrainingMode, TrainingRecord)
from portal.models.users import Role, User, new_session_token
from portal.workflows.accounts import hash_password
from portal.workflows.registry import catalogue

DEMO_PASSWORD = "demo-password-1"
FIRST = ["Ada", "Zoë", "Séamus", "Amara", "Wei", "Kofi", "Ingrid", "Mateo", "Priya", "Olúwaseun", "Hannah",
         "Jörg", "Nadia", "Tomás", "Yuki", "Fatima", "Liam", "Chloé", "Rahul", "Aoife"]
LAST = ["Lovelace", "O'Brien", "Nakamura", "Okafor", "Müller", "García", "Chen", "Haddad", "Kowalski",
        "Ní Bhriain", "Santos", "Andersson", "Mensah", "Rossi", "Dubois", "Patel", "Kim", "Novák", "Silva", "Ward"]
CENTRES = [("Northwind Mentoring Academy", CentreStatus.ACCREDITED), ("Lighthouse Coaching Institute",
           CentreStatus.ENDORSED), ("Riverside Learning Centre", CentreStatus.NON_ACCREDITED),
           ("Global Mentoring School", CentreStatus.ACCREDITED)]
PROGRAMMES = ["Foundations of Professional Mentoring", "Advanced Mentoring Practice", "Mentoring Skills Intensive",
              "Master Mentor Programme"]
# How demo applications are spread over the workflow's states.
STATE_WEIGHTS = {ApplicationState.DRAFT: 20, ApplicationState.SUBMITTED: 3, ApplicationState.AWAITING_PAYMENT: 10,
                 ApplicationState.IN_REVIEW: 40, ApplicationState.RETURNED: 5, ApplicationState.RESUBMITTED: 2,
                 ApplicationState.APPROVED: 15, ApplicationState.REJECTED: 5}

PAID = (ApplicationState.IN_REVIEW, ApplicationState.RETURNED, ApplicationState.RESUBMITTED,
        ApplicationState.APPROVED, ApplicationState.REJECTED)
DECIDED = (ApplicationState.APPROVED, ApplicationState.REJECTED)


def seed(applications: int, seed_value: int = 1, batch: int = 2000) -> int:
    """Add ``applications`` applications, each with its own applicant, training and engagements."""
    rng = random.Random(seed_value)
    codes = [credential.code for credential in catalogue().ordered()]
    password_hash = hash_password(DEMO_PASSWORD)
    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    now = datetime.now(UTC)
    states, weights = zip(*STATE_WEIGHTS.items())
    made = 0
    while made < applications:
        count = min(batch, applications - made)
        ids = range(start + made, start + made + count)
        users, apps, trainings, engagements = [], [], [], []
        for n in ids:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            email = f"demo{n}@example.org"
            users.append(dict(id=n, email=email, full_name=name, password_hash=password_hash, role=Role.APPLICANT,
                              session_token=new_session_token(), is_active_account=True, created_at=now))
            code = rng.choice(codes)
            credential = catalogue()[code]
            state = rng.choices(states, weights)[0]
            submitted = None if state == ApplicationState.DRAFT else now - timedelta(days=rng.uniform(0, 120))
            is_member = rng.random() < 0.6
            centre, status = rng.choice(CENTRES)
            # Past payment the review clock runs; decided ones carry their decision time (a table constraint).
            paid = min(now, submitted + timedelta(days=rng.uniform(0, 5))) if state in PAID else None
            decided = min(now, paid + timedelta(days=rng.uniform(5, 40))) if state in DECIDED else None
            apps.append(dict(
                id=n, applicant_id=n, credential_code=code, state=state, created_at=now - timedelta(days=130),
                updated_at=submitted or now, submitted_at=submitted, full_name=name, contact_email=email,
                postal_address=f"{rng.randint(1, 200)} High Street\nSpringfield", is_member=is_member,
                member_number=f"IMC-{n:06d}" if is_member else None, supervisor_name="Sam Supervisor",
                supervisor_email=f"supervisor{n % 97}@example.org", supervisor_address="1 Mentor Row",
                supervision_focus=rng.choice(list(SupervisionFocus)), supervision_sessions=rng.randint(3, 8),
                declaration_accepted_at=submitted, reopened_sections=[],
                fee_amount=credential.fee(is_member) if submitted else None,
                fee_currency=credential.currency if submitted else None, paid_at=paid, decided_at=decided,
                review_due_at=paid + timedelta(weeks=catalogue().review_weeks([status])) if paid else None))
            end = date(2024, 1, 1) + timedelta(days=rng.randint(0, 500))
            trainings.append(dict(application_id=n, centre_name=centre, centre_status=status,
                                  programme_name=rng.choice(PROGRAMMES),
                                  hours=Decimal(credential.training_hours + rng.randint(0, 15)),
                                  mode=rng.choice(list(TrainingMode)), start_date=end - timedelta(days=60),
                                  end_date=end, instructor_name="Grace Hopper",
                                  instructor_email="grace@northwind.example"))
            for k in range(credential.engagements):
                begin = date(2021, 1, 1) + timedelta(days=rng.randint(0, 900))
                referee = k < credential.references
                engagements.append(dict(
                    application_id=n, mentee_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    mentee_email=f"mentee{n}-{k}@example.net", start_date=begin,
                    end_date=begin + timedelta(days=rng.randint(90, 360)),
                    setting=rng.choice(list(EngagementSetting)), is_confidential=rng.random() < 0.1,
                    referee_name="Referee Person" if referee else None,
                    referee_email=f"referee{n}-{k}@example.net" if referee else None,
                    referee_relationship=RefereeRelationship.MENTEE if referee else None))
        for model, rows in ((User, users), (Application, apps), (TrainingRecord, trainings),
                            (Engagement, engagements)):
            db.session.execute(insert(model), rows)
        db.session.commit()
        made += count
    _advance_sequences()
    return made


def _advance_sequences() -> None:
    # Explicit ids leave PostgreSQL's sequences behind; move them past the rows just written.
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("users", "applications"):
        db.session.execute(db.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
    db.session.commit()
