"""Worker for the two-process checkout race (spawned, so importable)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def checkout_worker(url: str, key: bytes, card: str, item: str, barrier: Any, results: Any) -> None:
    from desk_app.clock import FixedClock
    from desk_app.services.circulation import checkout
    from desk_app.services.context import Actor
    from desk_app.wiring import open_desk

    ctx = open_desk(url, cpr_key=key, clock=FixedClock(datetime(2026, 3, 2, 10, 0)))
    barrier.wait(timeout=60)
    # the test supervisor (tests.helpers.staffing); each process is another desk
    outcome = checkout(ctx, Actor("test-staff", f"desk-{card[-2:]}"), card, item)
    results.put((card, outcome.code.value))
