"""indexes for the document worker's lookups of the record a document belongs to

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 04:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # The worker looks each document up by these columns; deleting a document sets them to NULL.
    op.create_index(op.f('ix_training_records_certificate_id'), 'training_records', ['certificate_id'], unique=False)
    op.create_index(op.f('ix_engagements_letter_id'), 'engagements', ['letter_id'], unique=False)
    op.create_index(op.f('ix_reference_requests_letter_id'), 'reference_requests', ['letter_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_reference_requests_letter_id'), table_name='reference_requests')
    op.drop_index(op.f('ix_engagements_letter_id'), table_name='engagements')
    op.drop_index(op.f('ix_training_records_certificate_id'), table_name='training_records')
