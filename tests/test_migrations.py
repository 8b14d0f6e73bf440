"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.db import db


def test_migrations_apply_and_match_the_models(tmp_path, broker_url):
    url = os.environ.get("MIGRATIONS_DATABASE_URL") or f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "BROKER_URL": broker_url,
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata
            )
        assert differences == []
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()


def test_upgrading_keeps_the_rows_of_an_earlier_schema(tmp_path, broker_url):
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'earlier.db'}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "BROKER_URL": broker_url,
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (email, full_name, password_hash, role, is_active_account, session_token, "
                    "created_at) VALUES ('a@example.com', 'A', 'x', 'applicant', 1, 'token', '2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO applications (applicant_id, credential_code, kind, state, created_at, updated_at, "
                    "reopened_sections) VALUES (1, 'CPM', 'initial', 'draft', '2026-01-01', '2026-01-01', '[]')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO engagements (application_id, mentee_name, mentee_email, start_date, setting, "
                    "is_confidential) VALUES (1, 'M', 'm@example.com', '2024-01-01', 'internal', 0)"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM engagements")).scalar() == 1
            assert connection.execute(text("SELECT is_profile_public FROM users")).scalar() in (0, False)
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        db.engine.dispose()


def test_links_emailed_before_the_one_link_table_keep_working(tmp_path, broker_url):
    """Referees and supervisors hold links made before 0019: their digests move to external_links, so the
    first email's link, a reminder's link and a supervision session's link all still open their page."""
    import hashlib

    from sqlalchemy import text

    from portal.enums import ReferenceStatus, SupervisionStatus
    from portal.models.programmes import SupervisionSession
    from portal.models.references import ReferenceRequest

    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    first, reminder, session_token = (
        "first-link-" + "a" * 32,
        "reminder-link-" + "b" * 32,
        "session-" + "c" * 32,
    )
    url = f"sqlite:///{tmp_path / 'links.db'}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "BROKER_URL": broker_url,
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "LOG_LEVEL": "WARNING",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as connection:
            for statement in (
                "INSERT INTO users (email, full_name, password_hash, role, is_active_account, session_token, "
                "created_at, is_profile_public) VALUES ('ada@example.com', 'Ada', 'x', 'applicant', 1, 't', "
                "'2026-01-01 00:00:00', 0)",
                "INSERT INTO applications (applicant_id, credential_code, kind, state, created_at, updated_at, "
                "reopened_sections, clock_paused_days, submitted_at) VALUES (1, 'CPM', 'initial', 'in_review', '2026-01-01', "
                "'2026-01-01', '[]', 0, '2026-01-02')",
                "INSERT INTO engagements (application_id, mentee_name, mentee_email, start_date, setting, "
                "is_confidential) VALUES (1, 'Mo Mentee', 'mo@example.com', '2024-01-01', 'external', 0)",
                "INSERT INTO reference_requests (application_id, engagement_id, referee_name, referee_email, "
                "referee_relationship, token_hash, status, created_at, reminders_sent, expires_at) VALUES "
                f"(1, 1, 'Rae', 'rae@example.net', 'mentee', '{digest(first)}', 'reminded', "
                "'2099-01-01 00:00:00', 1, '2099-02-01 00:00:00')",
                "INSERT INTO reference_links (request_id, token_hash, created_at) VALUES "
                f"(1, '{digest(reminder)}', '2099-01-08 00:00:00')",
                "INSERT INTO supervision_sessions (mentor_id, supervisor_name, supervisor_email, held_on, "
                "duration_minutes, focus, token_hash, status, created_at, expires_at) VALUES (1, 'Sam', "
                f"'sam@example.net', '2026-01-01', 60, 'both', '{digest(session_token)}', 'pending', "
                "'2099-01-01 00:00:00', '2099-02-01 00:00:00')",
            ):
                connection.execute(text(statement))
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM external_links")).scalar() == 3
        client = app.test_client()
        assert client.get(f"/references/{first}").status_code == 200
        assert client.get(f"/programmes/supervision/confirm/{session_token}").status_code == 200
        assert client.post(f"/references/{reminder}", data={"answer": "confirm"}).status_code == 302
        assert db.session.get(ReferenceRequest, 1).status == ReferenceStatus.CONFIRMED
        assert "This reference has been answered" in client.get(f"/references/{first}").get_data(as_text=True)
        assert (
            client.post(
                f"/programmes/supervision/confirm/{session_token}", data={"answer": "confirm"}
            ).status_code
            == 200
        )
        db.session.expire_all()
        assert db.session.get(SupervisionSession, 1).status == SupervisionStatus.CONFIRMED
        assert client.get(f"/references/{'x' * 43}").status_code == 404
        db.session.remove()
        downgrade(revision="0017")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT token_hash FROM reference_requests")).scalar() == digest(
                first
            )
            assert connection.execute(text("SELECT token_hash FROM reference_links")).scalar() == digest(
                reminder
            )
        db.engine.dispose()
