"""The orders import (issue 15): the order form's CSV export placed as requests.

Runs on SQLite and, when configured, PostgreSQL (the ``ctx`` fixture). A
file with a bad line places nothing and names every bad line; a rule's
refusal is reported with its rule and code and does not stop the other
lines; a re-import places nothing twice; no CPR number in clear anywhere (B3).
"""

from __future__ import annotations

import re
import threading
import time
from datetime import date, datetime

import pytest
from sqlalchemy import func, insert, select

from desk_app.domain.order_import import LineOutcome
from desk_app.domain.request_states import RequestState
from desk_app.domain.roles import Role
from desk_app.domain.verdict import Code
from desk_app.services import circulation, order_import, requests
from desk_app.services.enrolment import BorrowerRecord, declare
from desk_app.services.notices import run_notices
from desk_app.services.order_import import ImportStatus, import_orders
from desk_app.store.models import AuditEntry, Item, Loan, Request
from tests.helpers.people import (
    ANNE,
    BO,
    CECILIE,
    EXPIRED,
    STUDENT,
    TEST_CPR,
    card,
    item,
    seed_cast,
)
from tests.helpers.staffing import ensure_staff, seeder

HEADER = "order number;date ordered;card number;item barcode;note"
CPR_DIGITS = re.compile(r"010190.?1235")


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join((header, *lines)) + "\n").encode(encoding)


def requests_of(ctx) -> list[Request]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return list(session.scalars(select(Request).order_by(Request.id)))


def count(ctx, model) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def rendered(report: order_import.ImportReport, language: str = "en") -> str:
    lines = [bad.text.render(language) for bad in report.file.bad]
    lines += [result.report.render(language) for result in report.results]
    return "\n".join(lines)


@pytest.fixture
def cast(ctx):  # type: ignore[no-untyped-def]
    seed_cast(ctx)
    return ctx


# --- placed, once ---------------------------------------------------------------


def test_l3_q1_each_order_is_placed_with_its_number_day_and_note(cast, actor):
    data = csv_bytes(
        f"WEB-1;2026-03-01;{ANNE};{item(1)};chapter 3 only",
        f"WEB-2;2026-03-02;{BO};{item(1)};",
        f"WEB-3;01-03-2026;{TEST_CPR};{item(2)};",
    )
    report = import_orders(cast, actor, data)
    assert report.status is ImportStatus.DONE
    assert [r.outcome for r in report.results] == [LineOutcome.PLACED] * 3
    assert [r.verdict.data["position"] for r in report.results if r.verdict] == [1, 2, 1]
    placed = requests_of(cast)
    assert [(r.order_ref, r.ordered_on, r.order_note) for r in placed] == [
        ("WEB-1", date(2026, 3, 1), "chapter 3 only"),
        ("WEB-2", date(2026, 3, 2), None),
        ("WEB-3", date(2026, 3, 1), None),
    ]
    assert {r.state for r in placed} == {RequestState.ACTIVE}
    assert {r.staff for r in placed} == {actor.staff}
    # Q1: both items are on the shelf: on the pick list, each for its first orderer
    entries = requests.pick_list(cast, actor)
    assert [(e.barcode, e.card, e.waiting) for e in entries] == [
        (item(1), ANNE, 2),
        (item(2), "010190-XXXX", 1),
    ]
    # each placed order is audited as a request, with its order number
    with cast.sessions() as session:
        audited = session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "request"))
        assert sum('"order_ref": "WEB-' in (d or "") for d in audited) == 3


def test_a_re_import_places_nothing_twice(cast, actor, clock):
    data = csv_bytes(
        f"WEB-1;2026-03-01;{ANNE};{item(1)};",
        f"WEB-2;2026-03-01;{BO};{item(2)};",
    )
    assert import_orders(cast, actor, data).status is ImportStatus.DONE
    # Q2: Bo cancels his; the request is no longer active, but was imported
    with cast.sessions.begin() as session:
        bos = session.scalars(select(Request).where(Request.order_ref == "WEB-2")).one()
        bos.state = RequestState.CANCELLED
    clock.set(datetime(2026, 3, 3, 9))
    again = import_orders(cast, actor, data)
    assert again.status is ImportStatus.DONE
    assert [r.outcome for r in again.results] == [LineOutcome.ALREADY_IMPORTED] * 2
    assert "imported already (request placed 2026-03-02)" in rendered(again)
    assert len(requests_of(cast)) == 2


