"""The state tables (domain/*_states.py): what state follows, who may, on which rule."""

from __future__ import annotations

import pytest

from desk_app.domain import roles
from desk_app.domain.claim_states import CLAIM, ClaimAction, ClaimState, on_return
from desk_app.domain.loan_states import LOAN, TRANSIT, LoanAction, LoanState, Transit, TransitAction
from desk_app.domain.mail_states import MAIL, POSTAL, MailAction, MailState
from desk_app.domain.request_states import REQUEST, RequestAction, RequestState
from desk_app.domain.state_machine import Machine, Step, TransitionRefused
from desk_app.domain.state_tables import MACHINES, markdown
from desk_app.store import models


def test_L5_a_renewal_keeps_the_loan_open_and_names_its_rule():
    assert LOAN.step(LoanState.OPEN, LoanAction.RENEW) is LoanState.OPEN
    assert LOAN.row(LoanState.OPEN, LoanAction.RENEW).rule == "L5"


def test_L1_a_checkout_creates_an_open_loan_that_a_courier_may_not_make():
    row = LOAN.row(None, LoanAction.CHECK_OUT)
    assert row.target is LoanState.OPEN and row.rule == "L1"
    assert roles.Role.DESK in row.who and roles.Role.COURIER not in row.who


@pytest.mark.parametrize("action", list(LoanAction))
def test_an_ended_loan_takes_no_action(action):
    for state in LOAN.final():
        with pytest.raises(TransitionRefused, match=state.value):
            LOAN.step(state, action)
    assert LOAN.final() == {LoanState.RETURNED, LoanState.LOST, LoanState.DISCHARGED,
                            LoanState.CANCELLED}  # fmt: skip


def test_T4_an_item_is_not_delivered_before_it_left_nor_twice():
    assert TRANSIT.start(TransitAction.SEND) is Transit.AWAITING_DISPATCH
    with pytest.raises(TransitionRefused):
        TRANSIT.step(Transit.AWAITING_DISPATCH, TransitAction.DELIVER)
    with pytest.raises(TransitionRefused):
        TRANSIT.step(Transit.DELIVERED, TransitAction.DELIVER)


def test_Q2_a_cancelled_request_cannot_be_fulfilled():
    assert REQUEST.row(RequestState.ACTIVE, RequestAction.CANCEL).rule == "Q2"
    assert not REQUEST.can(RequestState.CANCELLED, RequestAction.FULFIL)


def test_C4_a_returned_lost_item_refunds_a_billed_claim_and_cancels_an_open_one():
    assert CLAIM.step(ClaimState.BILLED, on_return(ClaimState.BILLED)) is ClaimState.REFUNDED
    assert CLAIM.step(ClaimState.OPEN, on_return("open")) is ClaimState.CANCELLED
    assert not CLAIM.can(ClaimState.REFUNDED, ClaimAction.BILL)


def test_S6_a_sent_mail_is_never_claimed_again_and_set_updates_come_from_the_table():
    assert not MAIL.can(MailState.SENT, MailAction.CLAIM)
    assert MAIL.sources(MailAction.SUPERSEDE) == (MailState.PENDING, MailState.SENDING)
    assert MAIL.target(MailAction.EXPIRE) is MailState.EXPIRED
    assert MailState.SENT not in POSTAL


def test_a_table_with_two_rows_for_one_state_and_action_is_refused():
    with pytest.raises(ValueError, match="two rows"):
        Machine(
            "x",
            LoanState,
            [
                Step(LoanState.OPEN, LoanAction.RETURN, LoanState.RETURNED, None, ""),
                Step(LoanState.OPEN, LoanAction.RETURN, LoanState.LOST, None, ""),
            ],
        )


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_every_state_is_reachable_and_every_row_names_who_may(machine):
    reached = {row.target for row in machine.steps}
    assert reached == set(machine.states), f"{machine.name}: unreachable states"
    for row in machine.steps:
        assert row.permission is not None and row.who, f"{machine.name}: {row} names nobody"
    assert "| from | action | to | who may | rule |" in markdown(machine)


def test_the_store_constraints_are_the_tables_states():
    assert tuple(s.value for s in LoanState) == models.LOAN_STATES
    assert tuple(s.value for s in RequestState) == models.REQUEST_STATES
    assert tuple(s.value for s in MailState) == models.MAIL_STATES
