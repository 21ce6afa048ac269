"""The desk's start stays quick: what it loads before the desk window is up.

Each module named in ``LATER`` costs milliseconds to tens of milliseconds at
every start and is needed only later, if at all: a migration, a print, the
settings, today's notices run, another window. They are imported where they
are used. The check runs the start-up's imports and first queries in a fresh
interpreter (this one has loaded everything).
"""

from __future__ import annotations

import subprocess
import sys

from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.databases import sqlite_file_url

LATER = (
    "alembic",
    "reportlab",
    "PIL",
    "pypdf",
    "smtplib",
    "PySide6.QtPdf",
    "PySide6.QtPrintSupport",
    "PySide6.QtMultimedia",
    "desk_app.demo",
    "desk_app.services.daily_run",
    "desk_app.services.notice_mail",
    "desk_app.printing.slips",
    "desk_app.printing.manifest",
    "desk_app.printing.letters",
    "desk_app.gui.daily_run_dialog",
    "desk_app.gui.settings_dialog",
    "desk_app.gui.printer",
    "desk_app.gui.dispatch_window",
    "desk_app.gui.supervisor_window",
)

START = """
import sys
from desk_app.cli.main import build_parser
from desk_app.config import load_config
from desk_app.policy_file import load_policy
from desk_app.wiring import open_desk
from desk_app.gui import app
from desk_app.gui import desk_window
from desk_app.services.desk import DeskSession
from desk_app.services.notices import run_is_due

config = load_config(sys.argv[1])
ctx = open_desk(config.database_url, cpr_key=config.cpr_key, policy=load_policy())
app.holds_nothing(ctx)
run_is_due(ctx)
print(" ".join(sys.modules))
"""


def test_the_start_loads_nothing_it_needs_only_later(tmp_path):
    url = sqlite_file_url(tmp_path)
    open_desk(url, cpr_key=TEST_CPR_KEY).sessions.kw["bind"].dispose()  # migrated: the usual start
    done = subprocess.run(
        [sys.executable, "-c", START, url], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "desk_app.gui.desk_window" in loaded  # the check saw the start
    early = sorted(
        name for name in loaded if any(name == m or name.startswith(m + ".") for m in LATER)
    )
    assert not early, f"loaded at start, needed only later: {early}"
