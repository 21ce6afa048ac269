"""Bring a database to the newest schema with Alembic.

Every desk calls :func:`upgrade` at start; on PostgreSQL an advisory lock
keeps two desks that start together from migrating at once.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

_LOCK_KEY = 4_711_2017  # PostgreSQL advisory lock id for migrations


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


def upgrade(engine: Engine) -> None:
    if current_revision(engine) == head_revision():
        return
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
