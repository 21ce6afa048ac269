"""Screenshots of the order cycle at the desk (issue 15) for docs/.

    .venv/bin/python tools/screenshots_order_cycle.py [--out docs]

Opens the real desk window offscreen on a fresh demo database with a fixed
clock; lends a book and has two borrowers request it, and a third request a
book on the shelf; then types the scans into the scan field as a scanner
does: the requested book checked in and lent on to the next borrower
(``checkin-routed.png``), and the picked book scanned with no borrower at
the desk (``picked-item.png``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from desk_app.clock import FixedClock
from desk_app.demo import fill_demo
from desk_app.domain.loan_states import LoanState
from desk_app.domain.request_states import RequestState
from desk_app.domain.roles import Role
from desk_app.gui.desk_window import DeskWindow
from desk_app.gui.sounds import Sounds
from desk_app.services import borrowers, circulation
from desk_app.services.context import Actor
from desk_app.services.desk import DeskSession, Mode
from desk_app.settings import DeskSettings
from desk_app.store.engine import sqlite_url
from desk_app.store.models import Borrower, Card, Institute, Item, Loan, Request
from desk_app.wiring import open_desk

STAFF = "Søren Supervisor"


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(f"wrote {path}")


def scan(window: DeskWindow, text: str) -> None:
    QTest.keyClicks(window.scan_field, text)
    QTest.keyClick(window.scan_field, Qt.Key.Key_Return)


def _cards(ctx, actor: Actor, delivery: str, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Library cards of borrowers at an institute with ``delivery`` who may
    borrow now (valid card, eligible, not suspended)."""
    found: list[str] = []
    with ctx.sessions() as session:
        rows = session.execute(
            select(Card.display)
            .join(Borrower, Borrower.id == Card.borrower_id)
            .join(Institute, Institute.code == Borrower.institute_code)
            .where(
                Card.kind == "library",
                Card.status == "active",
                Institute.delivery == delivery,
                Borrower.category.in_(["researcher", "teacher", "phd_student"]),
            )
            .order_by(Borrower.id)
        ).all()
    for (card,) in rows:
        status = borrowers.status(ctx, actor, card)
        if status.ok and status.data["card_valid"] and not status.data["suspended"]:
            found.append(card)
        if len(found) == count:
            break
    return found


def _shelf_items(ctx, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Home-loan items on the shelf that nobody has requested."""
    with ctx.sessions() as session:
        lent = select(Loan.item_id).where(Loan.state == LoanState.OPEN)
        wanted = select(Request.item_id).where(Request.state == RequestState.ACTIVE)
        return list(
            session.scalars(
                select(Item.barcode)
                .where(
                    Item.loan_rule == "home",
                    Item.is_ill.is_(False),
                    Item.id.not_in(lent),
                    Item.id.not_in(wanted),
                )
                .order_by(Item.id)
                .limit(count)
            )
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    _app = QApplication.instance() or QApplication(sys.argv)  # kept alive to the end
    folder = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    clock = FixedClock(datetime(2026, 11, 23, 10, 15))
    ctx = open_desk(sqlite_url(folder / "desk.sqlite3"), cpr_key=b"screenshots", clock=clock)
    fill_demo(ctx)
    actor = Actor(STAFF, "Main desk")

    holder, first = _cards(ctx, actor, "courier", 2)
    (second,) = _cards(ctx, actor, "self_pickup", 1)
    routed, picked = _shelf_items(ctx, 2)
    start = clock.now()
    clock.set(start - timedelta(days=20))
    assert circulation.checkout(ctx, actor, holder, routed).ok
    clock.set(start - timedelta(days=3))
    assert circulation.request(ctx, actor, first, routed).ok
    clock.set(start - timedelta(days=2))
    assert circulation.request(ctx, actor, second, routed).ok
    assert circulation.request(ctx, actor, second, picked).ok
    clock.set(start)

    settings = DeskSettings(language="en", sounds=False)
    session = DeskSession(ctx, Actor(STAFF, settings.desk_name))
    window = DeskWindow(session, Role.SUPERVISOR, settings, Sounds(False), "demo.sqlite3")
    window.resize(1280, 800)
    window.show()
    window.set_mode(Mode.CHECK_IN)  # F3 (the offscreen window is never active: no shortcuts)
    scan(window, routed)
    save(window, args.out / "checkin-routed.png")
    window.set_mode(Mode.CHECK_OUT)  # F2, and Esc: nobody at the desk
    window.next_borrower()
    scan(window, picked)
    save(window, args.out / "picked-item.png")
    window.close()
    ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
