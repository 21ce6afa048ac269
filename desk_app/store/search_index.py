"""The search indexes of migration 0010, as the store sees them (issue 15).

The desk's search (``services.search``) asks the database through indexes
made for it: FTS5 tables on SQLite (``borrower_search``, trigrams of the
folded names; ``item_search``, the words of titles, authors and call
numbers), ``pg_trgm`` GIN indexes on PostgreSQL. They are not models (an
FTS5 table is no table SQLAlchemy can describe), so:

- an in-memory database made from the models (``wiring.MEMORY_URL``) has
  no FTS5 tables, and a PostgreSQL without ``pg_trgm`` no GIN indexes: the
  search then scans (:func:`fts5_missing`; on PostgreSQL the same queries
  simply find no index);
- :func:`include_name` keeps them out of Alembic's comparison of the models
  with the database (``env.py``, ``tests/services/test_migrations.py``);
- :func:`rebuild` fills them again from the rows, for the bulk loader
  (``demo.bulk.FastLoad``), which drops the triggers while it writes
  millions of rows and calls this after.
"""

from __future__ import annotations

import logging
import weakref

from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)

# The FTS5 tables (and their shadow tables, "<name>_data", ...), the views
# that fold for them, and the PostgreSQL indexes: all named from these.
SQLITE_TABLES = ("borrower_search", "item_search")
PG_TRIGRAM_INDEXES = ("ix_search_borrowers_name", "ix_search_items_words")
PG_INDEXES = (*PG_TRIGRAM_INDEXES, "ix_search_items_call_number")
_PREFIXES = tuple(f"{name}_" for name in SQLITE_TABLES)


def is_search_object(name: str | None) -> bool:
    """Whether ``name`` is one of the search index's tables, views or indexes."""
    if not name:
        return False
    return name in SQLITE_TABLES or name.startswith(_PREFIXES) or name in PG_INDEXES


def include_name(name: str | None, type_: str, _parents: object = None) -> bool:
    """Alembic's ``include_name``: everything but the search index, which
    the models do not describe (the migration made it)."""
    return not (type_ in ("table", "index") and is_search_object(name))


_NO_FTS5: weakref.WeakSet[Engine] = weakref.WeakSet()


def fts5_missing(engine: Engine) -> bool:
    """Whether this SQLite engine's database was found without the FTS5
    tables (one made from the models, in memory): the search scans."""
    return engine in _NO_FTS5


def missing_table(error: Exception) -> bool:
    """Whether ``error`` is SQLite saying a search table does not exist."""
    text = str(getattr(error, "orig", error))
    return "no such table" in text and any(name in text for name in SQLITE_TABLES)


def note_fts5_missing(engine: Engine) -> None:
    """Remember (and say once) that this database has no FTS5 tables. The
    search asks without looking first, so a desk pays nothing for the check:
    only a database without them answers "no such table", once."""
    if engine not in _NO_FTS5:
        _NO_FTS5.add(engine)
        log.warning(
            "the search tables of migration 0010 are missing (a database made from the "
            "models): borrowers and items are searched by scanning them, slowly at scale"
        )


def has_fts5(connection: Connection) -> bool:
    """SQLite: whether the FTS5 tables are there."""
    names = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)", SQLITE_TABLES
    ).scalars()
    return set(names) == set(SQLITE_TABLES)


def has_trigram_indexes(connection: Connection) -> bool:
    """PostgreSQL: whether the GIN trigram indexes are there (without them,
    when ``pg_trgm`` could not be made, the search scans: migration 0010)."""
    found = connection.exec_driver_sql(
        "SELECT count(*) FROM pg_indexes WHERE indexname IN (%s, %s)", PG_TRIGRAM_INDEXES
    ).scalar()
    return found == len(PG_TRIGRAM_INDEXES)


# SQLite: the FTS5 tables filled again from the rows
SQLITE_REBUILD = (
    "DELETE FROM borrower_search",
    "INSERT INTO borrower_search (rowid, key) SELECT id, key FROM borrower_search_source",
    "INSERT INTO item_search (item_search) VALUES ('rebuild')",
)


def rebuild(connection: Connection) -> None:
    """Fill the FTS5 tables again from the rows (SQLite; nothing elsewhere,
    where the indexes are kept by the database)."""
    if connection.dialect.name != "sqlite" or not has_fts5(connection):
        return
    for statement in SQLITE_REBUILD:
        connection.exec_driver_sql(statement)
