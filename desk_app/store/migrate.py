"""Bring a database to the newest schema with Alembic.

Every desk calls :func:`upgrade` at start; on PostgreSQL an advisory lock
keeps two desks that start together from migrating at once.

SQLite cannot alter a constraint in place: Alembic's batch mode copies the
table, drops the old one and renames the copy. Dropping a table that other
rows point at fails while foreign keys are enforced, and the pragma that
turns them off is ignored inside a transaction. So SQLite migrations run
with foreign keys off, and every reference is checked before the commit
(``PRAGMA foreign_key_check``): the recipe of SQLite's ALTER TABLE page.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

_LOCK_KEY = 4_711_2017  # PostgreSQL advisory lock id for migrations


class MigrationError(RuntimeError):
    """A migration would leave the database inconsistent; nothing was committed."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("desk_app.store").joinpath("migrations"))
    )
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to ``revision`` (default: the newest) in one transaction."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
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
