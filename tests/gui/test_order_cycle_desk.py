"""The order cycle at the desk window (issue 15), driven key by key as staff
and a wedge scanner drive it: a borrower found by name typed into the scan
field and taken to the desk; a request placed and cancelled through the item
dialog; a requested book checked in and lent on to the next borrower with
its slip printed; a picked item scanned with no borrower at the desk; renew
all; the receipt; the pick list window.

Keys come from ``qtbot`` into whatever has the focus; their times from a
clock the test moves (Qt's test events carry no timestamp), so a person's
typing and a scanner's burst are told apart without waiting.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from desk_app.domain.roles import Role
from desk_app.domain.scan import slip_code
from desk_app.gui import scan_field
from desk_app.gui.desk_window import DeskWindow
from desk_app.services import circulation, documents
from desk_app.services.context import Actor
from desk_app.services.desk import Tone
from desk_app.store.models import Loan, Request
from tests.gui.conftest import STAFF, MakeWindow, scan
from tests.gui.test_dispatch_window import SilentPrinter, _barcodes
from tests.gui.test_h13_desk_scanner import _in_dialog
from tests.helpers.people import ANNE, BO, INF_USER, item
from tests.printing.render import page_texts

SCANNER_MS = 3
PERSON_MS = 150
DESK = Actor(STAFF[Role.DESK], "Main desk")


class Ticks:
    """The scan field's and the guard's clock, in ms: moved by the test only."""

    def __init__(self) -> None:
        self.now = 7_000_000

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def ticks(monkeypatch: pytest.MonkeyPatch) -> Ticks:
    clock = Ticks()
    monkeypatch.setattr(scan_field, "monotonic_ms", clock)
    return clock


class Drawn:
    """The documents the window had drawn (the printer gets them as pages
    of pixels: their words are read here, their barcodes off the paper)."""

    def __init__(self) -> None:
        self.slips: list[documents.SlipPdf] = []
        self.receipts: list[bytes] = []


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Drawn:
    seen = Drawn()
    real_slip, real_receipt = documents.slip_pdf, documents.receipt_pdf

    def slip_pdf(*args, **kwargs):  # type: ignore[no-untyped-def]
        made = real_slip(*args, **kwargs)
        if made is not None:
            seen.slips.append(made)
        return made

    def receipt_pdf(*args, **kwargs):  # type: ignore[no-untyped-def]
        made = real_receipt(*args, **kwargs)
        if isinstance(made, bytes):
            seen.receipts.append(made)
        return made

    monkeypatch.setattr(documents, "slip_pdf", slip_pdf)
    monkeypatch.setattr(documents, "receipt_pdf", receipt_pdf)
    return seen


def _type(qtbot, ticks: Ticks, text: str, gap: int, end: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Key by key into whatever has the focus, ``gap`` ms apart, then Enter."""
    keys: list[str | Qt.Key] = list(text) + ([Qt.Key.Key_Return] if end else [])
    for key in keys:
        ticks.now += gap
        target = QApplication.focusWidget() or QApplication.activeModalWidget()
        assert target is not None
        qtbot.keyClick(target, key)


def _open_loans(ctx) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        loans = session.scalars(select(Loan).where(Loan.state == "open")).all()
        return {loan.item.barcode: loan.borrower.name for loan in loans}


def _active_requests(ctx) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return len(session.scalars(select(Request).where(Request.state == "active")).all())


def _shown(qtbot, window: DeskWindow, title: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.banner.title == title, timeout=5000)


def _checked_errors(errors: list[BaseException]) -> None:
    assert not errors, errors
    assert QApplication.activeModalWidget() is None


# -- find a borrower by name ------------------------------------------------------------


