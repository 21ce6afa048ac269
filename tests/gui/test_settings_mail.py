"""§5 S6: the settings dialog's e-mail tab, and its connection test against a
real SMTP server on loopback."""

from __future__ import annotations

import json
import os
import stat

from PySide6.QtWidgets import QDialog

from desk_app.gui.settings_dialog import SettingsDialog
from desk_app.settings import DeskSettings, load_settings, save_settings
from tests.helpers.smtp import free_port, smtp_server


def _fill(dialog: SettingsDialog, port: int, sender: str = "udlaan@kb.dk") -> None:
    form = dialog.form
    form.smtpHostField.setText(" 127.0.0.1 ")
    form.smtpPortBox.setValue(port)
    form.smtpSecurityBox.setCurrentIndex(form.smtpSecurityBox.findData("none"))
    form.mailFromField.setText(sender)


def test_S6_mail_settings_are_edited_and_saved_for_the_desks_user_only(qtbot, tmp_path):
    dialog = SettingsDialog(DeskSettings(), None)
    qtbot.addWidget(dialog)
    form = dialog.form
    _fill(dialog, 2525)
    form.smtpUserField.setText("desk")
    form.smtpPasswordField.setText("hemmeligt")
    form.letterLanguageBox.setCurrentIndex(form.letterLanguageBox.findData("en"))
    form.libraryField.setText("Royal Danish Library")
    edited = dialog.settings()
    assert (edited.smtp_host, edited.smtp_port, edited.smtp_security) == ("127.0.0.1", 2525, "none")
    assert (edited.smtp_user, edited.smtp_password, edited.mail_from) == (
        "desk",
        "hemmeligt",
        "udlaan@kb.dk",
    )
    assert (edited.letter_language, edited.library_name) == ("en", "Royal Danish Library")
    save_settings(tmp_path, edited)
    assert load_settings(tmp_path) == edited
    mode = stat.S_IMODE(os.stat(tmp_path / "settings.json").st_mode)
    assert mode & 0o077 == 0  # it may hold the SMTP password


def test_S6_broken_mail_values_in_the_file_fall_back_to_defaults(tmp_path):
    (tmp_path / "settings.json").write_text(
        json.dumps({"smtp_security": "ssl3", "smtp_port": 70000, "letter_language": "de"})
    )
    loaded = load_settings(tmp_path)
    defaults = DeskSettings()
    assert (loaded.smtp_security, loaded.smtp_port, loaded.letter_language) == (
        defaults.smtp_security,
        defaults.smtp_port,
        defaults.letter_language,
    )


def test_S6_connection_test_says_whether_the_server_answers(qtbot):
    dialog = SettingsDialog(DeskSettings(), None)
    qtbot.addWidget(dialog)
    _fill(dialog, free_port())
    assert not dialog.test_mail()
    assert "did not accept the connection" in dialog.form.message.text()
    with smtp_server() as (_inbox, port):
        _fill(dialog, port)
        assert dialog.test_mail()
    assert f"Connected to 127.0.0.1:{port}" in dialog.form.message.text()


def test_S6_mail_server_without_sender_is_refused(qtbot):
    dialog = SettingsDialog(DeskSettings(), None)
    qtbot.addWidget(dialog)
    _fill(dialog, 587, sender="")
    assert not dialog.test_mail()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.form.tabs.currentIndex() == 1 and "sender" in dialog.form.message.text()
