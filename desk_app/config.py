"""Where the desk keeps its database and secrets, from the environment.

Nothing is global: :func:`load_config` builds a value that the CLI and GUI
pass on. ``DESK_APP_DATABASE_URL`` picks the database (default: an SQLite file
in the platform's user data folder, or the URL saved in the settings dialog);
``DESK_APP_CPR_KEY`` the secret for
hashing health-card numbers (B3), which every desk sharing a database must
have alike; without it a key file is made beside the SQLite database.

A settings file that cannot be used stops here (:class:`SettingsError`), for
every command: it may name the database.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desk_app.settings import SettingsError, load_settings, settings_path
from desk_app.store.engine import sqlite_url

KEY_FILE = "cpr-hash.key"
CPR_KEY_ENV = "DESK_APP_CPR_KEY"


class ConfigError(SettingsError):
    """A file the desk's configuration needs cannot be used (path and reason)."""

    def __init__(self, what: str, path: Path, reason: str) -> None:
        Exception.__init__(self, f"the {what} {path} cannot be used: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class AppConfig:
    database_url: str
    data_dir: Path
    cpr_key: bytes
    policy_path: Path | None = None
    # where the two came from, for messages that say what to change
    database_url_source: str = "the database URL"
    cpr_key_source: str = "this desk's CPR key"


def data_dir(env: Mapping[str, str] = os.environ) -> Path:
    if env.get("DESK_APP_DATA_DIR"):
        return Path(env["DESK_APP_DATA_DIR"])
    return Path(platformdirs.user_data_dir("desk-app", appauthor=False))


def load_config(
    database_url: str | None = None,
    policy_path: str | None = None,
    env: Mapping[str, str] = os.environ,
) -> AppConfig:
    folder = data_dir(env)
    settings = load_settings(folder)  # raises SettingsError: a broken file stops every command
    sources = (
        (database_url, "--db"),
        (env.get("DESK_APP_DATABASE_URL"), "DESK_APP_DATABASE_URL"),
        (settings.database_url, f"the settings file {settings_path(folder)}"),
    )
    url, source = next(
        ((given, where) for given, where in sources if given),
        (sqlite_url(folder / "desk.sqlite3"), "the default"),
    )
    policy = policy_path or env.get("DESK_APP_POLICY")
    key, key_source = cpr_key_with_source(folder, env)
    return AppConfig(
        database_url=url,
        data_dir=folder,
        cpr_key=key,
        policy_path=Path(policy) if policy else None,
        database_url_source=source,
        cpr_key_source=key_source,
    )


def cpr_key_with_source(folder: Path, env: Mapping[str, str] = os.environ) -> tuple[bytes, str]:
    """The key and where it came from: ``DESK_APP_CPR_KEY`` or the key file."""
    if env.get(CPR_KEY_ENV):
        return env[CPR_KEY_ENV].encode("utf-8"), f"the environment variable {CPR_KEY_ENV}"
    path = folder / KEY_FILE
    try:
        if not path.exists():
            _make_key_file(folder, path)
        key = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as problem:
        reason = getattr(problem, "strerror", None) or str(problem)
        raise ConfigError("CPR key file", path, reason) from problem
    if not key:
        raise ConfigError("CPR key file", path, "it is empty")
    return key.encode("utf-8"), f"the key file {path}"


def _make_key_file(folder: Path, path: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another desk process made it a moment ago
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
