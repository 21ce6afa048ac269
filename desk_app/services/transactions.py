"""A writing service's transaction, and the moment it records (issue 13, point 14).

SQLite begins every transaction IMMEDIATE (``store.engine``), so a desk waits
at the begin while another desk's transaction holds the write lock. A time
read before that wait is from before the other desk's commit: a checkout
queued behind the check-in of the same item then starts its loan a second or
two before the previous loan ended, and the audit trail runs backwards.
Reading the clock after the begin puts every write's time after everything
it waited for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session

from desk_app.services.context import DeskContext


@contextmanager
def write_transaction(ctx: DeskContext) -> Iterator[tuple[Session, datetime]]:
    """A session whose transaction has begun (on SQLite: holds the write
    lock), and the time read after that; committed at the end of the block,
    rolled back on an exception, as ``ctx.sessions.begin()``."""
    with ctx.sessions.begin() as session:
        session.connection()  # BEGIN now (IMMEDIATE on SQLite), not at the first query
        yield session, ctx.now()