def test_an_order_the_borrower_has_requested_already_places_nothing(cast, actor):
    assert circulation.request(cast, actor, ANNE, item(1)).code is Code.REQUESTED
    data = csv_bytes(
        f"WEB-1;2026-03-01;{ANNE};{item(1)};",
        f"WEB-2;2026-03-01;{BO};{item(2)};",
        f"WEB-3;2026-03-01;{BO};{item(2)};a second order for the same book",
    )
    report = import_orders(cast, actor, data)
    assert report.status is ImportStatus.DONE
    assert [r.outcome for r in report.results] == [
        LineOutcome.ALREADY_REQUESTED,
        LineOutcome.PLACED,
        LineOutcome.ALREADY_REQUESTED,
    ]
    assert [r.order_ref for r in requests_of(cast)] == [None, "WEB-2"]


def test_l4_an_order_for_a_lent_item_moves_its_due_date(cast, actor):
    assert circulation.checkout(cast, actor, ANNE, item(1)).code is Code.LOANED
    report = import_orders(cast, actor, csv_bytes(f"WEB-9;2026-03-02;{BO};{item(1)};"))
    (result,) = report.results
    assert result.outcome is LineOutcome.PLACED and result.verdict is not None
    assert result.verdict.rule == "§4 L4"
    assert result.verdict.data["due_changed_to"] == date(2026, 4, 2)
    with cast.sessions() as session:
        assert session.scalars(select(Loan.due)).one() == date(2026, 4, 2)
    assert "The current loan is now due 2026-04-02" in rendered(report)


# --- refused by the rules: per line -------------------------------------------------


def _suspend_bo(ctx, actor, clock) -> None:  # type: ignore[no-untyped-def]
    """Bo's loan of item 6 climbs the whole ladder (§5)."""
    clock.set(datetime(2025, 1, 2, 10))
    assert circulation.checkout(ctx, actor, BO, item(6)).code is Code.LOANED
    for day in (date(2026, 1, 3), date(2026, 1, 18), date(2026, 1, 26), date(2026, 2, 3)):
        run_notices(ctx, actor, day)
    run_notices(ctx, actor, date(2026, 2, 11))
    clock.set(datetime(2026, 3, 2, 10))


def test_rule_refusals_are_reported_per_line_with_rule_and_code(cast, actor, clock):
    _suspend_bo(cast, actor, clock)
    assert circulation.checkout(cast, actor, CECILIE, item(2)).code is Code.LOANED
    data = csv_bytes(
        f"A-1;2026-03-01;{card(99)};{item(1)};",  # no such card
        f"A-2;2026-03-01;{EXPIRED};{item(1)};",  # U1
        f"A-3;2026-03-01;{STUDENT};{item(1)};",  # E1
        f"A-4;2026-03-01;{BO};{item(1)};",  # S3
        f"A-5;2026-03-01;{ANNE};{item(99)};",  # no such item
        f"A-6;2026-03-01;{CECILIE};{item(2)};",  # L3: her own loan
        f"A-7;2026-03-01;{ANNE};{item(1)};",  # placed
    )
    report = import_orders(cast, actor, data)
    assert report.status is ImportStatus.SOME_REFUSED
    decided = [(r.order_ref, r.outcome, r.verdict.code, r.verdict.rule) for r in report.results]  # type: ignore[union-attr]
    assert decided == [
        ("A-1", LineOutcome.REFUSED, Code.CARD_UNKNOWN, "B1"),
        ("A-2", LineOutcome.REFUSED, Code.CARD_INVALID, "U1"),
        ("A-3", LineOutcome.REFUSED, Code.NOT_ELIGIBLE, "§1 E1"),
        ("A-4", LineOutcome.REFUSED, Code.SUSPENDED, "§5 S3"),
        ("A-5", LineOutcome.REFUSED, Code.ITEM_UNKNOWN, "B1"),
        ("A-6", LineOutcome.REFUSED, Code.ON_LOAN, "§4 L3"),
        ("A-7", LineOutcome.PLACED, Code.REQUESTED, "§4 L3"),
    ]
    text = rendered(report)
    assert "Line 5, order A-4: refused (§5 S3, SUSPENDED)" in text
    assert "Line 2, order A-1: refused (B1, CARD_UNKNOWN)" in text
    assert [r.order_ref for r in requests_of(cast)] == ["A-7"]
    # A refused order keeps no number: once the card is renewed, a re-import places it
    again = import_orders(cast, actor, data)
    assert [r.outcome for r in again.results][-1] is LineOutcome.ALREADY_IMPORTED


