"""Fresh databases for tests: an SQLite file, or a PostgreSQL database that
the test creates and drops itself."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from desk_app.store.engine import normalise_url

PG_ENV = "DESK_APP_TEST_DATABASE_URL"


def postgres_server_url() -> str | None:
    url = os.environ.get(PG_ENV)
    return normalise_url(url) if url else None


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create a uniquely named database on the test server; drop it after."""
    server = postgres_server_url()
    assert server, f"{PG_ENV} is not set"
    name = f"deskapp_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def sqlite_file_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'desk.sqlite3'}"
