"""Screenshots of the desk for docs/ (and for looking at what was built).

    .venv/bin/python tools/screenshots.py [--out docs]

Opens the real sign-in dialog and desk window offscreen on a fresh demo
database with a fixed clock, types the demo's example scans into the scan
field, and saves ``QWidget.grab()`` images: sign-in, ready, accepted, refused
with the M3 alternatives, a suspended borrower, the Danish desk, the
courier's dispatch window half-way through loading a route, and the
supervisor screen on a suspended borrower with their notices and what-if.
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

from desk_app.clock import FixedClock
from desk_app.demo import fill_demo
from desk_app.domain.roles import Role
from desk_app.domain.verdict import Code
from desk_app.gui.desk_window import DeskWindow
from desk_app.gui.dispatch_window import DispatchWindow
from desk_app.gui.printer import DocumentPrinter
from desk_app.gui.settings_dialog import SettingsDialog
from desk_app.gui.sign_in import SignInDialog
from desk_app.gui.sounds import Sounds
from desk_app.gui.supervisor_window import SupervisorWindow
from desk_app.gui.translations import install_translations, remove_translations
from desk_app.services.context import Actor
from desk_app.services.desk import DeskSession
from desk_app.settings import DeskSettings
from desk_app.store.engine import sqlite_url
from desk_app.wiring import open_desk


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(f"wrote {path}")


def scan(window: DeskWindow, text: str) -> None:
    QTest.keyClicks(window.scan_field, text)
    QTest.keyClick(window.scan_field, Qt.Key.Key_Return)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    clock = FixedClock(datetime(2026, 11, 23, 10, 15))
    ctx = open_desk(sqlite_url(folder / "desk.sqlite3"), cpr_key=b"screenshots", clock=clock)
    summary = fill_demo(ctx)
    example = {e.expect: e for e in summary.examples}
    digital = next(e for e in summary.examples if "digital copy" in e.what)

    dialog = SignInDialog(ctx, "Main desk", "en")
    dialog.resize(520, 340)
    dialog.show()
    save(dialog, args.out / "sign-in.png")
    dialog.close()

    def desk(language: str) -> DeskWindow:
        settings = DeskSettings(language=language, sounds=False)
        session = DeskSession(ctx, Actor("Søren Supervisor", settings.desk_name))
        window = DeskWindow(session, Role.SUPERVISOR, settings, Sounds(False), "demo.sqlite3")
        window.resize(1280, 800)
        window.show()
        return window

    window = desk("en")
    save(window, args.out / "desk-ready.png")
    loaned = example[Code.LOANED]
    scan(window, loaned.card)
    scan(window, loaned.item)
    save(window, args.out / "desk-accepted.png")
    scan(window, digital.card)
    scan(window, digital.item)
    save(window, args.out / "desk-refused-alternatives.png")
    suspended = example.get(Code.SUSPENDED)
    if suspended is not None:
        window.next_borrower()
        scan(window, suspended.card)
        save(window, args.out / "desk-suspended-borrower.png")
        scan(window, suspended.item)
        save(window, args.out / "desk-refused-suspended.png")
    window.close()

    translators = install_translations(app, "da", folder / "translations")
    window = desk("da")
    other = summary.examples[1]
    scan(window, other.card)
    scan(window, other.item)
    save(window, args.out / "desk-accepted-da.png")
    window.close()
    remove_translations(app, translators)

    # T4: the courier's dispatch window, half-way through loading NORTH
    courier_window = DispatchWindow(
        ctx,
        Actor("Kaj Courier", "Main desk"),
        DeskSettings(language="en", sounds=False),
        Sounds(False),
        DocumentPrinter(""),
    )
    courier_window.resize(1280, 820)
    courier_window.show()
    courier_window.select("NORTH", clock.now().date())
    assert courier_window.loading is not None
    waiting = courier_window.loading.missing
    for entry in waiting[: max(1, len(waiting) * 2 // 3)]:
        QTest.keyClicks(courier_window.scan_field, entry.line.item_barcode)
        QTest.keyClick(courier_window.scan_field, Qt.Key.Key_Return)
    QTest.qWait(1500)  # QPdfView renders its pages in the background
    save(courier_window, args.out / "dispatch-window.png")
    courier_window.close()

    # Issue 5: the supervisor screen on the demo's suspended borrower
    if suspended is not None:
        supervisor = SupervisorWindow(
            ctx,
            Actor("Søren Supervisor", "Main desk"),
            Role.SUPERVISOR,
            DeskSettings(language="en", sounds=False),
        )
        supervisor.resize(1280, 820)
        supervisor.show()
        QTest.keyClicks(supervisor.form.searchField, suspended.card)
        QTest.keyClick(supervisor.form.searchField, Qt.Key.Key_Return)
        supervisor.set_what_if_date(clock.now().date() + timedelta(days=240))
        save(supervisor, args.out / "supervisor-window.png")
        supervisor.form.tabs.setCurrentIndex(1)
        save(supervisor, args.out / "supervisor-suspended.png")
        supervisor.close()

    # Issue 5: the e-mail tab of the settings dialog
    mail_settings = DeskSettings(
        language="en",
        sounds=False,
        smtp_host="smtp.kb.dk",
        smtp_user="udlaan",
        smtp_password="not-shown",
        mail_from="udlaan@kb.dk",
    )
    settings_dialog = SettingsDialog(mail_settings, None)
    settings_dialog.form.tabs.setCurrentIndex(1)
    settings_dialog.show()
    save(settings_dialog, args.out / "settings-mail.png")
    settings_dialog.close()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # PySide6 6.12 can crash while tearing down at exit
