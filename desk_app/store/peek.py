"""Reading a database without opening it as a desk: nothing is migrated,
written or created.

A replay file is checked in full before its database is opened (issue 13
point 20: a malformed file left an empty migrated schema behind), and a
borrower in it may belong to an institute only that database has. An SQLite
file is therefore opened read-only through ``sqlite3`` itself (the desk's
engine would make its folder and switch it to WAL), PostgreSQL in a
transaction that only reads.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from desk_app.store.engine import (
    MEMORY_URL,
    READS_ONLY,
    check_url,
    display_url,
    is_sqlite_file,
    make_engine,
)
from desk_app.store.models import Institute


class PeekError(Exception):
    """The database cannot be read; one line, without a password."""


def institute_codes(url: str) -> frozenset[str]:
    """The institute codes of the database at ``url``: none when it (an SQLite
    file), or its institutes table, does not exist yet."""
    try:
        if is_sqlite_file(url):
            return _sqlite_institutes(Path(check_url(url).split("sqlite:///", 1)[-1]))
        if check_url(url) == MEMORY_URL:
            return frozenset()
        engine = make_engine(url)
        try:
            with engine.connect().execution_options(**{READS_ONLY: True}) as connection:
                if not connection.dialect.has_table(connection, Institute.__tablename__):
                    return frozenset()
                return frozenset(connection.scalars(select(Institute.code)))
        finally:
            engine.dispose()
    except (ValueError, SQLAlchemyError, sqlite3.Error) as exc:
        lines = str(exc).strip().splitlines()
        raise PeekError(
            f"cannot read the institutes of {_label(url)}: {lines[0] if lines else exc!r}"
        ) from exc


def _label(url: str) -> str:
    """The URL as a message may show it (no password); a URL too broken to
    parse is not shown at all, since the password could not be found in it."""
    try:
        return display_url(url)
    except (ValueError, SQLAlchemyError):
        return "the database (its URL cannot be read)"


def _sqlite_institutes(path: Path) -> frozenset[str]:
    if not path.is_file():
        return frozenset()
    connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        found = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
            (Institute.__tablename__,),
        ).fetchone()
        if found is None:
            return frozenset()
        rows = connection.execute(f"SELECT code FROM {Institute.__tablename__}")
        return frozenset(row[0] for row in rows)
    finally:
        connection.close()
