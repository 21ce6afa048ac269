"""The desk's own settings: a small JSON file in the data folder.

Kept apart from :mod:`desk_app.config` (environment and secrets) because staff
change these in the settings dialog, and Qt-free so the CLI (printing,
notices) reads the same values. A broken or missing file gives the defaults
rather than a desk that will not start; unknown keys are ignored.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

SETTINGS_FILE = "settings.json"
LANGUAGES = ("da", "en")
PAGE_SIZES = ("A6", "80mm")  # slips (printing.documents.SLIP_SIZES)
MANIFEST_PAGE_SIZES = ("A4", "80mm")  # courier manifests (printing.documents.MANIFEST_SIZES)
SMTP_SECURITY = ("starttls", "tls", "none")  # STARTTLS on 587, implicit TLS on 465, plain
SMTP_PASSWORD_ENV = "DESK_APP_SMTP_PASSWORD"  # wins over the settings file
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
    smtp_password: str = ""  # or DESK_APP_SMTP_PASSWORD
    mail_from: str = ""

    def with_changes(self, **changes: Any) -> DeskSettings:
        return replace(self, **changes)


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


def load_settings(data_dir: Path) -> DeskSettings:
    path = settings_path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return DeskSettings()
    if not isinstance(raw, dict):
        return DeskSettings()
    defaults = DeskSettings()
    known: dict[str, Any] = {}
    for spec in fields(DeskSettings):
        value = raw.get(spec.name)
        if isinstance(value, type(getattr(defaults, spec.name))):
            known[spec.name] = value
    settings = DeskSettings(**known)
    if settings.language not in LANGUAGES:
        settings = settings.with_changes(language=defaults.language)
    if settings.page_size not in PAGE_SIZES:
        settings = settings.with_changes(page_size=defaults.page_size)
    if settings.manifest_page_size not in MANIFEST_PAGE_SIZES:
        settings = settings.with_changes(manifest_page_size=defaults.manifest_page_size)
    if settings.letter_language not in LANGUAGES:
        settings = settings.with_changes(letter_language=defaults.letter_language)
    if settings.smtp_security not in SMTP_SECURITY:
        settings = settings.with_changes(smtp_security=defaults.smtp_security)
    if isinstance(settings.smtp_port, bool) or not 0 < settings.smtp_port < 65536:
        settings = settings.with_changes(smtp_port=defaults.smtp_port)
    return settings


def save_settings(data_dir: Path, settings: DeskSettings) -> None:
    """Write atomically, so a crash never leaves half a settings file; readable
    by the desk's user only, as it may hold the SMTP password."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = settings_path(data_dir)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(settings), indent=2, sort_keys=True))
    os.replace(temporary, path)
