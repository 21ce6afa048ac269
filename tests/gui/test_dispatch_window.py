"""The courier's dispatch window and the desk's slip printing, driven as staff
drive them: keys into the scan field, buttons, shortcuts; asserting on the
screen, the printed PDF and the database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from desk_app.domain.roles import Role
from desk_app.domain.scan import slip_code
from desk_app.gui.app import DeskApp
from desk_app.gui.dispatch_window import DispatchWindow
from desk_app.gui.printer import DocumentPrinter
from desk_app.gui.sounds import Sounds
from desk_app.services import circulation
from desk_app.services.context import Actor
from desk_app.settings import DeskSettings
from desk_app.store.models import Dispatch, Loan
from tests.gui.conftest import PINS, STAFF, scan
from tests.helpers.people import ANNE, CECILIE, TEST_CPR, item
from tests.printing.render import decode, render_pages

DAY = date(2026, 3, 2)


class PdfPrinterStub:
    """Answers the print and save dialogs: a PDF file stands in for paper."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.asked = 0

    def ask_printer(self, printer: QPrinter, parent) -> bool:  # type: ignore[no-untyped-def]
        self.asked += 1
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.folder / f"printed-{self.asked}.pdf"))
        return True

    def ask_save_path(self, parent, suggested: str) -> str:  # type: ignore[no-untyped-def]
        return str(self.folder / suggested)

    def printer(self, name: str = "") -> DocumentPrinter:
        return DocumentPrinter(name, None, self.ask_printer, self.ask_save_path)

    def barcodes(self, n: int) -> set[str]:
        """What a scanner reads off the printed pages: the printer gets
        rasterised pages, so the barcodes are the proof they came out whole."""
        return _barcodes((self.folder / f"printed-{n}.pdf").read_bytes())


def _barcodes(pdf: bytes) -> set[str]:
    return {value for page in render_pages(pdf, 203) for value in decode(page)}


class SilentPrinter(DocumentPrinter):
    """A configured printer that exists (none is installed on CI): a PDF file."""

    def __init__(self, path: Path) -> None:
        super().__init__("Desk thermal printer")
        self.path = path

    def configured_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))
        return printer


@pytest.fixture
def courier(gui_ctx):  # type: ignore[no-untyped-def]
    """Three loans on route SOUTH: two at NFI (stop 1), one at SAXO (stop 2)."""
    desk = Actor(STAFF[Role.DESK], "Main desk")
    for card, barcode in ((CECILIE, item(2)), (CECILIE, item(6)), (TEST_CPR, item(1))):
        assert circulation.checkout(gui_ctx, desk, card, barcode).ok
    return Actor(STAFF[Role.COURIER], "Main desk")


def _dispatch_window(qtbot, gui_ctx, actor, tmp_path, **settings) -> tuple[DispatchWindow, list]:  # type: ignore[no-untyped-def]
    questions: list[str] = []

    def confirm(parent, title: str, question: str) -> bool:  # type: ignore[no-untyped-def]
        questions.append(question)
        return True

    stub = PdfPrinterStub(tmp_path)
    window = DispatchWindow(
        gui_ctx,
        actor,
        DeskSettings(language="en", sounds=False, **settings),
        Sounds(False),
        stub.printer(),
        confirm=confirm,
        ask_text=lambda parent, title, label: item(2),
    )
    window.stub = stub  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.select("SOUTH", DAY)
    return window, questions


def _rows(tree) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [
        (tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1))
        for i in range(tree.topLevelItemCount())
    ]


def _transit(gui_ctx, barcode: str) -> str | None:  # type: ignore[no-untyped-def]
    with gui_ctx.sessions() as session:
        loan = session.scalars(select(Loan).where(Loan.item.has(barcode=barcode))).one()
        return loan.transit


