"""data rights: requests for a copy of one's data or for erasure, and warnings before a stale draft is erased

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'data_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('export', 'erasure', name='datarequestkind', native_enum=False, create_constraint=False, length=20), nullable=False),
        sa.Column('status', sa.Enum('queued', 'ready', 'downloaded', 'expired', 'failed', 'done', name='datarequeststatus', native_enum=False, create_constraint=False, length=20), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('completed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('storage_key', sa.String(length=100), nullable=True),
        sa.Column('size_bytes', sa.Integer(), nullable=True),
        sa.Column('token_digest', sa.String(length=64), nullable=True),
        sa.Column('expires_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('downloaded_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('failure_reason', sa.Text(), nullable=True),
        sa.Column('counts', sa.JSON(), nullable=True),
        sa.CheckConstraint("kind = 'export' OR status = 'done'", name=op.f('ck_data_requests_erasure_done')),
        sa.CheckConstraint("status <> 'ready' OR storage_key IS NOT NULL", name=op.f('ck_data_requests_ready_with_file')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_data_requests_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_requests')),
        sa.UniqueConstraint('storage_key', name=op.f('uq_data_requests_storage_key')),
        sa.UniqueConstraint('token_digest', name=op.f('uq_data_requests_token_digest')),
    )
    with op.batch_alter_table('data_requests', schema=None) as batch_op:
        batch_op.create_index('ix_data_requests_due', ['status', 'expires_at'], unique=False)
        batch_op.create_index('ix_data_requests_user', ['user_id', 'created_at'], unique=False)

    op.create_table(
        'draft_warnings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('warned_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('erase_after', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_draft_warnings_application_id_applications'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_warnings')),
        sa.UniqueConstraint('application_id', name=op.f('uq_draft_warnings_application_id')),
    )


def downgrade():
    op.drop_table('draft_warnings')
    with op.batch_alter_table('data_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_data_requests_user')
        batch_op.drop_index('ix_data_requests_due')
    op.drop_table('data_requests')
