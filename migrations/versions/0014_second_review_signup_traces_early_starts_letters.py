"""a second review (the review clock runs while an application awaits it), where accounts were signed up from
(keyed digests), a coordinator's permission for an agreement's term to start earlier, and referee letters
accepted by a reviewer as verification

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
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
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signup_address_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('signup_device_digest', sa.String(length=64), nullable=True))
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('early_start_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('early_start_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('early_start_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('early_start_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_pairings_early_start_by_id_users'), 'users', ['early_start_by_id'], ['id'],
            ondelete='SET NULL'
        )
    with op.batch_alter_table('staff_verifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cross_check', sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_staff_verifications_document_id_documents'), 'documents', ['document_id'], ['id'],
            ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('staff_verifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_staff_verifications_document_id_documents'), type_='foreignkey')
        batch_op.drop_column('cross_check')
        batch_op.drop_column('document_id')
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_pairings_early_start_by_id_users'), type_='foreignkey')
        for column in ('early_start_at', 'early_start_by_id', 'early_start_reason', 'early_start_from'):
            batch_op.drop_column(column)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('signup_device_digest')
        batch_op.drop_column('signup_address_digest')
    _clock_index('in_review', 'resubmitted')
