"""notice mail: uncertain, expired and superseded messages, the letter's day

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Issue 13 point 12. ``notice_mails.state`` may also be

- ``uncertain``: the connection was lost after the message's DATA went out,
  so the server may have stored it; it is never sent again by e-mail (at most
  once) and goes out as a printed letter instead;
- ``expired``: the mail server could not take it within the set time (24 h
  after its run); a printed letter instead;
- ``superseded``: every notice in it has a newer notice for the same loan; it
  is neither sent nor printed.

``notice_mails.letter_on`` (indexed) is the day a message went to the
printed letters after its run (NULL: the run's own day, as for ``postal``),
so that day's batch of letters holds it. SQLite cannot alter a CHECK constraint: batch mode
copies the table (no other table points at ``notice_mails``).
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_OLD_STATES = "state IN ('pending', 'sending', 'sent', 'failed', 'postal')"
_NEW_STATES = (
    "state IN ('pending', 'sending', 'sent', 'failed', 'postal', "
    "'uncertain', 'expired', 'superseded')"
)


def upgrade() -> None:
    with op.batch_alter_table('notice_mails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_on', sa.Date(), nullable=True))
        batch_op.drop_constraint(op.f('ck_notice_mails_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_notice_mails_state'), sa.text(_NEW_STATES))
        batch_op.create_index(batch_op.f('ix_notice_mails_letter_on'), ['letter_on'], unique=False)


def downgrade() -> None:
    # 0004's states have no word for these; a letter was printed (or not
    # needed) for each, and "failed" is what 0004 calls a message on paper.
    op.execute(
        "UPDATE notice_mails SET state = 'failed' "
        "WHERE state IN ('uncertain', 'expired', 'superseded')"
    )
    with op.batch_alter_table('notice_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_mails_letter_on'))
        batch_op.drop_constraint(op.f('ck_notice_mails_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_notice_mails_state'), sa.text(_OLD_STATES))
        batch_op.drop_column('letter_on')
