"""Property tests (hypothesis) for calendar arithmetic, B2, L4 and the §5 ladder."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.domain.barcodes import has_valid_check_digit, with_check_digit
from desk_app.domain.calendar import Period, add_period
from desk_app.domain.facts import Step
from desk_app.domain.ladder import LADDER, LadderState, next_notice, rung_from
from desk_app.domain.loan_period import due_after_request
from desk_app.policy_file import load_policy

FAST = settings(max_examples=200, deadline=None, database=None)
LADDER_POLICY = load_policy().ladder

days = st.dates(min_value=date(1700, 1, 1), max_value=date(2400, 12, 31))
near_days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
thirteen_digits = st.text(alphabet="0123456789", min_size=13, max_size=13)


# --- Terms: calendar ----------------------------------------------------------


@FAST
@given(day=days, years=st.integers(0, 300), months=st.integers(0, 1200))
def test_Terms_add_period_clamps_to_the_last_day_of_the_target_month(day, years, months):
    result = add_period(day, Period(years=years, months=months))
    assert isinstance(result, date)  # never an invalid date
    target = (day.year + years) * 12 + (day.month - 1) + months
    target_year, target_month = divmod(target, 12)
    target_month += 1
    assert (result.year, result.month) == (target_year, target_month)
    last = pycalendar.monthrange(target_year, target_month)[1]
    assert result.day == min(day.day, last)


@FAST
@given(day=days, years=st.integers(0, 300))
def test_Terms_twelve_months_is_one_year(day, years):
    assert add_period(day, Period(months=12 * years)) == add_period(day, Period(years=years))


@FAST
@given(day=days, n=st.integers(0, 3650))
def test_Terms_day_periods_are_plain_day_counts(day, n):
    assert add_period(day, Period(days=n)) == day + timedelta(days=n)


# --- B2 -----------------------------------------------------------------------


@FAST
@given(first13=thirteen_digits)
def test_B2_with_check_digit_is_valid_and_every_single_digit_error_is_detected(first13):
    number = with_check_digit(first13)
    assert len(number) == 14 and number.startswith(first13)
    assert has_valid_check_digit(number)
    for position in range(14):
        for digit in "0123456789":
            if digit != number[position]:
                changed = number[:position] + digit + number[position + 1 :]
                assert not has_valid_check_digit(changed), (number, changed)


@FAST
@given(first13=thirteen_digits)
def test_B2_adjacent_transpositions_are_detected_except_0_9(first13):
    number = with_check_digit(first13)
    for i in range(13):
        a, b = number[i], number[i + 1]
        if a == b:
            continue
        swapped = number[:i] + b + a + number[i + 2 :]
        if {a, b} == {"0", "9"}:
            continue  # the one transposition Luhn cannot see
        assert not has_valid_check_digit(swapped), (number, swapped)


# --- L4 -----------------------------------------------------------------------


@FAST
@given(
    due=near_days,
    guaranteed=st.none() | near_days,
    requests=st.lists(near_days, min_size=1, max_size=6),
)
def test_L4_a_request_only_ever_moves_a_due_date_earlier(due, guaranteed, requests):
    current = due
    for request_day in requests:
        after = due_after_request(current, guaranteed, request_day)
        assert after <= current  # monotone: never later than before
        assert after <= due
        floor = request_day if guaranteed is None else max(request_day, guaranteed)
        assert after == min(current, floor)
        current = after


# --- §5 ladder ----------------------------------------------------------------

steps = st.none() | st.sampled_from(list(Step))


@st.composite
def ladder_states(draw):
    due = draw(near_days)
    step = draw(steps)
    settled = step is Step.SUSPENSION and draw(st.booleans())
    deadline = None if step in (None, Step.SUSPENSION) else draw(near_days)
    return LadderState(
        due=due,
        step=step,
        deadline=deadline,
        last_notice_on=draw(st.none() | near_days),
        settled=settled,
        agreed=draw(st.none() | near_days) if settled else None,
    )


@FAST
@given(state=ladder_states(), day=near_days)
def test_S0_next_notice_never_skips_a_step_and_runs_once_a_day(state, day):
    notice = next_notice(state, day, LADDER_POLICY)
    if notice is None:
        return
    if state.settled:  # S5: a settled case goes back to SUSPENSION, nothing else
        assert notice.step is Step.SUSPENSION and notice.deadline is None
        assert state.agreed is not None and day > state.agreed
    else:
        rung = rung_from(state.step)
        assert rung is not None
        assert notice.step is rung.to_step  # exactly the successor in LADDER
        order = [None, *(r.to_step for r in LADDER)]
        assert order.index(notice.step) == order.index(state.step) + 1
        limit = state.due if state.step is None else state.deadline
        assert limit is not None and day > limit
        if notice.step is Step.SUSPENSION:
            assert notice.deadline is None
        else:
            assert notice.deadline is not None and notice.deadline > day
    assert state.last_notice_on is None or state.last_notice_on < day
    assert next_notice(state.after(notice, day), day, LADDER_POLICY) is None


@FAST
@given(due=near_days, start_offset=st.integers(-30, 400), span=st.integers(0, 120))
def test_S0_daily_runs_climb_one_rung_at_a_time(due, start_offset, span):
    state = LadderState(due=due)
    day = due + timedelta(days=start_offset)
    seen: list[Step] = []
    for _ in range(span):
        notice = next_notice(state, day, LADDER_POLICY)
        if notice is not None:
            seen.append(notice.step)
            state = state.after(notice, day)
        day += timedelta(days=1)
    assert seen == list(Step)[: len(seen)]
