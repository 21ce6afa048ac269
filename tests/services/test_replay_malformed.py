"""A malformed replay file exits 2, names the event index and field, and
writes nothing (replay-format.md)."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers.desk_cli import ANNE_CARD, BOOK, desk, one_loan_scenario

GOOD = one_loan_scenario(
    {"at": "2026-01-05T10:00", "op": "checkout", "card": ANNE_CARD, "item": BOOK},
    {"at": "2026-01-06T10:00", "op": "checkin", "item": BOOK},
)


def _run(tmp_path: Path, text: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "case.json"
    path.write_text(text)
    return desk("replay", str(path), *(["--db", f"sqlite:///{db}"] if db is not None else []))


def _with(change) -> str:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(GOOD)
    change(data)
    return json.dumps(data)


def test_good_file_runs(tmp_path):
    done = _run(tmp_path, json.dumps(GOOD))
    assert done.returncode == 0, done.stderr
    assert [json.loads(x)["code"] for x in done.stdout.splitlines()] == ["LOANED", "RETURNED"]


CASES = {
    "bad_json": ('{"events": [', ["not valid JSON", "line 1"]),
    "unknown_op": (
        _with(lambda d: d["events"][1].update(op="teleport")),
        ["event 1", "op", "teleport"],
    ),
    "bad_date": (
        _with(lambda d: d["events"][1].update(at="2026-13-01T10:00")),
        ["event 1", "at", "2026-13-01"],
    ),
    "date_not_iso": (
        _with(lambda d: d["events"][0].update(at="05/01/2026 10:00")),
        ["event 0", "at"],
    ),
    "unknown_capacity": (
        _with(lambda d: d["events"][0].update(capacity="personal")),
        ["event 0", "capacity", "personal"],
    ),
    "missing_item": (
        _with(lambda d: d["events"][1].pop("item")),
        ["event 1", "item", "missing"],
    ),
    "unknown_category": (
        _with(lambda d: d["borrowers"][0].update(category="professor")),
        ["borrowers[0].category", "professor"],
    ),
    "unknown_loan_rule": (
        _with(lambda d: d["items"][0].update(loan_rule="forever")),
        ["items[0].loan_rule", "forever"],
    ),
    "declared_card_check_digit": (
        _with(lambda d: d["borrowers"][0].update(card="20010000000014")),
        ["borrowers[0].card", "check digit"],
    ),
    "unknown_institute": (
        _with(lambda d: d["borrowers"][0].update(institute="NOPE")),
        ["borrowers[0].institute", "NOPE"],
    ),
    "bad_agreed_date": (
        _with(
            lambda d: d["events"].append(
                {
                    "at": "2026-02-01T10:00",
                    "op": "contact",
                    "card": "20010000000013",
                    "item": "30010000000011",
                    "note": "called",
                    "agreed": "soon",
                }
            )
        ),
        ["event 2", "agreed", "soon"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_file_exits_2_names_the_place_and_writes_nothing(tmp_path, name):
    text, expected_words = CASES[name]
    db = tmp_path / "db" / "desk.sqlite3"
    done = _run(tmp_path, text, db)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    for word in expected_words:
        assert word in done.stderr, f"{word!r} not in: {done.stderr}"
    assert "Traceback" not in done.stderr
    assert not db.exists(), "a malformed file must not create or change the database"


def test_malformed_file_leaves_an_existing_database_unchanged(tmp_path):
    db = tmp_path / "db" / "desk.sqlite3"
    assert _run(tmp_path, json.dumps(GOOD), db).returncode == 0
    before = _dump(db)
    bad = _with(lambda d: d["events"].append({"at": "2026-02-01T10:00", "op": "renew"}))
    done = _run(tmp_path, bad, db)
    assert done.returncode == 2
    assert "event 2" in done.stderr and "item" in done.stderr
    assert _dump(db) == before


def _dump(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())
