"""Undo of the last checkout (C1): within two minutes, of a loan nothing has
happened to since; the loan ends as ``cancelled`` and a fulfilled request is
the borrower's again."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from desk_app.domain.verdict import Code
from desk_app.services import circulation
from desk_app.store.models import AuditEntry, Loan, Request
from tests.helpers.people import ANNE, BO, item, seed_cast


def _loan(ctx, loan_id: int) -> Loan:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.get_one(Loan, loan_id)


def _lend(ctx, actor, card: str = ANNE, n: int = 1) -> int:  # type: ignore[no-untyped-def]
    outcome = circulation.checkout(ctx, actor, card, item(n))
    assert outcome.code is Code.LOANED, outcome.message_en
    return outcome.data["loan_id"]


def test_C1_undo_within_two_minutes_cancels_the_loan_and_frees_the_item(ctx, actor, clock):
    seed_cast(ctx)
    loan_id = _lend(ctx, actor)
    lent_at = clock.now()
    clock.set(lent_at + timedelta(minutes=1, seconds=59))
    undone = circulation.undo_checkout(ctx, actor, loan_id)
    assert undone.code is Code.UNDONE and undone.ok and undone.rule == "§6 C1"
    assert undone.message_en == "Checkout undone: the loan of Concrete Mathematics is cancelled."
    assert undone.message_da.startswith("Udlånet er fortrudt")
    assert (undone.data["loan_id"], undone.data["item"]) == (loan_id, item(1))
    loan = _loan(ctx, loan_id)
    assert (loan.state, loan.ended_at) == ("cancelled", clock.now())
    with ctx.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.loan_id == loan_id)).all()
    assert [(e.action, e.code, e.staff, e.desk) for e in entry] == [
        ("checkout", "LOANED", "test-staff", "test-desk"),
        ("undo_checkout", "UNDONE", "test-staff", "test-desk"),
    ]
    # The item is free again: lent to someone else, and the borrower has no loan.
    assert circulation.checkout(ctx, actor, BO, item(1)).code is Code.LOANED
    assert circulation.checkin(ctx, actor, item(1)).code is Code.RETURNED


def test_undo_two_minutes_after_the_checkout_is_too_late(ctx, actor, clock):
    seed_cast(ctx)
    loan_id = _lend(ctx, actor)
    clock.set(clock.now() + timedelta(minutes=2))
    late = circulation.undo_checkout(ctx, actor, loan_id)
    assert late.code is Code.UNDO_REFUSED and not late.ok
    assert "more than 2 minutes ago" in late.message_en
    assert "for mere end 2 minutter siden" in late.message_da
    assert late.data["reason_key"] == "too_late"
    assert _loan(ctx, loan_id).state == "open"
    assert circulation.undo_checkout(ctx, actor, loan_id, within=timedelta(minutes=5)).ok


def test_undo_of_a_returned_loan_is_refused(ctx, actor):
    seed_cast(ctx)
    loan_id = _lend(ctx, actor)
    circulation.checkin(ctx, actor, item(1))
    refused = circulation.undo_checkout(ctx, actor, loan_id)
    assert refused.code is Code.UNDO_REFUSED
    assert refused.message_en == "Nothing to undo: the loan has been returned already."
    assert _loan(ctx, loan_id).state == "returned"


def test_undo_twice_is_refused_the_second_time(ctx, actor):
    seed_cast(ctx)
    loan_id = _lend(ctx, actor)
    assert circulation.undo_checkout(ctx, actor, loan_id).code is Code.UNDONE
    again = circulation.undo_checkout(ctx, actor, loan_id)
    assert again.code is Code.UNDO_REFUSED and "undone already" in again.message_en


def test_undo_of_a_renewed_loan_is_refused(ctx, actor, clock):
    seed_cast(ctx)
    loan_id = _lend(ctx, actor)
    clock.set(clock.now() + timedelta(seconds=30))
    assert circulation.renew(ctx, actor, item(1)).code is Code.RENEWED
    refused = circulation.undo_checkout(ctx, actor, loan_id)
    assert refused.code is Code.UNDO_REFUSED and "renewed" in refused.message_en
    assert refused.data["reason_key"] == "renewed"
    assert _loan(ctx, loan_id).state == "open"


def test_undo_is_refused_once_another_borrower_requested_the_item(ctx, actor):
    seed_cast(ctx)
    loan_id = _lend(ctx, actor)
    assert circulation.request(ctx, actor, BO, item(1)).code is Code.REQUESTED
    refused = circulation.undo_checkout(ctx, actor, loan_id)
    assert refused.code is Code.UNDO_REFUSED and "(request)" in refused.message_en
    assert _loan(ctx, loan_id).state == "open"


def test_undo_gives_the_borrower_back_the_request_the_loan_fulfilled(ctx, actor, clock):
    seed_cast(ctx)
    lent = _lend(ctx, actor, BO, 2)  # Bo has item 2 ...
    assert circulation.request(ctx, actor, ANNE, item(2)).code is Code.REQUESTED  # Anne waits
    clock.set(clock.now() + timedelta(days=1))
    circulation.checkin(ctx, actor, item(2))
    loan_id = _lend(ctx, actor, ANNE, 2)  # ... and Anne's request is fulfilled by her loan
    undone = circulation.undo_checkout(ctx, actor, loan_id)
    assert undone.data["request_reactivated"] is True
    assert "request is active again" in undone.message_en
    with ctx.sessions() as session:
        request = session.scalars(select(Request)).one()
    assert (request.state, request.loan_id, request.ended_at) == ("active", None, None)
    assert lent != loan_id
    # Anne is first in the queue again: she may borrow it, Bo may not.
    assert circulation.checkout(ctx, actor, BO, item(2)).code is Code.RESERVED_FOR_OTHER
    assert circulation.checkout(ctx, actor, ANNE, item(2)).code is Code.LOANED


def test_undo_of_an_unknown_loan_is_refused_and_writes_nothing(ctx, actor):
    seed_cast(ctx)
    refused = circulation.undo_checkout(ctx, actor, 4711)
    assert refused.code is Code.UNDO_REFUSED and refused.data["reason_key"] == "unknown"
    with ctx.sessions() as session:
        assert session.scalars(select(AuditEntry)).all() == []


def test_a_refused_undo_is_audited_with_why(ctx, actor, clock):
    seed_cast(ctx)
    loan_id = _lend(ctx, actor)
    clock.set(clock.now() + timedelta(hours=1))
    circulation.undo_checkout(ctx, actor, loan_id)
    with ctx.sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "undo_checkout")
        ).one()
    assert (entry.code, entry.loan_id) == ("UNDO_REFUSED", loan_id)
    assert json.loads(entry.detail)["reason_key"] == "too_late"
