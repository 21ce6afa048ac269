"""Issue 13, point 13 (policy): a policy value outside sane bounds, or a policy
file that is not UTF-8, stops start-up with one line naming the file, the
key, the value and the allowed range, instead of being accepted and crashing
the first checkout that adds ``P9000Y`` to a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from desk_app.cli.main import main
from desk_app.domain.calendar import Period, add_period
from desk_app.domain.loan_period import institute_loan_terms
from desk_app.domain.policy import period_days, period_in_bounds
from desk_app.policy_file import PolicyError, default_policy_text, load_policy, parse_policy

TEXT = default_policy_text()

PERIOD_LINES = {
    "loan.standard": 'standard = "P1Y"',
    "loan.guaranteed": 'guaranteed = "P1M"',
    "loan.guaranteed_if_requested": 'guaranteed_if_requested = "P14D"',
    "loan.renewal_extension": 'renewal_extension = "P1Y"',
    "loan.renewal_horizon": 'renewal_horizon = "P3Y"',
    "ladder.recall_deadline": 'recall_deadline = "P14D"',
    "ladder.reminder_interval": 'reminder_interval = "P7D"',
    "ladder.agreed_after_contact": 'agreed_after_contact = "P14D"',
    "ill.period_abroad": 'period_abroad = "P1M"',
    "ill.period_home": 'period_home = "P2M"',
    "private.loan_period": 'loan_period = "P30D"',
}


def _replace(old: str, new: str) -> str:
    assert TEXT.count(old) == 1, f"fixture text not unique: {old!r}"
    return TEXT.replace(old, new)


def _error(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, source="test.toml")
    message = str(info.value)
    assert "\n" not in message, "a message is one line"
    assert message.startswith("test.toml: ")
    return info.value


def _set(key_line: str, value: str) -> str:
    name = key_line.split(" = ")[0]
    return _replace(key_line, f"{name} = {value}")


# --- periods ------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(PERIOD_LINES))
def test_h13_p13_policy_period_of_9000_years_is_refused_naming_key_value_and_range(key):
    err = _error(_set(PERIOD_LINES[key], '"P9000Y"'))
    assert err.key == key
    assert "'P9000Y'" in err.reason
    assert "P1D to P10Y" in err.reason and "1 day to 10 years" in err.reason
    assert str(err) == f"test.toml: {key}: {err.reason}"


def test_h13_p13_p9000y_would_have_crashed_a_checkout():
    """Why the bound: the period is added to the loan day."""
    with pytest.raises((OverflowError, ValueError)):
        add_period(date(2026, 3, 2), Period(years=9000))


@pytest.mark.parametrize(
    "value",
    ['"P11Y"', '"P121M"', '"P3654D"', '"P9Y24M"', '"P99999999999999999999999999D"'],
)
def test_h13_p13_policy_period_longer_than_10_years_is_refused(value):
    err = _error(_set(PERIOD_LINES["loan.renewal_horizon"], value))
    assert err.key == "loan.renewal_horizon"
    assert "outside the allowed range" in err.reason


@pytest.mark.parametrize("value", ['"P10Y"', '"P120M"', '"P3653D"', '"P1D"', '"P9Y12M"'])
def test_h13_p13_policy_period_at_the_bounds_is_accepted(value):
    policy = parse_policy(_set(PERIOD_LINES["loan.renewal_horizon"], value))
    period = policy.loan.renewal_horizon
    assert period == Period.parse(value.strip('"'))
    assert period_in_bounds(period)


def test_h13_p13_the_longest_period_works_in_a_checkout_on_the_last_plausible_day():
    policy = parse_policy(_set(PERIOD_LINES["loan.standard"], '"P10Y"'))
    terms = institute_loan_terms(date(2999, 12, 31), False, policy)
    assert terms.due == date(3009, 12, 31)


def test_h13_p13_period_length_is_counted_from_a_fixed_day():
    assert period_days(Period(years=10)) == 3653  # 2000-01-01 .. 2010-01-01
    assert period_days(Period(days=1)) == 1
    assert not period_in_bounds(Period(years=10**30))  # no overflow on the way


def test_h13_p13_zero_period_keeps_its_own_message():
    err = _error(_set(PERIOD_LINES["private.loan_period"], '"P0D"'))
    assert "longer than zero" in err.reason


def test_h13_p13_not_a_period_quotes_a_long_value_shortly():
    err = _error(_set(PERIOD_LINES["loan.standard"], '"' + "x" * 100_000 + '"'))
    assert err.key == "loan.standard"
    assert "not a period like P1Y" in err.reason
    assert len(str(err)) < 200


# --- amounts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("100001", "outside the allowed range 0 to 100000 DKK"),
        ("1e9", "outside the allowed range"),
        ('"1e400"', "outside the allowed range"),
        ('"1e999999999"', "outside the allowed range"),
        ("10000000000000000000000000", "outside the allowed range"),
        ("0.001", "more than 2 decimals"),
        ('"99.995"', "more than 2 decimals"),
    ],
)
def test_h13_p13_policy_amount_outside_bounds_is_refused(value, reason):
    err = _error(_replace("collection_fee = 100", f"collection_fee = {value}"))
    assert err.key == "fees.collection_fee"
    assert reason in err.reason
    assert len(str(err)) < 200


@pytest.mark.parametrize("value", ["0", "100000", '"99.50"', "0.5", "100.000"])
def test_h13_p13_policy_amount_within_bounds_is_accepted(value):
    policy = parse_policy(_replace("collection_fee = 100", f"collection_fee = {value}"))
    assert policy.fees.collection_fee == Decimal(value.strip('"'))


def test_h13_p13_policy_price_by_material_is_bounded_and_its_type_named():
    err = _error(_replace("\nmap = 600", "\nmap = 600000"))
    assert err.key == "fees.replacement_price_by_material.map"
    err = _error(_replace("\nmap = 600", '\n"' + "m" * 30 + '" = 600'))
    assert err.key == "fees.replacement_price_by_material"
    assert "not a material type" in err.reason


# --- whole numbers, texts -------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            "reading_room_first_year = 1800",
            "reading_room_first_year = 99999",
            "material.reading_room_first_year",
        ),
        (
            "reading_room_age_years = 100",
            "reading_room_age_years = -1",
            "material.reading_room_age_years",
        ),
        (
            "ill_printed_after = 1900",
            "ill_printed_after = 10000000000000000000000",
            "material.ill_printed_after",
        ),
        (
            'stop = 1\naddress = "Blegdamsvej 17',
            'stop = 0\naddress = "Blegdamsvej 17',
            "institutes[0].stop",
        ),
    ],
)
def test_h13_p13_policy_whole_number_outside_bounds_is_refused(old, new, key):
    err = _error(_replace(old, new))
    assert err.key == key
    assert "outside the allowed range" in err.reason
    assert err.reason.split(" is outside")[0] in new


def test_h13_p13_policy_digital_copy_years_in_order():
    err = _error(_replace("digital_copy_last_year = 1916", "digital_copy_last_year = 1600"))
    assert err.key == "material.digital_copy_last_year"
    assert "before material.digital_copy_first_year" in err.reason


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ('kub_owner = "KUB"', 'kub_owner = "' + "K" * 21 + '"', "material.kub_owner", "longer"),
        ('home_country = "DK"', 'home_country = "Denmark"', "ill.home_country", "longer"),
        ('home_country = "DK"', 'home_country = "D1"', "ill.home_country", "country code"),
        (
            'name = "Faculty of Theology"\n\n',
            'name = "Theology\\u0000"\n\n',
            "faculties[5].name",
            "control",
        ),
        (
            'address = "Blegdamsvej 17, 2100 København Ø"',
            'address = "' + "a" * 301 + '"',
            "institutes[0].address",
            "longer than 300",
        ),
    ],
)
def test_h13_p13_policy_text_that_no_column_or_printer_takes_is_refused(old, new, key, reason):
    err = _error(_replace(old, new))
    assert err.key == key
    assert reason in err.reason


# --- the file itself --------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "what"),
    [("utf-16", "UTF-16 with BOM"), ("latin-1", "Latin-1"), ("cp1252", "Windows-1252")],
)
def test_h13_p13_policy_file_not_utf8_is_one_line_naming_the_path(tmp_path, encoding, what):
    path = tmp_path / "policy.toml"
    path.write_bytes(TEXT.encode(encoding))
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    message = str(info.value)
    assert info.value.key == "(file)"
    assert str(path) in message and "not UTF-8" in message, what
    assert "\n" not in message


def test_h13_p13_policy_file_with_a_utf8_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_bytes(TEXT.encode("utf-8-sig"))
    assert load_policy(path).loan.standard == Period(years=1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a = " + "9" * 5000, "a number too long"),
        ("a = " + "[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ],
)
def test_h13_p13_policy_syntax_python_cannot_read_is_a_policy_error(text, reason):
    err = _error(text)
    assert err.key == "(syntax)"
    assert reason in err.reason


def test_h13_p13_cli_prints_one_line_for_a_policy_of_9000_years(tmp_path, capsys):
    path: Path = tmp_path / "policy.toml"
    path.write_text(_set(PERIOD_LINES["loan.standard"], '"P9000Y"'), "utf-8")
    code = main(["--policy", str(path), "staff", "list"])
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(path) in lines[0] and "loan.standard" in lines[0] and "P9000Y" in lines[0]


def test_h13_p13_cli_prints_one_line_for_a_policy_not_in_utf8(tmp_path, capsys):
    path: Path = tmp_path / "policy.toml"
    path.write_bytes(TEXT.encode("utf-16"))
    code = main(["--policy", str(path), "staff", "list"])
    err = capsys.readouterr().err
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "UTF-8" in lines[0], lines
