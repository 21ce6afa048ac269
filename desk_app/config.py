"""Where the desk keeps its database and secrets, from the environment.

Nothing is global: :func:`load_config` builds a value that the CLI and GUI
pass on. ``DESK_APP_DATABASE_URL`` picks the database (default: an SQLite file
in the platform's user data folder, or the URL saved in the settings dialog);
``DESK_APP_CPR_KEY`` the secret for
hashing health-card numbers (B3), which every desk sharing a database must
have alike; without it a key file is made beside the SQLite database.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desk_app.settings import load_settings
from desk_app.store.engine import sqlite_url

KEY_FILE = "cpr-hash.key"


@dataclass(frozen=True)
class AppConfig:
    database_url: str
    data_dir: Path
    cpr_key: bytes
    policy_path: Path | None = None


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
    url = (
        database_url
        or env.get("DESK_APP_DATABASE_URL")
        or load_settings(folder).database_url
        or sqlite_url(folder / "desk.sqlite3")
    )
    policy = policy_path or env.get("DESK_APP_POLICY")
    return AppConfig(
        database_url=url,
        data_dir=folder,
        cpr_key=cpr_key(folder, env),
        policy_path=Path(policy) if policy else None,
    )


def cpr_key(folder: Path, env: Mapping[str, str] = os.environ) -> bytes:
    """The B3 hashing secret: from the environment, else a file made once."""
    if env.get("DESK_APP_CPR_KEY"):
        return env["DESK_APP_CPR_KEY"].encode("utf-8")
    path = folder / KEY_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")
