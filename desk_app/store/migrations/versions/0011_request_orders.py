"""requests: the order form's number, for the orders import (issue 15)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Filled in by the orders-import work of issue 15.
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
