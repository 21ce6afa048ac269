"""The loan state table: an undone checkout ends the loan as ``cancelled``."""

from __future__ import annotations

import pytest

from desk_app.domain.loan_states import (
    ENDED,
    Action,
    LoanState,
    TransitionRefused,
    transition,
)


def test_an_open_loan_can_be_cancelled_and_cancelled_is_an_end():
    assert transition(LoanState.OPEN, Action.CANCEL) is LoanState.CANCELLED
    assert LoanState.CANCELLED in ENDED
    assert set(ENDED) == set(LoanState) - {LoanState.OPEN}


@pytest.mark.parametrize("state", sorted(ENDED))
def test_an_ended_loan_is_never_cancelled(state):
    with pytest.raises(TransitionRefused):
        transition(state, Action.CANCEL)
