"""search indexes for finding borrowers and items at the desk (issue 15)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

Filled in by the search work of issue 15 (FTS5 on SQLite, pg_trgm on
PostgreSQL).
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
