"""Cold start of the desk to ready-to-scan (issue 6). Target: ≤ 1 s.

    .venv/bin/python benchmarks/cold_start.py --db sqlite:////tmp/library/library.sqlite3
    .venv/bin/python benchmarks/cold_start.py --db URL --runs 5 --staff benchmark --json

Each run starts a fresh Python process (``sys.executable``) running
``cold_start_probe.py``, which goes through ``desk-app gui``'s real start-up
(config from the environment, policy, settings, translations, the database
opened and its schema checked, the first-start and notices-run checks, the
sign-in dialog, the desk window) on the Qt ``offscreen`` platform, with
``DESK_APP_DATABASE_URL`` set to the database and ``DESK_APP_DATA_DIR`` to a
temporary folder. The sign-in is accepted programmatically as ``--staff`` as
soon as the dialog is ready. Times are wall clock from just before the
process is started to:

- ``interpreter_up``: the probe's first line runs (Python itself);
- ``sign_in_shown``: the sign-in dialog is painted with the focus in its card
  field: ready to scan a staff card;
- ``signed_in``: the sign-in is accepted (no human time: at once);
- ``desk_ready``: the desk window is visible and painted with the focus in its
  scan field: ready to scan. The target applies to this one.

The first run is reported on its own: the OS file cache may be cold, and the
data folder is new (the desk builds its Danish catalogue from the ``.ts``
once per data folder, as at a desk's very first start). The probe gets the
CPR key of the desk's own configuration (``DESK_APP_CPR_KEY`` or the user's key
file), which must be the database's: a desk with another key refuses to start.
p50 and max are over the other runs. Each run must report the desk really
ready (window visible, scan field focused, signed in as ``--staff``), so a
fast no-op cannot pass. Other work on the machine shows directly in the
figures (each start is CPU-bound on one core): measure on an idle machine.

Today's notices run must already have happened: when it is due the desk runs
it at start-up behind a progress dialog, which would be timed here as start-up
(and would write to the database). The benchmark refuses such a database;
time the run with ``desk-app notices`` (or ``notices_run.py``) first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

PROBE = Path(__file__).resolve().parent / "cold_start_probe.py"
MARKER = "COLD_START_PROBE"
MILESTONES = ("interpreter_up", "sign_in_shown", "signed_in", "desk_ready")
TARGET_S = 1.0
RUN_TIMEOUT_S = 120.0


def check_database(url: str, staff: str, cpr_key: bytes | None = None) -> bytes:
    """Refuse a database the measurement would not be honest on: no active
    staff member ``staff``, or today's notices run still due. Opening it
    brings its schema up to date first, as a desk would once: a migration is
    a one-off, not part of every start. Returns the CPR key to start with."""
    from desk_app.config import load_config
    from desk_app.services.notices import run_is_due
    from desk_app.services.staff import staff_members
    from desk_app.wiring import open_configured

    # the database's CPR key (default the desk's own): another one is refused (issue 13)
    config = load_config(url)
    if cpr_key is not None:
        config = replace(config, cpr_key=cpr_key, cpr_key_source="the benchmark's CPR key")
    ctx = open_configured(config)
    try:
        if staff not in {member.name for member in staff_members(ctx)}:
            raise RuntimeError(f"the database has no active staff member named {staff!r}")
        if run_is_due(ctx):
            raise RuntimeError(
                f"today's ({ctx.today().isoformat()}) notices run has not been made: the "
                "desk would make it at start-up. Run `desk-app notices --db URL` first."
            )
    finally:
        ctx.sessions.kw["bind"].dispose()
    return config.cpr_key


def run_once(url: str, staff: str, data_dir: Path, cpr_key: bytes) -> dict[str, Any]:
    """One cold start in a new process: seconds to each milestone, checks, peak RSS."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        DESK_APP_DATA_DIR=str(data_dir),
        DESK_APP_DATABASE_URL=url,
        DESK_APP_CPR_KEY=cpr_key.decode("utf-8"),  # the database's, not a new folder's
    )
    started = time.time()
    process = subprocess.Popen(
        [sys.executable, str(PROBE), staff],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = process.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    lines = [line for line in out.splitlines() if line.startswith(MARKER + " ")]
    if not lines:
        raise RuntimeError(
            f"the probe printed no result (exit {process.returncode}):\n{err[-2000:]}"
        )
    found = json.loads(lines[-1][len(MARKER) + 1 :])
    seconds = {name: at - started for name, at in found["milestones"].items()}
    return {
        "seconds": seconds,
        "checks": found["checks"],
        "ready": bool(found["checks"].get("ready")) and process.returncode == 0,
        "peak_rss_kib": found["peak_rss_kib"],
        "bytecode_written": found["bytecode_written"],
        "exit_code": process.returncode,
        "stderr_tail": err[-2000:] if process.returncode else "",
    }


def measure_cold_start(
    url: str, runs: int = 5, staff: str = "benchmark", cpr_key: bytes | None = None
) -> dict[str, object]:
    """Start the desk ``runs`` times on ``url`` and sign in as ``staff``; with
    ``cpr_key`` the database's CPR key (default: the desk's configured one).

    Returns ``milestones``: for each milestone, ``first`` (the first run's
    seconds), ``p50`` and ``max`` (seconds over the other runs, or over the
    first when ``runs`` is 1), ``runs`` (how many runs those are), ``target``
    (seconds, or None) and ``work`` (what was checked); then ``peak_rss_kib``
    (the largest of all runs) and ``peak_rss_kib_p50``, ``modules_at_ready``
    (Python modules loaded by then, the largest count), ``ready`` (every run
    reached a visible desk window with the focus in its scan field, signed in
    as ``staff``), ``target_met`` (ready, and the p50 of ``desk_ready`` within
    its target), and the raw ``samples``.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    cpr_key = check_database(url, staff, cpr_key)
    with tempfile.TemporaryDirectory(prefix="desk-cold-start-") as folder:
        samples = [run_once(url, staff, Path(folder), cpr_key) for _ in range(runs)]
    steady = samples[1:] or samples
    ready = sum(1 for sample in samples if sample["ready"])
    work = {
        "sign_in_shown": "dialog painted, its card field focused",
        "desk_ready": f"{ready}/{runs} runs: window painted, scan field focused, "
        f"signed in as {staff!r}",
    }
    milestones: dict[str, dict[str, Any]] = {}
    for name in MILESTONES:
        seconds = [s["seconds"][name] for s in steady if name in s["seconds"]]
        if len(seconds) < len(steady) or name not in samples[0]["seconds"]:
            continue  # a run that was not ready: no figure to give
        milestones[name] = {
            "first": round(samples[0]["seconds"][name], 4),
            "p50": round(statistics.median(seconds), 4),
            "max": round(max(seconds), 4),
            "runs": len(seconds),
            "target": TARGET_S if name == "desk_ready" else None,
            "work": work.get(name, ""),
        }
    rss = [int(sample["peak_rss_kib"]) for sample in samples]
    desk_ready = milestones.get("desk_ready", {}).get("p50", float("inf"))
    return {
        "runs": runs,
        "staff": staff,
        "milestones": milestones,
        "peak_rss_kib": max(rss),
        "peak_rss_kib_p50": int(statistics.median(rss)),
        "modules_at_ready": max(int(s["checks"].get("modules_at_ready", 0)) for s in samples),
        "ready": ready == runs,
        "bytecode_written": all(s["bytecode_written"] for s in samples),
        "target_met": ready == runs and desk_ready <= TARGET_S,
        "samples": samples,
    }


def print_figures(result: dict[str, Any], url: str) -> None:
    runs = result["runs"]
    print(f"cold start to ready-to-scan on {_label(url)}: {runs} run(s)")
    print(f"{'milestone':<16}{'first s':>10}{'p50 s':>10}{'max s':>10}")
    for name, figures in result["milestones"].items():
        print(
            f"{name:<16}{_fmt(figures['first']):>10}{_fmt(figures['p50']):>10}"
            f"{_fmt(figures['max']):>10}"
        )
    if runs > 1:
        print(f"(p50 and max over runs 2-{runs}; the first run may start cache-cold)")
    print(
        f"peak RSS: {result['peak_rss_kib'] / 1024:.0f} MiB "
        f"(p50 {result['peak_rss_kib_p50'] / 1024:.0f} MiB); "
        f"Python modules loaded when ready: {result['modules_at_ready']}"
    )
    if not result["bytecode_written"]:
        print("note: PYTHONDONTWRITEBYTECODE is set: modules without a .pyc compile every start")
    for number, sample in enumerate(result["samples"], 1):
        if not sample["ready"]:
            print(f"run {number} NOT READY: {json.dumps(sample['checks'])}")
            if sample["stderr_tail"]:
                print(sample["stderr_tail"])
    p50 = result["milestones"].get("desk_ready", {}).get("p50")
    if not result["ready"]:
        verdict = "NOT READY"
    else:
        verdict = "PASS" if result["target_met"] else "OVER TARGET"
    print(f"target: desk_ready p50 ≤ {TARGET_S:g} s: {verdict} ({_fmt(p50)} s)")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _label(url: str) -> str:
    from desk_app.wiring import database_label

    return database_label(url)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        default=os.environ.get("DESK_APP_DATABASE_URL"),
        metavar="URL",
        help="a migrated database with data (default: DESK_APP_DATABASE_URL)",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--staff", default="benchmark", help="the staff member to sign in as")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if not args.db:
        parser.error("--db URL is needed (or DESK_APP_DATABASE_URL)")
    try:
        result = measure_cold_start(args.db, args.runs, args.staff)
    except RuntimeError as problem:
        print(f"cold_start: {problem}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_figures(result, args.db)
    return 0 if result["ready"] else 1


if __name__ == "__main__":
    sys.exit(main())
