"""Issue 13, points 7, 13 and 20: ``desk-app replay --db`` is all or nothing.

Every value the parser once let through to a traceback after nine committed
events (``"0000H1"``, ``Infinity``, ``1e400``, ``NaN``, a name longer than its
column, ``op`` as a list, an integer >= 10^25, ``at`` 0001-01-01+14:00, deep
nesting, a lone surrogate) now exits 2 with one line naming the place, prints
nothing on standard output and writes nothing: not even the nine events
before it, not even a migrated schema in a new database. A run that fails for
any other reason rolls back every event. Runs on SQLite and, when
DESK_APP_TEST_DATABASE_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from desk_app.cli import replay as replay_cli
from desk_app.policy_file import load_policy
from tests.conftest import TEST_CPR_KEY
from tests.helpers.databases import fresh_postgres_database, postgres_server_url
from tests.helpers.desk_cli import ANNE_CARD, BOOK, DIKU

BOOK_2 = "30010000000029"
TABLES = ("loans", "audit", "borrowers", "items", "institutes")
TEN_DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[\W_]*\d){9}(?!\d)")

_PG = pytest.mark.skipif(postgres_server_url() is None, reason="DESK_APP_TEST_DATABASE_URL unset")
DB_BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=[_PG, pytest.mark.postgres]),
]


@pytest.fixture(params=DB_BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'desk.sqlite3'}"
    else:
        with fresh_postgres_database() as url:
            yield url


def nine_good_events() -> list[dict[str, Any]]:
    """Nine events that write: loans, returns, a request, a status."""
    events: list[dict[str, Any]] = []
    for day in range(1, 4):
        at = f"2026-03-0{day + 1}T10:0"
        events += [
            {"at": at + "0", "op": "checkout", "card": ANNE_CARD, "item": BOOK},
            {"at": at + "1", "op": "checkin", "item": BOOK},
            {"at": at + "2", "op": "status", "card": ANNE_CARD},
        ]
    return events


def document(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "institutes": [dict(DIKU)],
        "borrowers": [
            {
                "card": ANNE_CARD,
                "name": "Anne Jensen",
                "category": "researcher",
                "institute": "DIKU",
            }
        ],
        "items": [
            {"barcode": BOOK, "title": "Concrete Mathematics", "price": 650},
            {"barcode": BOOK_2, "title": "The Art of Computer Programming"},
        ],
        "events": nine_good_events(),
    }
    doc.update(changes)
    return doc


def with_event(event: dict[str, Any]) -> str:
    """The nine good events, then ``event`` as event 9."""
    return json.dumps(document(events=[*nine_good_events(), event]))


def replay(tmp_path: Path, text: str, db_url: str | None) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "case.json"
    path.write_text(text, "utf-8")
    cmd = [sys.executable, "-m", "desk_app", "replay", str(path)]
    return subprocess.run(
        cmd + (["--db", db_url] if db_url else []),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def row_counts(url: str) -> dict[str, int] | None:
    """Rows per table; None when there is no database or no schema at all."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            return None
        with sqlite3.connect(path) as connection:
            names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
            if not names:
                return None
            return {
                t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES
            }
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).get_table_names():
                return None
            return {
                t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES
            }
    finally:
        engine.dispose()


