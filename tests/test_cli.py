"""The console commands, run as a user would."""

from __future__ import annotations

import json

from tests.helpers.desk_cli import ANNE_CARD, BOOK, desk, one_loan_scenario

SCENARIO = one_loan_scenario(
    {
        "at": "2025-01-05T10:00",
        "op": "checkout",
        "card": ANNE_CARD,
        "item": BOOK,
        "staff": "kari",
        "desk": "KUB Nord",
    }
)


def test_S6_notices_command_runs_once_per_day_on_the_replayed_database(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(SCENARIO))
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    assert desk("replay", str(path), "--db", url).returncode == 0
    first = desk("--db", url, "notices", "--date", "2026-01-06")
    assert first.returncode == 0, first.stderr
    assert "1 notice(s)" in first.stdout and "RECALL" in first.stdout
    again = desk("--db", url, "notices", "--date", "2026-01-06")
    assert "0 notice(s)" in again.stdout


def test_replay_records_staff_and_desk_of_each_event(tmp_path):
    import sqlite3

    path = tmp_path / "s.json"
    path.write_text(json.dumps(SCENARIO))
    db = tmp_path / "desk.sqlite3"
    assert desk("replay", str(path), "--db", f"sqlite:///{db}").returncode == 0
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT staff, desk, action, code FROM audit").fetchall()
    assert rows == [("kari", "KUB Nord", "checkout", "LOANED")]


def test_help_lists_the_commands():
    done = desk("--help")
    assert done.returncode == 0
    for command in ("replay", "notices", "demo"):
        assert command in done.stdout
