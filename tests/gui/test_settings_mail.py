"""§5 S6: the settings dialog's e-mail tab, and its connection test against a
real SMTP server on loopback."""

from __future__ import annotations

import json
import os
import stat

import pytest
from PySide6.QtWidgets import QDialog

from desk_app.credentials import SystemCredentials
from desk_app.gui.settings_dialog import SettingsDialog
from desk_app.settings import DeskSettings, SettingsError, load_settings, save_settings
from tests.helpers.smtp import free_port, smtp_server


def _fill(dialog: SettingsDialog, port: int, sender: str = "udlaan@kb.dk") -> None:
    form = dialog.form
    form.smtpHostField.setText(" 127.0.0.1 ")
    form.smtpPortBox.setValue(port)
    form.smtpSecurityBox.setCurrentIndex(form.smtpSecurityBox.findData("none"))
    form.mailFromField.setText(sender)


def test_S6_mail_settings_are_edited_and_saved_for_the_desks_user_only(
    qtbot, tmp_path, memory_keyring
):
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
    save_settings(tmp_path, edited, SystemCredentials())
    # the password went to the credential store, not into the file (issue 13 point 11)
    assert load_settings(tmp_path) == edited.with_changes(smtp_password="")
    assert "hemmeligt" not in (tmp_path / "settings.json").read_text()
    assert memory_keyring.secrets == {("desk-app", "smtp:desk@127.0.0.1"): "hemmeligt"}
    mode = stat.S_IMODE(os.stat(tmp_path / "settings.json").st_mode)
    assert mode & 0o077 == 0  # it may hold the SMTP password


@pytest.mark.parametrize(
    ("key", "value"), [("smtp_security", "ssl3"), ("smtp_port", 70000), ("letter_language", "de")]
)
def test_S6_broken_mail_values_in_the_file_stop_start_up(tmp_path, key, value):
    """Issue 13 point 5: a value out of its range is named, not replaced."""
    (tmp_path / "settings.json").write_text(json.dumps({key: value}))
    with pytest.raises(SettingsError, match=f"{key}: {value!r}"):
        load_settings(tmp_path)


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
