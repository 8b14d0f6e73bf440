"""outbox rows name only their actor: the queue comes from the actor's declaration when the row is sent

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # The stored queue was never read, and could only disagree with the actor's declaration.
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('queue_name')


def downgrade():
    # Nothing ever read the column, so the rows get the old default; the server default is only there to fill them.
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('queue_name', sa.String(length=100), nullable=False, server_default='default')
        )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('queue_name', server_default=None)
