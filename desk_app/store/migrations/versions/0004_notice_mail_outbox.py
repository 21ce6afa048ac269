"""notice mail outbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21

§5 S6 (issue 5): ``notice_mails``, the outbox of the daily run. One row per
borrower per run, written with the run's notices; the mailer claims, sends
and marks each row, and a failed send stays pending for the next run.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notice_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('borrower_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('message_id', sa.String(length=200), nullable=True),
    sa.CheckConstraint("state <> 'sent' OR sent_at IS NOT NULL", name=op.f('ck_notice_mails_sent_has_time')),
    sa.CheckConstraint("state IN ('pending', 'sending', 'sent', 'failed', 'postal')", name=op.f('ck_notice_mails_state')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_notice_mails_attempts')),
    sa.ForeignKeyConstraint(['borrower_id'], ['borrowers.id'], name=op.f('fk_notice_mails_borrower_id_borrowers')),
    sa.ForeignKeyConstraint(['run_id'], ['notice_runs.id'], name=op.f('fk_notice_mails_run_id_notice_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_mails')),
    sa.UniqueConstraint('run_id', 'borrower_id', name='uq_notice_mails_one_per_run')
    )
    with op.batch_alter_table('notice_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_mails_borrower_id'), ['borrower_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_mails_state'), ['state'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notice_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_mails_state'))
        batch_op.drop_index(batch_op.f('ix_notice_mails_borrower_id'))

    op.drop_table('notice_mails')
