"""Issue 14: a scan is classified once, and one desk action is one transaction
that also reads what the desk shows (the borrower panel, the item's title)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from desk_app.domain import scan as scan_module
from desk_app.domain.verdict import Code
from desk_app.services import borrowers, circulation
from desk_app.services.context import DeskContext
from desk_app.services.desk import DeskSession, Mode
from tests.helpers.people import ANNE, BO, TEST_CPR, item, seed_cast
from tests.helpers.staffing import test_actor


@pytest.fixture
def desk(ctx: DeskContext) -> DeskSession:
    seed_cast(ctx)
    return DeskSession(ctx, test_actor(ctx))


@contextmanager
def transactions(ctx: DeskContext) -> Iterator[list[int]]:
    """Counts the transactions begun on ``ctx``'s engine meanwhile."""
    engine = ctx.sessions.kw["bind"]
    begun = [0]

    def count(_conn) -> None:  # type: ignore[no-untyped-def]
        begun[0] += 1

    event.listen(engine, "begin", count)
    try:
        yield begun
    finally:
        event.remove(engine, "begin", count)


def test_a_desk_checkout_is_one_transaction_with_its_panel(desk: DeskSession) -> None:
    desk.scan(ANNE)
    with transactions(desk.ctx) as begun:
        outcome = desk.scan(item(1))
    assert outcome.verdict.code is Code.LOANED
    assert begun == [1]
    assert outcome.item is not None and outcome.item.title == "Concrete Mathematics"
    assert outcome.borrower is not None and outcome.borrower.data["loans"] == [item(1)]
    # the panel read in the checkout's transaction is the one borrowers.status reads after it
    after = borrowers.status(desk.ctx, desk.actor, ANNE)
    assert outcome.borrower.data == after.data
    assert outcome.borrower.message_en == after.message_en


@pytest.mark.parametrize("mode", [Mode.CHECK_IN, Mode.RENEW])
def test_a_desk_check_in_or_renewal_is_one_transaction(desk: DeskSession, mode: Mode) -> None:
    desk.scan(ANNE)
    desk.scan(item(1))
    desk.set_mode(mode)
    with transactions(desk.ctx) as begun:
        outcome = desk.scan(item(1))
    assert outcome.verdict.ok, outcome.verdict.message_en
    assert begun == [1]
    assert outcome.borrower is not None and outcome.borrower.data["name"] == "Anne Jensen"
    assert outcome.item is not None and outcome.item.title == "Concrete Mathematics"


def test_a_card_scan_is_one_session(desk: DeskSession) -> None:
    with transactions(desk.ctx) as begun:
        outcome = desk.scan(TEST_CPR)
    assert outcome.verdict.code is Code.STATUS and outcome.read == "010190-XXXX"
    assert begun == [1]


def test_the_scan_is_classified_once(desk: DeskSession, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    desk.scan(ANNE)
    calls: list[str] = []
    classify = scan_module.classify

    def counted(raw: str, prefix: str = "", suffix: str = ""):  # type: ignore[no-untyped-def]
        calls.append(raw)
        return classify(raw, prefix, suffix)

    monkeypatch.setattr(scan_module, "classify", counted)
    outcome = desk.scan(item(1))
    assert outcome.verdict.code is Code.LOANED
    assert calls == [item(1)]


def test_a_returned_loan_of_another_borrower_shows_whose_it_was(desk: DeskSession) -> None:
    assert circulation.checkout(desk.ctx, desk.actor, BO, item(2)).ok
    desk.scan(ANNE)
    desk.set_mode(Mode.CHECK_IN)
    with transactions(desk.ctx) as begun:
        outcome = desk.scan(item(2))
    assert begun == [1]
    assert outcome.borrower is not None and outcome.borrower.data["name"] == "Bo Nielsen"
    assert desk.serving is not None and desk.serving.data["name"] == "Anne Jensen"


def test_two_returns_without_a_card_show_the_panel_after_each(desk: DeskSession) -> None:
    assert circulation.checkout(desk.ctx, desk.actor, ANNE, item(1)).ok
    assert circulation.checkout(desk.ctx, desk.actor, ANNE, item(2)).ok
    desk.set_mode(Mode.CHECK_IN)
    first = desk.scan(item(1))
    assert first.borrower is not None and first.borrower.data["loans"] == [item(2)]
    second = desk.scan(item(2))
    assert second.borrower is not None and second.borrower.data["loans"] == []


def test_an_undo_is_one_transaction_with_its_panel(desk: DeskSession) -> None:
    desk.scan(ANNE)
    desk.scan(item(1))
    desk.ctx.clock.set(desk.ctx.now() + timedelta(seconds=30))  # type: ignore[attr-defined]
    with transactions(desk.ctx) as begun:
        outcome = desk.undo()
    assert outcome.verdict.code is Code.UNDONE
    assert begun == [1]
    assert outcome.borrower is not None and outcome.borrower.data["loans"] == []
