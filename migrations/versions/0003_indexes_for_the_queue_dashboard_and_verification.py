"""indexes for the review queue, the reviewer lists and the public verification page

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# The review clock runs in these states (portal.workflows.review.CLOCK_RUNNING); all are past payment.
CLOCK_RUNNING = sa.text("state IN ('in_review', 'resubmitted')")


def upgrade():
    # Plain CREATE INDEX: batch mode would copy each table on SQLite for nothing.
    op.create_index('ix_applications_clock_running', 'applications', ['paid_at', 'id'], unique=False,
                    postgresql_where=CLOCK_RUNNING, sqlite_where=CLOCK_RUNNING)
    op.create_index('ix_users_role', 'users', ['role', 'full_name'], unique=False)
    op.create_index('ix_credentials_previous', 'credentials', ['previous_id'], unique=False)


def downgrade():
    op.drop_index('ix_credentials_previous', table_name='credentials')
    op.drop_index('ix_users_role', table_name='users')
    op.drop_index('ix_applications_clock_running', table_name='applications')
