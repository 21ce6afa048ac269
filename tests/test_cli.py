"""The console commands, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys

SCENARIO = {
    "institutes": [
        {
            "code": "DIKU",
            "name": "Computer Science",
            "faculty": "SCIENCE",
            "delivery": "courier",
            "route": "NORTH",
        }
    ],
    "borrowers": [
        {
            "card": "20010000000013",
            "name": "Anne Jensen",
            "category": "researcher",
            "institute": "DIKU",
        }
    ],
    "items": [{"barcode": "30010000000011", "title": "Concrete Mathematics"}],
    "events": [
        {
            "at": "2025-01-05T10:00",
            "op": "checkout",
            "card": "20010000000013",
            "item": "30010000000011",
            "staff": "kari",
            "desk": "KUB Nord",
        }
    ],
}


def _desk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desk_app", *args], capture_output=True, text=True, timeout=120
    )


def test_S6_notices_command_runs_once_per_day_on_the_replayed_database(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(SCENARIO))
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    assert _desk("replay", str(path), "--db", url).returncode == 0
    first = _desk("--db", url, "notices", "--date", "2026-01-06")
    assert first.returncode == 0, first.stderr
    assert "1 notice(s)" in first.stdout and "RECALL" in first.stdout
    again = _desk("--db", url, "notices", "--date", "2026-01-06")
    assert "0 notice(s)" in again.stdout


def test_replay_records_staff_and_desk_of_each_event(tmp_path):
    import sqlite3

    path = tmp_path / "s.json"
    path.write_text(json.dumps(SCENARIO))
    db = tmp_path / "desk.sqlite3"
    assert _desk("replay", str(path), "--db", f"sqlite:///{db}").returncode == 0
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT staff, desk, action, code FROM audit").fetchall()
    assert rows == [("kari", "KUB Nord", "checkout", "LOANED")]


def test_help_lists_the_commands():
    done = _desk("--help")
    assert done.returncode == 0
    for command in ("replay", "notices", "demo"):
        assert command in done.stdout
