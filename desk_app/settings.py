"""The desk's own settings: a small JSON file in the data folder.

Kept apart from :mod:`desk_app.config` (environment and secrets) because staff
change these in the settings dialog, and Qt-free so the CLI (printing,
notices) reads the same values. A missing file gives the defaults; a file
that exists but cannot be read, or holds a value of the wrong kind, stops
start-up with its path and the reason (issue 13 point 5): falling back to the
defaults would point the desk at a new, empty local database without a word.
Unknown keys are ignored (a newer desk's settings).

The SMTP password is never written here: it lives in the system's credential
store (:mod:`desk_app.credentials`), or comes from ``DESK_APP_SMTP_PASSWORD``.
A clear password an older desk wrote is moved into the store when one is
available, and dropped from the file.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk_app.credentials import Credentials

SETTINGS_FILE = "settings.json"
LANGUAGES = ("da", "en")
PAGE_SIZES = ("A6", "80mm")  # slips (printing.documents.SLIP_SIZES)
MANIFEST_PAGE_SIZES = ("A4", "80mm")  # courier manifests (printing.documents.MANIFEST_SIZES)
SMTP_SECURITY = ("starttls", "tls", "none")  # STARTTLS on 587, implicit TLS on 465, plain
SMTP_PASSWORD_ENV = "DESK_APP_SMTP_PASSWORD"  # when the credential store holds none
DEFAULT_LIBRARY = "Det Kgl. Bibliotek – Københavns Universitetsbibliotek"


@dataclass(frozen=True)
class DeskSettings:
    database_url: str = ""  # empty: DESK_APP_DATABASE_URL, else the SQLite file
    desk_name: str = "Main desk"
    language: str = "da"
    scanner_prefix: str = ""  # B4: characters the scanner sends before a code
    scanner_suffix: str = ""  # ... and after it (before Enter/Tab)
    sounds: bool = True
    printer: str = ""  # empty: ask with the print dialog
    page_size: str = "A6"
    manifest_page_size: str = "A4"
    print_slip_at_checkout: bool = False
    # §5 S6 notices: how letters are signed and e-mails are sent
    library_name: str = DEFAULT_LIBRARY
    letter_language: str = "da"
    smtp_host: str = ""  # empty: no e-mail; every notice becomes a printed letter
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""
    # in memory only (just typed, or an old file's): kept in the credential store
    smtp_password: str = field(default="", repr=False)
    mail_from: str = ""

    def with_changes(self, **changes: Any) -> DeskSettings:
        return replace(self, **changes)


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


class SettingsError(Exception):
    """The settings file exists but cannot be used; says which file and why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"the settings file {path} cannot be used: {reason}")
        self.path = path
        self.reason = reason


# allowed values of the fields that have a fixed set (the rest: any value of the type)
_CHOICES: dict[str, tuple[str, ...]] = {
    "language": LANGUAGES,
    "page_size": PAGE_SIZES,
    "manifest_page_size": MANIFEST_PAGE_SIZES,
    "letter_language": LANGUAGES,
    "smtp_security": SMTP_SECURITY,
}
_TYPE_NAMES = {str: "text", bool: "true or false", int: "a whole number"}


def load_settings(data_dir: Path, credentials: Credentials | None = None) -> DeskSettings:
    """The settings in ``data_dir`` (defaults when there is no file).

    Raises :class:`SettingsError` for a file that cannot be read or parsed, is
    not a JSON object, or holds a known key with a value of the wrong type or
    outside its choices. With ``credentials``, a clear SMTP password an older
    desk left in the file moves into the credential store (when it has one)."""
    path = settings_path(data_dir)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return DeskSettings()
    except OSError as problem:
        raise SettingsError(path, problem.strerror or str(problem)) from problem
    try:
        text = data.decode("utf-8-sig")  # a BOM (Windows Notepad) is harmless
    except UnicodeDecodeError as problem:
        raise SettingsError(path, f"not UTF-8 text (byte {problem.start})") from problem
    try:
        raw = json.loads(text)
    except ValueError as problem:
        raise SettingsError(path, f"not valid JSON: {problem}") from problem
    except RecursionError as problem:
        raise SettingsError(path, "not valid settings: nested too deeply") from problem
    if not isinstance(raw, dict):
        raise SettingsError(path, f"not a JSON object but {_json_kind(raw)}")
    settings = DeskSettings(**{spec.name: _value(path, raw, spec.name) for spec in _known(raw)})
    if settings.smtp_password and credentials is not None:
        settings = _move_password_to_store(data_dir, settings, credentials)
    return settings


def _known(raw: dict[str, Any]) -> list[Any]:
    return [spec for spec in fields(DeskSettings) if spec.name in raw]


def _value(path: Path, raw: dict[str, Any], name: str) -> Any:
    """The value of key ``name``, checked against the default's type and choices."""
    value = raw[name]
    expected = type(getattr(DeskSettings(), name))
    # JSON true is no port number, and 1 is no "sounds: on"
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise SettingsError(
            path, f"{name}: {_shown(value)} is {_json_kind(value)}, not {_TYPE_NAMES[expected]}"
        )
    if name in _CHOICES and value not in _CHOICES[name]:
        choices = ", ".join(_CHOICES[name])
        raise SettingsError(path, f"{name}: {_shown(value)} is not one of {choices}")
    if name == "smtp_port" and not 0 < value < 65536:
        raise SettingsError(path, f"smtp_port: {value} is not a port number (1 to 65535)")
    return value


def _shown(value: Any) -> str:
    """A value for a one-line message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _json_kind(value: Any) -> str:
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "text"}
    kinds.update({list: "a list", dict: "an object", type(None): "null"})
    return kinds.get(type(value), type(value).__name__)


def _move_password_to_store(
    data_dir: Path, settings: DeskSettings, credentials: Credentials
) -> DeskSettings:
    """A clear password from an older desk: into the store, out of the file.
    Without a store it stays in memory for this run (and the file is left as
    it is: the next save drops it, and the settings dialog says why)."""
    from desk_app.credentials import smtp_account

    if not credentials.store(smtp_account(settings), settings.smtp_password):
        return settings
    save_settings(data_dir, settings)
    return settings.with_changes(smtp_password="")


def save_settings(
    data_dir: Path, settings: DeskSettings, credentials: Credentials | None = None
) -> None:
    """Write atomically, so a crash never leaves half a settings file; readable
    by the desk's user only. The SMTP password is never written to the file:
    with ``credentials`` a typed one goes to the credential store."""
    if settings.smtp_password and credentials is not None:
        from desk_app.credentials import smtp_account

        credentials.store(smtp_account(settings), settings.smtp_password)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = settings_path(data_dir)
    stored = asdict(settings)
    del stored["smtp_password"]
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(stored, indent=2, sort_keys=True))
    os.replace(temporary, path)
