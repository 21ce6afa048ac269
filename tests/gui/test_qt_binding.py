"""The Qt binding keeps None alive (issue 6, found at library scale).

PySide6 6.12.0 on CPython 3.11 drops a reference to ``None`` on every call of
a method that returns nothing: after some thousands of such calls (a 500-loan
borrower's panel makes 2,000) the desk dies with "Fatal Python error:
none_dealloc". ``pyproject.toml`` excludes that release; this test fails on
any binding that does it again. From Python 3.12 ``None`` is immortal.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QTableWidget


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_qt_calls_keep_none_alive(qapp: object) -> None:
    table = QTableWidget()
    table.setColumnCount(1)
    before = sys.getrefcount(None)
    for _ in range(2000):
        table.setRowCount(3)  # returns nothing
    assert abs(sys.getrefcount(None) - before) < 100
