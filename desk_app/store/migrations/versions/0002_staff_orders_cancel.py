"""staff accounts, M3 alternative orders, cancelled loans

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

- ``staff``: who may sign in at a desk, with which role (issue 3).
- ``alternative_orders``: M3 alternatives ordered for reading-room items.
- ``loans.state`` may be ``cancelled`` (a checkout undone at once): the CHECK
  constraint is replaced. SQLite cannot alter a CHECK constraint, so batch
  mode copies the table; the copy keeps the partial unique index on open
  loans (re-created below exactly as 0001 made it).
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_OLD_STATES = "state IN ('open', 'returned', 'lost', 'discharged')"
_NEW_STATES = "state IN ('open', 'returned', 'lost', 'discharged', 'cancelled')"
_OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('card', sa.String(length=32), nullable=True),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('desk', 'courier', 'supervisor', 'admin')", name=op.f('ck_staff_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('card', name=op.f('uq_staff_card')),
    sa.UniqueConstraint('name', name=op.f('uq_staff_name'))
    )
    op.create_table('alternative_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('borrower_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('alternative', sa.String(length=20), nullable=False),
    sa.Column('placed_at', sa.DateTime(), nullable=False),
    sa.Column('staff', sa.String(length=60), nullable=False),
    sa.Column('desk', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.CheckConstraint("alternative IN ('DIGITAL_COPY', 'ILL', 'READING_ROOM_WEST')", name=op.f('ck_alternative_orders_alternative')),
    sa.CheckConstraint("state IN ('open', 'fulfilled', 'cancelled')", name=op.f('ck_alternative_orders_state')),
    sa.ForeignKeyConstraint(['borrower_id'], ['borrowers.id'], name=op.f('fk_alternative_orders_borrower_id_borrowers')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_alternative_orders_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alternative_orders'))
    )
    with op.batch_alter_table('alternative_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alternative_orders_borrower_id'), ['borrower_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alternative_orders_item_id'), ['item_id'], unique=False)

    _replace_loan_states(_NEW_STATES)


def downgrade() -> None:
    # Undone checkouts have no place in 0001's states; the audit trail points
    # at them, so they are never deleted to make a downgrade fit.
    cancelled = op.get_bind().exec_driver_sql("SELECT count(*) FROM loans WHERE state = 'cancelled'").scalar()
    if cancelled:
        raise RuntimeError(f"cannot downgrade below 0002: {cancelled} cancelled (undone) loan(s) exist")
    _replace_loan_states(_OLD_STATES)
    with op.batch_alter_table('alternative_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alternative_orders_item_id'))
        batch_op.drop_index(batch_op.f('ix_alternative_orders_borrower_id'))

    op.drop_table('alternative_orders')
    op.drop_table('staff')


def _replace_loan_states(condition: str) -> None:
    # On SQLite the batch copies ``loans`` and drops the old table while
    # requests, notices, claims, charges and audit rows point at it:
    # ``migrate.upgrade`` runs SQLite migrations with foreign keys off and
    # checks them all before it commits (SQLite's own recipe for this).
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_loans_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_loans_state'), sa.text(condition))
