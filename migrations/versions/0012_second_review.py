"""a second review: applications awaiting a second reviewer's approval keep the review clock running

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-06 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0009'
branch_labels = None
depends_on = None

def _clock_index(*states: str) -> None:
    """The queue's partial index over the states in which the review clock runs (CLOCK_RUNNING)."""
    where = sa.text("state IN ({})".format(", ".join(f"'{state}'" for state in states)))
    # Plain CREATE INDEX: batch mode would copy the table on SQLite for nothing.
    op.drop_index('ix_applications_clock_running', table_name='applications')
    op.create_index('ix_applications_clock_running', 'applications', ['paid_at', 'id'], unique=False,
                    postgresql_where=where, sqlite_where=where)


def upgrade():
    _clock_index('in_review', 'awaiting_second_review', 'resubmitted')


def downgrade():
    _clock_index('in_review', 'resubmitted')
