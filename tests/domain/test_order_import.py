"""Reading the order form's CSV export (issue 15): pure, every bad line found.

The rules of a request are the service's (tests/services/test_order_import.py);
here only the shape of the file: the header, separators, encodings, dates,
card and item columns (B1, B2, B4), and that no CPR number shows (B3).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.domain import order_import
from desk_app.domain.order_import import (
    Column,
    Encoding,
    parse_day,
    read_order_file,
    shown_number,
)
from desk_app.domain.scan import HealthCard, LibraryCard
from tests.helpers.people import ANNE, TEST_CPR, item

TODAY = date(2026, 3, 2)
HEADER = "order number;date ordered;card number;item barcode;note"
CPR_DIGITS = re.compile(r"010190.?1235")


def read(*lines: str, header: str = HEADER, encoding: str = "utf-8"):  # type: ignore[no-untyped-def]
    return read_order_file("\n".join((header, *lines)).encode(encoding), TODAY)


def problems(found) -> list[tuple[int, Column | None, str]]:  # type: ignore[no-untyped-def]
    return [(b.line, b.column, b.problem.render("en")) for b in found.bad]


def test_a_clean_file_gives_typed_orders():
    found = read(
        f"W-1;2026-03-01;{ANNE};{item(1)};kapitel 3",
        f"W-2;01/03/2026 14:05;{TEST_CPR};{item(2)};",
    )
    assert found.clean and found.delimiter == ";" and found.encoding is Encoding.UTF8
    first, second = found.orders
    assert (first.line, first.order_ref, first.ordered_on, first.note) == (
        2,
        "W-1",
        date(2026, 3, 1),
        "kapitel 3",
    )
    assert first.card == LibraryCard(ANNE) and first.item.barcode == item(1)
    assert isinstance(second.card, HealthCard) and second.note is None
    assert TEST_CPR.replace("-", "") not in repr(second)  # B3: the repr hides it


def test_columns_in_any_order_with_danish_names_and_extra_columns():
    found = read(
        f'"Titel";{item(1)};{ANNE};2026-03-01;W-1;;',
        header="Titel;Stregkode;Lånerkort;Bestilt;Ordre-nr.;Bemærkning",
    )
    assert found.clean, problems(found)
    assert found.ignored_columns == ("Titel",)
    assert found.orders[0].order_ref == "W-1"


@pytest.mark.parametrize("separator", [",", "\t", ";"])
def test_the_separator_is_found_from_the_header(separator):
    header = separator.join(["order number", "date ordered", "card number", "item barcode"])
    found = read(separator.join(["W-1", "2026-03-01", ANNE, item(1)]), header=header)
    assert found.clean and found.delimiter == separator


def test_blank_lines_and_empty_rows_are_skipped_but_numbered():
    found = read("", ";;;;", f"W-1;2026-03-01;{ANNE};{item(1)};", "  ")
    assert [o.line for o in found.orders] == [4]


def test_a_trailing_separator_is_no_extra_field_but_a_value_there_is():
    found = read(f"W-1;2026-03-01;{ANNE};{item(1)};;;", f"W-2;2026-03-01;{ANNE};{item(2)};;x")
    assert [o.order_ref for o in found.orders] == ["W-1"]
    assert problems(found)[0][:2] == (3, None)


def test_every_problem_of_every_line_is_found():
    wrong_digit = ANNE[:-1] + str((int(ANNE[-1]) + 1) % 10)
    found = read(
        f"W 1;2026-02-30;{wrong_digit};{ANNE};",
        f"W-2;2026-03-03;2,0001E+13;{item(1)[:-1]};",
        "W-3;;;;",
        f"W-3;2026-03-01;{ANNE};{item(1)};",
        f'W-5;2026-03-01;{ANNE};"{item(1)}',
        "W-6;2026-03-01",
    )
    found_problems = problems(found)
    assert [(line, column) for line, column, _ in found_problems] == [
        (2, Column.ORDER),
        (2, Column.ORDERED),
        (2, Column.CARD),
        (2, Column.ITEM),
        (3, Column.ORDERED),
        (3, Column.CARD),
        (3, Column.ITEM),
        (4, Column.ORDERED),
        (4, Column.CARD),
        (4, Column.ITEM),
        (5, Column.ORDER),
        (6, None),
    ]
    said = "\n".join(text for _, _, text in found_problems)
    assert "'W 1' is not an order number" in said
    assert "'2026-02-30' is not a date" in said
    assert f"{wrong_digit} has a wrong check digit (B2)" in said
    assert f"{ANNE} is a card number, not an item barcode" in said
    assert "2026-03-03 is after today" in said
    assert "is a number Excel has shortened" in said
    assert f"'{item(1)[:-1]}' is no item barcode (14 digits beginning with 3, B1)" in said
    assert "order W-3 is on line 4 already" in said
    assert 'a quote (") opened on this line is not closed before line 7' in said
    assert found.orders == ()
    assert [b.rule for b in found.bad if b.column is Column.CARD] == ["B2", "B4", ""]


def test_a_header_without_the_columns_reads_no_line():
    found = read(f"W-1;2026-03-01;{ANNE};{item(1)}", header="nr;dato;kort;stregkode;kort nr")
    assert not found.header_ok and found.orders == ()
    assert [(b.line, b.column) for b in found.bad] == [(1, Column.CARD), (1, Column.ORDER)]
    twice = read(header="order number;date;card;item;card number")
    assert "as column 3 and column 5" in problems(twice)[0][2]
    assert (
        "this is not a header"
        in problems(read(f"W-1;2026-03-01;{ANNE};{item(1)}", header=""))[0][2]
    )


def test_too_many_lines_is_the_wrong_file(monkeypatch):
    monkeypatch.setattr(order_import, "MAX_ORDER_LINES", 2)
    found = read(*(f"W-{n};2026-03-01;{ANNE};{item(n)};" for n in range(1, 4)))
    assert not found.header_ok and found.orders == ()
    assert problems(found)[0][0] == 4


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8-sig", b""), ("utf-16", b""), ("cp1252", b"")],
)
def test_encodings(encoding, prefix):
    found = read(f"W-1;2026-03-01;{ANNE};{item(1)};Søren Ærø", encoding=encoding)
    assert found.clean and found.orders[0].note == "Søren Ærø"
    expected = {
        "utf-8-sig": Encoding.UTF8,
        "utf-16": Encoding.UTF16,
        "cp1252": Encoding.WINDOWS_1252,
    }
    assert found.encoding is expected[encoding]


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026-3-1", date(2026, 3, 1)),
        ("01-03-2026", date(2026, 3, 1)),
        ("1.3.2026", date(2026, 3, 1)),
        ("01/03/2026 10:15", date(2026, 3, 1)),
        ("2026-03-01T10:15:30", date(2026, 3, 1)),
        ("01-03-26", None),  # two-digit years are ambiguous
        ("03/01/2026x", None),
        ("2026-02-29", None),
        ("1. marts 2026", None),
    ],
)
def test_dates(raw, day):
    assert parse_day(raw) == day


def test_shown_numbers_never_show_a_cpr_number():
    assert shown_number(ANNE) == ANNE
    assert shown_number("101901235") == "101901XXX"  # lost its leading zero in Excel
    assert shown_number("010190-1235") == "010190-XXXX"
    assert shown_number("Anne Jensen") == "Anne Jensen"
    assert shown_number(ANNE[:-1]) == ANNE[:-1]  # a barcode a digit short
    assert shown_number("25019012355") == "250190XXXXX"  # a CPR number and a digit more


_FIELD = st.sampled_from(
    [TEST_CPR, "0101901235", "101901235", ANNE, item(1), "", "x", "2026-03-01"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_FIELD, min_size=3, max_size=6), min_size=1, max_size=4))
def test_b3_no_report_of_any_line_shows_a_cpr_number(rows):
    found = read(*(";".join(row) for row in rows))
    for bad in found.bad:
        for language in ("en", "da"):
            assert not CPR_DIGITS.search(bad.text.render(language))
