"""What a return says, and on which rule (C1, S4, P1, C4), and the undo's
refusals (C1): decided in the domain, from facts."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from desk_app.domain.checkin import lost_item_back, returned
from desk_app.domain.claim_states import ClaimState
from desk_app.domain.claims import ClaimAmounts
from desk_app.domain.loan_states import LoanAction, LoanState
from desk_app.domain.undo import NOTHING_TO_UNDO, UndoFacts, undo_refusal
from desk_app.domain.verdict import Code

NOW = datetime(2026, 3, 2, 10, 0)


def _returned(**facts):  # type: ignore[no-untyped-def]
    given = {
        "reinstated": False,
        "next_card": None,
        "late_fee": None,
        "damage_charge": None,
        "borrower_id": 1,
    }
    return returned("Concrete Mathematics", **{**given, **facts})


def test_C1_a_plain_return():
    outcome = _returned()
    assert outcome.code is Code.RETURNED and outcome.rule == "§6 C1"
    assert outcome.message_en == "Returned: Concrete Mathematics."
    assert outcome.message_da == "Afleveret: Concrete Mathematics."


def test_S4_a_return_that_lifts_the_suspension_names_S4_even_with_a_fee():
    outcome = _returned(reinstated=True, late_fee=Decimal(20))
    assert outcome.rule == "§5 S4"
    assert "suspension is lifted" in outcome.message_en
    assert "Late fee 20.00 DKK" in outcome.message_en
    assert "20,00 kr." in outcome.message_da


def test_P1_a_late_private_return_names_P1_and_the_fee():
    outcome = _returned(late_fee=Decimal(40), next_card="2000")
    assert outcome.rule == "§9 P1" and outcome.data["late_fee"] == Decimal(40)
    assert outcome.message_en == (
        "Returned: Concrete Mathematics. Requested: do not shelve it; lend it on at once "
        "to the first in the queue (2000). Late fee 40.00 DKK (private loan)."
    )


def test_P1_no_fee_is_no_fee():
    assert _returned(late_fee=Decimal(0)).data["late_fee"] is None


@pytest.mark.parametrize(
    ("state", "after", "refund", "code"),
    [
        (ClaimState.OPEN, ClaimState.CANCELLED, None, Code.RETURNED),
        (ClaimState.BILLED, ClaimState.REFUNDED, Decimal(650), Code.RETURNED),
    ],
)
def test_C4_a_lost_item_back_cancels_or_refunds_its_claim(state, after, refund, code):
    back = lost_item_back(
        state,
        ClaimAmounts(Decimal(650), Decimal(100)),
        LoanAction.RETURN,
        next_card=None,
        borrower_id=1,
    )
    assert (back.claim_state, back.refund, back.verdict.code) == (after, refund, code)
    assert back.verdict.rule == "§6 C4"


def test_C4_found_on_the_shelf_is_discharged():
    back = lost_item_back(
        ClaimState.OPEN,
        ClaimAmounts(Decimal(1), Decimal(1)),
        LoanAction.FIND,
        next_card=None,
        borrower_id=1,
    )
    assert back.verdict.code is Code.DISCHARGED


def _loan(**facts):  # type: ignore[no-untyped-def]
    given = {
        "state": LoanState.OPEN,
        "loaned_at": NOW,
        "renewals": 0,
        "acted_on": None,
        "noticed": False,
    }
    return UndoFacts(**{**given, **facts})


def test_C1_undo_within_the_window_is_allowed():
    assert undo_refusal(_loan(), NOW + timedelta(minutes=1), timedelta(minutes=2)) is None


@pytest.mark.parametrize("state", sorted(NOTHING_TO_UNDO))
def test_C1_an_ended_loan_says_how_it_ended(state):
    refused = undo_refusal(_loan(state=state), NOW, timedelta(minutes=2))
    assert refused is not None and refused.data["reason_key"] == state.value
    assert refused.text == NOTHING_TO_UNDO[state]


def test_C1_every_ended_state_of_the_loan_table_has_its_words():
    assert set(NOTHING_TO_UNDO) == set(LoanState) - {LoanState.OPEN}


@pytest.mark.parametrize(
    ("within", "en", "da"),
    [
        (timedelta(minutes=2), "more than 2 minutes ago", "mere end 2 minutter siden"),
        (timedelta(minutes=1), "more than 1 minute ago", "mere end 1 minut siden"),
        (timedelta(seconds=90), "more than 90 seconds ago", "mere end 90 sekunder siden"),
    ],
)
def test_C1_too_late_says_the_window(within, en, da):
    refused = undo_refusal(_loan(), NOW + within, within)
    assert refused is not None and refused.data["reason_key"] == "too_late"
    assert en in refused.message_en and da in refused.message_da


def test_C1_renewed_or_acted_on_is_checked_in_instead():
    renewed = undo_refusal(_loan(renewals=1), NOW, timedelta(minutes=2))
    assert renewed is not None and renewed.data["reason_key"] == "renewed"
    noticed = undo_refusal(_loan(noticed=True), NOW, timedelta(minutes=2))
    assert noticed is not None and "(notice)" in noticed.message_en
