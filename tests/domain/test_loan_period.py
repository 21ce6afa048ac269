"""§4 Loan period: L1 to L5 (with the I2 and P1 periods they share code with)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desk_app.domain.calendar import Period
from desk_app.domain.facts import Capacity, Step
from desk_app.domain.loan_period import (
    LoanTerms,
    decide_renewal,
    due_after_request,
    ill_loan_terms,
    institute_loan_terms,
    private_loan_terms,
    renewal_horizon,
)
from desk_app.domain.verdict import Code
from tests.domain.factories import assert_verdict, loan

# --- L1 / L2 ------------------------------------------------------------------


def test_L1_standard_loan_period_is_one_year(policy):
    terms = institute_loan_terms(date(2026, 5, 1), others_waiting=False, policy=policy)
    assert terms.due == date(2027, 5, 1)
    assert terms.rule == "L1"
    assert terms.requested_at_once is False


def test_L1_loan_on_29_february_is_due_28_february(policy):
    terms = institute_loan_terms(date(2024, 2, 29), others_waiting=False, policy=policy)
    assert terms.due == date(2025, 2, 28)


def test_L2_guaranteed_one_month_when_nobody_waits(policy):
    terms = institute_loan_terms(date(2026, 5, 1), others_waiting=False, policy=policy)
    assert terms.guaranteed_until == date(2026, 6, 1)


@pytest.mark.parametrize(
    ("loan_day", "guaranteed"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 3, 31), date(2026, 4, 30)),
    ],
)
def test_L2_guaranteed_month_clamps_to_month_end(policy, loan_day, guaranteed):
    terms = institute_loan_terms(loan_day, others_waiting=False, policy=policy)
    assert terms.guaranteed_until == guaranteed


def test_L2_guaranteed_14_days_when_another_borrower_waits(policy):
    terms = institute_loan_terms(date(2026, 5, 1), others_waiting=True, policy=policy)
    assert terms.guaranteed_until == date(2026, 5, 15)
    assert terms.rule == "L2"


def test_L3_loan_with_others_waiting_is_requested_at_once_and_due_after_14_days(policy):
    # L3 -> L4: due = min(1 year, max(loan day, loan day + 14 days)) = loan day + 14 days
    terms = institute_loan_terms(date(2026, 12, 25), others_waiting=True, policy=policy)
    assert terms == LoanTerms(
        due=date(2027, 1, 8),
        guaranteed_until=date(2027, 1, 8),
        requested_at_once=True,
        rule="L2",
    )


def test_L1_L2_periods_come_from_the_policy(policy):
    custom = replace(
        policy,
        loan=replace(
            policy.loan,
            standard=Period(months=6),
            guaranteed=Period(days=20),
            guaranteed_if_requested=Period(days=10),
        ),
    )
    calm = institute_loan_terms(date(2026, 5, 1), others_waiting=False, policy=custom)
    assert (calm.due, calm.guaranteed_until) == (date(2026, 11, 1), date(2026, 5, 21))
    busy = institute_loan_terms(date(2026, 5, 1), others_waiting=True, policy=custom)
    assert (busy.due, busy.guaranteed_until) == (date(2026, 5, 11), date(2026, 5, 11))


# --- L4 -----------------------------------------------------------------------

DUE = date(2027, 1, 5)
GUARANTEED = date(2026, 2, 5)


def test_L4_request_within_guaranteed_period_moves_due_to_guaranteed_end():
    assert due_after_request(DUE, GUARANTEED, date(2026, 1, 20)) == GUARANTEED


def test_L4_request_after_guaranteed_period_makes_due_the_request_day():
    assert due_after_request(DUE, GUARANTEED, date(2026, 8, 1)) == date(2026, 8, 1)


def test_L4_request_on_last_guaranteed_day():
    assert due_after_request(DUE, GUARANTEED, GUARANTEED) == GUARANTEED


def test_L4_overdue_loan_keeps_its_earlier_due_date():
    assert due_after_request(date(2026, 3, 1), GUARANTEED, date(2026, 4, 1)) == date(2026, 3, 1)


def test_L4_due_before_guaranteed_end_is_not_extended():
    # a loan already shortened (e.g. earlier request) never moves later
    assert due_after_request(date(2026, 1, 19), GUARANTEED, date(2026, 1, 10)) == date(2026, 1, 19)


def test_L4_without_guarantee_due_becomes_request_day():
    assert due_after_request(DUE, None, date(2026, 8, 1)) == date(2026, 8, 1)


def test_L4_second_request_never_moves_due_later():
    first = due_after_request(DUE, GUARANTEED, date(2026, 8, 1))
    second = due_after_request(first, GUARANTEED, date(2026, 9, 1))
    assert second == first == date(2026, 8, 1)


# --- L5 -----------------------------------------------------------------------


def _renew(policy, the_loan, day, suspended=False, requested=False):
    return decide_renewal(
        the_loan, day, suspended=suspended, requested_by_other=requested, policy=policy
    )


def test_L5_renewal_extends_to_renewal_day_plus_one_year(policy):
    v = _renew(policy, loan(date(2026, 1, 5), due=date(2027, 1, 5)), date(2026, 12, 20))
    v = assert_verdict(v, Code.RENEWED, "§4 L5")
    assert v.data["due"] == date(2027, 12, 20)
    assert "2027-12-20" in v.message_en
    assert "20.12.2027" in v.message_da


def test_L5_renewal_is_capped_at_loan_date_plus_three_years(policy):
    the_loan = loan(date(2024, 3, 1), due=date(2026, 3, 1))
    v = _renew(policy, the_loan, date(2026, 6, 1))
    v = assert_verdict(v, Code.RENEWED, "§4 L5")
    assert v.data["due"] == date(2027, 3, 1)


def test_L5_renewal_just_below_the_horizon(policy):
    the_loan = loan(date(2024, 3, 1), due=date(2027, 2, 28))
    v = _renew(policy, the_loan, date(2027, 2, 1))
    assert_verdict(v, Code.RENEWED, "§4 L5")
    assert v.data["due"] == date(2027, 3, 1)


def test_L5_horizon_from_29_february(policy):
    assert renewal_horizon(date(2024, 2, 29), policy) == date(2027, 2, 28)
    v = _renew(policy, loan(date(2024, 2, 29), due=date(2026, 2, 28)), date(2026, 9, 1))
    assert v.data["due"] == date(2027, 2, 28)


def test_L5_renewal_limit_when_due_equals_loan_date_plus_three_years(policy):
    the_loan = loan(date(2024, 3, 1), due=date(2027, 3, 1))
    v = _renew(policy, the_loan, date(2027, 2, 1))
    v = assert_verdict(v, Code.RENEWAL_LIMIT, "§4 L5")
    assert v.data["horizon"] == date(2027, 3, 1)
    assert "3 years" in v.message_en
    assert "3 år" in v.message_da


def test_L5_requested_by_other_is_refused(policy):
    v = _renew(policy, loan(), date(2026, 6, 1), requested=True)
    assert_verdict(v, Code.REQUESTED_BY_OTHER, "§4 L5")


def test_L5_suspended_borrower_cannot_renew(policy):
    v = _renew(policy, loan(), date(2026, 6, 1), suspended=True)
    assert_verdict(v, Code.SUSPENDED, "§5 S3")


def test_L5_ill_loan_is_not_renewable(policy):
    v = _renew(policy, loan(is_ill=True), date(2026, 6, 1))
    assert_verdict(v, Code.ILL_NOT_RENEWABLE, "§7 I2")


def test_L5_settled_suspension_case_may_be_renewed(policy):
    """L5's refusals are a complete list; after S5 the borrower is not suspended."""
    v = _renew(policy, loan(step=Step.SUSPENSION, settled=True), date(2026, 6, 1))
    assert_verdict(v, Code.RENEWED, "§4 L5")


