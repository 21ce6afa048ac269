"""dispatch loading scans

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24

Issue 13 point 4: items scanned into a route's crate were kept only in the
dispatch window's memory and lost when it closed. ``loading_scans`` keeps
each one as it is scanned: the route, the day, the loan, who scanned it, at
which desk and when; one row per loan per route and day.
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('loading_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('route_code', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(), nullable=False),
    sa.Column('staff', sa.String(length=60), nullable=False),
    sa.Column('desk', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['loan_id'], ['loans.id'], name=op.f('fk_loading_scans_loan_id_loans')),
    sa.ForeignKeyConstraint(['route_code'], ['routes.code'], name=op.f('fk_loading_scans_route_code_routes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loading_scans')),
    sa.UniqueConstraint('route_code', 'day', 'loan_id', name='uq_loading_scans_route_day_loan')
    )
    with op.batch_alter_table('loading_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loading_scans_loan_id'), ['loan_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('loading_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loading_scans_loan_id'))

    op.drop_table('loading_scans')
