"""Crash safety (issue 13, docs/reliability.md): a desk killed with SIGKILL in
the middle of checkouts and check-ins never leaves a lost or half-written loan.

Each kill: a worker process (tests/helpers/crash_worker.py) opens the
database with ``wiring.open_desk`` and lends and takes back items through
``circulation.checkout``/``checkin`` as a supervisor, printing a line after
each commit; the test kills it after a seeded number of lines plus a seeded
short delay, then checks: the SQLite file is sound, no item has two open
loans, every loan has exactly its audit rows (and every audit row its loan in
the matching state), no loan ends before it starts or overlaps the item's
previous loan, every reported loan is there, and the database holds the
reported commits plus at most the one in flight. The next worker goes on with
the same database. Runs on SQLite and, with DESK_APP_TEST_DATABASE_URL, on
PostgreSQL.

DESK_APP_CRASH_KILLS (default 10) and DESK_APP_CRASH_SEED (default 13) set
the number of kills and the moments; the ``slow`` variant kills 50 times
(benchmarks/reliability_run.py more).
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from desk_app.clock import SystemClock
from desk_app.domain.verdict import Code
from desk_app.services.circulation import checkin, checkout
from desk_app.services.context import Actor
from desk_app.store.models import Item, Loan
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.crash_worker import (
    CARDS,
    ITEMS,
    WORKER_DESK,
    WORKER_STAFF,
    Campaign,
    check_invariants,
    run_campaign,
    seed_database,
)

KILLS = int(os.environ.get("DESK_APP_CRASH_KILLS", "10"))
SEED = int(os.environ.get("DESK_APP_CRASH_SEED", "13"))
SLOW_KILLS = 50  # the full suite runs `slow` too; reliability_run.py kills more


def _assert_sound(campaign: Campaign, kills: int) -> None:
    assert campaign.problems == [], "\n".join(campaign.problems[:20])
    assert len(campaign.kills) == kills
    # The workers did work between the kills, and the counts add up: every
    # reported commit is in the database, plus at most one unreported per kill.
    assert campaign.lines >= kills
    reported_loans = sum(len(kill.loaned) for kill in campaign.kills)
    assert reported_loans <= campaign.final.loans <= reported_loans + campaign.in_flight_commits
    assert campaign.final.open_loans <= len(ITEMS)


def _desk_goes_on(url: str) -> None:
    """After the last kill a desk opens the database and takes back every
    item still on loan: nothing is stuck half-lent."""
    ctx = open_desk(url, cpr_key=TEST_CPR_KEY, clock=SystemClock())
    try:
        with ctx.sessions() as session:
            on_loan = session.scalars(
                select(Item.barcode).join(Loan, Loan.item_id == Item.id).where(Loan.state == "open")
            ).all()
        actor = Actor(WORKER_STAFF, WORKER_DESK)
        assert [checkin(ctx, actor, barcode).code for barcode in on_loan] == [Code.RETURNED] * len(
            on_loan
        )
    finally:
        ctx.close()
    after = check_invariants(url)
    assert after.problems == []
    assert after.open_loans == 0


def test_h13_crash_kill9_mid_checkout_leaves_no_lost_or_half_written_loan(
    backend_url: str,
) -> None:
    campaign = run_campaign(backend_url, TEST_CPR_KEY, kills=KILLS, seed=SEED)
    _assert_sound(campaign, KILLS)
    _desk_goes_on(backend_url)


@pytest.mark.slow
def test_h13_crash_kill9_fifty_times(backend_url: str) -> None:
    campaign = run_campaign(backend_url, TEST_CPR_KEY, kills=SLOW_KILLS, seed=SEED + 1)
    _assert_sound(campaign, SLOW_KILLS)
    _desk_goes_on(backend_url)


def test_h13_crash_invariants_catch_a_half_written_loan(backend_url: str) -> None:
    """The checks can fail: a loan written without its audit row and a loan
    that ends before it starts are named. (A second open loan of one item the
    database itself refuses: tests/services/test_concurrency.py.)"""
    seed_database(backend_url, TEST_CPR_KEY)
    assert check_invariants(backend_url).problems == []
    ctx = open_desk(backend_url, cpr_key=TEST_CPR_KEY, clock=SystemClock())
    try:
        actor = Actor(WORKER_STAFF, WORKER_DESK)
        assert checkout(ctx, actor, CARDS[0], ITEMS[0]).code is Code.LOANED
        assert checkin(ctx, actor, ITEMS[0]).code is Code.RETURNED
        assert check_invariants(backend_url).problems == []
        with ctx.sessions.begin() as session:
            done = session.scalars(select(Loan)).one()
            done.ended_at = done.loaned_at - timedelta(seconds=2)  # ends before it starts
            copied = {
                column.key: getattr(done, column.key)
                for column in Loan.__table__.columns
                if column.key not in ("id", "state", "ended_at")
            }
            session.add(Loan(**copied, state="open"))  # a loan without its audit row
            session.flush()
            half_written = session.scalars(select(Loan.id).where(Loan.state == "open")).one()
    finally:
        ctx.close()
    problems = check_invariants(backend_url).problems
    assert f"loan {half_written} has 0 checkout audit rows" in problems
    assert any(p.startswith(f"loan {done.id} ends") and "before" in p for p in problems)
