"""staff verification contacts: whom staff reached about an engagement, how, when, and the outcome

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_verifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('contact_name', sa.String(length=200), nullable=False),
        sa.Column('method', sa.Enum('phone', 'video', 'email', 'in_person', name='contactmethod', native_enum=False, create_constraint=False, length=20), nullable=False),
        sa.Column('contacted_on', sa.Date(), nullable=False),
        sa.Column('confirmed', sa.Boolean(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_staff_verifications_application_id_applications'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_staff_verifications_engagement_id_engagements'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_staff_verifications_recorded_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_verifications')),
    )
    with op.batch_alter_table('staff_verifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_verifications_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_verifications_engagement_id'), ['engagement_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_verifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_verifications_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_staff_verifications_application_id'))
    op.drop_table('staff_verifications')
