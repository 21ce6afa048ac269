"""§5 The daily run: the set-based SQL agrees with the domain's ladder, moves
a loan one step per run, and is idempotent per day."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from desk_app.domain.facts import Step
from desk_app.domain.ladder import LadderState, next_notice
from desk_app.services.circulation import checkout
from desk_app.services.notices import run_notices
from desk_app.store.models import Card, Item, Loan, Notice
from tests.helpers.people import ANNE, BO, item, seed_cast

STEPS = [None, *Step]


def _random_loans(ctx, count: int, seed: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Open loans in random ladder states, written straight to the table."""
    rng = random.Random(seed)
    with ctx.sessions.begin() as session:
        card = session.scalars(select(Card).where(Card.lookup == ANNE)).one()
        ids = []
        for n in range(count):
            it = Item(barcode=f"39{n:012d}", title=f"Item {n}")
            session.add(it)
            session.flush()
            loan_day = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 60))
            due = loan_day + timedelta(days=rng.randrange(0, 90))
            step = rng.choice(STEPS)
            settled = step is Step.SUSPENSION and rng.random() < 0.3
            loan = Loan(
                item_id=it.id,
                borrower_id=card.borrower_id,
                card_id=card.id,
                capacity="institute",
                state="open",
                loaned_at=datetime(2026, 1, 1),
                loan_date=loan_day,
                guaranteed_until=loan_day,
                due=due,
                delivery="courier",
                step=step.value if step else None,
                step_deadline=None
                if step in (None, Step.SUSPENSION)
                else due + timedelta(days=rng.randrange(0, 60)),
                step_on=None if step is None else due + timedelta(days=rng.randrange(0, 40)),
                settled=settled,
                agreed_date=due + timedelta(days=rng.randrange(0, 80)) if settled else None,
                staff="t",
                desk="t",
            )
            session.add(loan)
            session.flush()
            ids.append(loan.id)
        return ids


def _states(ctx) -> dict[int, LadderState]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return {
            loan.id: LadderState(
                due=loan.due,
                step=Step(loan.step) if loan.step else None,
                deadline=loan.step_deadline,
                last_notice_on=loan.step_on,
                settled=loan.settled,
                agreed=loan.agreed_date,
            )
            for loan in session.scalars(select(Loan).where(Loan.state == "open"))
        }


def test_S_ladder_sql_agrees_with_domain_next_notice(ctx, actor):
    seed_cast(ctx)
    _random_loans(ctx, 150, seed=7)
    for day in (date(2026, 3, 1), date(2026, 3, 20), date(2026, 4, 30), date(2026, 6, 1)):
        before = _states(ctx)
        expected = {
            loan_id: next_notice(state, day, ctx.policy.ladder) for loan_id, state in before.items()
        }
        run_notices(ctx, actor, day)
        with ctx.sessions() as session:
            sent = {
                n.loan_id: (n.step, n.deadline)
                for n in session.scalars(select(Notice).where(Notice.sent_on == day))
            }
        want = {k: (v.step.value, v.deadline) for k, v in expected.items() if v is not None}
        assert sent == want, f"run of {day}"
        assert sent, "the random states should produce some notices"


def test_S_run_is_idempotent_per_day_and_moves_one_step_per_run(ctx, actor, clock):
    seed_cast(ctx)
    clock.set(datetime(2025, 1, 2, 10, 0))
    assert checkout(ctx, actor, BO, item(1)).ok  # due 2026-01-02
    late = date(2026, 3, 1)  # far past every deadline: still only RECALL
    first = run_notices(ctx, actor, late)
    assert [(n["item"], n["step"]) for n in first.data["notices"]] == [(item(1), "RECALL")]
    assert run_notices(ctx, actor, late).data["notices"] == []
    assert run_notices(ctx, actor, late + timedelta(days=15)).data["notices"][0]["step"] == (
        "REMINDER_1"
    )
    with ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 2


def test_S_private_loans_are_not_on_the_ladder(ctx, actor, clock):
    from desk_app.domain.facts import Capacity

    seed_cast(ctx)
    clock.set(datetime(2026, 1, 2, 10, 0))
    assert checkout(ctx, actor, ANNE, item(2), Capacity.PRIVATE).ok
    assert run_notices(ctx, actor, date(2026, 6, 1)).data["notices"] == []


def test_S_late_runs_catch_up_one_step_a_day_without_skipping_a_rung(ctx, actor):
    """Loans left in random states (as if the desk had been closed for weeks),
    then a run every day for two months: each loan gets at most one notice a
    day, and its notices climb the ladder rung by rung, never skipping one."""
    seed_cast(ctx)
    ids = _random_loans(ctx, 80, seed=11)
    with ctx.sessions() as session:
        before = {loan.id: loan.step for loan in session.scalars(select(Loan))}
    start = date(2026, 5, 1)
    for offset in range(60):
        run_notices(ctx, actor, start + timedelta(days=offset))
    order = [None, *(s.value for s in Step)]
    with ctx.sessions() as session:
        notices = session.scalars(
            select(Notice).where(Notice.sent_on >= start).order_by(Notice.loan_id, Notice.sent_on)
        ).all()
    by_loan: dict[int, list[Notice]] = {}
    for notice in notices:
        by_loan.setdefault(notice.loan_id, []).append(notice)
    assert len(by_loan) > 20  # the run had work to do
    for loan_id, sent in by_loan.items():
        assert loan_id in ids
        days = [n.sent_on for n in sent]
        assert len(days) == len(set(days))  # one notice a day at most
        step = before[loan_id]
        for notice in sent:
            if notice.step == Step.SUSPENSION.value and step == Step.SUSPENSION.value:
                step = notice.step  # S5: a settled case whose agreed date passed
                continue
            assert order.index(notice.step) == order.index(step) + 1, (loan_id, step, notice.step)
            step = notice.step
