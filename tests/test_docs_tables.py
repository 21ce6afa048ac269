"""docs/architecture.md shows the role table and the state tables as the code has them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location(
        "state_tables", ROOT / "tools" / "state_tables.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_architecture_page_shows_the_tables_the_code_has():
    tool = _tool()
    page = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    assert tool.generated_block() in page, "run: python tools/state_tables.py --write"


def test_the_tables_name_the_rules_and_the_roles():
    tables = _tool().tables()
    assert "| open | renew | open | admin, desk, replay, supervisor | L5 |" in tables
    assert "| active | cancel | cancelled |" in tables  # Q2
    assert "| checkout | x |  | x | x |" in tables  # a courier may not lend
