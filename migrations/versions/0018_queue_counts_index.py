"""the queue's counts in one pass: a partial index over the applications whose review clock runs, by reviewer
and due date, so that how many there are, how many are the reviewer's and how many are late is one
index-only scan instead of three

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 05:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

RUNNING = sa.text("state IN ('in_review', 'awaiting_second_review', 'resubmitted')")


def upgrade():
    # Plain CREATE INDEX: batch mode would copy the table on SQLite for nothing.
    op.create_index('ix_applications_running_counts', 'applications', ['reviewer_id', 'review_due_at'],
                    unique=False, postgresql_where=RUNNING, sqlite_where=RUNNING)


def downgrade():
    op.drop_index('ix_applications_running_counts', table_name='applications')
