"""The cold-start benchmark still measures a desk that is really ready, and
refuses a database on which the desk would first make today's notices run."""

from __future__ import annotations

import pytest

from desk_app.domain.roles import Role
from desk_app.services.context import Actor
from desk_app.services.notices import run_notices
from desk_app.services.staff import add_staff
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.benchmarks import load_benchmark
from tests.helpers.databases import sqlite_file_url
from tests.helpers.people import seed_cast


def test_cold_start_benchmark_signs_in_and_times_a_ready_desk(tmp_path):
    cold_start = load_benchmark("cold_start")
    url = sqlite_file_url(tmp_path)
    ctx = open_desk(url, cpr_key=TEST_CPR_KEY)
    seed_cast(ctx)
    add_staff(ctx, "Bente Bench", Role.SUPERVISOR, "4711")
    with pytest.raises(RuntimeError, match="notices run"):
        cold_start.measure_cold_start(url, runs=1, staff="Bente Bench")
    run_notices(ctx, Actor("Bente Bench", "test-desk"), ctx.today())
    ctx.sessions.kw["bind"].dispose()
    with pytest.raises(RuntimeError, match="no active staff member"):
        cold_start.measure_cold_start(url, runs=1, staff="Nobody")

    result = cold_start.measure_cold_start(url, runs=1, staff="Bente Bench")

    assert result["ready"] and result["target_met"] in (True, False), result["samples"]
    figures = result["milestones"]
    assert list(figures) == ["interpreter_up", "sign_in_shown", "signed_in", "desk_ready"]
    first = {name: values["first"] for name, values in figures.items()}
    assert 0 < first["interpreter_up"] < first["sign_in_shown"] <= first["desk_ready"]
    assert (
        figures["desk_ready"]["p50"] == first["desk_ready"] and figures["desk_ready"]["runs"] == 1
    )
    assert figures["desk_ready"]["target"] == 1.0 and "1/1 runs" in figures["desk_ready"]["work"]
    checks = result["samples"][0]["checks"]
    assert checks["sign_in_card_field_focus"] and checks["scan_field_focus"]
    assert checks["signed_in_as"] == "Bente Bench" and checks["role"] == "supervisor"
    assert result["peak_rss_kib"] > 10_000 and result["modules_at_ready"] > 100
