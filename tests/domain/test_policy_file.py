"""The policy loader: local practice (LP) lives in resources/policy.toml, and a
malformed file stops start-up with a PolicyError naming the dotted key and why."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from desk_app.domain.calendar import Period
from desk_app.domain.policy import Delivery, Faculty
from desk_app.policy_file import PolicyError, default_policy_text, load_policy, parse_policy

TEXT = default_policy_text()
N_INSTITUTES = TEXT.count("[[institutes]]")
N_ROUTES = TEXT.count("[[routes]]")


def _replace(old: str, new: str) -> str:
    assert TEXT.count(old) == 1, f"fixture text not unique: {old!r}"
    return TEXT.replace(old, new)


def _without_line(prefix: str) -> str:
    lines = TEXT.splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.startswith(prefix)]
    assert len(hits) == 1, f"fixture line not unique: {prefix!r}"
    del lines[hits[0]]
    return "".join(lines)


def _with_institute(**fields: str) -> str:
    body = "\n".join(f'{k} = "{v}"' for k, v in fields.items())
    return TEXT + f"\n[[institutes]]\n{body}\n"


def _error(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, source="test.toml")
    return info.value


def _assert_error(text: str, key: str, reason: str) -> PolicyError:
    err = _error(text)
    assert err.key == key
    assert re.search(reason, err.reason), err.reason
    message = str(err)
    assert key in message and err.reason in message
    assert message.startswith("test.toml: ")
    return err


# --- the default file -------------------------------------------------------


def test_LP_policy_defaults_match_the_spec_table():
    policy = load_policy()
    assert policy.loan.standard == Period(years=1)  # L1
    assert policy.loan.guaranteed == Period(months=1)  # L2
    assert policy.loan.guaranteed_if_requested == Period(days=14)  # L2
    assert policy.loan.renewal_extension == Period(years=1)  # L5
    assert policy.loan.renewal_horizon == Period(years=3)  # L5
    assert policy.ladder.recall_deadline == Period(days=14)
    assert policy.ladder.reminder_interval == Period(days=7)
    assert policy.ladder.agreed_after_contact == Period(days=14)  # S5
    assert policy.ill.home_country == "DK"
    assert policy.ill.period_abroad == Period(months=1)  # I2
    assert policy.ill.period_home == Period(months=2)  # I2
    assert policy.fees.collection_fee == Decimal(100)  # C2
    assert policy.fees.default_replacement_price == Decimal(500)  # C2
    assert policy.fees.copy_price_per_page == Decimal(2)  # K3
    assert policy.private.loan_period == Period(days=30)  # P1
    assert policy.private.late_fee_per_started_week == Decimal(20)  # P1
    assert policy.material.kub_owner == "KUB"
    assert policy.material.reading_room_first_year == 1800  # M2
    assert policy.material.reading_room_age_years == 100  # M2
    assert policy.material.digital_copy_years == (1701, 1916)  # M3
    assert policy.material.ill_printed_after == 1900  # M3


def test_LP_policy_default_institutes_and_routes():
    policy = load_policy()
    assert len(policy.institutes) == N_INSTITUTES
    assert len(policy.routes) == N_ROUTES
    assert set(policy.faculties) == {f.value for f in Faculty}
    route_codes = {r.code for r in policy.routes}
    inf = next(i for i in policy.institutes if i.code == "INF")
    assert inf.delivery is Delivery.SELF_PICKUP and inf.route is None  # T2
    for inst in policy.institutes:
        if inst.delivery is not Delivery.SELF_PICKUP:
            assert inst.route in route_codes


def test_LP_policy_load_from_path(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(_replace('standard = "P1Y"', 'standard = "P6M"'), "utf-8")
    assert load_policy(path).loan.standard == Period(months=6)


def test_LP_policy_load_missing_file_names_the_file(tmp_path):
    with pytest.raises(PolicyError) as info:
        load_policy(tmp_path / "nope.toml")
    assert info.value.key == "(file)"
    assert "nope.toml" in str(info.value)


def test_LP_policy_is_frozen():
    policy = load_policy()
    with pytest.raises(AttributeError):
        policy.loan.standard = Period(days=1)  # type: ignore[misc]


def test_LP_policy_what_if_dates_use_the_loaded_values():
    from desk_app.domain.calendar import add_period

    policy = load_policy()
    assert add_period(date(2026, 1, 31), policy.loan.guaranteed) == date(2026, 2, 28)


# --- malformations ------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "key"),
    [
        ("standard =", "loan.standard"),
        ("reminder_interval =", "ladder.reminder_interval"),
        ("collection_fee =", "fees.collection_fee"),
        ("late_fee_per_started_week =", "private.late_fee_per_started_week"),
        ("kub_owner =", "material.kub_owner"),
        ("reading_room_first_year =", "material.reading_room_first_year"),
        ("home_country =", "ill.home_country"),
    ],
)
def test_LP_policy_missing_key_is_named(prefix, key):
    _assert_error(_without_line(prefix), key, "missing")


def test_LP_policy_missing_table_names_the_first_key():
    text = _replace(
        '[private]\nloan_period = "P30D"               # P1 (LP)\n'
        "late_fee_per_started_week = 20     # P1 (LP)\n",
        "",
    )
    _assert_error(text, "private.loan_period", "missing")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('standard = "P1Y"', 'standard = "1 year"', "loan.standard"),
        ('standard = "P1Y"', "standard = 12", "loan.standard"),
        ('guaranteed = "P1M"', 'guaranteed = "14 days"', "loan.guaranteed"),
        ('period_home = "P2M"', 'period_home = "2M"', "ill.period_home"),
        ('recall_deadline = "P14D"', 'recall_deadline = "P2W"', "ladder.recall_deadline"),
    ],
)
def test_LP_policy_bad_period_names_key_and_value(old, new, key):
    err = _assert_error(_replace(old, new), key, "not a period")
    assert new.split("= ")[1].strip('"') in err.reason


def test_LP_policy_bad_period_1_year():
    err = _assert_error(_replace('standard = "P1Y"', 'standard = "1 year"'), "loan.standard", "")
    assert "'1 year'" in err.reason
    assert "P1Y" in err.reason  # says what a period looks like


@pytest.mark.parametrize("zero", ['"P0D"', '"P0Y0M0D"'])
def test_LP_policy_zero_period_is_refused(zero):
    _assert_error(
        _replace('loan_period = "P30D"', f"loan_period = {zero}"),
        "private.loan_period",
        "longer than zero",
    )


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("collection_fee = 100", "collection_fee = -100", "fees.collection_fee"),
        ("collection_fee = 100", "collection_fee = -0.01", "fees.collection_fee"),
        ("damage_charge = 150", 'damage_charge = "-5"', "fees.damage_charge"),
        (
            "late_fee_per_started_week = 20",
            "late_fee_per_started_week = -20",
            "private.late_fee_per_started_week",
        ),
        ("\nmap = 600", "\nmap = -600", "fees.replacement_price_by_material.map"),
    ],
)
def test_LP_policy_negative_fee_is_refused(old, new, key):
    _assert_error(_replace(old, new), key, "negative")


@pytest.mark.parametrize(
    "value", ['"a hundred"', "true", "[100]", '""', '"100 DKK"', "{ amount = 100 }"]
)
def test_LP_policy_fee_that_is_no_amount_is_refused(value):
    _assert_error(
        _replace("collection_fee = 100", f"collection_fee = {value}"),
        "fees.collection_fee",
        "amount in DKK",
    )


def test_LP_policy_fee_as_string_or_decimal_is_accepted():
    policy = parse_policy(_replace("collection_fee = 100", 'collection_fee = "99.50"'))
    assert policy.fees.collection_fee == Decimal("99.50")
    policy = parse_policy(_replace("damage_charge = 150", "damage_charge = 150.25"))
    assert policy.fees.damage_charge == Decimal("150.25")


def test_LP_policy_infinite_fee_is_refused():
    err = _error(_replace("collection_fee = 100", "collection_fee = inf"))
    assert err.key == "fees.collection_fee"


def test_LP_policy_nan_fee_is_refused():
    err = _error(_replace("collection_fee = 100", "collection_fee = nan"))
    assert err.key == "fees.collection_fee"


def test_LP_policy_unknown_delivery_of_an_institute():
    text = _replace(
        'code = "NBI"\nname = "Niels Bohr Institute"\nname_da = "Niels Bohr Institutet"\n'
        'faculty = "SCIENCE"\ndelivery = "courier"',
        'code = "NBI"\nname = "Niels Bohr Institute"\nname_da = "Niels Bohr Institutet"\n'
        'faculty = "SCIENCE"\ndelivery = "drone"',
    )
    err = _assert_error(text, "institutes[0].delivery", "'drone' is not one of")
    for mode in Delivery:
        assert mode.value in err.reason


def test_LP_policy_unknown_delivery_of_an_appended_institute():
    text = _with_institute(
        code="NEW", name="New", faculty="HUM", delivery="post", route="NORTH", stop="1"
    )
    _assert_error(text, f"institutes[{N_INSTITUTES}].delivery", "'post' is not one of")


def test_LP_policy_unknown_delivery_of_a_route():
    text = _replace(
        'code = "NORTH"\nname = "Nørre Campus"\ndelivery = "courier"',
        'code = "NORTH"\nname = "Nørre Campus"\ndelivery = "bicycle"',
    )
    _assert_error(text, "routes[0].delivery", "'bicycle' is not one of")


@pytest.mark.parametrize("delivery", ["courier", "internal_courier"])
def test_LP_policy_courier_institute_without_route(delivery):
    text = _with_institute(code="NEW", name="New", faculty="HUM", delivery=delivery)
    _assert_error(text, f"institutes[{N_INSTITUTES}].route", f"needed for delivery {delivery}")


def test_LP_policy_courier_institute_with_empty_route():
    text = _with_institute(code="NEW", name="New", faculty="HUM", delivery="courier", route="")
    _assert_error(text, f"institutes[{N_INSTITUTES}].route", "needed for delivery courier")


def test_LP_policy_institute_with_unknown_route():
    text = _with_institute(code="NEW", name="New", faculty="HUM", delivery="courier", route="MARS")
    _assert_error(text, f"institutes[{N_INSTITUTES}].route", "no route with code 'MARS'")


def test_LP_policy_self_pickup_institute_needs_no_route():
    text = _with_institute(code="NEW", name="New", faculty="HUM", delivery="self_pickup")
    policy = parse_policy(text)
    assert policy.institutes[-1].code == "NEW"
    assert policy.institutes[-1].route is None
    assert policy.institutes[-1].name_da == "New"


def test_LP_policy_institute_with_unknown_faculty():
    text = _with_institute(code="NEW", name="New", faculty="MED", delivery="self_pickup")
    _assert_error(text, f"institutes[{N_INSTITUTES}].faculty", "'MED' is not one of")


def test_LP_policy_institute_without_code():
    text = _with_institute(name="New", faculty="HUM", delivery="self_pickup")
    _assert_error(text, f"institutes[{N_INSTITUTES}].code", "missing")


def test_LP_policy_unknown_faculty_code():
    text = _replace('code = "TEO"\nname = "Faculty of Theology"', 'code = "THEO"\nname = "X"')
    _assert_error(text, "faculties[5].code", "'THEO' is not one of")


@pytest.mark.parametrize("value", ['"1800"', "1800.5", "true"])
def test_LP_policy_year_must_be_a_whole_number(value):
    _assert_error(
        _replace("reading_room_first_year = 1800", f"reading_room_first_year = {value}"),
        "material.reading_room_first_year",
        "whole number",
    )


def test_LP_policy_empty_owner_is_refused():
    _assert_error(
        _replace('kub_owner = "KUB"', 'kub_owner = "  "'), "material.kub_owner", "non-empty"
    )


def test_LP_policy_institutes_must_be_an_array_of_tables():
    text = 'institutes = ["NBI"]\n' + TEXT.replace("[[institutes]]", "[[institutes_x]]")
    _assert_error(text, "institutes", "array of tables")


def test_LP_policy_toml_syntax_error():
    err = _error(TEXT + "\nthis is = = not toml\n")
    assert err.key == "(syntax)"


def test_LP_policy_duplicate_institute_code_is_refused():
    text = _with_institute(
        code="DIKU", name="Again", faculty="SCIENCE", delivery="courier", route="NORTH"
    )
    _assert_error(text, f"institutes[{N_INSTITUTES}].code", "repeats")


def test_T3_policy_institute_on_a_route_of_another_delivery_mode_is_refused():
    text = _with_institute(
        code="XYZ", name="Misrouted", faculty="SCIENCE", delivery="courier", route="FREDERIKSBERG"
    )
    _assert_error(text, f"institutes[{N_INSTITUTES}].route", "internal_courier")


@pytest.mark.parametrize("code", ["Nørre", "north", "CITY-2", "RUTE 1"])
def test_T4_route_codes_are_capitals_and_digits(code):
    """The code is printed in the manifest's barcode: only what every
    keyboard layout scans the same."""
    text = TEXT.replace('code = "NORTH"', f'code = "{code}"', 1).replace(
        'route = "NORTH"', f'route = "{code}"'
    )
    _assert_error(text, "routes[0].code", "capital letters")


def test_T3_transport_names_default_when_the_section_is_missing():
    policy = parse_policy(TEXT.replace("[transport]", "[transport_unused]"))
    assert policy.transport.reading_room_da == "Læsesal Vest, Den Sorte Diamant"