# --- malformed: nothing placed ------------------------------------------------------


def test_a_malformed_file_places_nothing_and_names_every_bad_line(cast, actor):
    before = count(cast, AuditEntry)
    bad_check_digit = item(1)[:-1] + str((int(item(1)[-1]) + 1) % 10)
    data = csv_bytes(
        f"WEB-1;2026-03-01;{ANNE};{item(1)};",
        f"WEB-2;2026-03-01;{BO};{bad_check_digit};",
        f"WEB-3;2026-03-01;;{item(2)};",
        f"WEB-4;2026-03-01;{ANNE}",
        f"WEB-5;2026-03-01;{CECILIE};{item(6)};",
        f"WEB-1;2026-03-01;{CECILIE};{item(2)};",
    )
    report = import_orders(cast, actor, data)
    assert report.status is ImportStatus.MALFORMED
    assert report.file.bad_lines == (3, 4, 5, 7)
    assert report.results == ()
    text = rendered(report)
    assert f"Line 3, item barcode: {bad_check_digit} has a wrong check digit (B2)" in text
    assert "Line 4, card number: empty." in text
    assert "Line 5: 3 fields where the header has 5" in text
    assert "Line 7, order number: order WEB-1 is on line 2 already" in text
    assert requests_of(cast) == []
    assert count(cast, AuditEntry) == before


def test_a_bad_header_reads_no_line(cast, actor):
    data = csv_bytes(
        f"WEB-1;2026-03-01;{ANNE};{item(1)}",
        header="order number;ordered;borrower;item barcode",
    )
    report = import_orders(cast, actor, data)
    assert report.status is ImportStatus.MALFORMED and not report.file.header_ok
    (bad,) = report.file.bad
    assert bad.line == 1
    assert "Line 1, card number: the header has no column for it" in bad.text.render("en")
    assert "Columns not recognised: borrower" in bad.text.render("en")
    not_a_header = import_orders(cast, actor, csv_bytes(header=f"WEB-1;2026-03-01;{ANNE};x"))
    assert "this is not a header" in rendered(not_a_header)
    empty = import_orders(cast, actor, b"\xef\xbb\xbf\n \n")
    assert "The file is empty" in rendered(empty)
    assert requests_of(cast) == []


def test_skip_bad_places_the_good_lines_and_lists_the_bad(cast, actor):
    data = csv_bytes(
        f"WEB-1;2026-03-01;{ANNE};{item(1)};",
        f"WEB-2;2026-13-01;{BO};{item(2)};",
    )
    report = import_orders(cast, actor, data, skip_bad=True)
    assert report.status is ImportStatus.SOME_REFUSED
    assert report.file.bad_lines == (3,)
    assert [r.order_ref for r in requests_of(cast)] == ["WEB-1"]
    # a header that cannot be read stops even --skip-bad
    headless = import_orders(cast, actor, csv_bytes(header="a;b;c"), skip_bad=True)
    assert headless.status is ImportStatus.MALFORMED


def test_check_only_decides_every_line_and_keeps_nothing(cast, actor):
    before = count(cast, AuditEntry)
    data = csv_bytes(
        f"WEB-1;2026-03-01;{ANNE};{item(1)};",
        f"WEB-2;2026-03-01;{EXPIRED};{item(1)};",
    )
    report = import_orders(cast, actor, data, check_only=True)
    assert [r.outcome for r in report.results] == [LineOutcome.PLACED, LineOutcome.REFUSED]
    assert report.checked_only and not report.placed_anything
    assert requests_of(cast) == []
    assert count(cast, AuditEntry) == before


