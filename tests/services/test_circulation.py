"""Circulation services on a real database (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from desk_app.domain.facts import Capacity
from desk_app.domain.verdict import Code
from desk_app.services import borrowers, circulation, claims, supervision
from desk_app.services.notices import run_notices
from desk_app.store.models import AuditEntry, Loan, Request
from tests.helpers.people import ANNE, BO, CECILIE, STUDENT, TEST_CPR, item, seed_cast
from tests.helpers.staffing import test_actor


def _count(ctx, model, *where) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_checkout_records_staff_desk_and_time_in_loan_and_audit(ctx, actor, clock):
    seed_cast(ctx)
    outcome = circulation.checkout(ctx, actor, ANNE, item(1))
    assert outcome.code is Code.LOANED
    with ctx.sessions() as session:
        loan = session.scalars(select(Loan)).one()
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "checkout")).one()
    assert (loan.staff, loan.desk, loan.loaned_at) == ("test-staff", "test-desk", clock.now())
    assert (entry.staff, entry.desk, entry.code, entry.loan_id) == (
        "test-staff",
        "test-desk",
        "LOANED",
        loan.id,
    )


def test_B2_misread_card_looks_nothing_up_and_writes_nothing(ctx, actor):
    seed_cast(ctx)
    misread = ANNE[:-1] + str((int(ANNE[-1]) + 1) % 10)
    outcome = circulation.checkout(ctx, actor, misread, item(1))
    assert outcome.code is Code.CARD_UNKNOWN
    assert outcome.rule == "B2" and outcome.data["misread"] is True
    assert misread in outcome.message_en and "Scan again" in outcome.message_en
    assert _count(ctx, Loan) == 0 and _count(ctx, AuditEntry) == 0


def test_B4_scanner_noise_and_codabar_letters_are_cleaned(ctx, actor):
    seed_cast(ctx)
    outcome = circulation.checkout(ctx, actor, f" A{ANNE}B\r\n", f"\t{item(1)} ")
    assert outcome.code is Code.LOANED


def test_refusal_writes_no_loan(ctx, actor):
    seed_cast(ctx)
    outcome = circulation.checkout(ctx, actor, STUDENT, item(1))
    assert outcome.code is Code.NOT_ELIGIBLE and outcome.rule == "§1 E1"
    assert _count(ctx, Loan) == 0


def test_E1_student_may_borrow_in_private_capacity(ctx, actor, clock):
    seed_cast(ctx)
    outcome = circulation.checkout(ctx, actor, STUDENT, item(1), Capacity.PRIVATE)
    assert outcome.code is Code.LOANED
    assert outcome.data["due"] == date(2026, 4, 1)  # P1: 30 days from 2026-03-02


def test_B3_health_card_borrower_is_found_masked_and_has_e_resources(ctx, actor):
    seed_cast(ctx)
    assert circulation.checkout(ctx, actor, TEST_CPR, item(1)).code is Code.LOANED
    status = borrowers.status(ctx, test_actor(ctx), TEST_CPR.replace("-", ""))
    assert status.data["card"] == "010190-XXXX"
    assert status.data["e_resources"] is True  # E3: a CPR number was given
    assert TEST_CPR not in status.message_en


def test_L4_request_shortens_due_once_and_never_lengthens(ctx, actor, clock):
    seed_cast(ctx)
    clock.set(datetime(2026, 1, 31, 10))
    assert circulation.checkout(ctx, actor, ANNE, item(1)).data["due"] == date(2027, 1, 31)
    clock.set(datetime(2026, 2, 10, 10))
    first = circulation.request(ctx, actor, BO, item(1))
    assert first.data["due_changed_to"] == date(2026, 2, 28)
    clock.set(datetime(2026, 2, 20, 10))
    second = circulation.request(ctx, actor, CECILIE, item(1))
    assert second.data["position"] == 2 and second.data["due_changed_to"] is None
    with ctx.sessions() as session:
        assert session.scalars(select(Loan.due)).one() == date(2026, 2, 28)


def test_L3_duplicate_request_is_not_queued_twice(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, ANNE, item(1))
    assert circulation.request(ctx, actor, BO, item(1)).data["position"] == 1
    again = circulation.request(ctx, actor, BO, item(1))
    assert again.code is Code.REQUESTED and again.data["duplicate"] is True
    assert _count(ctx, Request, Request.state == "active") == 1


def _suspend_bo(ctx, actor, clock) -> None:  # type: ignore[no-untyped-def]
    """Bo's loan of item 2, due 2026-01-02, climbs the whole ladder (§5)."""
    clock.set(datetime(2025, 1, 2, 10))
    circulation.checkout(ctx, actor, BO, item(2))
    for day in (date(2026, 1, 3), date(2026, 1, 18), date(2026, 1, 26), date(2026, 2, 3)):
        run_notices(ctx, actor, day)  # RECALL, REMINDER_1..3
    final = run_notices(ctx, actor, date(2026, 2, 11)).data["notices"]
    assert [n["step"] for n in final] == ["SUSPENSION"]


def test_S2_S5_suspension_derived_and_settled_by_contact(ctx, actor, clock):
    seed_cast(ctx)
    _suspend_bo(ctx, actor, clock)
    assert borrowers.status(ctx, test_actor(ctx), BO).data["causes"] == [item(2)]
    clock.set(datetime(2026, 2, 12, 10))
    assert circulation.checkout(ctx, actor, BO, item(1)).code is Code.SUSPENDED
    settled = supervision.settle_by_contact(ctx, actor, BO, item(2), "Phoned; returns it soon")
    assert settled.code is Code.SETTLED and settled.data["agreed"] == date(2026, 2, 26)
    assert borrowers.status(ctx, test_actor(ctx), BO).data["suspended"] is False
    # S5: the agreed date passes with the item out: suspended again.
    notices = run_notices(ctx, actor, date(2026, 2, 27)).data["notices"]
    assert [(n["item"], n["step"]) for n in notices] == [(item(2), "SUSPENSION")]
    assert borrowers.status(ctx, test_actor(ctx), BO).data["suspended"] is True


def test_C2_C4_lost_then_found_after_billing_refunds_less_the_fee(ctx, actor, clock):
    from desk_app.domain.calendar import HalfYear

    seed_cast(ctx)
    circulation.checkout(ctx, actor, ANNE, item(1))  # price 650
    lost = claims.declare_lost(ctx, actor, item(1))
    assert (lost.data["amount"], lost.data["fee"]) == (650, 100)
    clock.set(datetime(2026, 7, 1, 9))
    billed = claims.bill_claims(ctx, actor, HalfYear(2026, 1))
    assert billed.data["faculties"] == {"SCIENCE": 750}
    back = circulation.checkin(ctx, actor, item(1))
    assert back.code is Code.RETURNED and back.data["refund"] == 650


def test_S0_renewing_a_settled_case_restarts_the_ladder(ctx, actor, clock):
    seed_cast(ctx)
    _suspend_bo(ctx, actor, clock)
    clock.set(datetime(2026, 2, 12, 10))
    supervision.settle_by_contact(ctx, actor, BO, item(2), "Needs it for a grant report")
    renewed = circulation.renew(ctx, actor, item(2))
    assert renewed.code is Code.RENEWED and renewed.data["due"] == date(2027, 2, 12)
    with ctx.sessions() as session:
        loan = session.scalars(select(Loan)).one()
    assert (loan.step, loan.step_deadline, loan.settled) == (None, None, False)
    assert run_notices(ctx, actor, date(2026, 3, 1)).data["notices"] == []
