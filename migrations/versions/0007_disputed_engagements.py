"""disputed engagements: a reviewer's decision on an engagement its referee declined or corrected

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dispute_outcome', sa.Enum('accepted', 'excluded', name='disputeoutcome', native_enum=False, create_constraint=False, length=20), nullable=True))
        batch_op.add_column(sa.Column('dispute_resolved_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('dispute_resolved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('dispute_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_engagements_dispute_resolved_by_id_users'), 'users', ['dispute_resolved_by_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_check_constraint(
            'dispute_resolved_when_decided', '(dispute_outcome IS NULL) = (dispute_resolved_at IS NULL)'
        )


def downgrade():
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_constraint('dispute_resolved_when_decided', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_engagements_dispute_resolved_by_id_users'), type_='foreignkey')
        batch_op.drop_column('dispute_reason')
        batch_op.drop_column('dispute_resolved_by_id')
        batch_op.drop_column('dispute_resolved_at')
        batch_op.drop_column('dispute_outcome')