def test_T4_courier_loads_scans_and_dispatches_a_route(qtbot, gui_ctx, courier, tmp_path, clock):
    window, questions = _dispatch_window(qtbot, gui_ctx, courier, tmp_path)
    form = window.form
    # the preview shows the manifest; the crate list is in route order
    assert window.preview.document().pageCount() >= 1
    assert _rows(form.missingList) == [("1", item(2)), ("1", item(6)), ("2", item(1))]
    assert "Loaded 0 of 3" in form.countLabel.text()
    assert "Not dispatched" in form.stateLabel.text()
    assert window.scan_field.hasFocus()
    # scanned as the scanner types: key by key, then Enter
    scan(qtbot, window, item(6))
    assert window.banner.title == "Loaded" and window.banner.tone.value == "accepted"
    assert _rows(form.loadedList) == [("1", item(6))]
    assert "Loaded 1 of 3" in form.countLabel.text()
    scan(qtbot, window, item(6))
    assert window.banner.title == "Already loaded" and window.banner.tone.value == "caution"
    # a book that is not for this route stays out of the crate
    scan(qtbot, window, item(3))
    assert window.banner.title == "Not on this manifest" and window.banner.tone.value == "refused"
    scan(qtbot, window, item(2), Qt.Key.Key_Tab)
    assert [row[1] for row in _rows(form.missingList)] == [item(1)]
    # nothing moved in the database while loading
    assert _transit(gui_ctx, item(6)) == "awaiting_dispatch"
    clock.set(datetime(2026, 3, 2, 11, 15))
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert questions and "1 item(s)" in questions[0]
    assert window.banner.title == "Dispatched" and window.banner.tone.value == "caution"
    assert (_transit(gui_ctx, item(2)), _transit(gui_ctx, item(6))) == ("in_transit", "in_transit")
    assert _transit(gui_ctx, item(1)) == "awaiting_dispatch"
    assert "Dispatched 11:15" in form.stateLabel.text()
    assert not form.dispatchButton.isEnabled() and form.deliveredButton.isEnabled()
    assert not window.scan_field.isEnabled()
    # back from the round: delivery confirmed
    clock.set(datetime(2026, 3, 2, 15, 40))
    qtbot.mouseClick(form.deliveredButton, Qt.MouseButton.LeftButton)
    assert window.banner.title == "Delivered"
    assert _transit(gui_ctx, item(2)) == "delivered"
    assert "Delivered 15:40" in form.stateLabel.text()
    with gui_ctx.sessions() as session:
        record = session.scalars(select(Dispatch)).one()
        assert (record.loaded, record.missing, record.staff) == (2, 1, STAFF[Role.COURIER])


def test_T4_manifest_prints_through_the_dialog_and_saves_as_pdf(qtbot, gui_ctx, courier, tmp_path):
    window, _ = _dispatch_window(qtbot, gui_ctx, courier, tmp_path)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    stub = window.stub  # type: ignore[attr-defined]
    assert stub.asked == 1
    assert stub.barcodes(1) == {f"MSOUTH{DAY:%Y%m%d}"}
    assert (
        len(pypdf.PdfReader(tmp_path / "printed-1.pdf").pages)
        == window.preview.document().pageCount()
    )
    assert "sent to" in window.statusBar().findChildren(type(window._status))[0].text()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = tmp_path / f"manifest-SOUTH-{DAY.isoformat()}.pdf"
    assert saved.read_bytes() == window.pdf
    assert item(2) in "".join(p.extract_text() for p in pypdf.PdfReader(saved).pages)


def test_T4_a_manifest_that_cannot_be_drawn_still_loads_the_crate(
    qtbot, gui_ctx, courier, tmp_path, monkeypatch
):
    """``services.documents`` draws the manifest (issue 14); when it cannot (a
    font gone), the window says so and the courier loads from the lists."""
    from desk_app.printing import manifest

    def broken(*_args: object) -> bytes:
        raise OSError("the font file is gone")

    monkeypatch.setattr(manifest, "render_manifest", broken)
    window, _ = _dispatch_window(qtbot, gui_ctx, courier, tmp_path)
    assert window.pdf is None
    assert window._status.text() == "The manifest could not be drawn; see the log."
    assert _rows(window.form.missingList) == [("1", item(2)), ("1", item(6)), ("2", item(1))]
    scan(qtbot, window, item(6))
    assert window.banner.title == "Loaded"
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.stub.asked == 0  # type: ignore[attr-defined]  # nothing to print


