"""member register: the members an admin keeps, each application's membership check, and fee differences

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 01:15:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_members_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_members_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('number', name=op.f('uq_members_number'))
    )
    op.create_table('fee_differences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('method', sa.Enum('bank_transfer', 'card', name='paymentmethod', native_enum=False, create_constraint=False, length=20), nullable=True),
    sa.Column('transaction_reference', sa.String(length=100), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('paid_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(received_on IS NULL) = (paid_at IS NULL)', name=op.f('ck_fee_differences_paid_when_received')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_fee_differences_amount_positive')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_fee_differences_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_fee_differences_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_fee_differences_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_differences')),
    sa.UniqueConstraint('application_id', name=op.f('uq_fee_differences_application_id'))
    )
    op.create_table('membership_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Enum('verified', 'unverified', 'confirmed', 'false_claim', name='membershipstatus', native_enum=False, create_constraint=False, length=20), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_membership_checks_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_membership_checks_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_membership_checks_member_id_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_checks')),
    sa.UniqueConstraint('application_id', name=op.f('uq_membership_checks_application_id'))
    )


def downgrade():
    op.drop_table('membership_checks')
    op.drop_table('fee_differences')
    op.drop_table('members')
