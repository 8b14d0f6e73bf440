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
