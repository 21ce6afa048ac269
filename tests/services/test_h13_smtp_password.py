"""Issue 13 point 11: the SMTP password lives in the system's credential store
(keyring), with DESK_APP_SMTP_PASSWORD as the fallback; never in
settings.json. A clear one an older desk wrote moves into the store. The
tests use an in-memory store (``memory_keyring``) or keyring's "none"
(the suite's default): never the user's real one."""

from __future__ import annotations

import json

import keyring

from desk_app.credentials import SERVICE, SystemCredentials, smtp_account
from desk_app.services.notice_mail import MailSettings
from desk_app.settings import DeskSettings, load_settings, save_settings
from tests.helpers.keyrings import MemoryKeyring

MAIL = DeskSettings(smtp_host="smtp.kb.dk", smtp_user="udlaan", mail_from="udlaan@kb.dk")
ACCOUNT = (SERVICE, "smtp:udlaan@smtp.kb.dk")
ENV = {"DESK_APP_SMTP_PASSWORD": "from-the-environment"}


def _old_desks_file(folder, password: str = "klartekst") -> None:  # type: ignore[no-untyped-def]
    values = {"smtp_host": "smtp.kb.dk", "smtp_user": "udlaan", "smtp_password": password}
    (folder / "settings.json").write_text(json.dumps({**values, "desk_name": "Nord"}))


def test_h13_p11_the_tests_never_reach_the_real_credential_store():
    assert type(keyring.get_keyring()).__module__ == "keyring.backends.fail"
    assert not SystemCredentials().available()


def test_h13_p11_a_saved_password_goes_to_the_store_not_the_file(tmp_path, memory_keyring):
    save_settings(tmp_path, MAIL.with_changes(smtp_password="hemmeligt"), SystemCredentials())
    text = (tmp_path / "settings.json").read_text()
    assert "hemmeligt" not in text and "smtp_password" not in text
    assert memory_keyring.secrets == {ACCOUNT: "hemmeligt"}
    loaded = load_settings(tmp_path)
    assert loaded.smtp_password == "" and loaded.smtp_user == "udlaan"
    assert MailSettings.from_settings(loaded, ENV).password == "hemmeligt"  # the store first


def test_h13_p11_without_a_store_nothing_is_saved_and_the_variable_is_used(tmp_path):
    save_settings(tmp_path, MAIL.with_changes(smtp_password="hemmeligt"), SystemCredentials())
    assert "hemmeligt" not in (tmp_path / "settings.json").read_text()
    loaded = load_settings(tmp_path, SystemCredentials())
    assert MailSettings.from_settings(loaded, ENV).password == "from-the-environment"
    assert MailSettings.from_settings(loaded, {}).password == ""


def test_h13_p11_the_variable_is_the_fallback_when_the_store_has_none(memory_keyring):
    assert MailSettings.from_settings(MAIL, ENV).password == "from-the-environment"
    memory_keyring.set_password(*ACCOUNT, "aus-dem-store")
    assert MailSettings.from_settings(MAIL, ENV).password == "aus-dem-store"
    # another login or server does not get this one's password
    other = MAIL.with_changes(smtp_host="mail.example.org")
    assert MailSettings.from_settings(other, ENV).password == "from-the-environment"


def test_h13_p11_an_old_clear_password_moves_into_the_store(tmp_path, memory_keyring):
    _old_desks_file(tmp_path)
    loaded = load_settings(tmp_path, SystemCredentials())
    assert memory_keyring.secrets == {ACCOUNT: "klartekst"}
    assert "klartekst" not in (tmp_path / "settings.json").read_text()
    assert loaded.desk_name == "Nord" and loaded.smtp_password == ""
    assert json.loads((tmp_path / "settings.json").read_text())["desk_name"] == "Nord"
    assert MailSettings.from_settings(loaded, {}).password == "klartekst"


def test_h13_p11_without_a_store_an_old_password_serves_this_run_only(tmp_path):
    _old_desks_file(tmp_path)
    before = (tmp_path / "settings.json").read_text()
    loaded = load_settings(tmp_path, SystemCredentials())
    assert (tmp_path / "settings.json").read_text() == before  # not rewritten, not lost
    assert MailSettings.from_settings(loaded, ENV).password == "klartekst"
    save_settings(tmp_path, loaded, SystemCredentials())  # the next save drops it
    assert "klartekst" not in (tmp_path / "settings.json").read_text()


def test_h13_p11_a_store_that_fails_is_no_store(tmp_path, memory_keyring, monkeypatch):
    def broken(*_args: object) -> None:
        raise keyring.errors.KeyringLocked("the collection is locked")

    monkeypatch.setattr(MemoryKeyring, "set_password", broken)
    monkeypatch.setattr(MemoryKeyring, "get_password", broken)
    _old_desks_file(tmp_path)
    loaded = load_settings(tmp_path, SystemCredentials())
    assert loaded.smtp_password == "klartekst"  # kept in memory, the file left alone
    assert "klartekst" in (tmp_path / "settings.json").read_text()
    assert MailSettings.from_settings(MAIL, ENV).password == "from-the-environment"


def test_h13_p11_the_account_names_login_and_server():
    assert smtp_account(MAIL) == "smtp:udlaan@smtp.kb.dk"