def test_a_name_typed_into_the_scan_field_finds_the_borrower_and_enter_takes_them(
    qtbot, make_window: MakeWindow, gui_ctx, ticks: Ticks
):
    window = make_window()
    seen: dict[str, object] = {}

    def in_the_dialog(dialog: QDialog) -> None:
        seen["opened with"] = dialog.field.text()  # type: ignore[attr-defined]
        _type(qtbot, ticks, "nsen", PERSON_MS)  # the rest, then Enter: the first found
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)

    errors = _in_dialog(qtbot, in_the_dialog)
    _type(qtbot, ticks, "Je", PERSON_MS, end=False)  # a person's letters: no scan
    _shown(qtbot, window, "Anne Jensen")
    _checked_errors(errors)
    assert seen["opened with"] == "Je"
    assert window.borrower_panel.form.nameValue.text() == "Anne Jensen"
    assert window.session.serving is not None
    assert window.shift_log.rows()[0][1:4] == ["Card", ANNE, "Anne Jensen"]
    assert window.scan_field.text() == ""
    assert window.focusWidget() is window.scan_field  # the window may be inactive offscreen
    scan(qtbot, window, item(1))  # lent to her, as after a card scan
    assert window.banner.title == "Loaned"
    assert _open_loans(gui_ctx) == {item(1): "Anne Jensen"}


def test_ctrl_f_opens_the_find_dialog_and_esc_closes_it_taking_no_one(qtbot, window):
    seen: dict[str, object] = {}

    def look(dialog: QDialog) -> None:
        seen["title"] = dialog.windowTitle()
        seen["text"] = dialog.field.text()  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)  # type: ignore[attr-defined]

    errors = _in_dialog(qtbot, look)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    _checked_errors(errors)
    assert seen == {"title": "Find a borrower", "text": ""}
    assert window.session.serving is None
    assert window.session.log == []


def test_a_codabar_card_scanned_in_a_burst_is_a_scan_not_a_name(
    qtbot, make_window: MakeWindow, ticks: Ticks
):
    """A Codabar card starts with a letter (A-D): at a scanner's pace it is
    a scan, never the find dialog."""
    window = make_window()
    _type(qtbot, ticks, f"A{ANNE}B", SCANNER_MS)
    assert window.banner.title == "Anne Jensen"
    assert QApplication.activeModalWidget() is None


def test_a_barcode_typed_by_hand_stays_in_the_field(qtbot, make_window: MakeWindow, ticks: Ticks):
    window = make_window()
    _type(qtbot, ticks, ANNE[:5], PERSON_MS, end=False)
    assert window.scan_field.text() == ANNE[:5]  # digits: a scan typed slowly
    _type(qtbot, ticks, ANNE[5:], PERSON_MS)
    assert window.banner.title == "Anne Jensen"


# -- requests through the item dialog ------------------------------------------------------


def test_place_and_cancel_a_request_through_the_item_dialog(
    qtbot, make_window: MakeWindow, gui_ctx, clock, ticks: Ticks
):
    assert circulation.checkout(gui_ctx, DESK, BO, item(1)).ok
    window = make_window()
    scan(qtbot, window, ANNE)
    seen: dict[str, object] = {}

    def in_the_dialog(dialog: QDialog) -> None:
        with qtbot.waitSignal(dialog.sig_status_shown, timeout=5000):  # type: ignore[attr-defined]
            _type(qtbot, ticks, item(1), SCANNER_MS)  # scanned: the guard hands it to the dialog
        request = dialog.request_button  # type: ignore[attr-defined]
        qtbot.waitUntil(request.isEnabled, timeout=5000)
        with qtbot.waitSignal(dialog.sig_request_place, timeout=5000):  # type: ignore[attr-defined]
            qtbot.mouseClick(request, Qt.MouseButton.LeftButton)
        seen["placed"] = (window.banner.title, window.banner.message)
        seen["panel"] = window.borrower_panel.form.requestsValue.text()
        cancel = dialog.cancel_button  # type: ignore[attr-defined]
        qtbot.waitUntil(cancel.isEnabled, timeout=5000)
        with qtbot.waitSignal(dialog.sig_request_cancel, timeout=5000):  # type: ignore[attr-defined]
            qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        seen["cancelled"] = window.banner.title
        qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)  # type: ignore[attr-defined]

    errors = _in_dialog(qtbot, in_the_dialog)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    _checked_errors(errors)
    title, message = seen["placed"]  # type: ignore[misc]
    assert title == "Requested"
    assert "number 1 in the queue" in message and "now due" in message  # L3, L4
    assert seen["panel"] == (
        f"Concrete Mathematics ({item(1)}): number 1 of 1, on loan until 2026-04-02"
    )
    assert seen["cancelled"] == "Request cancelled"
    assert [row[1] for row in window.shift_log.rows()[:2]] == ["Cancel request", "Request"]
    assert all(row[3] == "Anne Jensen" for row in window.shift_log.rows()[:2])
    assert _active_requests(gui_ctx) == 0
    assert window.borrower_panel.form.requestsValue.text() == "None"


