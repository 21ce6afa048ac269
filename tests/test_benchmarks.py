"""The benchmarks still run: a small notices-run benchmark on SQLite prints its
figures, agrees with the domain's evaluator, and its second run the same day
sends nothing."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_notices_run_benchmark_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    notices_run = _load("notices_run")
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
