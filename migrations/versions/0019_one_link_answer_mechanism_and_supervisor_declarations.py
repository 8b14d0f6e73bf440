"""one table of emailed single-use links for every kind of request; supervisors' declarations

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 05:30:00.000000

Every link a referee or a supervisor holds keeps working: the digests of the reference requests' first links,
of their reminders' links (reference_links) and of the supervision sessions' links move to external_links.
"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('external_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('reference', 'supervisor_declaration', 'supervision_session', name='linkkind', native_enum=False, create_constraint=False, length=30), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_external_links_token_hash'))
    )
    with op.batch_alter_table('external_links', schema=None) as batch_op:
        batch_op.create_index('ix_external_links_request', ['kind', 'request_id'], unique=False)

    op.create_table('supervisor_declarations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_name', sa.String(length=200), nullable=False),
    sa.Column('supervisor_email', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sent', 'reminded', 'confirmed', 'declined', 'expired', 'superseded', name='declarationstatus', native_enum=False, create_constraint=False, length=20), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_message_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminders_sent', sa.Integer(), nullable=False),
    sa.Column('expires_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('supervising_since', sa.Date(), nullable=True),
    sa.Column('focus', sa.Enum('mentoring_skills', 'domain_knowledge', 'both', name='supervisionfocus', native_enum=False, create_constraint=False, length=30), nullable=True),
    sa.Column('practising_mentor', sa.Boolean(), nullable=True),
    sa.Column('knows_imc_standards', sa.Boolean(), nullable=True),
    sa.Column('sessions_last_year', sa.Integer(), nullable=True),
    sa.Column('conflicts', sa.JSON(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('answer_ip', sa.String(length=64), nullable=True),
    sa.Column('answer_user_agent', sa.String(length=400), nullable=True),
    sa.Column('applicant_ip', sa.String(length=64), nullable=True),
    sa.Column('applicant_user_agent', sa.String(length=400), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_supervisor_declarations_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['supervisor_declarations.id'], name=op.f('fk_supervisor_declarations_replaced_by_id_supervisor_declarations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisor_declarations'))
    )
    with op.batch_alter_table('supervisor_declarations', schema=None) as batch_op:
        batch_op.create_index('ix_supervisor_declarations_application', ['application_id', 'status'], unique=False)
        batch_op.create_index('ix_supervisor_declarations_due', ['status', 'expires_at'], unique=False)

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supervisor_language', sa.String(length=8), nullable=True))

    # The links people hold now, moved: first links, reminders' links, then supervision sessions' links.
    op.execute(
        "INSERT INTO external_links (kind, request_id, token_hash, created_at) "
        "SELECT 'reference', id, token_hash, created_at FROM reference_requests ORDER BY id"
    )
    op.execute(
        "INSERT INTO external_links (kind, request_id, token_hash, created_at) "
        "SELECT 'reference', request_id, token_hash, created_at FROM reference_links ORDER BY id"
    )
    op.execute(
        "INSERT INTO external_links (kind, request_id, token_hash, created_at) "
        "SELECT 'supervision_session', id, token_hash, created_at FROM supervision_sessions ORDER BY id"
    )
    with op.batch_alter_table('reference_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_links_request_id'))
    op.drop_table('reference_links')
    with op.batch_alter_table('reference_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_reference_requests_token_hash'), type_='unique')
        batch_op.drop_column('token_hash')

    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_message_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminders_sent', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_constraint(batch_op.f('uq_supervision_sessions_token_hash'), type_='unique')
        batch_op.drop_column('token_hash')
        batch_op.drop_constraint(op.f('ck_supervision_sessions_answered_when_not_pending'), type_='check')
        batch_op.create_check_constraint(
            'answered_when_not_pending', "(status IN ('pending', 'expired')) = (answered_at IS NULL)"
        )
    op.execute("UPDATE supervision_sessions SET last_message_at = created_at")
    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.alter_column('reminders_sent', server_default=None)


def downgrade():
    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE supervision_sessions SET token_hash = (SELECT MIN(token_hash) FROM external_links "
        "WHERE kind = 'supervision_session' AND request_id = supervision_sessions.id)"
    )
    # A session answered "expired" has no earlier state: it reads as pending, past its link's expiry.
    op.execute("UPDATE supervision_sessions SET status = 'pending' WHERE status = 'expired'")
    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_supervision_sessions_answered_when_not_pending'), type_='check')
        batch_op.create_check_constraint('answered_when_not_pending', "(status = 'pending') = (answered_at IS NULL)")
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_supervision_sessions_token_hash'), ['token_hash'])
        batch_op.drop_column('reminders_sent')
        batch_op.drop_column('last_message_at')

    with op.batch_alter_table('reference_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE reference_requests SET token_hash = (SELECT token_hash FROM external_links WHERE id = "
        "(SELECT MIN(id) FROM external_links WHERE kind = 'reference' AND request_id = reference_requests.id))"
    )
    with op.batch_alter_table('reference_requests', schema=None) as batch_op:
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_reference_requests_token_hash'), ['token_hash'])
    op.create_table('reference_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['reference_requests.id'], name=op.f('fk_reference_links_request_id_reference_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_reference_links_token_hash'))
    )
    with op.batch_alter_table('reference_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_links_request_id'), ['request_id'], unique=False)
    op.execute(
        "INSERT INTO reference_links (request_id, token_hash, created_at) SELECT request_id, token_hash, "
        "created_at FROM external_links WHERE kind = 'reference' AND token_hash NOT IN "
        "(SELECT token_hash FROM reference_requests) ORDER BY id"
    )

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('supervisor_language')
    with op.batch_alter_table('supervisor_declarations', schema=None) as batch_op:
        batch_op.drop_index('ix_supervisor_declarations_due')
        batch_op.drop_index('ix_supervisor_declarations_application')
    op.drop_table('supervisor_declarations')
    with op.batch_alter_table('external_links', schema=None) as batch_op:
        batch_op.drop_index('ix_external_links_request')
    op.drop_table('external_links')