# --- the file as Excel and the order form write it ------------------------------------


@pytest.mark.parametrize(
    ("encoding", "header", "separator"),
    [
        ("utf-8-sig", "Ordrenummer;Bestilt;Lånerkort;Stregkode;Bemærkning", ";"),
        ("utf-8", "order number,date ordered,card number,item barcode,note", ","),
        ("cp1252", "Ordrenummer;Bestilt;Lånerkort;Stregkode;Bemærkning", ";"),
        ("utf-16", "Order No.\tDate\tCard\tBarcode\tNote", "\t"),
    ],
)
def test_bom_semicolons_danish_names_and_spaces_are_read(cast, actor, encoding, header, separator):
    fields = [
        " WEB-1 ",
        " 02.03.2026 ",
        f" {ANNE} ",
        f" {item(1)}",
        ' "Til kapitel 3; gerne hurtigt" ',
    ]
    data = csv_bytes(separator.join(fields), header=header, encoding=encoding)
    report = import_orders(cast, actor, data)
    assert report.status is ImportStatus.DONE, rendered(report)
    (placed,) = requests_of(cast)
    assert (placed.order_ref, placed.ordered_on) == ("WEB-1", date(2026, 3, 2))
    assert placed.order_note == "Til kapitel 3; gerne hurtigt"


# --- who, B3, speed, races -------------------------------------------------------------


def test_only_who_may_place_requests_imports(cast):
    courier = ensure_staff(cast, "Kurt Courier", Role.COURIER)
    report = import_orders(cast, courier, csv_bytes(f"WEB-1;2026-03-01;{ANNE};{item(1)};"))
    assert report.status is ImportStatus.NOT_PERMITTED
    assert report.refusal is not None and report.refusal.code is Code.NOT_PERMITTED
    assert requests_of(cast) == []


def test_b3_no_cpr_number_in_clear_in_the_report_or_the_database(cast, actor):
    data = csv_bytes(
        f"WEB-1;2026-03-01;{TEST_CPR};{item(1)};cpr {TEST_CPR} called",
        f"WEB-2;2026-03-01;{TEST_CPR};{item(99)};",
        f"WEB-3;2026-03-01;{item(2)};{TEST_CPR};",  # swapped columns
        "WEB-4;2026-03-01;101901235;;",  # Excel dropped the leading zero
        f"{TEST_CPR};2026-03-01;{ANNE};{item(2)};",  # columns shifted: no order number
    )
    malformed = import_orders(cast, actor, data)
    skipped = import_orders(cast, actor, data, skip_bad=True)
    for report in (malformed, skipped):
        for language in ("en", "da"):
            assert not CPR_DIGITS.search(rendered(report, language))
    assert "101901XXX" in rendered(malformed)
    assert "Line 6, order number: 010190-XXXX has the shape of a CPR number" in rendered(malformed)
    assert requests_of(cast)[0].order_note == "cpr 010190-XXXX called"
    with cast.sessions() as session:
        details = " ".join(d or "" for d in session.scalars(select(AuditEntry.detail)))
    assert not CPR_DIGITS.search(details)


@pytest.mark.slow
def test_a_days_orders_are_placed_in_seconds(cast, actor):
    """A few thousand orders, one transaction (the write lock held as long)."""
    many = 2000
    declare(
        cast,
        seeder(cast),
        borrowers=[
            BorrowerRecord(
                card(100 + n), f"Reader {n}", "researcher", "DIKU", card_expires=date(2031, 12, 31)
            )
            for n in range(200)
        ],
    )
    with cast.sessions.begin() as session:  # the books, in bulk: the test times the import
        session.execute(
            insert(Item), [{"barcode": item(1000 + n), "title": f"Book {n}"} for n in range(many)]
        )
    data = csv_bytes(
        *(f"D-{n};2026-03-02;{card(100 + n % 200)};{item(1000 + n)};" for n in range(many))
    )
    started = time.perf_counter()
    report = import_orders(cast, actor, data)
    took = time.perf_counter() - started
    assert report.count(LineOutcome.PLACED) == many
    assert took < 20, f"{many} orders took {took:.1f} s"


