"""Start the desk: settings, language, database, first-start demo data,
sign-in, then the desk window; signing out goes back to the sign-in."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from desk_app.config import AppConfig
from desk_app.credentials import Credentials, SystemCredentials
from desk_app.domain.policy import Policy
from desk_app.domain.roles import Permission, can
from desk_app.gui import icons
from desk_app.gui.activation import bring_to_front
from desk_app.gui.formatting import role_name
from desk_app.gui.sign_in import SignInDialog
from desk_app.gui.sounds import Sounds
from desk_app.gui.translations import install_translations
from desk_app.services.context import Actor, DeskContext
from desk_app.services.overview import holds_nothing
from desk_app.settings import DeskSettings, load_settings, save_settings

if TYPE_CHECKING:  # the desk loads after the sign-in: the sign-in shows sooner
    from desk_app.gui.desk_window import DeskWindow

log = logging.getLogger(__name__)


def show_startup_problem(problem: str) -> None:
    """Why the desk cannot start (a settings file, the database, the CPR key:
    issue 13), in a message box: a desk started from a menu has no terminal
    for the CLI's line. Makes the QApplication if there is none yet."""
    if QApplication.instance() is None:
        QApplication(sys.argv[:1])
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("DeskApp", "The desk cannot start"),
        QCoreApplication.translate("DeskApp", "The desk cannot start:\n\n{problem}").format(
            problem=problem
        ),
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def offer_demo_data(ctx: DeskContext, parent: QWidget | None = None) -> bool:
    """First start: an empty database gets the offer of demo data, so a
    newcomer can check out and check in at once."""
    if not holds_nothing(ctx):
        return False
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("DeskApp", "Empty database"),
        QCoreApplication.translate(
            "DeskApp",
            "The database holds no borrowers or items yet.\n\n"
            "Load demo data (2,000 borrowers, 20,000 items, loans at every notice "
            "step, and four staff logins) to try the desk?",
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    from desk_app.demo import fill_demo

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        summary = fill_demo(ctx)
    finally:
        QApplication.restoreOverrideCursor()
    logins = "\n".join(
        QCoreApplication.translate(
            "DeskApp", "{name} ({role}): PIN {pin}, staff card {card}"
        ).format(name=s.name, role=role_name(s.role), pin=s.pin, card=s.card)
        for s in summary.staff
    )
    tries = "\n".join(
        QCoreApplication.translate("DeskApp", "card {card}, then item {item}: {what}").format(
            card=e.card, item=e.item, what=e.what
        )
        for e in summary.examples[:6]
    )
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(QCoreApplication.translate("DeskApp", "Demo data loaded"))
    box.setText(
        QCoreApplication.translate(
            "DeskApp",
            "Sign in with one of these logins:\n\n{logins}\n\n"
            "Then try these scans (type them and press Enter):\n\n{tries}",
        ).format(logins=logins, tries=tries)
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
    return True


class DeskApp:
    """The sign-in / desk cycle, with everything passed in."""

    def __init__(
        self,
        ctx: DeskContext,
        settings: DeskSettings,
        data_dir: Path,
        database_label: str,
        credentials: Credentials | None = None,
    ) -> None:
        self.ctx = ctx
        # where a typed SMTP password is kept (issue 13 point 11)
        self.credentials = credentials if credentials is not None else SystemCredentials()
        self.settings = settings
        self.data_dir = data_dir
        self.database_label = database_label
        self.sounds = Sounds(settings.sounds, log)
        self.window: DeskWindow | None = None
        self.startup_message = ""  # what the start-up notices run did, for the status bar

    def run_daily_if_due(self, env: Mapping[str, str] = os.environ) -> bool:
        """§5: today's notices run, at start-up, if no desk has made it yet.
        The run's dialog (and the mail and letter code) loads only when due."""
        from desk_app.services.notices import run_is_due

        try:
            due = run_is_due(self.ctx)
        except Exception:  # the sign-in will say what is wrong with the database
            log.exception("cannot check for today's notices run")
            return False
        if not due:
            return False
        from desk_app.gui.daily_run_dialog import DailyRunDialog

        dialog = DailyRunDialog(self.ctx, self.settings, env)
        dialog.start()
        dialog.exec()
        self.startup_message = dialog.summary()
        log.info("start-up notices run: %s", dialog.report.summary_en if dialog.report else "-")
        dialog.deleteLater()
        return True

    def sign_in(self) -> bool:
        """The sign-in dialog, then the desk window for whoever signed in. The
        desk's modules load after the sign-in, so the dialog shows sooner."""
        dialog = SignInDialog(self.ctx, self.settings.desk_name, self.settings.language)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.staff is None:
            return False
        member = dialog.staff
        from desk_app.gui.desk_window import DeskWindow
        from desk_app.services.desk import DeskSession

        session = DeskSession(
            self.ctx,
            Actor(member.name, self.settings.desk_name),
            prefix=self.settings.scanner_prefix,
            suffix=self.settings.scanner_suffix,
        )
        self.window = DeskWindow(
            session,
            member.role,
            self.settings,
            self.sounds,
            self.database_label,
            save_settings=self._save,
        )
        self.window.sig_sign_out.connect(self._signed_out)
        self.window.show()
        bring_to_front(self.window)  # the sign-in dialog had the focus
        if self.startup_message:
            self.window.statusBar().showMessage(self.startup_message, 60_000)
            self.startup_message = ""
        # Load the sounds once the window is painted: not on the first scan,
        # and not before the window is ready to scan (a zero timer set here
        # would run before the first paint).
        self.window.sig_first_painted.connect(self.sounds.preload)
        if can(member.role, Permission.DISPATCH) and not can(member.role, Permission.CIRCULATE):
            # a courier login's work is the dispatch window (T4); the desk
            # window behind it checks in what comes back
            QTimer.singleShot(0, self.window.open_dispatch)
        return True

    def _save(self, settings: DeskSettings) -> None:
        self.settings = settings
        save_settings(self.data_dir, settings, self.credentials)

    def _signed_out(self) -> None:
        window = self.window
        self.window = None
        if window is not None:
            window.hide()
            window.deleteLater()
        if not self.sign_in():
            QApplication.quit()


def run_gui(config: AppConfig, policy: Policy) -> int:
    """Raises :class:`~desk_app.wiring.StartupError` and
    :class:`~desk_app.settings.SettingsError` for the caller to show."""
    from desk_app.wiring import StartupError, database_label, open_configured

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("desk-app")
    app.setWindowIcon(icons.icon("desk"))
    # a clear SMTP password an older desk wrote moves to the credential store
    settings = load_settings(config.data_dir, SystemCredentials())
    install_translations(app, settings.language, config.data_dir / "translations")
    try:
        # the log's checkpoints on a thread, not in a scan's commit (issue 6)
        ctx = open_configured(config, policy=policy, background_checkpoints=True)
    except StartupError:  # one line, shown by the caller (cli.main) in a box and on stderr
        raise
    except Exception as problem:  # shown, not a traceback: the desk cannot work
        log.exception("cannot open the database")
        QMessageBox.critical(
            None,
            QCoreApplication.translate("DeskApp", "The database cannot be opened"),
            QCoreApplication.translate(
                "DeskApp",
                "The desk could not open its database:\n{db}\n\n{problem}\n\n"
                "Check the database URL (DESK_APP_DATABASE_URL or the settings) "
                "and that the server is running.",
            ).format(db=database_label(config.database_url), problem=problem),
        )
        return 1
    try:
        offer_demo_data(ctx)
        desk = DeskApp(ctx, settings, config.data_dir, database_label(config.database_url))
        desk.run_daily_if_due()
        if not desk.sign_in():
            return 0
        # What start-up made lives as long as the desk: keep it out of the
        # collector's full passes, which otherwise stop a scan for 50-60 ms
        # now and then (issue 6).
        gc.freeze()
        return app.exec()
    finally:
        ctx.close()
