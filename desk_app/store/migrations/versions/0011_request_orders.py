"""requests: the order form's number, day and note, for the orders import (issue 15)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

``desk-app orders import FILE.csv`` places the orders of the library's order
form as requests (``services.order_import``). Each keeps

- ``order_ref``: the order form's number, unique (NULL for a request typed at
  the desk, and NULLs never collide): a re-import of the same file finds it
  and places nothing twice, and two imports at once cannot both place it;
- ``ordered_on``: the day the borrower ordered, as the form says (the
  request's ``placed_at`` is when the desk placed it);
- ``order_note``: the order's note for staff, cut to 200 characters and
  CPR-masked (B3) before it is stored.

Three nullable columns and an index: no table is copied, on SQLite either.
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('requests', sa.Column('order_ref', sa.String(length=40), nullable=True))
    op.add_column('requests', sa.Column('ordered_on', sa.Date(), nullable=True))
    op.add_column('requests', sa.Column('order_note', sa.String(length=200), nullable=True))
    op.create_index('uq_requests_order_ref', 'requests', ['order_ref'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_requests_order_ref', table_name='requests')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_column('order_note')
        batch_op.drop_column('ordered_on')
        batch_op.drop_column('order_ref')