def test_T4_announced_return_goes_on_the_collect_list(qtbot, gui_ctx, courier, tmp_path, clock):
    window, _ = _dispatch_window(qtbot, gui_ctx, courier, tmp_path)
    # still at the desk: nothing to collect yet
    qtbot.mouseClick(window.form.announceButton, Qt.MouseButton.LeftButton)
    assert (
        window.banner.title == "Not possible" and "waits for the courier" in window.banner.message
    )
    for barcode in (item(2), item(6), item(1)):
        scan(qtbot, window, barcode)
    qtbot.keyClick(window, Qt.Key.Key_F10)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.banner.title == "Delivered"
    # the next morning the institute phones: item(2) is ready to go back
    clock.set(datetime(2026, 3, 3, 9))
    window.select("SOUTH", date(2026, 3, 3))
    qtbot.mouseClick(window.form.announceButton, Qt.MouseButton.LeftButton)
    assert window.banner.title == "Return announced"
    assert window.loading is not None
    collect = [
        (s.stop, line.item_barcode, line.reason)
        for s in window.loading.manifest.stops
        for line in s.collect
    ]
    assert collect == [(1, item(2), "announced")]
    assert "collect 1" in window.form.stateLabel.text()


def test_dispatch_opens_from_the_desk_for_a_courier_only(qtbot, make_window, courier):
    desk = make_window(Role.DESK)
    assert not desk.actions_by_name["dispatch"].isEnabled()
    desk.open_dispatch()
    assert desk.dispatch_window is None
    courier_desk = make_window(Role.COURIER)
    qtbot.keyClick(courier_desk, Qt.Key.Key_F6)
    assert courier_desk.dispatch_window is not None and courier_desk.dispatch_window.isVisible()
    assert courier_desk.dispatch_window.route == "CITY"  # the first route, A-Z
    courier_desk.dispatch_window.close()


def test_T4_slip_printed_at_checkout_silently_to_the_configured_printer(
    qtbot, make_window, tmp_path
):
    target = tmp_path / "slip.pdf"
    window = make_window(printer=SilentPrinter(target), print_slip_at_checkout=True)
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    assert window.banner.title == "Loaned"
    qtbot.waitUntil(target.exists)
    loan_id = window.session.last_loan_id
    assert _barcodes(target.read_bytes()) == {item(1), slip_code(loan_id)}
    assert "sent to" in window.statusBar().currentMessage()


def test_slip_at_checkout_without_a_printer_never_pops_a_dialog(qtbot, make_window, tmp_path):
    stub = PdfPrinterStub(tmp_path)
    window = make_window(printer=stub.printer(), print_slip_at_checkout=True)
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    qtbot.waitUntil(lambda: "No printer" in window.statusBar().currentMessage())
    assert stub.asked == 0
    assert window.scan_field.hasFocus()


def test_ctrl_p_prints_the_last_checkouts_slip_through_the_dialog(qtbot, make_window, tmp_path):
    stub = PdfPrinterStub(tmp_path)
    window = make_window(printer=stub.printer())
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert stub.asked == 0 and "No checkout" in window.statusBar().currentMessage()
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):  # drawn on the worker
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert stub.asked == 1
    assert stub.barcodes(1) == {item(1), slip_code(window.session.last_loan_id)}
    assert window.scan_field.hasFocus()


def test_ctrl_shift_p_saves_the_last_checkouts_slip_as_pdf(qtbot, make_window, tmp_path):
    stub = PdfPrinterStub(tmp_path)
    window = make_window(printer=stub.printer(), page_size="80mm")
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        qtbot.keyClick(
            window,
            Qt.Key.Key_P,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    saved = tmp_path / f"slip-{item(1)}.pdf"
    assert _barcodes(saved.read_bytes()) == {item(1), slip_code(window.session.last_loan_id)}
    width_mm = float(pypdf.PdfReader(saved).pages[0].mediabox.width) * 25.4 / 72
    assert round(width_mm) == 80  # the settings' paper
    assert "Saved" in window.statusBar().currentMessage()


@pytest.mark.parametrize(("role", "opens"), [(Role.COURIER, True), (Role.DESK, False)])
def test_a_courier_sign_in_opens_the_dispatch_window(qtbot, gui_ctx, tmp_path, role, opens):
    app = DeskApp(gui_ctx, DeskSettings(language="en", sounds=False), tmp_path, "test")

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        dialog.form.nameBox.setCurrentText(STAFF[role])
        qtbot.keyClicks(dialog.form.pinField, PINS[role])
        qtbot.keyClick(dialog.form.pinField, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill_in)
    assert app.sign_in()
    window = app.window
    assert window is not None
    qtbot.addWidget(window)
    if opens:
        qtbot.waitUntil(lambda: window.dispatch_window is not None)
        assert window.dispatch_window.isVisible()
    else:
        QApplication.processEvents()  # a zero-timer would have fired by now
        assert window.dispatch_window is None
