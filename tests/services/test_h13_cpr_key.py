"""Issue 13 point 6 (B3): every desk on a database hashes health cards with the
same key. The first desk stores a fingerprint of its key (never the key); a
desk with another key refuses to start, saying which key and what to do, and
writes nothing. Also on PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest
from sqlalchemy import func, select

from desk_app.clock import FixedClock
from desk_app.store import key_check
from desk_app.store.engine import MEMORY_URL, make_engine
from desk_app.store.key_check import check_cpr_key, cpr_key_fingerprint
from desk_app.store.migrate import upgrade
from desk_app.store.models import Borrower, KeyFingerprint
from desk_app.wiring import CprKeyError, open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.desk_cli import desk
from tests.helpers.people import seed_cast

OTHER_KEY = b"another-data-folder-s-key"
NOW = datetime(2026, 3, 2, 10, 0)


def _rows(url: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(KeyFingerprint.purpose, KeyFingerprint.fingerprint)).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def test_h13_p6_the_first_desk_stores_a_fingerprint_not_the_key(backend_url):
    open_desk(backend_url, cpr_key=TEST_CPR_KEY, clock=FixedClock(NOW)).close()
    rows = _rows(backend_url)
    assert rows == [("cpr", cpr_key_fingerprint(TEST_CPR_KEY))]
    fingerprint = rows[0][1]
    assert TEST_CPR_KEY.decode() not in fingerprint
    assert fingerprint != hashlib.sha256(TEST_CPR_KEY).hexdigest()  # keyed, not a plain hash
    assert cpr_key_fingerprint(OTHER_KEY) != fingerprint


def test_h13_p6_a_desk_with_another_key_refuses_and_writes_nothing(backend_url, policy):
    first = open_desk(backend_url, cpr_key=TEST_CPR_KEY, policy=policy, clock=FixedClock(NOW))
    seed_cast(first)
    with first.sessions() as session:
        borrowers = session.scalar(select(func.count()).select_from(Borrower))
    first.close()
    with pytest.raises(CprKeyError) as refused:
        open_desk(
            backend_url,
            cpr_key=OTHER_KEY,
            policy=policy,
            key_source="the key file /srv/desk-b/cpr-hash.key",
        )
    message = str(refused.value)
    assert "another CPR key" in message and "/srv/desk-b/cpr-hash.key" in message
    assert "DESK_APP_CPR_KEY" in message and "cpr-hash.key" in message
    assert "\n" not in message and OTHER_KEY.decode() not in message
    assert _rows(backend_url) == [("cpr", cpr_key_fingerprint(TEST_CPR_KEY))]
    again = open_desk(backend_url, cpr_key=TEST_CPR_KEY, policy=policy)  # the right key: fine
    with again.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Borrower)) == borrowers
    again.close()


def test_h13_p6_a_database_from_before_the_check_takes_the_next_desks_key(backend_url):
    engine = make_engine(backend_url)
    upgrade(engine, "0007")
    engine.dispose()
    open_desk(backend_url, cpr_key=OTHER_KEY).close()
    assert _rows(backend_url) == [("cpr", cpr_key_fingerprint(OTHER_KEY))]


def test_h13_p6_two_first_desks_at_once_agree_on_one_fingerprint(backend_url, monkeypatch):
    """The other desk wrote between this one's look and its insert: the insert
    fails on the key, and the desk compares with what the other wrote."""
    open_desk(backend_url, cpr_key=TEST_CPR_KEY).close()
    engine = make_engine(backend_url)
    real = key_check._stored
    looks: list[str | None] = []

    def first_look_misses(bound):  # type: ignore[no-untyped-def]
        looks.append(None if not looks else real(bound))
        return looks[-1]

    monkeypatch.setattr(key_check, "_stored", first_look_misses)
    assert check_cpr_key(engine, TEST_CPR_KEY, NOW) is False
    assert looks == [None, cpr_key_fingerprint(TEST_CPR_KEY)]
    looks.clear()
    with pytest.raises(key_check.CprKeyMismatch):
        check_cpr_key(engine, OTHER_KEY, NOW)
    assert len(looks) == 2
    engine.dispose()


def test_h13_p6_in_memory_replay_databases_need_no_check():
    for key in (TEST_CPR_KEY, OTHER_KEY):
        ctx = open_desk(MEMORY_URL, cpr_key=key)
        with ctx.sessions() as session:
            assert session.scalars(select(KeyFingerprint)).all() == []
        ctx.close()


def test_h13_p6_two_data_folders_on_one_database_from_the_command_line(backend_url, tmp_path):
    """Desk A's data folder makes a key file; desk B's makes another: B stops,
    naming its key file and what to do; B with A's key file works."""
    folder_a, folder_b = tmp_path / "a", tmp_path / "b"
    no_key = {"DESK_APP_CPR_KEY": ""}
    first = desk(
        "--db", backend_url, "staff", "list", env={**no_key, "DESK_APP_DATA_DIR": str(folder_a)}
    )
    assert first.returncode == 0, first.stderr
    second = desk(
        "--db", backend_url, "staff", "list", env={**no_key, "DESK_APP_DATA_DIR": str(folder_b)}
    )
    assert second.returncode == 2
    assert f"the key file {folder_b / 'cpr-hash.key'}" in second.stderr
    assert "copy cpr-hash.key" in second.stderr and "Traceback" not in second.stderr
    assert second.stderr.count("\n") == 1
    (folder_b / "cpr-hash.key").write_bytes((folder_a / "cpr-hash.key").read_bytes())
    third = desk(
        "--db", backend_url, "staff", "list", env={**no_key, "DESK_APP_DATA_DIR": str(folder_b)}
    )
    assert third.returncode == 0, third.stderr
    by_env = desk("--db", backend_url, "staff", "list", env={"DESK_APP_CPR_KEY": "wrong"})
    assert by_env.returncode == 2 and "the environment variable DESK_APP_CPR_KEY" in by_env.stderr