def test_L5_recalled_loan_may_be_renewed(policy):
    v = _renew(policy, loan(step=Step.REMINDER_2), date(2026, 6, 1))
    assert_verdict(v, Code.RENEWED, "§4 L5")


# Refusal order: SUSPENDED, REQUESTED_BY_OTHER, RENEWAL_LIMIT, ILL_NOT_RENEWABLE.
AT_LIMIT = {"loan_date": date(2024, 3, 1), "due": date(2027, 3, 1)}


@pytest.mark.parametrize(
    ("suspended", "requested", "at_limit", "ill", "expected"),
    [
        (True, True, True, True, Code.SUSPENDED),
        (False, True, True, True, Code.REQUESTED_BY_OTHER),
        (False, False, True, True, Code.RENEWAL_LIMIT),
        (False, False, False, True, Code.ILL_NOT_RENEWABLE),
        (False, False, False, False, Code.RENEWED),
        (True, False, False, False, Code.SUSPENDED),
        (False, True, False, True, Code.REQUESTED_BY_OTHER),
    ],
)
def test_L5_refusal_order(policy, suspended, requested, at_limit, ill, expected):
    the_loan = loan(is_ill=ill, **(AT_LIMIT if at_limit else {}))
    v = _renew(policy, the_loan, date(2027, 1, 15), suspended=suspended, requested=requested)
    assert v.code is expected
    assert v.message_en and v.message_da


def test_L5_private_loan_renews_by_the_private_period(policy):
    the_loan = loan(capacity=Capacity.PRIVATE, guaranteed_until=None, due=date(2026, 2, 4))
    v = _renew(policy, the_loan, date(2026, 2, 1))
    assert_verdict(v, Code.RENEWED, "§4 L5")
    assert v.data["due"] == date(2026, 3, 3)  # 1 Feb + 30 days (P1)


# --- I2 and P1 periods ------------------------------------------------------


@pytest.mark.parametrize("country", ["DK", "dk", "Dk"])
def test_I2_danish_lender_two_months(policy, country):
    terms = ill_loan_terms(date(2026, 5, 1), country, policy)
    assert terms.due == date(2026, 7, 1)
    assert terms.rule == "I2"
    assert terms.requested_at_once is False


@pytest.mark.parametrize("country", ["SE", "DE", "US", "NO"])
def test_I2_foreign_lender_one_month(policy, country):
    terms = ill_loan_terms(date(2026, 5, 1), country, policy)
    assert terms.due == date(2026, 6, 1)


def test_I2_periods_clamp_to_month_end(policy):
    assert ill_loan_terms(date(2026, 12, 31), "DK", policy).due == date(2027, 2, 28)
    assert ill_loan_terms(date(2026, 1, 31), "SE", policy).due == date(2026, 2, 28)


def test_I2_a_request_does_not_shorten_an_ill_loan(policy):
    terms = ill_loan_terms(date(2026, 5, 1), "SE", policy)
    assert due_after_request(terms.due, terms.guaranteed_until, date(2026, 5, 2)) == terms.due


def test_P1_private_loan_period_is_30_days(policy):
    terms = private_loan_terms(date(2026, 5, 1), policy)
    assert terms == LoanTerms(date(2026, 5, 31), None, requested_at_once=False, rule="P1")
