"""Two desks check out the same item at the same moment: exactly one loan."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import func, select

from desk_app.store.models import Loan
from tests.conftest import TEST_CPR_KEY
from tests.helpers.people import ANNE, BO, item, seed_cast
from tests.helpers.race import checkout_worker
from tests.helpers.staffing import ensure_staff


def test_two_processes_same_item_same_moment_make_one_loan(ctx, backend_url):
    seed_cast(ctx)
    ensure_staff(ctx)  # the workers lend as the test supervisor
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    results = spawn.Queue()
    workers = [
        spawn.Process(
            target=checkout_worker, args=(backend_url, TEST_CPR_KEY, who, item(1), barrier, results)
        )
        for who in (ANNE, BO)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
        assert w.exitcode == 0
    codes = sorted(results.get(timeout=5)[1] for _ in workers)
    assert codes == ["LOANED", "ON_LOAN"]
    with ctx.sessions() as session:
        open_loans = session.scalar(
            select(func.count()).select_from(Loan).where(Loan.state == "open")
        )
    assert open_loans == 1


def test_unique_index_refuses_a_second_open_loan(ctx):
    """Even code that skipped the checks could not write a second open loan."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from desk_app.services.circulation import checkout

    seed_cast(ctx)
    assert checkout(ctx, ensure_staff(ctx), ANNE, item(1)).code.value == "LOANED"
    with ctx.sessions() as session, pytest.raises(IntegrityError):
        first = session.scalars(select(Loan)).one()
        clone = Loan(
            **{c.key: getattr(first, c.key) for c in Loan.__table__.columns if c.key != "id"}
        )
        session.add(clone)
        session.commit()
