"""indexes for the desk's lookups at library scale

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Issue 6: a checkout asks for the item's open loan and the borrower's
unsettled suspensions; with 2 M closed loans beside the open ones, the
single-column indexes on ``loans.item_id`` and ``loans.borrower_id`` made
SQLite read every loan the item or the borrower ever had (hundreds for a
busy borrower) to find the open ones. The same columns lead the new indexes,
so they still serve the foreign keys. ``audit.loan_id`` lets the undo of a
checkout (which asks whether anything happened to the loan since) find the
loan's entries without reading millions.
"""

from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.create_index('ix_loans_item_state', ['item_id', 'state'], unique=False)
        batch_op.create_index(
            'ix_loans_borrower_state_step', ['borrower_id', 'state', 'step'], unique=False
        )
        batch_op.drop_index('ix_loans_item_id')
        batch_op.drop_index('ix_loans_borrower_id')
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.create_index('ix_audit_loan_id', ['loan_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_loan_id')
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.create_index('ix_loans_borrower_id', ['borrower_id'], unique=False)
        batch_op.create_index('ix_loans_item_id', ['item_id'], unique=False)
        batch_op.drop_index('ix_loans_borrower_state_step')
        batch_op.drop_index('ix_loans_item_state')
