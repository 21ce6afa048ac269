"""Screenshots of the order cycle's dialogs for docs/ (issue 15).

    .venv/bin/python tools/order_cycle_screenshots.py [--out docs]

Opens the find-a-borrower dialog, the item dialog and the pick list window
offscreen on a fresh demo database with a fixed clock, types into them as
staff would, and saves ``QWidget.grab()`` images: docs/find-borrower.png,
docs/item-status.png (a supervisor's view of an item on loan with a queue,
after a request was placed for the borrower at the desk) and
docs/pick-list-window.png.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from desk_app.clock import FixedClock
from desk_app.demo import fill_demo
from desk_app.domain.loan_states import LoanState
from desk_app.domain.request_states import RequestState
from desk_app.gui.find_borrower import FindBorrowerDialog
from desk_app.gui.item_view import ItemDialog
from desk_app.gui.pick_list_window import PickListWindow
from desk_app.gui.printer import DocumentPrinter
from desk_app.services import supervision_queries
from desk_app.services.context import Actor, DeskContext
from desk_app.store.engine import sqlite_url
from desk_app.store.models import Borrower, Item, Loan, Request
from desk_app.wiring import open_desk

SUPERVISOR = Actor("Søren Supervisor", "Main desk")


def wait(until: Callable[[], bool], seconds: float = 20) -> None:
    """Let the dialogs' workers answer (a tool may wait; a test never sleeps)."""
    deadline = time.monotonic() + seconds
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the dialog did not answer in time")
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(f"wrote {path}")


def showcase_item(ctx: DeskContext) -> tuple[str, str, int]:
    """An item on loan with a queue and an earlier loan, and a borrower at
    the desk who is in neither: the item dialog's richest view."""
    with ctx.sessions() as session:
        queued = (
            select(Request.item_id)
            .where(Request.state == RequestState.ACTIVE)
            .group_by(Request.item_id)
            .having(func.count() >= 1)
        )
        returned = select(Loan.item_id).where(Loan.state == LoanState.RETURNED)
        candidates = (
            select(Item.barcode, Item.title, Loan.borrower_id)
            .join(Loan, Loan.item_id == Item.id)
            .where(Loan.state == LoanState.OPEN, Item.id.in_(queued))
            .order_by(Item.id)
            .limit(1)
        )
        # one that was lent before too, if the demo has one: the history shows
        found = session.execute(candidates.where(Item.id.in_(returned))).first()
        barcode, title, lender = found or session.execute(candidates).one()
        waiting = select(Request.borrower_id).where(
            Request.state == RequestState.ACTIVE,
            Request.item_id == select(Item.id).where(Item.barcode == barcode).scalar_subquery(),
        )
        at_desk = session.scalars(
            select(Borrower.id)
            .where(Borrower.id != lender, Borrower.id.not_in(waiting))
            .where(Borrower.institute_code == "DIKU")
            .order_by(Borrower.id)
            .limit(1)
        ).one()
    return barcode, title, at_desk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    _app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    clock = FixedClock(datetime(2026, 11, 23, 10, 15))
    ctx = open_desk(sqlite_url(folder / "desk.sqlite3"), cpr_key=b"screenshots", clock=clock)
    fill_demo(ctx)

    # find a borrower: a surname typed (a suspended borrower's: the red mark),
    # the results as they come, Down twice
    suspended = supervision_queries.suspended_borrowers(ctx, SUPERVISOR)
    surname = suspended[0].name.split()[-1] if suspended else "Hansen"
    finder = FindBorrowerDialog(ctx, SUPERVISOR, "", language="en")
    finder.resize(900, 520)
    finder.show()
    QTest.keyClicks(finder.field, surname)
    wait(lambda: finder.shown_for == surname)
    for _ in range(2):
        QTest.keyClick(finder.field, Qt.Key.Key_Down)
    save(finder, args.out / "find-borrower.png")
    finder.close()

    # an item on loan with a queue: a supervisor sees who has it and who had it
    barcode, title, at_desk = showcase_item(ctx)
    viewer = ItemDialog(ctx, SUPERVISOR, at_desk, language="en")
    viewer.resize(1180, 660)
    viewer.show()
    wait(lambda: viewer.at_desk is not None)
    # title words, as staff type them; then Down to the showcase item
    words = " ".join(title.split()[-2:]).lower()
    QTest.keyClicks(viewer.field, words)
    wait(lambda: viewer.shown_for == words)
    while viewer.highlighted() != barcode:
        QTest.keyClick(viewer.field, Qt.Key.Key_Down)
    wait(lambda: viewer.status_barcode == barcode)
    QTest.mouseClick(viewer.request_button, Qt.MouseButton.LeftButton)
    wait(lambda: bool(viewer.outcome_label.text()) and viewer.cancel_button.isEnabled())
    wait(lambda: "number" in viewer.queue_label.text())
    save(viewer, args.out / "item-status.png")
    viewer.close()

    # the pick list window (Q1), in shelf order
    picker = PickListWindow(ctx, SUPERVISOR, printer=DocumentPrinter(""), language="en")
    picker.resize(1280, 720)
    picker.show()
    wait(lambda: picker.loaded)
    save(picker, args.out / "pick-list-window.png")
    picker.close()
    ctx.close()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # PySide6 can crash while tearing down at exit
