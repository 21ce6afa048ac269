"""Issue 13, point 9, at the command line: ``replay --db`` into a database
with staff is run by a signed-in operator (``--staff`` and a PIN), and an
admin exists: ``staff add`` needs an admin's name and PIN (``--by``)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desk_app.domain.roles import Role
from desk_app.services.staff import add_staff
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.desk_cli import ANNE_CARD, BOOK, desk, one_loan_scenario

CHECKOUT = {"at": "2026-03-02T10:00", "op": "checkout", "card": ANNE_CARD, "item": BOOK}


def _write(path: Path, document: dict) -> Path:  # type: ignore[type-arg]
    path.write_text(json.dumps(document), "utf-8")
    return path


def _journal(tmp_path: Path, *events: dict) -> Path:  # type: ignore[type-arg]
    """An offline journal: events only, nothing declared."""
    document = one_loan_scenario(*events)
    document.update(institutes=[], borrowers=[], items=[])
    return _write(tmp_path / "journal.json", document)


def _pin(pin: str) -> dict[str, str]:
    return {"DESK_APP_STAFF_PIN": pin}


def _replay(path: Path, url: str, staff: str, pin: str):  # type: ignore[no-untyped-def]
    """``desk-app replay FILE --db URL --staff NAME``, the PIN from the environment."""
    return desk("replay", str(path), "--db", url, "--staff", staff, env=_pin(pin))


def _rows(db: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def staffed_db(tmp_path: Path, policy) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    """A database with Anne and the book (declared by a replay while it had
    no staff), then three staff accounts."""
    db = tmp_path / "desk.sqlite3"
    url = f"sqlite:///{db}"
    declared = desk(
        "replay", str(_write(tmp_path / "world.json", one_loan_scenario())), "--db", url
    )
    assert declared.returncode == 0, declared.stderr
    ctx = open_desk(url, cpr_key=TEST_CPR_KEY, policy=policy)
    add_staff(ctx, "Dorte Desk", Role.DESK, "1111")
    add_staff(ctx, "Kaj Courier", Role.COURIER, "3333")
    add_staff(ctx, "Søren Supervisor", Role.SUPERVISOR, "2222")
    ctx.close()
    return db, url


def test_h13_p9_replay_into_a_staffed_database_needs_a_signed_in_operator(staffed_db, tmp_path):  # type: ignore[no-untyped-def]
    db, url = staffed_db
    journal = _journal(tmp_path, {**CHECKOUT, "staff": "kari"})
    without = desk("replay", str(journal), "--db", url)
    assert without.returncode == 2 and without.stdout == ""
    assert "--staff NAME" in without.stderr and "DESK_APP_STAFF_PIN" in without.stderr
    wrong = _replay(journal, url, "Dorte Desk", "9999")
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert "not recognised" in wrong.stderr
    assert _rows(db, "SELECT count(*) FROM loans") == [(0,)]
    assert _rows(db, "SELECT staff, code FROM audit WHERE action = 'sign_in'") == [
        ("Dorte Desk", "SIGN_IN_REFUSED")
    ]
    done = _replay(journal, url, "Dorte Desk", "1111")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["code"] == "LOANED"
    # the operator did it; the file's own staff name is only noted
    [(staff, desk_name, detail)] = _rows(
        db, "SELECT staff, desk, detail FROM audit WHERE action = 'checkout'"
    )
    assert (staff, desk_name) == ("Dorte Desk", "replay")
    assert json.loads(detail)["file_staff"] == "kari"
    assert _rows(db, "SELECT staff FROM loans") == [("Dorte Desk",)]


def test_h13_p9_a_replayed_event_the_operators_role_may_not_do_is_refused_and_audited(
    staffed_db, tmp_path
):  # type: ignore[no-untyped-def]
    db, url = staffed_db
    journal = _journal(tmp_path, CHECKOUT)
    run = _replay(journal, url, "Kaj Courier", "3333")
    assert run.returncode == 0, run.stderr  # a refusal is an outcome (replay-format.md)
    line = json.loads(run.stdout)
    assert (line["ok"], line["code"]) == (False, "NOT_PERMITTED")
    assert "courier may not lend" in line["reason"]
    assert _rows(db, "SELECT count(*) FROM loans") == [(0,)]
    assert _rows(db, "SELECT staff, code FROM audit WHERE action = 'checkout'") == [
        ("Kaj Courier", "NOT_PERMITTED")
    ]


def test_h13_p9_declarations_need_a_role_that_may_declare(staffed_db, tmp_path):  # type: ignore[no-untyped-def]
    db, url = staffed_db
    declaring = _write(tmp_path / "declaring.json", one_loan_scenario(CHECKOUT))
    run = _replay(declaring, url, "Dorte Desk", "1111")
    assert run.returncode == 2 and run.stdout == ""
    assert "may not add borrowers" in run.stderr and "nothing was run" in run.stderr
    assert _rows(db, "SELECT count(*) FROM loans") == [(0,)]
    assert _rows(db, "SELECT staff, action, code FROM audit WHERE code = 'NOT_PERMITTED'") == [
        ("Dorte Desk", "declare", "NOT_PERMITTED")
    ]
    ok = _replay(declaring, url, "Søren Supervisor", "2222")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["code"] == "LOANED"


def test_h13_p9_staff_is_for_a_database_and_the_memory_replay_needs_none(tmp_path):  # type: ignore[no-untyped-def]
    scenario = _write(tmp_path / "s.json", one_loan_scenario({**CHECKOUT, "staff": "kari"}))
    in_memory = desk("replay", str(scenario))
    assert in_memory.returncode == 0 and json.loads(in_memory.stdout)["code"] == "LOANED"
    named = desk("replay", str(scenario), "--staff", "kari", env=_pin("1"))
    assert named.returncode == 2 and "--staff is for --db" in named.stderr


def test_h13_p9_a_second_admin_needs_an_admins_name_and_pin(tmp_path):  # type: ignore[no-untyped-def]
    db = tmp_path / "desk.sqlite3"
    at = ["staff", "--db", f"sqlite:///{db}", "add"]
    first = desk(*at, "Anna Admin", "--role", "admin", "--pin", "0000")
    assert first.returncode == 0, first.stderr  # the first admin is created freely
    alone = desk(*at, "Eve", "--role", "admin", "--pin", "6666")
    assert alone.returncode == 2 and "--by ADMIN" in alone.stderr
    wrong = desk(
        *at, "Eve", "--role", "admin", "--pin", "6666", "--by", "Anna Admin", env=_pin("1234")
    )
    assert wrong.returncode == 2 and "not recognised" in wrong.stderr
    by_admin = desk(
        *at,
        "Søren S",
        "--role",
        "supervisor",
        "--pin",
        "2222",
        "--by",
        "Anna Admin",
        env=_pin("0000"),
    )
    assert by_admin.returncode == 0, by_admin.stderr
    by_supervisor = desk(
        *at, "Eve", "--role", "admin", "--pin", "6666", "--by", "Søren S", env=_pin("2222")
    )
    assert by_supervisor.returncode == 2
    assert "a supervisor may not add staff" in by_supervisor.stderr
    names = [row[0] for row in _rows(db, "SELECT name FROM staff ORDER BY id")]
    assert names == ["Anna Admin", "Søren S"]
    assert _rows(db, "SELECT staff, action, code FROM audit WHERE code = 'NOT_PERMITTED'") == [
        ("Søren S", "add_staff", "NOT_PERMITTED")
    ]


def test_h13_p9_the_admins_pin_is_asked_without_echo(ctx, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    from desk_app.cli.staff import staff_add_command

    add_staff(ctx, "Anna Admin", Role.ADMIN, "0000")
    monkeypatch.delenv("DESK_APP_STAFF_PIN", raising=False)
    asked: list[str] = []
    answers = iter(["0000", "5555", "5555"])  # the admin's PIN, then the new PIN twice

    def getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", getpass)
    assert staff_add_command(ctx, "Bo Desk", "desk", None, None, "Anna Admin") == 0
    assert asked[0] == "PIN of Anna Admin: " and len(asked) == 3
    assert "Added Bo Desk (desk)." in capsys.readouterr().out
