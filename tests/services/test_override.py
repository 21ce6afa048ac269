"""Supervisor override of an overridable checkout refusal: the role comes from
the staff table, the reason is required and audited, and a refused override
changes nothing but the audit trail."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from desk_app.domain.verdict import Code
from desk_app.services import circulation
from desk_app.services.circulation import Override
from desk_app.services.context import Actor
from desk_app.services.staff import add_staff
from desk_app.store.models import AuditEntry, Loan, Staff
from tests.helpers.people import ANNE, BO, STUDENT, item, seed_cast

SUPERVISOR = Actor("Søren Supervisor", "Main desk")
DESK = Actor("Dorte Desk", "Main desk")


@pytest.fixture
def staffed(ctx):  # type: ignore[no-untyped-def]
    seed_cast(ctx)
    add_staff(ctx, SUPERVISOR.staff, "supervisor", "2222")
    add_staff(ctx, DESK.staff, "desk", "1111")
    add_staff(ctx, "Anna Admin", "admin", "0000")
    return ctx


def _loans(ctx) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalar(select(func.count()).select_from(Loan)) or 0


def _audit(ctx) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_a_supervisor_lends_despite_E1_and_the_reason_is_audited(staffed):
    ctx = staffed
    plain = circulation.checkout(ctx, SUPERVISOR, STUDENT, item(1))
    assert plain.code is Code.NOT_ELIGIBLE  # without an override, the rule stands
    reason = "Visiting student on the DIKU project; approved by head of section"
    lent = circulation.checkout(ctx, SUPERVISOR, STUDENT, item(1), override=Override(reason))
    assert lent.code is Code.LOANED and lent.data["overridden"] == ["NOT_ELIGIBLE"]
    assert lent.rule == "§1 E1" and lent.message_en.startswith("Override of §1 E1:")
    entries = _audit(ctx)
    assert [(e.action, e.code) for e in entries] == [
        ("checkout", "NOT_ELIGIBLE"),
        ("checkout_override", "LOANED"),
    ]
    detail = json.loads(entries[-1].detail)
    assert detail["reason"] == reason and detail["overridden"] == ["NOT_ELIGIBLE"]
    assert entries[-1].loan_id == lent.data["loan_id"] and entries[-1].staff == SUPERVISOR.staff


def test_an_admin_may_override_too(staffed):
    admin = Actor("Anna Admin", "Main desk")
    lent = circulation.checkout(staffed, admin, ANNE, item(3), override=Override("Exhibition"))
    assert lent.code is Code.LOANED


def test_M3_and_L3_refusals_can_be_overridden_together(staffed):
    ctx = staffed
    assert circulation.request(ctx, SUPERVISOR, BO, item(4)).code is Code.REQUESTED
    lent = circulation.checkout(ctx, SUPERVISOR, ANNE, item(4), override=Override("Edition work"))
    assert lent.code is Code.LOANED
    assert lent.data["overridden"] == ["NOT_LOANABLE_READING_ROOM", "RESERVED_FOR_OTHER"]


@pytest.mark.parametrize(
    ("actor", "reason", "message", "key"),
    [
        (DESK, "Urgent", "Only a supervisor may override a refusal.", "not_permitted"),
        (SUPERVISOR, "   ", "An override needs a reason", "no_reason"),
    ],
)
def test_a_refused_override_changes_nothing_but_the_audit(staffed, actor, reason, message, key):
    ctx = staffed
    refused = circulation.checkout(ctx, actor, STUDENT, item(1), override=Override(reason))
    assert refused.code is Code.OVERRIDE_REFUSED and not refused.ok
    assert refused.message_en.startswith(message) and refused.data["reason_key"] == key
    if key == "not_permitted":
        assert refused.message_da == "Kun en supervisor må tilsidesætte en afvisning."
    assert _loans(ctx) == 0
    [entry] = _audit(ctx)
    assert (entry.action, entry.code, entry.staff, entry.loan_id) == (
        "checkout_override",
        "OVERRIDE_REFUSED",
        actor.staff,
        None,
    )
    assert entry.borrower_id is not None and entry.item_id is not None


@pytest.mark.parametrize("who", ["inactive", "unknown"])
def test_h13_p9_an_inactive_or_unknown_name_may_not_even_lend(staffed, who):
    """Issue 13 point 9: no staff row, no rights: refused at the door (before
    the override is looked at), audited, nothing lent."""
    ctx = staffed
    actor = SUPERVISOR if who == "inactive" else Actor("nobody", "d")
    with ctx.sessions.begin() as session:
        session.scalars(select(Staff).where(Staff.name == SUPERVISOR.staff)).one().active = False
    refused = circulation.checkout(ctx, actor, STUDENT, item(1), override=Override("x"))
    assert refused.code is Code.NOT_PERMITTED and refused.data["why"] == "unknown"
    assert _loans(ctx) == 0
    [entry] = _audit(ctx)
    assert (entry.action, entry.code, entry.staff) == ("checkout", "NOT_PERMITTED", actor.staff)


def test_an_item_already_on_loan_is_never_lent_twice_by_override(staffed):
    ctx = staffed
    assert circulation.checkout(ctx, SUPERVISOR, ANNE, item(1)).code is Code.LOANED
    again = circulation.checkout(ctx, SUPERVISOR, BO, item(1), override=Override("Urgent"))
    assert again.code is Code.ON_LOAN
    assert _audit(ctx)[-1].action == "checkout_override"
    unknown = circulation.checkout(ctx, SUPERVISOR, BO, item(99), override=Override("Urgent"))
    assert unknown.code is Code.ITEM_UNKNOWN
    assert _loans(ctx) == 1


def test_an_override_with_nothing_to_set_aside_is_a_plain_loan(staffed):
    just_in_case = Override("Just in case")
    lent = circulation.checkout(staffed, SUPERVISOR, ANNE, item(1), override=just_in_case)
    assert lent.code is Code.LOANED and "overridden" not in lent.data
    assert lent.message_en.startswith("Loan until")
    entry = _audit(staffed)[-1]
    assert entry.action == "checkout_override"
    assert json.loads(entry.detail)["reason"] == "Just in case"
