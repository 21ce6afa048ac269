"""``wiring.institutes_at``: a replay file's institutes are looked up in the
``--db`` database before it is opened as a desk, reading only (issue 13
point 20): nothing is created, migrated or written, and the command line
needs no SQL of its own for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.services.enrolment import InstituteRecord, declare
from desk_app.wiring import DatabaseOpenError, institutes_at, one_transaction
from tests.helpers.databases import sqlite_file_url


def test_a_database_without_a_file_has_none_and_is_not_made(tmp_path: Path):
    url = sqlite_file_url(tmp_path / "none")
    assert institutes_at(url) == frozenset()
    assert not (tmp_path / "none").exists(), "reading must not make the folder or the file"


def test_the_memory_database_has_none():
    assert institutes_at("sqlite://") == frozenset()


def test_a_file_that_is_no_database_is_one_line_naming_it(tmp_path: Path):
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(DatabaseOpenError) as refused:
        institutes_at(sqlite_file_url(tmp_path))
    assert str(refused.value).startswith(f"cannot read the institutes of sqlite:///{path}")
    assert "\n" not in str(refused.value)
    assert path.read_bytes() == b"not a database at all" * 100


def test_a_password_is_never_shown():
    with pytest.raises(DatabaseOpenError) as refused:
        institutes_at("mysql://clerk:s3cret@db.example/desk")
    assert "s3cret" not in str(refused.value)


def test_the_codes_a_desk_database_has_are_read(ctx, actor):
    declare(ctx, actor, [InstituteRecord("NBI", "Niels Bohr Institute", "SCIENCE", "self_pickup")])
    url = ctx.sessions.kw["bind"].url.render_as_string(hide_password=False)
    assert "NBI" in institutes_at(url)


def test_one_transaction_keeps_nothing_without_commit(ctx, actor):
    url = ctx.sessions.kw["bind"].url.render_as_string(hide_password=False)
    record = InstituteRecord("TMP", "Kept only if committed", "HUM", "self_pickup")
    with one_transaction(ctx) as run:
        declare(run.ctx, actor, [record])
    assert "TMP" not in institutes_at(url)
    with one_transaction(ctx) as run:
        declare(run.ctx, actor, [record])
        run.commit()
    assert "TMP" in institutes_at(url)
