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
    app = create_app({"DATABASE_URL": url, "BROKER_URL": broker_url, "INSTANCE_PATH": str(tmp_path),
                      "SECRET_KEY": "x", "LOG_LEVEL": "WARNING"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                           db.metadata)
        assert differences == []
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()
