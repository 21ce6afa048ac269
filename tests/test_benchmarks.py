"""The benchmarks still run: a small notices-run benchmark on SQLite prints its
figures, agrees with the domain's evaluator, and its second run the same day
sends nothing."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from desk_app.domain.verdict import Code, verdict
from desk_app.i18n import literal
from tests.helpers.benchmarks import BENCHMARKS, load_benchmark


def test_notices_run_benchmark_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    notices_run = load_benchmark("notices_run")
    assert notices_run.main(["--loans", "2000", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert "2,000 open institute loans" in out
    assert re.search(r"run_notices over 2,\d{3} open loans", out)
    runs = {
        m["label"]: (int(m["notices"].replace(",", "")), m["ok"])
        for m in re.finditer(
            r"^(?P<label>\d{4}-\d\d-\d\d (?:\(the day\)|again|\(next day\)))\s+"
            r"(?P<notices>[\d,]+)(?:\s+[\d,]+){5}\s+(?P<seconds>\d+\.\d\d)\s+(?P<ok>\S+)",
            out,
            re.MULTILINE,
        )
    }
    assert set(runs) == {"2026-11-23 (the day)", "2026-11-23 again", "2026-11-24 (next day)"}
    assert all(ok == "yes" for _, ok in runs.values()), out
    assert runs["2026-11-23 (the day)"][0] > 0
    assert runs["2026-11-23 again"][0] == 0
    assert runs["2026-11-24 (next day)"][0] > 0
    assert "second run the same day: 0 notices" in out
    assert "where the time went" in out
    assert re.search(r"target: .* ≤ 5 s: (PASS|OVER TARGET) \(\d+\.\d\d s\)", out)


def test_library_benchmark_measures_every_operation_and_checks_its_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    """The issue-6 runner end to end on a library of 1/100 scale: every
    figure is in the table and the JSON, and every operation did its work."""
    sys.path.insert(0, str(BENCHMARKS))  # the runner imports its sibling scripts
    try:
        bench = load_benchmark("library_bench")
        out_json = tmp_path / "figures.json"
        status = bench.main([
            "--data", str(tmp_path / "library"), "--scale", "0.01", "--ops", "20",
            "--heavy-ops", "5", "--scans", "6", "--searches", "8", "--slips", "3",
            "--cold-starts", "1", "--json", str(out_json),
        ])  # fmt: skip
    finally:
        sys.path.remove(str(BENCHMARKS))
    out = capsys.readouterr().out
    assert status == 0, out
    assert "NO-OP" not in out
    figures = {f["name"]: f for f in json.loads(out_json.read_text())["figures"]}
    for name in (
        "notices run (the day)",
        "checkout",
        "checkout (500-loan borrower)",
        "check-in",
        "check-in (500-loan borrower)",
        "desk window: Enter to verdict painted",
        "supervisor search (all)",
        "transport slip (read + PDF)",
        "manifest, 1,000 items (PDF)",
        "peak memory, this process",
    ):
        assert name in figures, (name, sorted(figures))
        assert figures[name]["p50"] > 0
    assert figures["checkout"]["n"] == 20
    assert figures["checkout"]["floor_p50"] > 0
    assert "20 LOANED + 20 floor loans = 40 new loans" in figures["checkout"]["work"]
    assert (
        "5 RETURNED + 5 floor = 10 loans closed" in figures["check-in (500-loan borrower)"]["work"]
    )
    assert any(name.startswith("cold start") for name in figures), sorted(figures)
    assert re.search(r"^checkout\s+20\s", out, re.MULTILINE)


def test_library_benchmark_fails_a_fast_no_op(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout that answers LOANED but lends nothing must fail the run
    (exit 1), not make a fast figure."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        bench = load_benchmark("library_bench")

        def says_loaned_does_nothing(*_args: object, **_kwargs: object) -> object:
            return verdict(Code.LOANED, "L1", literal("Loaned.", da="Udlånt."))

        monkeypatch.setattr(bench.circulation, "checkout", says_loaned_does_nothing)
        status = bench.main([
            "--data", str(tmp_path / "library"), "--scale", "0.01", "--ops", "4",
            "--heavy-ops", "2", *[f"--skip={s}" for s in ("notices", "cold", "gui", "search",
                                                          "printing")],
        ])  # fmt: skip
    finally:
        sys.path.remove(str(BENCHMARKS))
    out = capsys.readouterr().out
    assert status == 1
    assert "NO-OP: a measured operation did not do its work: 4 loans made by 8 checkouts" in out
