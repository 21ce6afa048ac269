"""Rule scenarios: ``desk-app replay`` against the expected outcomes.

Every ``NAME.json`` in this folder with a ``NAME.expected.jsonl`` beside it is
one scenario (shared/spec/replay-format.md). Each runs through the real
command in a subprocess, three ways:

- ``memory``: no ``--db`` (a fresh in-memory database);
- ``sqlite``: ``--db sqlite:///<tmp>/x.sqlite3``;
- ``postgresql``: ``--db`` on a database made for the run, only when
  DESK_APP_TEST_DATABASE_URL is set.

The shared examples (``shared/spec/examples``: h01, h02, h11 ...) are kept
here as copies, so the suite runs them on every backend without the shared
folder; :func:`test_the_shared_examples_are_run_here_as_they_are` fails when
one is missing or differs from the shared folder's.

Scenario names carry the rule ids they exercise (``l5_renewal``,
``s2_s3_s4_suspension``), so ``pytest -k L5`` selects them.

Expected lines follow the spec, not the program: they were worked out by hand
from scheme-rules.md, and a difference is a bug to fix in the program.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desk_app.replay_file import ReplayFormatError, parse_replay
from tests.helpers.databases import fresh_postgres_database, postgres_server_url
from tests.scenarios.replay_compare import load_expected, mismatches, parse_output

HERE = Path(__file__).resolve().parent
SHARED_EXAMPLES = HERE.parents[2] / "shared" / "spec" / "examples"
TIMEOUT_S = 120


def _scenario_names() -> list[str]:
    return sorted(
        path.name[: -len(".json")]
        for path in HERE.glob("*.json")
        if (HERE / (path.name[: -len(".json")] + ".expected.jsonl")).is_file()
    )


SCENARIOS = _scenario_names()

# scenario -> {event index: why the expected line (the spec) and the program differ}

_PG_SKIP = pytest.mark.skipif(
    postgres_server_url() is None, reason="DESK_APP_TEST_DATABASE_URL is not set"
)
BACKENDS = [
    pytest.param("memory", id="memory"),
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=[_PG_SKIP, pytest.mark.postgres]),
]


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> dict[Any, dict[str, Any]]:
        return parse_output(self.stdout)


def replay(path: Path, db_url: str | None = None) -> Run:
    """Run the real command, as a desk would: ``desk-app replay FILE [--db URL]``."""
    cmd = [sys.executable, "-m", "desk_app", "replay", str(path)]
    if db_url:
        cmd += ["--db", db_url]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=dict(os.environ),
        timeout=TIMEOUT_S,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def _runs() -> dict[tuple[str, str], Run]:
    """One run per (backend, scenario) per session, shared by the scenario test
    of that scenario."""
    return {}


@pytest.fixture
def run_scenario(_runs: dict[tuple[str, str], Run], tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    def run(backend: str, name: str) -> Run:
        key = (backend, name)
        if key not in _runs:
            path = HERE / f"{name}.json"
            if backend == "memory":
                _runs[key] = replay(path)
            elif backend == "sqlite":
                folder = tmp_path_factory.mktemp(f"sqlite-{name}")
                _runs[key] = replay(path, f"sqlite:///{folder / 'x.sqlite3'}")
            else:
                with fresh_postgres_database() as url:
                    _runs[key] = replay(path, url)
        return _runs[key]

    return run


# --- B3: a CPR number never appears in clear -------------------------------

_CPR_RE = re.compile(r"(?<![0-9])([0-9]{6})-?([0-9]{4})(?![0-9])")


def _cpr_numbers(scenario: dict[str, Any]) -> set[str]:
    values = [b.get("card") for b in scenario.get("borrowers", [])]
    values += [e.get(k) for e in scenario.get("events", []) for k in ("card", "new_card")]
    found = set()
    for value in values:
        if isinstance(value, str):
            match = _CPR_RE.search(value)
            if match and len(re.sub(r"[^0-9]", "", value)) == 10:
                found.add(match.group(1) + match.group(2))
    return found


def cpr_leaks(name: str, stdout: str) -> list[str]:
    scenario = json.loads((HERE / f"{name}.json").read_text("utf-8"))
    leaks = []
    for digits in sorted(_cpr_numbers(scenario)):
        for shown in (digits, f"{digits[:6]}-{digits[6:]}"):
            if shown in stdout:
                leaks.append(f"{name}: B3: CPR number {digits[:6]}-XXXX printed in clear")
    return leaks


# --- the tests --------------------------------------------------------------


def _check(run: Run, name: str, expected: list[dict[str, Any]]) -> list[str]:
    problems = []
    if run.returncode != 0:
        problems.append(f"{name}: exit {run.returncode}: {run.stderr.strip()[-600:]}")
    problems += mismatches(expected, run.lines, name)
    return problems


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_scenario(backend: str, name: str, run_scenario) -> None:  # type: ignore[no-untyped-def]
    """Every expected event of the scenario matches."""
    run = run_scenario(backend, name)
    expected = load_expected(HERE / f"{name}.expected.jsonl")
    problems = _check(run, name, expected) + cpr_leaks(name, run.stdout)
    count = len(expected)
    assert not problems, f"{len(problems)} mismatch(es) in {count} events:\n" + "\n".join(problems)


def test_every_scenario_has_its_expected_file() -> None:
    names = {p.name[: -len(".json")] for p in HERE.glob("*.json")}
    assert names == set(SCENARIOS)
    for name in SCENARIOS:
        scenario = json.loads((HERE / f"{name}.json").read_text("utf-8"))
        expected = load_expected(HERE / f"{name}.expected.jsonl")
        assert [e["i"] for e in expected] == list(range(len(scenario["events"]))), name


@pytest.mark.skipif(not SHARED_EXAMPLES.is_dir(), reason="no shared/ beside the checkout")
def test_the_shared_examples_are_run_here_as_they_are() -> None:
    """Every shared example (and its expected lines) is one of the scenarios
    above, byte for byte: h11_order_cycle and every earlier one."""
    shared = sorted(SHARED_EXAMPLES.glob("*.json"))
    assert shared, SHARED_EXAMPLES
    for path in shared:
        name = path.name[: -len(".json")]
        assert name in SCENARIOS, f"shared example {name} is not among the scenarios"
        for suffix in (".json", ".expected.jsonl"):
            ours, theirs = HERE / f"{name}{suffix}", SHARED_EXAMPLES / f"{name}{suffix}"
            assert ours.read_bytes() == theirs.read_bytes(), f"{ours.name} differs from shared"


def test_q1_the_pick_list_is_compared_in_shelf_order() -> None:
    """The pick list's ``items`` are an ordered list (Q1's shelf order), unlike
    the other lists of the output."""
    a, b = {"item": "30010000001027", "card": CARD}, {"item": "30010000001035", "card": CARD}
    expected = [{"i": 0, "code": "PICK_LIST", "items": [a, b]}]
    assert not mismatches(expected, {0: {"code": "PICK_LIST", "items": [a, b]}})
    assert mismatches(expected, {0: {"code": "PICK_LIST", "items": [b, a]}})
    assert mismatches(expected, {0: {"code": "PICK_LIST", "items": [a]}})
    assert not mismatches([{"i": 0, "items": []}], {0: {"items": []}})
    assert mismatches([{"i": 0, "items": []}], {0: {"items": [a]}})


# --- the replay contract beyond single scenarios ----------------------------


def _institutes() -> list[dict[str, Any]]:
    return [
        {
            "code": "DIKU",
            "name": "Department of Computer Science",
            "faculty": "SCIENCE",
            "delivery": "courier",
            "route": "NORTH",
            "address": "Universitetsparken 1, 2100 København Ø",
        }
    ]


def _item(barcode: str) -> dict[str, Any]:
    return {"barcode": barcode, "title": f"Book {barcode}", "loan_rule": "home", "owner": "KUB"}


CARD, ITEM_1, ITEM_2 = "20010000000013", "30010000000011", "30010000000029"


def _write(folder: Path, name: str, document: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return path


def _db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'x.sqlite3'}"
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from _db_url(request.param, tmp_path)


DB_BACKENDS = [b for b in BACKENDS if b.values[0] != "memory"]


@pytest.mark.parametrize("db_url", DB_BACKENDS, indirect=True)
def test_db_keeps_state_and_updates_declarations(db_url: str, tmp_path: Path) -> None:
    """With ``--db`` the events change the database for real, and a later file's
    declarations update what is there (replay-format.md)."""
    borrower = {"card": CARD, "name": "Anne Jensen", "category": "researcher", "institute": "DIKU"}
    first = _write(
        tmp_path,
        "first.json",
        {
            "institutes": _institutes(),
            "borrowers": [borrower],
            "items": [_item(ITEM_1), _item(ITEM_2)],
            "events": [{"at": "2026-03-02T10:00", "op": "checkout", "card": CARD, "item": ITEM_1}],
        },
    )
    run = replay(first, db_url)
    assert run.returncode == 0, run.stderr
    assert run.lines[0]["code"] == "LOANED"
    # the same borrower, now declared as an emeritus without an office (E1)
    second = _write(
        tmp_path,
        "second.json",
        {
            "institutes": _institutes(),
            "borrowers": [{**borrower, "category": "emeritus", "own_office": False}],
            "items": [],
            "events": [
                {"at": "2026-03-03T10:00", "op": "status", "card": CARD},
                {"at": "2026-03-03T10:01", "op": "checkout", "card": CARD, "item": ITEM_2},
                {"at": "2026-03-03T10:02", "op": "checkin", "item": ITEM_1},
            ],
        },
    )
    run = replay(second, db_url)
    assert run.returncode == 0, run.stderr
    expected = [
        {"i": 0, "ok": True, "code": "STATUS", "loans": [ITEM_1]},
        {"i": 1, "ok": False, "code": "NOT_ELIGIBLE"},
        {"i": 2, "ok": True, "code": "RETURNED"},
    ]
    assert not mismatches(expected, run.lines, "second")


@pytest.mark.parametrize("db_url", DB_BACKENDS, indirect=True)
def test_malformed_file_exits_2_and_writes_nothing(db_url: str, tmp_path: Path) -> None:
    """A malformed file exits 2 naming the event index and field; nothing is
    written, not even the declarations before it."""
    events = [
        {"at": "2026-03-02T10:00", "op": "checkout", "card": CARD, "item": ITEM_1},
        {"at": "2026-03-02T10:01", "op": "status", "card": CARD},
        {"at": "2026-03-02T10:02", "op": "renew"},  # no item
    ]
    bad = _write(
        tmp_path,
        "bad.json",
        {
            "institutes": _institutes(),
            "borrowers": [
                {"card": CARD, "name": "Anne", "category": "researcher", "institute": "DIKU"}
            ],
            "items": [_item(ITEM_1)],
            "events": events,
        },
    )
    run = replay(bad, db_url)
    assert run.returncode == 2
    assert run.stdout.strip() == ""
    message = run.stderr.replace(str(bad), "FILE")
    assert re.search(r"\b2\b", message) and "item" in message, run.stderr
    probe = _write(
        tmp_path,
        "probe.json",
        {
            "institutes": _institutes(),
            "borrowers": [],
            "items": [],
            "events": [{"at": "2026-03-02T11:00", "op": "status", "card": CARD}],
        },
    )
    run = replay(probe, db_url)
    assert run.returncode == 0, run.stderr
    assert run.lines[0]["code"] == "CARD_UNKNOWN"


# --- the order cycle's ops in the file (Q1, Q2) ---------------------------------


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"op": "cancel_request", "item": ITEM_1}, "card"),
        ({"op": "cancel_request", "card": CARD}, "item"),
        ({"op": "cancel_request", "card": CARD, "item": ["x"]}, "item"),
    ],
)
def test_q2_a_cancel_request_without_its_fields_is_malformed(event: dict[str, Any], field: str):
    document = {"events": [{"at": "2026-03-02T10:00", **event}]}
    with pytest.raises(ReplayFormatError) as refused:
        parse_replay(json.dumps(document))
    assert "event 0 (cancel_request)" in str(refused.value) and field in str(refused.value)


def test_q1_a_pick_list_takes_no_fields_and_q2_takes_card_and_item() -> None:
    document = {
        "events": [
            {"at": "2026-03-02T10:00", "op": "pick_list"},
            {"at": "2026-03-02T10:01", "op": "cancel_request", "card": CARD, "item": ITEM_1},
        ]
    }
    listed, cancel = parse_replay(json.dumps(document)).events
    assert (listed.op, listed.args) == ("pick_list", {})
    assert cancel.args == {"card": CARD, "item": ITEM_1}
