"""Bring a database to the newest schema with Alembic.

Every desk calls :func:`upgrade` at start; on PostgreSQL an advisory lock
keeps two desks that start together from migrating at once.

SQLite cannot alter a constraint in place: Alembic's batch mode copies the
table, drops the old one and renames the copy. Dropping a table that other
rows point at fails while foreign keys are enforced, and the pragma that
turns them off is ignored inside a transaction. So SQLite migrations run
with foreign keys off, and every reference is checked before the commit
(``PRAGMA foreign_key_check``): the recipe of SQLite's ALTER TABLE page.

Every desk start checks the schema, and nearly always it is up to date; so
Alembic itself (with Mako and Pygments, about 0.15 s of imports) is loaded
only when the database's ``alembic_version`` row is not plainly the newest
revision of the migration scripts (:func:`script_head`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from desk_app.store.engine import READS_ONLY

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from alembic.config import Config

_LOCK_KEY = 4_711_2017  # PostgreSQL advisory lock id for migrations

VERSION_TABLE = "alembic_version"  # Alembic's default; env.py keeps it

# ``revision = '0004'`` / ``down_revision: str | None = '0003'`` in a script
_IDENTIFIERS = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


class MigrationError(RuntimeError):
    """A migration would leave the database inconsistent; nothing was committed."""


class SchemaError(RuntimeError):
    """The database's schema version is not one this desk can work with (two
    version rows, or a revision newer than its scripts); nothing was written."""


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("desk_app.store").joinpath("migrations"))
    )
    return config


def head_revision() -> str | None:
    """The newest revision as Alembic finds it in the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with _reading(engine) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _reading(engine: Engine) -> Connection:
    """A connection for the start's schema check, which only reads: on SQLite
    it does not wait for the write lock of another desk's migration."""
    return engine.connect().execution_options(**{READS_ONLY: True})


def script_head(versions: Traversable | None = None) -> str | None:
    """The newest revision of the migration scripts (in ``versions``, default
    the desk's), from their ``revision`` and ``down_revision`` lines, without
    importing them (they, and Alembic's revision map, load Alembic). None
    whenever the lines do not say it plainly (several heads, a script written
    differently): then Alembic decides."""
    graph = _script_graph(versions)
    if graph is None:
        return None
    revisions, parents = graph
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def script_revisions(versions: Traversable | None = None) -> set[str] | None:
    """Every revision the migration scripts know (None: not plainly readable)."""
    graph = _script_graph(versions)
    return None if graph is None else graph[0]


def _script_graph(versions: Traversable | None) -> tuple[set[str], set[str]] | None:
    """The scripts' revisions and the revisions that have a successor."""
    revisions: set[str] = set()
    parents: set[str] = set()
    if versions is None:
        versions = resources.files("desk_app.store.migrations").joinpath("versions")
    for script in versions.iterdir():
        if not script.name.endswith(".py") or script.name.startswith("__"):
            continue
        found = dict(_IDENTIFIERS.findall(script.read_text("utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        down_revisions = (down,) if isinstance(down, str) else down or ()
        if not isinstance(revision, str) or not isinstance(down_revisions, tuple | list):
            return None
        if not all(isinstance(parent, str) for parent in down_revisions):
            return None
        revisions.add(revision)
        parents.update(down_revisions)
    return revisions, parents


def stamped_revisions(engine: Engine) -> list[str]:
    """The revision ids in the database's ``alembic_version`` table (none for a
    new database), read with plain SQL: no Alembic needed."""
    with _reading(engine) as connection:
        if not connection.dialect.has_table(connection, VERSION_TABLE):
            return []
        return list(connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())


def check_schema_version(stamped: list[str], versions: Traversable | None = None) -> None:
    """Refuse, before anything is written, a version table Alembic would stumble
    on with a traceback (issue 13): several rows, or a revision these scripts
    do not know, which a newer desk-app wrote."""
    if len(stamped) > 1:
        rows = ", ".join(sorted(stamped))
        raise SchemaError(
            f"the database's {VERSION_TABLE} table has {len(stamped)} rows ({rows}), "
            "not one: its schema version is unclear; keep only the row of the "
            "schema the database really has, then start the desk again"
        )
    known = script_revisions(versions)
    if stamped and known is not None and stamped[0] not in known:
        newest = script_head(versions) or "?"
        raise SchemaError(
            f"the database's schema is revision {stamped[0][:40]!r}, which this desk-app "
            f"does not know (its newest is {newest!r}): a newer desk-app has upgraded it; "
            "install that version here"
        )


def upgrade(
    engine: Engine, revision: str = "head", *, migrating: Callable[[], Engine] | None = None
) -> None:
    """Migrate to ``revision`` (default: the newest) in one transaction.
    :class:`SchemaError` (nothing written) for a version table it cannot trust.

    ``migrating``: makes the engine the migration runs on, one that waits
    longer than a desk's (an index build over millions of rows, another
    desk's migration lock); called only when there is something to migrate,
    and disposed after. Without it the migration runs on ``engine``. The
    check for an up-to-date schema always runs on ``engine``: the usual start
    opens nothing more."""
    stamped = stamped_revisions(engine)
    check_schema_version(stamped)
    if revision == "head" and stamped == [script_head()]:
        return  # up to date: the usual start, without loading Alembic
    if revision == "head" and current_revision(engine) == head_revision():
        return
    if migrating is None:
        _run_upgrade(engine, revision)
        return
    long_engine = migrating()
    try:
        _run_upgrade(long_engine, revision)
    finally:
        long_engine.dispose()


def _run_upgrade(engine: Engine, revision: str) -> None:
    """Alembic's upgrade in one transaction, under the migration lock
    (PostgreSQL) or the write lock (SQLite, with its references checked)."""
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise MigrationError(f"the migration breaks references: {broken[:5]}")
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    """Set the pragma outside any transaction (inside one SQLite ignores it),
    on the driver connection, so SQLAlchemy begins nothing first."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
