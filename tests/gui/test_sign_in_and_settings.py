"""Staff sign-in, the first administrator, the settings dialog and the
first-start offer of demo data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy import select

from desk_app.domain.roles import Role
from desk_app.gui import app as gui_app
from desk_app.gui.settings_dialog import SettingsDialog
from desk_app.gui.sign_in import SignInDialog
from desk_app.services.context import Actor
from desk_app.services.overview import overview
from desk_app.services.staff import add_staff, has_staff
from desk_app.settings import DeskSettings, SettingsError, load_settings, save_settings
from desk_app.store.models import AuditEntry, Staff
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.gui.conftest import PINS, STAFF
from tests.helpers.databases import sqlite_file_url

STAFF_CARD = "29990000000090"  # valid B2 check digit


@pytest.fixture
def dialog(qtbot, gui_ctx):  # type: ignore[no-untyped-def]
    admin = Actor(STAFF[Role.ADMIN], "Main desk")  # an admin exists: only one adds staff
    add_staff(gui_ctx, "Carl Card", Role.DESK, "4321", card=STAFF_CARD, by=admin)
    dialog = SignInDialog(gui_ctx, "Main desk", "en")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_sign_in_by_scanning_a_staff_card_then_the_pin(qtbot, dialog):
    form = dialog.form
    qtbot.keyClicks(form.cardField, STAFF_CARD)
    qtbot.keyClick(form.cardField, Qt.Key.Key_Return)
    assert form.nameBox.currentText() == "Carl Card"
    qtbot.waitUntil(form.pinField.hasFocus)
    qtbot.keyClicks(form.pinField, "4321")
    qtbot.keyClick(form.pinField, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.staff is not None and dialog.staff.role is Role.DESK


def test_sign_in_by_name_and_pin_and_a_wrong_pin_is_refused(qtbot, dialog, gui_ctx):
    form = dialog.form
    form.nameBox.setCurrentText(STAFF[Role.SUPERVISOR])
    qtbot.keyClicks(form.pinField, "9999")
    qtbot.keyClick(form.pinField, Qt.Key.Key_Return)
    assert dialog.staff is None and dialog.isVisible()
    assert "not recognised" in form.message.text()
    assert form.pinField.text() == ""
    qtbot.keyClicks(form.pinField, PINS[Role.SUPERVISOR])
    qtbot.keyClick(form.pinField, Qt.Key.Key_Return)
    assert dialog.staff is not None and dialog.staff.role is Role.SUPERVISOR
    with gui_ctx.sessions() as session:
        codes = session.scalars(
            select(AuditEntry.code).where(AuditEntry.action == "sign_in").order_by(AuditEntry.id)
        ).all()
    assert codes == ["SIGN_IN_REFUSED", "SIGNED_IN"]


def test_a_card_that_is_no_staff_card_says_so(qtbot, dialog):
    qtbot.keyClicks(dialog.form.cardField, "20001000000017")
    qtbot.keyClick(dialog.form.cardField, Qt.Key.Key_Return)
    assert "not a staff card" in dialog.form.message.text()
    assert dialog.staff is None


def test_first_start_without_staff_creates_the_administrator(qtbot, tmp_path, clock, policy):
    ctx = open_desk(sqlite_file_url(tmp_path), cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    assert not has_staff(ctx)
    dialog = SignInDialog(ctx, "Main desk", "en")
    qtbot.addWidget(dialog)
    form = dialog.form
    assert not form.cardField.isVisibleTo(dialog) and form.pinAgainField.isVisibleTo(dialog)
    form.nameBox.setCurrentText("Anna Admin")
    qtbot.keyClicks(form.pinField, "2468")
    qtbot.keyClicks(form.pinAgainField, "2469")
    dialog.accept()
    assert "differ" in form.message.text() and not has_staff(ctx)
    qtbot.keyClicks(form.pinField, "2468")
    qtbot.keyClicks(form.pinAgainField, "2468")
    dialog.accept()
    assert dialog.staff is not None and dialog.staff.role is Role.ADMIN
    with ctx.sessions() as session:
        (member,) = session.scalars(select(Staff)).all()
    assert member.name == "Anna Admin" and "2468" not in member.pin_hash
    assert member.pin_hash.startswith("scrypt$")
    ctx.sessions.kw["bind"].dispose()


def test_settings_dialog_edits_every_setting(qtbot):
    dialog = SettingsDialog(DeskSettings(), None)
    qtbot.addWidget(dialog)
    form = dialog.form
    assert form.printerBox.currentData() == ""  # no printer here: the print dialog
    form.deskNameField.setText("North desk")
    form.languageBox.setCurrentIndex(form.languageBox.findData("en"))
    form.prefixField.setText("%")
    form.suffixField.setText("?")
    form.soundsBox.setChecked(False)
    form.pageSizeBox.setCurrentIndex(form.pageSizeBox.findData("80mm"))
    form.slipBox.setChecked(True)
    form.databaseField.setText("postgresql+psycopg://desk@db/desk")
    assert dialog.settings() == DeskSettings(
        database_url="postgresql+psycopg://desk@db/desk",
        desk_name="North desk",
        language="en",
        scanner_prefix="%",
        scanner_suffix="?",
        sounds=False,
        page_size="80mm",
        print_slip_at_checkout=True,
    )


def test_settings_dialog_refuses_an_empty_desk_name(qtbot):
    dialog = SettingsDialog(DeskSettings(), None)
    qtbot.addWidget(dialog)
    dialog.form.deskNameField.setText("  ")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "name" in dialog.form.message.text()


def test_settings_survive_a_restart_and_a_broken_file_stops_start_up(tmp_path):
    saved = DeskSettings(desk_name="North desk", scanner_prefix="%", language="en")
    save_settings(tmp_path, saved)
    assert load_settings(tmp_path) == saved
    (tmp_path / "settings.json").write_text("{not json")
    # issue 13 point 5: not the defaults (a new, empty local database)
    with pytest.raises(SettingsError, match="not valid JSON"):
        load_settings(tmp_path)


def test_settings_saved_in_the_window_apply_to_the_next_scan(qtbot, make_window, tmp_path):
    window = make_window(Role.ADMIN)
    saved: list[DeskSettings] = []
    window._save_settings = saved.append

    def change() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        dialog.form.prefixField.setText("%")
        dialog.accept()

    QTimer.singleShot(0, change)
    window.actions_by_name["settings"].trigger()
    assert saved and saved[0].scanner_prefix == "%"
    assert window.session.prefix == "%"


def test_desk_login_has_no_settings(make_window):
    window = make_window(Role.DESK)
    assert not window.actions_by_name["settings"].isEnabled()


def test_first_start_offers_demo_data_on_an_empty_database(
    qtbot, tmp_path, clock, policy, monkeypatch
):
    ctx = open_desk(sqlite_file_url(tmp_path), cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    assert gui_app.offer_demo_data(ctx) is True
    assert not overview(ctx).empty and has_staff(ctx)
    assert "Dorte Desk" in shown[0] and "PIN 1111" in shown[0] and "then item" in shown[0]
    assert gui_app.offer_demo_data(ctx) is False  # not offered twice
    ctx.sessions.kw["bind"].dispose()
