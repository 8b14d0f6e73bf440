"""questions on an application: a thread of messages (reviewer asks, applicant answers, with attachments),
and the review clock that stands still while the applicant owes an answer

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'application_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('role', sa.Enum('reviewer', 'applicant', name='messagerole', native_enum=False, create_constraint=False, length=20), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('closed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role = 'reviewer' OR closed_at IS NULL", name=op.f('ck_application_messages_only_questions_close')),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_messages_application_id_applications'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_application_messages_author_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_application_messages')),
    )
    with op.batch_alter_table('application_messages', schema=None) as batch_op:
        batch_op.create_index('ix_application_messages_application', ['application_id', 'created_at'], unique=False)

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clock_paused_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('clock_paused_days', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_message_id'), ['message_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_documents_message_id_application_messages'), 'application_messages', ['message_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_documents_message_id_application_messages'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_documents_message_id'))
        batch_op.drop_column('message_id')

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('clock_paused_days')
        batch_op.drop_column('clock_paused_at')

    with op.batch_alter_table('application_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_application_messages_application')
    op.drop_table('application_messages')
