"""Run the real ``desk-app`` command, and a one-loan replay to feed it."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from typing import Any

DIKU = {
    "code": "DIKU",
    "name": "Computer Science",
    "faculty": "SCIENCE",
    "delivery": "courier",
    "route": "NORTH",
    "address": "Universitetsparken 1",
}
ANNE_CARD = "20010000000013"
BOOK = "30010000000011"


def desk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``desk-app ARGS`` as a user runs it (in this Python, installed or not);
    ``env`` adds to the environment (say, DESK_APP_DATA_DIR for settings)."""
    return subprocess.run(
        [sys.executable, "-m", "desk_app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def one_loan_scenario(*events: dict[str, Any]) -> dict[str, Any]:
    """A replay file: DIKU, Anne (a researcher) and one book, then ``events``."""
    return {
        "institutes": [copy.deepcopy(DIKU)],
        "borrowers": [
            {
                "card": ANNE_CARD,
                "name": "Anne Jensen",
                "category": "researcher",
                "institute": "DIKU",
            }
        ],
        "items": [{"barcode": BOOK, "title": "Concrete Mathematics"}],
        "events": [dict(e) for e in events],
    }
