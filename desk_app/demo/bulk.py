"""The bulk writer: millions of rows through the driver's own bulk path.

Rows are tuples in a table's column order, written with ``executemany`` in
one SQLite transaction per table (journal off while loading, the indexes
dropped and made again afterwards) or ``COPY`` on PostgreSQL; not the ORM,
which would take hours at library scale. The schema is the desk's own
migrations, so the database is exactly what a desk opens. The demo's writer,
through the desk's session, is ``write``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, Table
from sqlalchemy.types import Boolean, Date, DateTime, Numeric

from desk_app.store import search_index

Row = tuple[Any, ...]


class Writer:
    """Bulk rows into one table: ``rows`` are tuples in ``columns`` order."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    def write(self, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> int:
        if self.dialect == "sqlite":
            return self._sqlite(table, columns, rows)
        return self._postgresql(table, columns, rows)

    def _sqlite(self, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> int:
        # SQLAlchemy stores dates and times on SQLite as ISO text (a space
        # between date and time, microseconds always), booleans as 0/1 and
        # amounts as floats: write the same, or the desk's comparisons would
        # miss the rows.
        convert: list[Callable[[Any], Any] | None] = []
        for name in columns:
            kind = table.c[name].type
            if isinstance(kind, DateTime):
                convert.append(_sqlite_datetime)
            elif isinstance(kind, Date):
                convert.append(_iso)
            elif isinstance(kind, Boolean):
                convert.append(_bit)
            elif isinstance(kind, Numeric):
                convert.append(float)
            else:
                convert.append(None)
        todo = [(i, f) for i, f in enumerate(convert) if f is not None]

        def converted() -> Iterator[Row]:
            for row in rows:
                values = list(row)
                for i, f in todo:
                    if values[i] is not None:
                        values[i] = f(values[i])
                yield tuple(values)

        sql = (
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        raw = self.engine.raw_connection()
        try:
            conn: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
            conn.execute("BEGIN")
            cursor = conn.executemany(sql, converted())
            count = cursor.rowcount
            conn.execute("COMMIT")
        finally:
            raw.close()
        return count

    def _postgresql(self, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> int:
        raw = self.engine.raw_connection()
        count = 0
        try:
            sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
            cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            raw.commit()
        finally:
            raw.close()
        return count


def _iso(value: date) -> str:
    return value.isoformat()


def _sqlite_datetime(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _bit(value: bool) -> int:
    return 1 if value else 0


def sqlite_value(value: Any) -> Any:
    """Any value as the desk's SQLAlchemy stores it on SQLite (by its type)."""
    if isinstance(value, datetime):
        return _sqlite_datetime(value)
    if isinstance(value, date):
        return _iso(value)
    if isinstance(value, bool):
        return _bit(value)
    return value


class FastLoad:
    """SQLite: no journal while loading, and the tables' secondary indexes
    made once at the end instead of kept up row by row (several times faster);
    the database is put back in WAL mode, as the desk opens it.

    The search index (migration 0010, ``store.search_index``) is made once at
    the end too: on SQLite the triggers that keep the FTS5 tables in step are
    dropped while loading (an FTS5 insert per row would double the load) and
    the tables rebuilt from the rows after; on PostgreSQL the GIN trigram
    indexes are dropped and made again after the ``COPY``."""

    def __init__(self, engine: Engine, tables: Sequence[str]) -> None:
        self.engine = engine
        self.tables = tables
        self.indexes: list[str] = []
        self.triggers: list[str] = []

    def __enter__(self) -> FastLoad:
        if self.engine.dialect.name == "postgresql":
            self._drop_trigram_indexes()
            return self
        if self.engine.dialect.name != "sqlite":
            return self
        raw = self.engine.raw_connection()
        try:
            conn = raw.driver_connection
            marks = ", ".join("?" * len(self.tables))
            found = conn.execute(  # type: ignore[union-attr]
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
                f" AND sql IS NOT NULL AND tbl_name IN ({marks})",
                tuple(self.tables),
            ).fetchall()
            for kind, name, sql in found:
                conn.execute(f'DROP {kind.upper()} "{name}"')  # type: ignore[union-attr]
                (self.indexes if kind == "index" else self.triggers).append(sql)
            conn.execute("PRAGMA journal_mode = OFF")  # type: ignore[union-attr]
        finally:
            raw.close()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.engine.dialect.name == "postgresql":
            self._make_trigram_indexes()
        if self.engine.dialect.name == "sqlite":
            raw = self.engine.raw_connection()
            try:
                conn = raw.driver_connection
                conn.execute("PRAGMA cache_size = -1000000")  # type: ignore[union-attr]
                for sql in self.indexes:
                    conn.execute(sql)  # type: ignore[union-attr]
                tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}  # type: ignore[union-attr]
                if set(search_index.SQLITE_TABLES) <= tables:
                    for sql in search_index.SQLITE_REBUILD:
                        conn.execute(sql)  # type: ignore[union-attr]
                for sql in self.triggers:
                    conn.execute(sql)  # type: ignore[union-attr]
                conn.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
            finally:
                raw.close()
        self.engine.dispose()  # the pool's connections saw the old journal mode

    def _drop_trigram_indexes(self) -> None:
        with self.engine.begin() as conn:
            found = conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
                (list(search_index.PG_TRIGRAM_INDEXES),),
            ).all()
            for name, sql in found:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
                self.indexes.append(sql)

    def _make_trigram_indexes(self) -> None:
        if not self.indexes:
            return
        with self.engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
            for sql in self.indexes:
                conn.exec_driver_sql(sql.replace("%", "%%"))


# What one bulk statement may take (seconds): a COPY of a million items or a
# VACUUM ANALYZE of a library runs for minutes, not the desk's 5 s.
BULK_TIMEOUT = 3600.0


def bulk_engine(desk_engine: Engine) -> Engine:
    """An engine for the bulk load. On PostgreSQL a new one with
    :data:`BULK_TIMEOUT` (the desk's engine cancels any statement after its
    ``DESK_APP_DB_TIMEOUT``, the generator's ``COPY`` included); on SQLite the
    desk's own (an in-memory database exists only on that engine, and its busy
    timeout does not limit a statement)."""
    if desk_engine.dialect.name != "postgresql":
        return desk_engine
    from desk_app.store.engine import make_engine

    url = desk_engine.url.render_as_string(hide_password=False)
    return make_engine(url, timeout=BULK_TIMEOUT)


def finish(engine: Engine, tables: Sequence[str]) -> None:
    """PostgreSQL: move the id sequences past the rows, and ANALYZE as
    autovacuum would have on a live database. SQLite: nothing (the desk runs
    no ANALYZE, so the planner sees what it sees in a library)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        conn.exec_driver_sql("VACUUM ANALYZE")
