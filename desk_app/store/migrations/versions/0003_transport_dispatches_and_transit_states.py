"""transport: dispatches and transit states

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

§3 transport (issue 4):
- ``dispatches``: a route leaving on a day, who dispatched it, when its
  delivery was confirmed.
- ``loans.transit`` (awaiting_dispatch, in_transit, delivered; NULL for loans
  that do not travel, and for loans made before transport was tracked, which
  count as already at the institute), ``loans.dispatch_id``,
  ``loans.delivered_at`` and ``loans.return_announced_on`` (T4 collections).
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_TRANSITS = "transit IS NULL OR transit IN ('awaiting_dispatch', 'in_transit', 'delivered')"
_DISPATCHED = "transit IS NULL OR transit = 'awaiting_dispatch' OR dispatch_id IS NOT NULL"


def upgrade() -> None:
    op.create_table('dispatches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('route_code', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('dispatched_at', sa.DateTime(), nullable=False),
    sa.Column('loaded', sa.Integer(), nullable=False),
    sa.Column('missing', sa.Integer(), nullable=False),
    sa.Column('staff', sa.String(length=60), nullable=False),
    sa.Column('desk', sa.String(length=60), nullable=False),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('delivered_by', sa.String(length=60), nullable=True),
    sa.CheckConstraint('loaded >= 0 AND missing >= 0', name=op.f('ck_dispatches_counts')),
    sa.ForeignKeyConstraint(['route_code'], ['routes.code'], name=op.f('fk_dispatches_route_code_routes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatches')),
    sa.UniqueConstraint('route_code', 'day', name='uq_dispatches_route_day')
    )
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatches_day'), ['day'], unique=False)

    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transit', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('dispatch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('return_announced_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_loans_dispatch_id'), ['dispatch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_loans_dispatch_id_dispatches'), 'dispatches', ['dispatch_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_loans_transit'), sa.text(_TRANSITS))
        batch_op.create_check_constraint(op.f('ck_loans_dispatched_has_dispatch'), sa.text(_DISPATCHED))



def downgrade() -> None:
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_loans_dispatched_has_dispatch'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_loans_transit'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_loans_dispatch_id_dispatches'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_loans_dispatch_id'))
        batch_op.drop_column('return_announced_on')
        batch_op.drop_column('delivered_at')
        batch_op.drop_column('dispatch_id')
        batch_op.drop_column('transit')

    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatches_day'))

    op.drop_table('dispatches')
