"""Terms: calendar arithmetic (month/year steps clamp to the month's last day),
periods as the policy writes them, and the C3 billing half-years."""

from __future__ import annotations

from datetime import date

import pytest

from desk_app.domain.calendar import HalfYear, Period, add_days, add_period
from desk_app.i18n import render


@pytest.mark.parametrize(
    ("start", "period", "expected"),
    [
        (date(2026, 1, 31), Period(months=1), date(2026, 2, 28)),
        (date(2028, 1, 31), Period(months=1), date(2028, 2, 29)),  # leap year
        (date(2024, 2, 29), Period(years=1), date(2025, 2, 28)),
        (date(2024, 2, 29), Period(years=4), date(2028, 2, 29)),
        (date(2026, 3, 31), Period(months=1), date(2026, 4, 30)),
        (date(2026, 1, 15), Period(months=1), date(2026, 2, 15)),
        (date(2026, 12, 31), Period(months=2), date(2027, 2, 28)),
        (date(2026, 5, 1), Period(days=14), date(2026, 5, 15)),
        (date(2026, 12, 25), Period(days=14), date(2027, 1, 8)),
        (date(2024, 2, 29), Period(years=3), date(2027, 2, 28)),
    ],
)
def test_Terms_calendar_arithmetic_clamps_to_last_day_of_month(start, period, expected):
    assert add_period(start, period) == expected


def test_Terms_months_are_added_before_days():
    # 31 Jan + 1 month = 28 Feb, then + 1 day = 1 Mar
    assert add_period(date(2026, 1, 31), Period(months=1, days=1)) == date(2026, 3, 1)


def test_Terms_add_days_crosses_month_and_year():
    assert add_days(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert add_days(date(2028, 2, 28), 1) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P1Y", Period(years=1)),
        ("P1M", Period(months=1)),
        ("P14D", Period(days=14)),
        ("P1Y6M", Period(years=1, months=6)),
        ("P1Y2M3D", Period(1, 2, 3)),
        (" P30D ", Period(days=30)),
    ],
)
def test_Terms_period_parse(text, expected):
    assert Period.parse(text) == expected
    assert Period.parse(expected.iso()) == expected


@pytest.mark.parametrize("text", ["", "P", "1 year", "14", "P1W", "p1y", "P-1D", "PT1H", "1Y"])
def test_Terms_period_parse_refuses_non_periods(text):
    with pytest.raises(ValueError, match="not a period"):
        Period.parse(text)


def test_Terms_period_parse_refuses_non_strings():
    with pytest.raises(ValueError):
        Period.parse(14)  # type: ignore[arg-type]


def test_Terms_period_describe_in_both_languages():
    def both(period: Period) -> tuple[str, str]:
        return render(period.describe(), "en"), render(period.describe(), "da")

    assert both(Period(years=1)) == ("1 year", "1 år")
    assert both(Period(days=14)) == ("14 days", "14 dage")
    assert both(Period(years=3)) == ("3 years", "3 år")
    assert both(Period(months=2)) == ("2 months", "2 måneder")
    assert both(Period(days=1)) == ("1 day", "1 dag")
    assert both(Period(years=1, months=6)) == ("1 year 6 months", "1 år 6 måneder")
    assert both(Period()) == ("0 days", "0 dage")
    assert str(Period(years=1).describe()) == "1 year"  # English where a str is wanted


@pytest.mark.parametrize(
    ("day", "label", "first", "last"),
    [
        (date(2026, 1, 1), "2026H1", date(2026, 1, 1), date(2026, 6, 30)),
        (date(2026, 6, 30), "2026H1", date(2026, 1, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), "2026H2", date(2026, 7, 1), date(2026, 12, 31)),
        (date(2026, 12, 31), "2026H2", date(2026, 7, 1), date(2026, 12, 31)),
    ],
)
def test_C3_half_year_bounds(day, label, first, last):
    half = HalfYear.containing(day)
    assert str(half) == label
    assert HalfYear.parse(label) == half
    assert (half.first_day, half.last_day) == (first, last)


@pytest.mark.parametrize("text", ["2026H3", "2026", "26H1", "H1", "2026-H1"])
def test_C3_half_year_parse_refuses_bad_labels(text):
    with pytest.raises(ValueError):
        HalfYear.parse(text)
