"""The search benchmark (issue 15) still runs: on a library of 1/1000 scale it
types borrowers and items key by key, prints p50/p99 per kind, and checks
every answer; a search that finds nothing fails the run instead of passing
as fast."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.helpers.benchmarks import BENCHMARKS, load_benchmark


def _bench():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCHMARKS))  # the runner imports its sibling scripts
    try:
        return load_benchmark("search_bench")
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_search_benchmark_types_searches_and_checks_every_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _bench()
    out_json = tmp_path / "search.json"
    status = bench.main([
        "--data", str(tmp_path / "library"), "--scale", "0.001", "--picks", "12",
        "--json", str(out_json),
    ])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0, out
    assert "NO-OP" not in out
    results = {r["kind"].strip(): r for r in json.loads(out_json.read_text())["results"]}
    for kind in ("find_borrowers (all)", "find_items (all)", "name", "card", "title"):
        assert kind in results, (kind, sorted(results))
        assert results[kind]["n"] > 0 and results[kind]["p50"] > 0
    assert results["find_borrowers (all)"]["hits"] > 0
    assert results["find_items (all)"]["hits"] > 0
    assert "checked: every hit matches what was typed" in out


def test_search_benchmark_fails_a_search_that_finds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench()
    monkeypatch.setattr(bench.search, "find_items", lambda *_args, **_kwargs: [])
    status = bench.main(["--data", str(tmp_path / "library"), "--scale", "0.001", "--picks", "4"])
    out = capsys.readouterr().out
    assert status == 1
    assert "NO-OP: a search did not find what it had to: find_items" in out
