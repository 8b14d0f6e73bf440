"""credential status list index: each credential's bit in the published revocation list

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

REVOKED = sa.text("revoked_at IS NOT NULL")


def upgrade():
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_list_index', sa.Integer(), nullable=True))
    # Credentials issued before take their id as their index, as new ones do.
    op.execute('UPDATE credentials SET status_list_index = id')
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_credentials_status_list_index'), ['status_list_index'])
    op.create_index('ix_credentials_revoked_in_status_list', 'credentials', ['status_list_index'], unique=False,
                    postgresql_where=REVOKED, sqlite_where=REVOKED)


def downgrade():
    op.drop_index('ix_credentials_revoked_in_status_list', table_name='credentials')
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_credentials_status_list_index'), type_='unique')
        batch_op.drop_column('status_list_index')
