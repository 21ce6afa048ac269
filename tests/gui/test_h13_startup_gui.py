"""Issue 13 in the window's start-up: a broken settings file (point 5), a
database the desk cannot use (point 13) or another CPR key (point 6) is a
message box saying what and where, not a traceback and not a desk on a new
empty database; the settings dialog keeps the SMTP password in the
credential store, or says there is none (point 11)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app.cli.main import EXIT_STARTUP, main
from desk_app.credentials import SERVICE, SystemCredentials
from desk_app.gui.app import DeskApp
from desk_app.gui.settings_dialog import SettingsDialog
from desk_app.settings import DeskSettings
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.smtp import PASSWORD, USER, smtp_server


def _answer_box() -> list[tuple[str, str]]:
    """Note the title and text of the next message box, then close it."""
    seen: list[tuple[str, str]] = []

    def close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, close)
            return
        seen.append((box.windowTitle(), box.text()))
        box.done(0)

    QTimer.singleShot(0, close)
    return seen


def _data_dir() -> Path:
    folder = Path(os.environ["DESK_APP_DATA_DIR"])
    (folder / "settings.json").write_text(json.dumps({"language": "en"}))
    return folder


def test_h13_p5_a_broken_settings_file_is_a_message_box(qtbot, capsys):
    folder = Path(os.environ["DESK_APP_DATA_DIR"])
    (folder / "settings.json").write_bytes(json.dumps({"language": "en"}).encode("utf-16"))
    seen = _answer_box()
    assert main([]) == EXIT_STARTUP
    assert len(seen) == 1
    title, text = seen[0]
    assert title == "The desk cannot start"
    assert str(folder / "settings.json") in text and "not UTF-8" in text
    assert str(folder / "settings.json") in capsys.readouterr().err
    assert not (folder / "desk.sqlite3").exists()


@pytest.mark.parametrize(
    ("db", "phrase"),
    [
        ("mysql://desk:hemmelig@db/desk", "is for 'mysql'"),
        ("postgresql://desk:hemmelig@127.0.0.1:9/desk", "cannot connect to the database"),
    ],
)
def test_h13_p13_a_database_the_desk_cannot_use_is_a_message_box(qtbot, db, phrase):
    _data_dir()
    seen = _answer_box()
    assert main(["--db", db]) == EXIT_STARTUP
    assert len(seen) == 1 and phrase in seen[0][1] and "hemmelig" not in seen[0][1]


def test_h13_p13_a_file_that_is_no_database_is_a_message_box(qtbot, tmp_path):
    _data_dir()
    path = tmp_path / "photo.sqlite3"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    seen = _answer_box()
    assert main(["--db", f"sqlite:///{path}"]) == EXIT_STARTUP
    assert len(seen) == 1 and "file is not a database" in seen[0][1]


def test_h13_p6_another_cpr_key_is_a_message_box(qtbot, tmp_path, monkeypatch):
    _data_dir()
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    open_desk(url, cpr_key=TEST_CPR_KEY).close()
    monkeypatch.setenv("DESK_APP_CPR_KEY", "the-other-folder-s-key")
    seen = _answer_box()
    assert main(["--db", url]) == EXIT_STARTUP
    assert len(seen) == 1
    assert "another CPR key" in seen[0][1] and "DESK_APP_CPR_KEY" in seen[0][1]
    assert "the-other-folder-s-key" not in seen[0][1]


# --- point 11: the settings dialog and the credential store --------------------

MAIL = DeskSettings(
    language="en", smtp_host="127.0.0.1", smtp_user=USER, smtp_security="none", mail_from="a@kb.dk"
)


def test_h13_p11_without_a_store_the_dialog_says_to_use_the_variable(qtbot):
    dialog = SettingsDialog(MAIL, None)
    qtbot.addWidget(dialog)
    form = dialog.form
    assert not form.smtpPasswordField.isEnabled()
    assert "DESK_APP_SMTP_PASSWORD" in form.smtpPasswordField.placeholderText()
    assert "no system credential store" in form.mailNote.text()
    assert "DESK_APP_SMTP_PASSWORD" in form.mailNote.text()


def test_h13_p11_a_typed_password_is_stored_and_used_not_written(
    qtbot, gui_ctx, tmp_path, memory_keyring
):
    desk = DeskApp(gui_ctx, MAIL, tmp_path, "test", credentials=SystemCredentials())
    dialog = SettingsDialog(MAIL, None)
    qtbot.addWidget(dialog)
    form = dialog.form
    assert form.smtpPasswordField.isEnabled()
    assert form.smtpPasswordField.placeholderText() == "Kept in the system's credential store"
    qtbot.keyClicks(form.smtpPasswordField, PASSWORD)
    desk._save(dialog.settings())
    assert memory_keyring.secrets == {(SERVICE, f"smtp:{USER}@127.0.0.1"): PASSWORD}
    assert PASSWORD not in (tmp_path / "settings.json").read_text()
    # opened again: the password is not shown; the stored one logs in
    again = SettingsDialog(MAIL, None)
    qtbot.addWidget(again)
    assert again.form.smtpPasswordField.text() == ""
    assert again.form.smtpPasswordField.placeholderText().startswith("Stored")
    with smtp_server(login=True) as (inbox, port):
        again.form.smtpPortBox.setValue(port)
        assert again.test_mail(), again.form.message.text()
        assert inbox.logins == 1