def assert_refused(done: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 2, nothing on standard output, one line on standard error naming
    ``words``, no traceback, no ten-digit run (B3)."""
    assert done.returncode == 2, (done.returncode, done.stdout[-500:], done.stderr[-2000:])
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr[-2000:]
    assert len(lines[0]) < 600, lines[0][:600]
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    assert not TEN_DIGIT_RUN.search(lines[0].replace(done.args[4], "FILE")), lines[0]
    return lines[0]


DEEP = "[" * 100_000 + "]" * 100_000
# (raw text of the whole file, words the message must name)
BAD_VALUES: dict[str, tuple[str, tuple[str, ...]]] = {
    "p7_claims_period_0000H1": (
        with_event({"at": "2026-03-05T10:00", "op": "claims", "period": "0000H1"}),
        ("event 9", "period", "0000H1"),
    ),
    "p7_lost_amount_infinity": (
        with_event({"at": "2026-03-05T10:00", "op": "lost", "item": BOOK, "amount": 1e400}),
        ("event 9", "amount", "Infinity"),
    ),
    "p7_lost_amount_nan": (
        with_event({"at": "2026-03-05T10:00", "op": "lost", "item": BOOK, "amount": float("nan")}),
        ("event 9", "amount", "NaN"),
    ),
    "p7_lost_amount_1e400_as_written": (
        with_event({"at": "2026-03-05T10:00", "op": "lost", "item": BOOK, "amount": 1.5}).replace(
            '"amount": 1.5', '"amount": 1e400'
        ),
        ("event 9", "amount"),
    ),
    "p7_lost_amount_over_the_column": (
        with_event({"at": "2026-03-05T10:00", "op": "lost", "item": BOOK, "amount": 10**12}),
        ("event 9", "amount"),
    ),
    "p7_lost_amount_in_tenths_of_ore": (
        with_event({"at": "2026-03-05T10:00", "op": "lost", "item": BOOK, "amount": 1.005}),
        ("event 9", "amount", "decimals"),
    ),
    "p7_price_infinity": (
        json.dumps(document(items=[{"barcode": BOOK, "title": "T", "price": float("inf")}])),
        ("items[0].price", "Infinity"),
    ),
    "p7_price_nan": (
        json.dumps(document(items=[{"barcode": BOOK, "title": "T", "price": float("nan")}])),
        ("items[0].price", "NaN"),
    ),
    "p7_price_negative": (
        json.dumps(document(items=[{"barcode": BOOK, "title": "T", "price": -1}])),
        ("items[0].price", "negative"),
    ),
    "p7_borrower_name_longer_than_its_column": (
        json.dumps(
            document(
                borrowers=[
                    {
                        "card": ANNE_CARD,
                        "name": "A" * 201,
                        "category": "researcher",
                        "institute": "DIKU",
                    }
                ]
            )
        ),
        ("borrowers[0].name", "200"),
    ),
    "p7_institute_code_longer_than_its_column": (
        json.dumps(document(institutes=[{**DIKU, "code": "D" * 33}])),
        ("institutes[0].code", "32"),
    ),
    "p7_staff_longer_than_its_column": (
        with_event(
            {"at": "2026-03-05T10:00", "op": "status", "card": ANNE_CARD, "staff": "s" * 61}
        ),
        ("event 9", "staff", "60"),
    ),
    "p7_item_barcode_0000H1": (
        json.dumps(document(items=[{"barcode": "0000H1", "title": "T"}])),
        ("items[0].barcode", "0000H1"),
    ),
    "p13_op_as_a_list": (
        with_event({"at": "2026-03-05T10:00", "op": ["checkout"], "card": ANNE_CARD}),
        ("event 9", "op", "a list"),
    ),
    "p13_stop_of_10_to_the_25": (
        json.dumps(document(institutes=[{**DIKU, "stop": 10**25}])),
        ("institutes[0].stop", "9999"),
    ),
    "p13_printed_year_of_10_to_the_25": (
        json.dumps(document(items=[{"barcode": BOOK, "title": "T", "printed_year": 10**25}])),
        ("items[0].printed_year",),
    ),
    "p13_integer_of_5000_digits": (
        with_event({"at": "2026-03-05T10:00", "op": "status", "card": ANNE_CARD}).replace(
            '"card": "20010000000013"}]', '"card": ' + "7" * 5000 + "}]"
        ),
        ("not valid JSON",),
    ),
    "p13_at_0001_plus_14_hours": (
        with_event({"at": "0001-01-01T00:00+14:00", "op": "status", "card": ANNE_CARD}),
        ("event 9", "at", "0001-01-01"),
    ),
    "p13_at_9999_minus_12_hours": (
        with_event({"at": "9999-12-31T23:59-12:00", "op": "status", "card": ANNE_CARD}),
        ("event 9", "at"),
    ),
    "p13_card_expires_year_1": (
        json.dumps(
            document(
                borrowers=[
                    {
                        "card": ANNE_CARD,
                        "name": "Anne",
                        "category": "researcher",
                        "institute": "DIKU",
                        "card_expires": "0001-01-01",
                    }
                ]
            )
        ),
        ("borrowers[0].card_expires", "0001-01-01"),
    ),
    "p13_deep_nesting": (
        with_event({"at": "2026-03-05T10:00", "op": "status", "card": "X"}).replace(
            '"card": "X"', '"card": ' + DEEP
        ),
        ("nested too deeply",),
    ),
    "p13_deep_nesting_in_op": (
        with_event({"at": "2026-03-05T10:00", "op": "X"}).replace(
            '"op": "X"', '"op": ' + "[" * 900 + "]" * 900
        ),
        ("event 9", "op", "a list"),
    ),
    "p13_lone_surrogate_in_a_note": (
        with_event(
            {
                "at": "2026-03-05T10:00",
                "op": "contact",
                "card": ANNE_CARD,
                "item": BOOK,
                "note": "X",
            }
        ).replace('"note": "X"', '"note": "called \\ud800"'),
        ("event 9", "note", "surrogate"),
    ),
    "p13_lone_surrogate_in_a_scan": (
        with_event({"at": "2026-03-05T10:00", "op": "status", "card": "X"}).replace(
            '"card": "X"', '"card": "\\udfff2001"'
        ),
        ("event 9", "card", "surrogate"),
    ),
    "p13_nul_in_a_name": (
        json.dumps(document(institutes=[{**DIKU, "name": "Data\u0000logi"}])),
        ("institutes[0].name", "U+0000"),
    ),
    "p10_cpr_with_en_dash_in_a_bad_field": (
        with_event(
            {
                "at": "2026-03-05T10:00",
                "op": "checkout",
                "card": ANNE_CARD,
                "item": BOOK,
                "capacity": "101079\u20131009",
            }
        ),
        ("event 9", "capacity", "101079-XXXX"),
    ),
    "p10_cpr_as_a_declared_item": (
        json.dumps(document(items=[{"barcode": "101079\u20131009", "title": "T"}])),
        ("items[0].barcode", "101079-XXXX"),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_h13_p7_p13_p20_bad_value_exits_2_names_the_place_and_writes_nothing(
    case: str, db_url: str, tmp_path: Path
) -> None:
    """On a new database: not even the schema is made (point 20)."""
    raw, words = BAD_VALUES[case]
    done = replay(tmp_path, raw, db_url)
    assert_refused(done, *words)
    assert row_counts(db_url) is None, "a malformed file must not create or migrate the database"
    if db_url.startswith("sqlite"):
        assert not Path(db_url.removeprefix("sqlite:///")).parent.exists()


@pytest.mark.parametrize(
    "case", ["p7_lost_amount_infinity", "p13_op_as_a_list", "p13_deep_nesting"]
)
def test_h13_p7_bad_value_leaves_an_existing_database_unchanged(
    case: str, db_url: str, tmp_path: Path
) -> None:
    first = replay(tmp_path, json.dumps(document()), db_url)
    assert first.returncode == 0, first.stderr
    before = row_counts(db_url)
    assert before is not None and before["loans"] == 3 and before["audit"] > 0
    raw, words = BAD_VALUES[case]
    assert_refused(replay(tmp_path, raw, db_url), *words)
    assert row_counts(db_url) == before


def test_h13_p13_a_100000_character_scan_is_refused_briefly(tmp_path: Path) -> None:
    """A scan that long is an outcome (B4, not looked up), echoed clipped."""
    long_scan = "7" * 50_000 + "101079-1009" + "x" * 50_000
    raw = with_event({"at": "2026-03-05T10:00", "op": "status", "card": long_scan})
    done = replay(tmp_path, raw, None)
    assert done.returncode == 0, done.stderr
    last = json.loads(done.stdout.splitlines()[-1])
    assert last["code"] == "CARD_UNKNOWN" and last["rule"] == "B4"
    assert len(last["reason"]) < 120
    assert not TEN_DIGIT_RUN.search(done.stdout.replace(ANNE_CARD, "").replace(BOOK, ""))


def test_h13_p10_cpr_with_separators_is_a_health_card_in_replay(tmp_path: Path) -> None:
    """Declared as 101079-1009, scanned with an en dash, two spaces, U+2212:
    the same borrower (B1), and the output never shows the number (B3)."""
    borrower = {"card": "101079-1009", "name": "Ida", "category": "researcher", "institute": "DIKU"}
    events = [
        {"at": "2026-03-02T10:00", "op": "status", "card": f"101079{sep}1009"}
        for sep in ("\u2013", "  ", "\u2212", "\u2010", "_", ":")
    ]
    done = replay(tmp_path, json.dumps(document(borrowers=[borrower], events=events)), None)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["code"] for line in lines] == ["STATUS"] * len(events)
    assert not TEN_DIGIT_RUN.search(done.stdout)


def test_h13_p10_two_declared_forms_of_one_cpr_are_the_same_card(tmp_path: Path) -> None:
    borrowers = [
        {"card": card, "name": "Ida", "category": "researcher", "institute": "DIKU"}
        for card in ("101079-1009", "101079\u20131009")
    ]
    done = replay(tmp_path, json.dumps(document(borrowers=borrowers, events=[])), None)
    assert_refused(done, "borrowers[1].card", "same card as borrowers[0]")


# --- point 20: institutes only the database has --------------------------------


def test_h13_p20_a_borrower_of_an_institute_the_database_has_is_accepted(
    db_url: str, tmp_path: Path
) -> None:
    assert replay(tmp_path, json.dumps(document()), db_url).returncode == 0
    second = document(
        institutes=[],
        borrowers=[
            {"card": "20010000000021", "name": "Bo", "category": "teacher", "institute": "DIKU"}
        ],
        items=[],
        events=[{"at": "2026-03-09T10:00", "op": "status", "card": "20010000000021"}],
    )
    done = replay(tmp_path, json.dumps(second), db_url)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["code"] == "STATUS"


def test_h13_p20_an_institute_no_one_has_makes_no_database(db_url: str, tmp_path: Path) -> None:
    """Looking the institute up opens a new database read-only: no file, no schema."""
    doc = document(institutes=[])
    assert_refused(replay(tmp_path, json.dumps(doc), db_url), "borrowers[0].institute", "DIKU")
    assert row_counts(db_url) is None
    if db_url.startswith("sqlite"):
        assert not Path(db_url.removeprefix("sqlite:///")).parent.exists()


def test_h13_p20_an_institute_no_one_has_leaves_an_existing_database_unchanged(
    db_url: str, tmp_path: Path
) -> None:
    assert replay(tmp_path, json.dumps(document()), db_url).returncode == 0
    before = row_counts(db_url)
    doc = document(institutes=[], borrowers=[{**document()["borrowers"][0], "institute": "NOPE"}])
    assert_refused(replay(tmp_path, json.dumps(doc), db_url), "borrowers[0].institute", "NOPE")
    assert row_counts(db_url) == before


# --- point 7: a failure while running rolls every event back --------------------


def _fail_on_the_ninth_status(calls: list[int]):  # type: ignore[no-untyped-def]
    original = replay_cli.HANDLERS["status"]

    def handler(ctx, actor, args):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:  # the status after eight writing events
            raise RuntimeError("disk on fire at 1010791009")
        return original(ctx, actor, args)

    return handler


def test_h13_p7_a_failing_event_rolls_back_every_event_and_prints_nothing(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process, with the ninth event's service failing: the loans and
    audit rows of the eight before it are gone too, and the output of those
    eight is never printed (it would report loans that do not exist)."""
    path = tmp_path / "good.json"
    path.write_text(json.dumps(document()), "utf-8")
    calls: list[int] = []
    monkeypatch.setitem(replay_cli.HANDLERS, "status", _fail_on_the_ninth_status(calls))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = replay_cli.replay_command(str(path), db_url, TEST_CPR_KEY, load_policy())
    assert code == 2
    assert out.getvalue() == ""
    message = err.getvalue().strip()
    assert len(message.splitlines()) == 1
    assert "event 8 (status)" in message and "RuntimeError" in message, message
    assert "1010791009" not in message and "101079-XXXX" in message
    counts = row_counts(db_url)
    assert counts is not None, "the database was opened and migrated: that part stays"
    assert counts == dict.fromkeys(TABLES, 0), counts
    # and the same file without the failure runs whole
    monkeypatch.undo()
    out = io.StringIO()
    with redirect_stdout(out):
        assert replay_cli.replay_command(str(path), db_url, TEST_CPR_KEY, load_policy()) == 0
    assert len(out.getvalue().splitlines()) == 9
    assert row_counts(db_url)["loans"] == 3  # type: ignore[index]


def test_h13_p7_a_refusal_inside_a_service_still_rolls_back_alone(
    db_url: str, tmp_path: Path
) -> None:
    """The services' sessions are savepoints of the run's transaction: an
    event a service refuses (a second checkout of a lent item) writes nothing
    of its own and the run goes on and commits."""
    events = [
        {"at": "2026-03-02T10:00", "op": "checkout", "card": ANNE_CARD, "item": BOOK},
        {"at": "2026-03-02T10:01", "op": "checkout", "card": ANNE_CARD, "item": BOOK},
        {"at": "2026-03-02T10:02", "op": "checkout", "card": ANNE_CARD, "item": BOOK_2},
    ]
    done = replay(tmp_path, json.dumps(document(events=events)), db_url)
    assert done.returncode == 0, done.stderr
    assert [json.loads(x)["ok"] for x in done.stdout.splitlines()] == [True, False, True]
    assert row_counts(db_url)["loans"] == 2  # type: ignore[index]
