"""Issue 13 point 13, on SQLite and PostgreSQL: a version table the desk
cannot trust (two rows, a revision newer than its scripts) is a one-line
DatabaseOpenError before anything is written; so is a URL it cannot use."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from desk_app.store.engine import make_engine
from desk_app.store.migrate import check_schema_version, script_head
from desk_app.wiring import DatabaseOpenError, StartupError, open_desk
from tests.conftest import TEST_CPR_KEY


def _state(url: str) -> tuple[list[str], list[str]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        tables = sorted(inspect(connection).get_table_names())
        versions = sorted(
            connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        )
    engine.dispose()
    return tables, versions


def _tamper(url: str, statement: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


def test_h13_p13_two_version_rows_are_refused_before_any_write(backend_url):
    open_desk(backend_url, cpr_key=TEST_CPR_KEY).close()
    _tamper(backend_url, "INSERT INTO alembic_version VALUES ('0003')")
    before = _state(backend_url)
    with pytest.raises(DatabaseOpenError, match="alembic_version table has 2 rows") as refused:
        open_desk(backend_url, cpr_key=TEST_CPR_KEY)
    assert "\n" not in str(refused.value)
    assert _state(backend_url) == before


def test_h13_p13_a_newer_schema_is_refused_before_any_write(backend_url):
    open_desk(backend_url, cpr_key=TEST_CPR_KEY).close()
    _tamper(backend_url, "UPDATE alembic_version SET version_num = '0099'")
    before = _state(backend_url)
    with pytest.raises(DatabaseOpenError, match=r"revision '0099'.*a newer desk-app"):
        open_desk(backend_url, cpr_key=TEST_CPR_KEY)
    assert _state(backend_url) == before


def test_h13_p13_known_and_older_revisions_pass_the_check():
    check_schema_version([])
    check_schema_version(["0001"])
    check_schema_version([script_head() or "0001"])


@pytest.mark.parametrize("url", ["mysql://x@y/z", "oracle://x", "nonsense", ""])
def test_h13_p13_a_url_desk_app_cannot_use_is_a_startup_error(url):
    with pytest.raises(StartupError, match="sqlite:///PATH or postgresql://"):
        open_desk(url, cpr_key=TEST_CPR_KEY, url_source="--db")
