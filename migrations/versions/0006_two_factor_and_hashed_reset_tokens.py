"""two-factor sign-in (TOTP and recovery codes), sign-up confirmed by email, single-use tokens kept as digests

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_confirmed_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recovery_code_digests', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('reset_token_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reset_token_expires_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('email_confirmed_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('signup_token_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('signup_token_expires_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_reset_token_digest'), ['reset_token_digest'])
        batch_op.create_unique_constraint(batch_op.f('uq_users_signup_token_digest'), ['signup_token_digest'])
    # Accounts made before sign-up was confirmed by email keep signing in.
    op.execute("UPDATE users SET email_confirmed_at = created_at")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_signup_token_digest'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_users_reset_token_digest'), type_='unique')
        batch_op.drop_column('signup_token_expires_at')
        batch_op.drop_column('signup_token_digest')
        batch_op.drop_column('email_confirmed_at')
        batch_op.drop_column('reset_token_expires_at')
        batch_op.drop_column('reset_token_digest')
        batch_op.drop_column('recovery_code_digests')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_confirmed_at')
        batch_op.drop_column('totp_secret')