# -- Q3: check in a requested book ----------------------------------------------------------


def test_q3_a_requested_book_checked_in_is_lent_on_and_its_pickup_slip_prints(
    qtbot, make_window: MakeWindow, gui_ctx, clock, tmp_path: Path, drawn: Drawn
):
    clock.set(datetime(2026, 3, 2, 9))
    assert circulation.checkout(gui_ctx, DESK, BO, item(1)).ok
    assert circulation.request(gui_ctx, DESK, INF_USER, item(1)).ok
    assert circulation.request(gui_ctx, DESK, ANNE, item(1)).ok
    clock.set(datetime(2026, 3, 2, 10))
    target = tmp_path / "slip.pdf"
    window = make_window(printer=SilentPrinter(target), print_slip_at_checkout=True)
    qtbot.keyClick(window, Qt.Key.Key_F3)  # check-in mode
    scan(qtbot, window, item(1))
    assert window.banner.title == "Returned and lent on to Gustav Holm"
    assert window.banner.tone is Tone.CAUTION
    assert window.banner.rule == "Rule §4 Q3, §4 L2"
    message = window.banner.message
    assert "Returned: Concrete Mathematics. Lent to Gustav Holm (request)" in message
    assert "guaranteed only 14 days" in message  # Anne still waits (L2)
    assert "pickup shelf H at the desk" in message  # T2
    assert _open_loans(gui_ctx) == {item(1): "Gustav Holm"}
    rows = window.shift_log.rows()
    assert [row[1:4] for row in rows[:2]] == [
        ["Lent on (Q3)", item(1), "Gustav Holm"],
        ["Check in", item(1), "Bo Nielsen"],
    ]
    assert window.borrower_panel.form.nameValue.text() == "Gustav Holm"
    qtbot.waitUntil(target.exists, timeout=10_000)  # the new loan's slip, as at a checkout
    loan_id = window.session.last_loan_id
    assert _barcodes(target.read_bytes()) == {item(1), slip_code(loan_id)}
    (slip,) = [made.slip for made in drawn.slips]  # T2: the pickup slip of the new loan
    assert (slip.kind, slip.loan_id, slip.borrower_name, slip.shelf_place) == (
        documents.SlipKind.PICKUP,
        loan_id,
        "Gustav Holm",
        "H",
    )
    assert slip.guaranteed_until is not None and slip.guaranteed_until.isoformat() == "2026-03-16"
    text = " ".join(page_texts(drawn.slips[0].pdf))
    assert "Gustav Holm" in text and "Bo Nielsen" not in text


# -- Q1: a picked item with no borrower at the desk ---------------------------------------------


def test_q1_a_picked_item_scanned_with_no_borrower_is_lent_to_its_requester_with_its_slip(
    qtbot, make_window: MakeWindow, gui_ctx, tmp_path: Path, drawn: Drawn
):
    assert circulation.request(gui_ctx, DESK, ANNE, item(6)).ok
    target = tmp_path / "slip.pdf"
    window = make_window(printer=SilentPrinter(target), print_slip_at_checkout=True)
    scan(qtbot, window, item(6))
    assert window.banner.title == "Lent to Anne Jensen (request)"
    assert window.banner.message.startswith("Lent to Anne Jensen (request): Loan until")
    assert "route NORTH (Nørre Campus), stop 6" in window.banner.message
    assert window.banner.rule == "Rule §4 Q1"
    assert _open_loans(gui_ctx) == {item(6): "Anne Jensen"}
    assert window.shift_log.rows()[0][1:4] == ["Picked (Q1)", item(6), "Anne Jensen"]
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert _barcodes(target.read_bytes()) == {item(6), slip_code(window.session.last_loan_id)}
    (slip,) = [made.slip for made in drawn.slips]  # T1: the transport slip, route and stop
    assert (slip.kind, slip.borrower_name, slip.route_code, slip.stop) == (
        documents.SlipKind.TRANSPORT,
        "Anne Jensen",
        "NORTH",
        6,
    )
    scan(qtbot, window, item(2))  # no request on it: the card first, as ever
    assert window.banner.title == "Scan the card first"


