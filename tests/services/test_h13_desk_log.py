"""Issue 13 below the desk window (services/desk.py, circulation): whose loan a
check-in names (point 3), a supervisor authorising an override at a desk login
with their PIN (point 17), and the refusals a desk keeps in view (point 18)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from desk_app.domain.verdict import Code
from desk_app.services import circulation
from desk_app.services.circulation import AUTHORISE_ACTION, Authoriser, Override
from desk_app.services.context import Actor
from desk_app.services.desk import DeskSession, Mode
from desk_app.services.staff import MAX_WRONG_PINS, add_staff
from desk_app.store.models import AuditEntry, Loan
from tests.helpers.people import ANNE, BO, STUDENT, item, seed_cast

DESK = Actor("Dorte Desk", "Main desk")
SUPERVISOR = Actor("Søren Supervisor", "Main desk")


@pytest.fixture
def staffed(ctx):  # type: ignore[no-untyped-def]
    seed_cast(ctx)
    add_staff(ctx, DESK.staff, "desk", "1111")
    add_staff(ctx, SUPERVISOR.staff, "supervisor", "2222")
    return ctx


def _loans(ctx) -> list[Loan]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return list(session.scalars(select(Loan).order_by(Loan.id)))


def _audit(ctx, action: str) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list(session.scalars(query))


# -- point 3 ---------------------------------------------------------------------


def test_h13_p3_check_in_of_another_borrowers_loan_logs_the_loans_borrower(staffed):
    ctx = staffed
    assert circulation.checkout(ctx, SUPERVISOR, BO, item(1)).ok
    desk = DeskSession(ctx, DESK)
    desk.scan(ANNE)  # Anne is served; she brings back Bo's book
    desk.set_mode(Mode.CHECK_IN)
    returned = desk.scan(item(1))
    assert returned.verdict.code is Code.RETURNED
    assert desk.log[-1].borrower == "Bo Nielsen"  # the database's borrower, and the log's
    assert returned.borrower is not None and returned.borrower.data["name"] == "Bo Nielsen"
    assert desk.serving is not None and desk.serving.data["name"] == "Anne Jensen"
    not_lent = desk.scan(item(6))  # on no loan: nobody's, whoever stands at the desk
    assert not_lent.verdict.code is Code.NOT_ON_LOAN
    assert desk.log[-1].borrower == ""
    desk.set_mode(Mode.CHECK_OUT)
    assert desk.scan(item(6)).verdict.code is Code.LOANED
    assert desk.log[-1].borrower == "Anne Jensen"
    with ctx.sessions() as session:
        lent = session.scalars(select(Loan).where(Loan.state == "open")).one()
        assert lent.borrower.name == "Anne Jensen"


def test_h13_p3_own_loan_and_no_card_still_name_the_loans_borrower(staffed):
    ctx = staffed
    assert circulation.checkout(ctx, SUPERVISOR, BO, item(1)).ok
    assert circulation.checkout(ctx, SUPERVISOR, ANNE, item(2)).ok
    desk = DeskSession(ctx, DESK, mode=Mode.CHECK_IN)
    desk.scan(item(1))  # no card scanned: whose loan it was
    assert desk.log[-1].borrower == "Bo Nielsen"
    desk.scan(ANNE)
    desk.scan(item(2))  # Anne's own
    assert desk.log[-1].borrower == "Anne Jensen"


# -- point 17 --------------------------------------------------------------------


def test_h13_p17_supervisor_authorises_at_the_desk_login_with_pin(staffed):
    ctx = staffed
    assert circulation.checkout(ctx, DESK, STUDENT, item(1)).code is Code.NOT_ELIGIBLE
    alone = circulation.checkout(ctx, DESK, STUDENT, item(1), override=Override("Dean"))
    assert alone.code is Code.OVERRIDE_REFUSED  # the desk login alone may not
    authorised = Override("Visiting professor", Authoriser(SUPERVISOR.staff, "2222"))
    lent = circulation.checkout(ctx, DESK, STUDENT, item(1), override=authorised)
    assert lent.code is Code.LOANED and lent.data["authorised_by"] == SUPERVISOR.staff
    (loan,) = _loans(ctx)
    assert (loan.staff, loan.desk) == (DESK.staff, "Main desk")  # actor: the desk login
    entry = _audit(ctx, "checkout_override")[-1]
    assert (entry.staff, entry.code, entry.loan_id) == (DESK.staff, "LOANED", loan.id)
    detail = json.loads(entry.detail)
    assert detail["authorised_by"] == SUPERVISOR.staff and detail["reason"] == "Visiting professor"
    (check,) = _audit(ctx, AUTHORISE_ACTION)  # the PIN check, at this desk, by name
    assert (check.staff, check.desk, check.code) == (SUPERVISOR.staff, "Main desk", "SIGNED_IN")
    assert not _audit(ctx, "sign_in")  # nobody signed in or out
    assert "2222" not in repr(authorised)


@pytest.mark.parametrize(
    ("who", "pin", "key"),
    [
        (SUPERVISOR.staff, "9999", "not_authorised"),  # a wrong PIN
        ("Nobody Known", "2222", "not_authorised"),  # no such staff member
        (DESK.staff, "1111", "not_permitted"),  # right PIN, but no supervisor
    ],
)
def test_h13_p17_wrong_pin_or_no_supervisor_is_refused_audited_nothing_lent(staffed, who, pin, key):
    ctx = staffed
    asked = Override("Urgent", Authoriser(who, pin))
    refused = circulation.checkout(ctx, DESK, STUDENT, item(1), override=asked)
    assert refused.code is Code.OVERRIDE_REFUSED and refused.data["reason_key"] == key
    assert _loans(ctx) == []
    (entry,) = _audit(ctx, "checkout_override")
    assert (entry.staff, entry.code, entry.loan_id) == (DESK.staff, "OVERRIDE_REFUSED", None)
    assert entry.borrower_id is not None and entry.item_id is not None
    (check,) = _audit(ctx, AUTHORISE_ACTION)
    assert check.code == ("SIGNED_IN" if key == "not_permitted" else "SIGN_IN_REFUSED")
    assert pin not in (entry.detail or "") + (check.detail or "")  # no PIN in the audit


def test_h13_p17_wrong_pins_lock_the_supervisor_out_as_at_sign_in(staffed):
    ctx = staffed
    for _ in range(MAX_WRONG_PINS):
        wrong = Override("Urgent", Authoriser(SUPERVISOR.staff, "9999"))
        assert circulation.checkout(ctx, DESK, STUDENT, item(1), override=wrong).code is (
            Code.OVERRIDE_REFUSED
        )
    right = Override("Urgent", Authoriser(SUPERVISOR.staff, "2222"))
    locked = circulation.checkout(ctx, DESK, STUDENT, item(1), override=right)
    assert locked.code is Code.OVERRIDE_REFUSED and "locked" in locked.message_en
    assert _loans(ctx) == []


def test_h13_p17_desk_session_keeps_borrower_refusal_and_log(staffed):
    ctx = staffed
    desk = DeskSession(ctx, DESK)
    desk.scan(STUDENT)
    desk.scan(item(1))
    assert desk.can_override() and SUPERVISOR.staff in desk.supervisors()
    assert DESK.staff not in desk.supervisors()
    wrong = desk.override("Urgent", Authoriser(SUPERVISOR.staff, "0000"))
    assert wrong.verdict.code is Code.OVERRIDE_REFUSED
    assert desk.can_override()  # still there for the right PIN
    lent = desk.override("Urgent", Authoriser(SUPERVISOR.staff, "2222"))
    assert lent.verdict.code is Code.LOANED
    assert desk.actor == DESK and desk.borrower is not None
    assert desk.borrower.data["name"] == "Frida Larsen"
    assert [e.action for e in desk.log] == ["card", "check_out", "override", "override"]


# -- point 18 --------------------------------------------------------------------


def test_h13_p18_outcomes_name_their_item_and_refusals_stay_open(staffed):
    ctx = staffed
    desk = DeskSession(ctx, SUPERVISOR)
    desk.scan(ANNE)
    refused = desk.scan(item(5))
    assert refused.item is not None and refused.item.label() == f"Manuscript facsimile ({item(5)})"
    unknown = desk.scan(item(99))
    assert unknown.item is not None and unknown.item.label() == item(99)  # no title known
    lent = desk.scan(item(1))
    assert lent.verdict.code is Code.LOANED
    assert [r.outcome.read for r in desk.open_refusals] == [item(5), item(99)]
    overridden = desk.scan(item(4))  # reading room: refused, then lent by override
    assert len(desk.open_refusals) == 3
    assert desk.override("Edition work").verdict.code is Code.LOANED, overridden
    assert [r.outcome.read for r in desk.open_refusals] == [item(5), item(99)]
    desk.scan(BO)  # the next borrower
    assert desk.open_refusals == []
    desk.scan(item(5))
    desk.dismiss_refusals()
    assert desk.open_refusals == []
    desk.scan(item(5))
    desk.clear_borrower()
    assert desk.open_refusals == []
