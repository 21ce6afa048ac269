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


def test_S6_notices_command_emails_and_writes_the_days_letters(tmp_path):
    import sqlite3

    from pypdf import PdfReader

    from desk_app.settings import DeskSettings, save_settings
    from tests.helpers.smtp import smtp_server

    path = tmp_path / "s.json"
    path.write_text(json.dumps(SCENARIO))
    db = tmp_path / "desk.sqlite3"
    url = f"sqlite:///{db}"
    assert desk("replay", str(path), "--db", url).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE borrowers SET email = 'anne@di.ku.dk'")
    data = tmp_path / "data"
    letters = tmp_path / "letters.pdf"
    with smtp_server() as (inbox, port):
        save_settings(
            data,
            DeskSettings(
                smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", mail_from="kb@kb.dk"
            ),
        )
        env = {"DESK_APP_DATA_DIR": str(data)}
        run = desk(
            "--db", url, "notices", "--date", "2026-01-06", "--letters", str(letters), env=env
        )
        assert run.returncode == 0, run.stderr
        assert "E-mail: 1 sent, 0 waiting" in run.stdout
        assert [m["To"] for m in inbox.messages] == ["anne@di.ku.dk"]
        again = desk("--db", url, "notices", "--date", "2026-01-06", env=env)
        assert "0 notice(s)" in again.stdout and "E-mail: 0 sent" in again.stdout
        assert len(inbox.messages) == 1
    text = PdfReader(letters).pages[0].extract_text()
    assert BOOK in text and "Anne Jensen" in text and "Hjemkaldelse" in text
    postal = tmp_path / "postal.pdf"
    only = desk(
        "--db", url, "notices", "--date", "2026-01-06", "--no-email",
        "--letters", str(postal), "--postal-only", env=env,
    )  # fmt: skip
    assert "No letters" in only.stdout and not postal.exists()  # Anne had e-mail