# -- renew all -------------------------------------------------------------------------------------


def test_l5_ctrl_r_renews_all_and_lists_each_refusal_with_its_rule(
    qtbot, make_window: MakeWindow, gui_ctx, clock
):
    clock.set(datetime(2026, 3, 2, 10))
    for barcode in (item(1), item(2)):
        assert circulation.checkout(gui_ctx, DESK, ANNE, barcode).ok
    assert circulation.request(gui_ctx, DESK, BO, item(2)).ok
    clock.set(datetime(2026, 5, 4, 10))
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.banner.title == "Scan the card first"  # nobody at the desk yet
    scan(qtbot, window, ANNE)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):  # on the worker
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.banner.title == "Renewed, some refused"
    assert window.banner.tone is Tone.CAUTION
    assert "Renewed 1 of 2 loans." in window.banner.message
    assert "requested this item" in window.banner.message
    refusals = [
        window.form.refusalList.item(i).text() for i in range(window.form.refusalList.count())
    ]
    assert len(refusals) == 1 and item(2) in refusals[0] and "(§4 L5)" in refusals[0]
    assert window.form.refusalStrip.isVisible()
    assert [row[1] for row in window.shift_log.rows()[:2]] == ["Renew", "Renew"]
    due = {row[0]: row[1] for row in window.borrower_panel.loan_rows()}
    assert due[item(1)] == "2027-05-04"


# -- the receipt and the pick list window ---------------------------------------------------------


def test_ctrl_t_prints_the_receipt_of_the_borrower_at_the_desk(
    qtbot, make_window: MakeWindow, gui_ctx, tmp_path: Path, drawn: Drawn
):
    assert circulation.checkout(gui_ctx, DESK, ANNE, item(1)).ok
    target = tmp_path / "receipt.pdf"
    window = make_window(printer=SilentPrinter(target))
    scan(qtbot, window, ANNE)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert target.exists()
    (receipt,) = drawn.receipts
    text = " ".join(page_texts(receipt))
    assert "Anne Jensen" in text and item(1) in text
    assert "sent to" in window.statusBar().currentMessage()


def test_ctrl_k_opens_the_pick_list_window(qtbot, make_window: MakeWindow, gui_ctx):
    assert circulation.request(gui_ctx, DESK, ANNE, item(6)).ok
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    pick_list = window.pick_list_window
    assert pick_list is not None and pick_list.isVisible()
    qtbot.waitUntil(lambda: pick_list.isVisible(), timeout=2000)
    pick_list.close()


def test_t4_the_item_dialog_reprints_the_slip_of_an_open_loan(
    qtbot, make_window: MakeWindow, gui_ctx, tmp_path: Path, ticks: Ticks
):
    assert circulation.checkout(gui_ctx, DESK, ANNE, item(1)).ok
    with gui_ctx.sessions() as session:
        loan_id = session.scalars(select(Loan.id)).one()
    target = tmp_path / "slip.pdf"
    window = make_window(printer=SilentPrinter(target))

    def in_the_dialog(dialog: QDialog) -> None:
        with qtbot.waitSignal(dialog.sig_status_shown, timeout=5000):  # type: ignore[attr-defined]
            _type(qtbot, ticks, item(1), SCANNER_MS)
        reprint = dialog.reprint_button  # type: ignore[attr-defined]
        qtbot.waitUntil(reprint.isEnabled, timeout=5000)
        with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
            qtbot.mouseClick(reprint, Qt.MouseButton.LeftButton)
        qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)  # type: ignore[attr-defined]

    errors = _in_dialog(qtbot, in_the_dialog)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    _checked_errors(errors)
    assert _barcodes(target.read_bytes()) == {item(1), slip_code(loan_id)}
    assert window.session.log == []  # a reprint changes nothing


def test_ctrl_e_says_why_a_receipt_cannot_be_e_mailed(qtbot, make_window: MakeWindow):
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert "No borrower at the desk" in window.statusBar().currentMessage()
    scan(qtbot, window, ANNE)  # enrolled without an e-mail address
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.banner.title == "Receipt not e-mailed"
    assert window.banner.tone is Tone.REFUSED
    assert window.banner.message == window.statusBar().currentMessage()
