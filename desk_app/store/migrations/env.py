"""Alembic environment: runs on the connection ``migrate.upgrade`` passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from desk_app.store.models import Base
from desk_app.store.search_index import include_name

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from desk_app.store.engine import make_engine

        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise SystemExit("no connection given and no sqlalchemy.url to migrate")
        engine = make_engine(url)
        with engine.connect() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,  # the search index (0010) is no model
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported")
run_migrations_online()
