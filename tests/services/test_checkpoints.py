"""A desk's SQLite log is checkpointed on a thread of its own, not inside the
commit of a scan (issue 6); command-line tools keep SQLite's own checkpoints."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from desk_app.store.checkpoints import WalCheckpointer
from desk_app.store.engine import MEMORY_URL
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.databases import sqlite_file_url


def _autocheckpoint(ctx) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return int(session.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def _write_some(ctx, rows: int = 200) -> None:  # type: ignore[no-untyped-def]
    with ctx.sessions.begin() as session:
        for n in range(rows):
            session.execute(
                text("INSERT INTO faculties (code, name) VALUES ('SCIENCE', :n)")
                if n == 0
                else text("UPDATE faculties SET name = :n WHERE code = 'SCIENCE'"),
                {"n": f"Science {n}"},
            )


def test_desk_checkpoints_in_the_background_not_in_the_commit(tmp_path: Path) -> None:
    ctx = open_desk(sqlite_file_url(tmp_path), cpr_key=TEST_CPR_KEY, background_checkpoints=True)
    try:
        checkpointer = ctx.checkpointer
        assert isinstance(checkpointer, WalCheckpointer)
        assert _autocheckpoint(ctx) == 0  # SQLite no longer checkpoints in a commit
        _write_some(ctx)
        done = checkpointer.run_once()
        assert not done.busy
        assert done.log_pages > 0
        assert done.checkpointed == done.log_pages  # every page copied back
    finally:
        ctx.close()
    assert checkpointer._thread is None  # stopped and joined


def test_command_line_keeps_sqlites_own_checkpoints(tmp_path: Path) -> None:
    ctx = open_desk(sqlite_file_url(tmp_path), cpr_key=TEST_CPR_KEY)
    try:
        assert ctx.checkpointer is None
        assert _autocheckpoint(ctx) == 1000
    finally:
        ctx.close()


def test_memory_database_has_no_log_to_checkpoint() -> None:
    ctx = open_desk(MEMORY_URL, cpr_key=TEST_CPR_KEY, background_checkpoints=True)
    try:
        assert ctx.checkpointer is None
    finally:
        ctx.close()
