"""CPR key fingerprint

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24

Issue 13 point 6: two desks with different CPR keys (B3) on one database
find no health card the other enrolled, and enrol the borrower twice.
``key_fingerprints`` holds an HMAC of a fixed text under the key (never the
key); the first desk to open the database writes it, and a desk whose key
gives another fingerprint refuses to start (``desk_app.store.key_check``).
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('key_fingerprints',
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('purpose', name=op.f('pk_key_fingerprints'))
    )


def downgrade() -> None:
    op.drop_table('key_fingerprints')
