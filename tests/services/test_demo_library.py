"""The library at scale (``desk_app.demo.generate``): the demo's description
of a library written in bulk, for the benchmarks. It must be a database the
desk reads as its own, stand on the ladder as the daily runs left it (the
day's run sends what the domain's evaluator says), keep no CPR number in
clear (B3), be the same for the same seed, and have its ids where the
benchmarks look for them.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk_app.demo import Scale, generate, library_card, people
from desk_app.demo.ladder import Position
from desk_app.demo.scale import DemoCases
from desk_app.domain.barcodes import cpr_lookup_key, has_valid_check_digit, mask_cpr
from desk_app.domain.calendar import add_period
from desk_app.domain.eligibility import check_eligible
from desk_app.domain.facts import Capacity, Category, Step
from desk_app.domain.loan_states import LoanState
from desk_app.domain.mail_states import MailState
from desk_app.domain.roles import Role
from desk_app.services.borrowers import status
from desk_app.services.notices import run_notices
from desk_app.store.models import (
    AuditEntry,
    Base,
    Borrower,
    Card,
    Item,
    Loan,
    Notice,
    NoticeMail,
    Request,
    Staff,
)
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.staffing import test_actor

TINY = Scale().times(0.002)  # 2,000 items, 200 borrowers, 600 open loans
CPR_LIKE = re.compile(r"(?<![0-9])[0-9]{6}[ ./-]?[0-9]{4}(?![0-9])")


def _count(ctx, model, *where) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_a_scale_keeps_its_shape_smaller_and_larger():
    tiny = Scale().times(0.002)
    assert (tiny.items, tiny.borrowers, tiny.open_loans) == (2000, 200, 600)
    assert tiny.heavy_loans == 600 // 4  # fewer than 500 open loans each fourth
    assert Scale().times(2).heavy_loans == 500
    notices = Scale.notices(2000, 40, 666)
    assert (notices.requests, notices.heavy_loans) == (0, 0)
    assert notices.times(0.5).requests == 0  # a kind the scale has none of stays at none
    assert (notices.items, notices.borrowers) == (2040, 200)
    demo = Scale.demo(2000, 20000)
    cases = DemoCases.of(2000, 20000)
    assert demo.open_loans == cases.open_loans == 5996  # "~6,000 open loans" (README)
    assert cases.ill_items + cases.catalogue == 20000


def test_S6_the_days_run_sends_what_the_domain_says_and_yesterdays_nothing(ctx, actor):
    made = generate(ctx, TINY, seed=3, staff=[("bench", Role.SUPERVISOR)])
    today = ctx.today()
    assert made.day == today
    assert set(made.positions) == set(Position), made.positions  # every rung has loans
    assert sum(made.positions.values()) == TINY.open_loans
    assert run_notices(ctx, actor, today - timedelta(days=1)).data["notices"] == []
    for day in (today, today + timedelta(days=1)):
        sent = run_notices(ctx, actor, day).data["notices"]
        assert Counter(str(n["step"]) for n in sent) == Counter(
            {step.value: n for step, n in made.expected[day].items()}
        )
    assert made.expected[today][Step.RECALL] > 0  # due yesterday: recalled today
    assert run_notices(ctx, actor, today).data["notices"] == []  # the same day again


def test_the_rows_are_where_the_benchmarks_look_for_them(ctx):
    made = generate(ctx, TINY, seed=3)
    heavy, lent = TINY.heavy_loans, TINY.open_loans
    with ctx.sessions() as session:
        open_loans = session.execute(
            select(Loan.id, Loan.item_id, Loan.borrower_id, Loan.capacity, Loan.due).where(
                Loan.state == LoanState.OPEN
            )
        ).all()
        names = dict(session.execute(select(Borrower.id, Borrower.name)).all())
        cards = dict(
            session.execute(
                select(Card.display, Card.borrower_id).where(Card.kind == people.LIBRARY_CARD)
            ).all()
        )
    assert len(open_loans) == lent + TINY.private_loans
    institute = [x for x in open_loans if x.capacity == Capacity.INSTITUTE]
    assert all(x.id == x.item_id for x in institute)  # open loan n lends item n
    assert {x.item_id for x in institute} == set(range(1, lent + 1))
    mine = [x for x in open_loans if x.borrower_id == made.heavy_borrower_id]
    assert len(mine) == heavy and all(x.due >= ctx.today() for x in mine)
    assert cards[made.heavy_card] == made.heavy_borrower_id
    for borrower_id, name in names.items():  # "First Surname N": the card is card N
        if borrower_id != made.heavy_borrower_id:
            _first, _last, number = name.split(" ")
            assert cards[library_card(int(number))] == borrower_id
    on_shelf = lent + TINY.private_loans
    assert max(x.item_id for x in open_loans) == on_shelf


def test_the_desk_reads_the_bulk_rows_as_its_own(ctx):
    generate(ctx, TINY, seed=3, staff=[("bench", Role.SUPERVISOR)])
    policy = ctx.policy
    with ctx.sessions() as session:
        items = session.scalars(select(Item)).all()
        people_ = session.execute(select(Borrower.category, Borrower.own_office)).all()
        loans = session.execute(
            select(Loan, Borrower).join(Borrower, Borrower.id == Loan.borrower_id)
        ).all()
        staff = session.scalars(select(Staff.name)).all()
    assert len(items) == TINY.items and all(has_valid_check_digit(i.barcode) for i in items)
    prices = [i.price for i in items if i.price is not None]
    assert prices and all(isinstance(p, Decimal) and p > 0 for p in prices)
    assert {c for c, _ in people_} == {c.value for c in Category}
    for loan, borrower in loans:
        assert loan.due <= add_period(loan.loan_date, policy.loan.renewal_horizon)  # L5
        if loan.capacity == Capacity.INSTITUTE:  # E1
            assert check_eligible(Category(borrower.category), borrower.own_office) is None
        else:
            assert loan.step is None  # P1: off the ladder
        assert (loan.state == LoanState.OPEN) == (loan.ended_at is None)
    assert _count(ctx, Loan, Loan.state == LoanState.RETURNED) == TINY.closed_loans
    assert _count(ctx, Request) == TINY.requests
    assert _count(ctx, AuditEntry, AuditEntry.action == "checkout") == len(loans)
    assert _count(ctx, Notice) > 0 and _count(ctx, NoticeMail, NoticeMail.state == MailState.SENT)
    assert staff == ["bench"]
    assert policy.institutes
    # the desk finds the 500-loan borrower by his card and lists his loans
    found = status(ctx, test_actor(ctx), library_card(1))
    assert found.data["name"] == "Heavy Borrower" and found.data["suspended"] is False


def test_B3_no_cpr_number_of_the_library_is_stored_in_clear(ctx, monkeypatch):
    made: list[str] = []
    real = people.make_cpr

    def watched(rng, used):  # type: ignore[no-untyped-def]
        cpr = real(rng, used)
        made.append(cpr)
        return cpr

    monkeypatch.setattr(people, "make_cpr", watched)
    generate(ctx, TINY, seed=3)
    assert 0.05 * TINY.borrowers <= len(made) <= 0.15 * TINY.borrowers
    forms = set(made) | {cpr.replace("-", "") for cpr in made}
    with ctx.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                for value in row:
                    if isinstance(value, str) and not value.startswith("cpr:"):
                        assert not any(form in value for form in forms), (table.name, value)
                        assert not CPR_LIKE.search(value), (table.name, value)
        health = session.execute(
            select(Card.lookup, Card.display).where(Card.kind == people.HEALTH_CARD)
        ).all()
    assert sorted(health) == sorted(
        (cpr_lookup_key(cpr, TEST_CPR_KEY), mask_cpr(cpr)) for cpr in made
    )


def _snapshot(url: str, clock, policy, seed: int) -> tuple:  # type: ignore[no-untyped-def]
    ctx = open_desk(url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    generate(ctx, Scale().times(0.001), seed=seed)
    with ctx.sessions() as session:
        shot = (
            session.execute(select(Borrower.name, Borrower.category).order_by(Borrower.id)).all(),
            session.execute(select(Item.barcode, Item.title).order_by(Item.id)).all(),
            session.execute(
                select(Loan.item_id, Loan.borrower_id, Loan.due, Loan.step).order_by(Loan.id)
            ).all(),
        )
    ctx.close()
    return shot


@pytest.mark.slow
def test_the_same_seed_gives_the_same_library(tmp_path: Path, clock, policy):
    first = _snapshot(f"sqlite:///{tmp_path / 'a.sqlite3'}", clock, policy, seed=5)
    again = _snapshot(f"sqlite:///{tmp_path / 'b.sqlite3'}", clock, policy, seed=5)
    other = _snapshot(f"sqlite:///{tmp_path / 'c.sqlite3'}", clock, policy, seed=6)
    assert first == again
    assert first != other
