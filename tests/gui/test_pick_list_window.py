"""The pick list window (§4 Q1), driven as staff drive it: F5, Ctrl+P, the
buttons; asserting on the table as shown and on the PDF that comes out."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from desk_app.domain.roles import Role
from desk_app.gui.pick_list_window import PickListWindow
from desk_app.gui.printer import DocumentPrinter
from desk_app.services import circulation
from desk_app.services.context import Actor
from desk_app.services.enrolment import ItemRecord, declare
from tests.gui.conftest import STAFF
from tests.helpers.people import ANNE, BO, CECILIE, item


class PaperStub:
    """Answers the print and save dialogs: a PDF file stands in for paper."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.printed: list[Path] = []
        self.saved: list[Path] = []

    def ask_printer(self, printer: QPrinter, _parent) -> bool:  # type: ignore[no-untyped-def]
        path = self.folder / f"printed-{len(self.printed) + 1}.pdf"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        self.printed.append(path)
        return True

    def ask_save_path(self, _parent, suggested: str) -> str:  # type: ignore[no-untyped-def]
        path = self.folder / suggested
        self.saved.append(path)
        return str(path)

    def printer(self) -> DocumentPrinter:
        return DocumentPrinter("", None, self.ask_printer, self.ask_save_path)


def desk_actor() -> Actor:
    return Actor(STAFF[Role.DESK], "Main desk")


@pytest.fixture
def requested(gui_ctx):  # type: ignore[no-untyped-def]
    """Four items with requests on the shelf, one requested item on loan."""
    declare(
        gui_ctx,
        Actor(STAFF[Role.SUPERVISOR], "Main desk"),
        items=[
            ItemRecord(item(11), "Zeta Functions", call_number="QA 76.9", author="Titchmarsh"),
            ItemRecord(item(12), "Holberg Studies", call_number="PT 8175"),
            ItemRecord(item(13), "Real Analysis", call_number="QA 101"),
            ItemRecord(item(14), "Uncatalogued Pamphlet"),
        ],
    )
    desk = desk_actor()
    assert circulation.checkout(gui_ctx, desk, CECILIE, item(2)).ok
    for card, barcode in (
        (ANNE, item(11)),
        (BO, item(12)),
        (CECILIE, item(13)),
        (BO, item(11)),
        (ANNE, item(14)),
        (ANNE, item(2)),  # on loan: not on the pick list
    ):
        assert circulation.request(gui_ctx, desk, card, barcode).ok
    return gui_ctx


def _window(qtbot, ctx, stub: PaperStub) -> PickListWindow:  # type: ignore[no-untyped-def]
    """The window as the desk opens it; its list is read on the worker (a
    queued answer: nothing arrives before the event loop runs)."""
    window = PickListWindow(ctx, desk_actor(), printer=stub.printer(), language="en")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sig_loaded, timeout=5000):
        window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_q1_pick_list_rows_in_shelf_order(qtbot, requested, tmp_path):
    window = _window(qtbot, requested, PaperStub(tmp_path))
    rows = window.rows()
    # call numbers compared as text ("QA 101" before "QA 76.9"), none last;
    # the item on loan is not to be fetched
    assert [row[2] for row in rows] == [item(12), item(13), item(11), item(14)]
    assert [row[0] for row in rows] == ["PT 8175", "QA 101", "QA 76.9", "–"]
    zeta = rows[2]
    assert zeta[1] == "Zeta Functions (Titchmarsh)"
    assert zeta[3] == "Anne Jensen"  # the first requester, not Bo who came second
    assert zeta[4] == "DIKU"
    assert zeta[6] == "2 since 2026-03-02"
    assert rows[1][3] == "Cecilie Hansen"
    assert all(row[5] for row in rows)  # where each goes once lent
    assert "4 item(s) to fetch" in window.windowTitle()
    assert window.stack.currentWidget() is window.table


def test_q1_f5_reads_the_list_again(qtbot, requested, tmp_path):
    window = _window(qtbot, requested, PaperStub(tmp_path))
    assert circulation.checkout(requested, desk_actor(), BO, item(12)).ok  # fetched and lent
    with qtbot.waitSignal(window.sig_loaded, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert [row[2] for row in window.rows()] == [item(13), item(11), item(14)]
    assert "3 item(s) to fetch" in window.windowTitle()


def test_q1_empty_pick_list_says_nothing_to_fetch(qtbot, gui_ctx, tmp_path):
    window = _window(qtbot, gui_ctx, PaperStub(tmp_path))
    assert window.rows() == []
    assert window.stack.currentWidget() is window.empty
    assert window.empty.text() == "Nothing to fetch"
    assert "nothing to fetch" in window.windowTitle()
    assert not window.print_button.isEnabled()
    assert not window.save_button.isEnabled()


def test_q1_print_sends_the_a4_list_to_the_printer(qtbot, requested, tmp_path):
    stub = PaperStub(tmp_path)
    window = _window(qtbot, requested, stub)
    with qtbot.waitSignal(window.sig_printed, timeout=10000) as printed:
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed.args == [True]
    assert len(stub.printed) == 1
    paper = stub.printed[0].read_bytes()
    assert paper.startswith(b"%PDF")
    assert len(pypdf.PdfReader(stub.printed[0]).pages) >= 1
    assert window.last_message is not None and window.last_message[0]


def test_q1_save_pdf_writes_the_list(qtbot, requested, tmp_path):
    stub = PaperStub(tmp_path)
    window = _window(qtbot, requested, stub)
    with qtbot.waitSignal(window.sig_printed, timeout=10000):
        qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    assert [path.name for path in stub.saved] == ["pick-list-2026-03-02.pdf"]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(stub.saved[0]).pages)
    for barcode in (item(11), item(12), item(13), item(14)):
        assert barcode in text
    assert "Anne Jensen" in text