def test_an_import_that_loses_a_race_runs_again_and_finds_the_orders(cast, actor, monkeypatch):
    """Another import placed the same orders between our read and our write:
    the order number's unique index stops ours, and the next run sees them."""
    data = csv_bytes(f"WEB-1;2026-03-01;{ANNE};{item(1)};")
    assert import_orders(cast, actor, data).status is ImportStatus.DONE
    real = order_import._imported
    calls = []

    def blind_once(session, refs):  # type: ignore[no-untyped-def]
        calls.append(refs)
        return {} if len(calls) == 1 else real(session, refs)

    monkeypatch.setattr(order_import, "_imported", blind_once)
    with cast.sessions.begin() as session:  # Anne's request gone: the desk's check passes
        session.execute(
            Request.__table__.update().values(state=RequestState.CANCELLED.value)  # type: ignore[attr-defined]
        )
    again = import_orders(cast, actor, data)
    assert len(calls) == 2
    assert [r.outcome for r in again.results] == [LineOutcome.ALREADY_IMPORTED]
    assert len(requests_of(cast)) == 1


def test_the_import_decides_each_order_as_a_request_at_the_desk(cast, actor, clock):
    """The import reads its facts set-based and keeps them up to date line by
    line; ``circulation.request`` reads them per request. Same file, same
    answers: codes, rules, places in the queue, L4's due dates, messages."""
    _suspend_bo(cast, actor, clock)
    assert circulation.checkout(cast, actor, CECILIE, item(2)).code is Code.LOANED
    orders = [
        (ANNE, item(1)),  # on the shelf: first in the queue (Q1)
        (BO, item(1)),  # suspended (S3)
        (CECILIE, item(2)),  # her own loan (L3)
        (ANNE, item(2)),  # on loan: its due date moves earlier (L4)
        (TEST_CPR, item(2)),  # second in the queue, the due date moved already
        (ANNE, item(1)),  # requested a line ago
        (EXPIRED, item(1)),  # U1
        (STUDENT, item(6)),  # E1
        (card(99), item(1)),  # no such card
        (ANNE, item(99)),  # no such item
        (CECILIE, item(1)),  # second in the queue
    ]
    data = csv_bytes(*(f"E-{n};2026-03-02;{c};{i};" for n, (c, i) in enumerate(orders)))
    checked = import_orders(cast, actor, data, check_only=True)
    assert requests_of(cast) == []
    for result, (who, what) in zip(checked.results, orders, strict=True):
        at_desk = circulation.request(cast, actor, who, what)
        imported = result.verdict
        assert imported is not None
        assert (imported.code, imported.rule, imported.message_en) == (
            at_desk.code,
            at_desk.rule,
            at_desk.message_en,
        ), result.order_ref
        for key in ("position", "due_changed_to", "duplicate"):
            assert imported.data.get(key) == at_desk.data.get(key), (result.order_ref, key)


def test_two_imports_of_one_file_at_once_place_each_order_once(cast, actor):
    """Two staff import the same file at the same moment: the second waits
    for the first (the write lock on SQLite, the items' row locks on
    PostgreSQL) and finds its orders imported."""
    data = csv_bytes(*(f"R-{n};2026-03-01;{who};{item(n)};" for n, who in ((1, ANNE), (2, BO))))
    barrier = threading.Barrier(2)
    reports: list[order_import.ImportReport] = []

    def run() -> None:
        barrier.wait(timeout=30)
        reports.append(import_orders(cast, actor, data))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(reports) == 2
    assert sorted(r.count(LineOutcome.PLACED) for r in reports) == [0, 2]
    assert sorted(r.count(LineOutcome.ALREADY_IMPORTED) for r in reports) == [0, 2]
    assert [r.order_ref for r in requests_of(cast)] == ["R-1", "R-2"]
