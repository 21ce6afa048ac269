"""B3: no CPR number in clear anywhere in the database file, after a replay
that used health-card numbers in declarations and in events."""

from __future__ import annotations

import json

from desk_app.domain.barcodes import with_check_digit
from tests.helpers.desk_cli import DIKU, desk

CPR = "010190-1235"  # fails the old modulus-11 check on purpose (B3: still valid)
CPR2 = "311299-4441"


def test_B3_no_cpr_in_clear_in_the_sqlite_file_after_replay(tmp_path):
    item = with_check_digit("3001000000077")
    scenario = {
        "institutes": [DIKU],
        "borrowers": [
            {"card": CPR, "name": "Ida Health", "category": "teacher", "institute": "DIKU"},
            {
                "card": CPR2.replace("-", ""),
                "name": "Jon Health",
                "category": "researcher",
                "institute": "DIKU",
            },
        ],
        "items": [{"barcode": item, "title": "Sundhed", "printed_year": 2001}],
        "events": [
            {"at": "2026-01-05T10:00", "op": "checkout", "card": CPR, "item": item},
            {"at": "2026-01-05T10:01", "op": "request", "card": CPR2, "item": item},
            {"at": "2026-01-05T10:02", "op": "status", "card": CPR},
            {"at": "2026-01-06T10:00", "op": "card_lost", "card": CPR, "new_card": "020290-2222"},
            {"at": "2026-03-01T10:00", "op": "notices"},
            {"at": "2026-03-02T10:00", "op": "checkin", "item": item},
        ],
    }
    path = tmp_path / "cpr.json"
    path.write_text(json.dumps(scenario))
    db = tmp_path / "db" / "desk.sqlite3"
    done = desk("replay", str(path), "--db", f"sqlite:///{db}")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["code"] for line in lines] == [
        "LOANED",
        "REQUESTED",
        "STATUS",
        "CARD_REPLACED",
        "NOTICES",
        "RETURNED",
    ]
    # The output masks the CPR too (B3: logs never show it).
    assert lines[5]["next"] == "311299-XXXX"
    forms = set()
    for cpr in (CPR, CPR2, "020290-2222"):
        forms |= {cpr.encode(), cpr.replace("-", "").encode()}
    files = [p for p in db.parent.iterdir() if p.is_file()]
    assert any(p.name == "desk.sqlite3" for p in files), "the replay wrote no database"
    for file in files:  # the database and its WAL/SHM companions
        data = file.read_bytes()
        for form in forms:
            assert form not in data, f"{form!r} in clear in {file.name}"
    for form in forms:
        assert form.decode() not in done.stdout
