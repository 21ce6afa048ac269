"""The layers of architecture.md, checked on the source: imports only go down."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "desk_app"

FORBIDDEN = {
    # layer: import prefixes it must not use
    "domain": (
        "PySide6",
        "sqlalchemy",
        "alembic",
        "desk_app.store",
        "desk_app.services",
        "desk_app.gui",
        "desk_app.cli",
        "desk_app.printing",
        "desk_app.clock",
    ),
    "gui": ("sqlalchemy", "desk_app.store"),
    "store": ("PySide6", "desk_app.services", "desk_app.gui", "desk_app.cli"),
    "services": ("PySide6", "desk_app.gui", "desk_app.cli"),
    "printing": ("sqlalchemy", "desk_app.store", "desk_app.services"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downwards(layer):
    bad = []
    for path in (PACKAGE / layer).rglob("*.py"):
        for name in _imports(path):
            if name.startswith(FORBIDDEN[layer]):
                bad.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not bad, "\n".join(bad)


def test_domain_reads_no_clock():
    """The clock is injected: no date.today() or datetime.now() in the rules."""
    for path in (PACKAGE / "domain").rglob("*.py"):
        text = path.read_text("utf-8")
        for call in ("date.today(", "datetime.now(", "datetime.today(", "time.time("):
            assert call not in text, f"{path.name} calls {call}"


def test_every_rule_id_of_the_spec_is_findable_in_domain():
    ids = [
        "E1",
        "E3",
        "M1",
        "M2",
        "M3",
        "M4",
        "L1",
        "L2",
        "L3",
        "L4",
        "L5",
        "S0",
        "S1",
        "S2",
        "S3",
        "S4",
        "S5",
        "S6",
        "C1",
        "C2",
        "C3",
        "C4",
        "I1",
        "I2",
        "I3",
        "P1",
        "B1",
        "B2",
        "B3",
        "B4",
        "U1",
        "U2",
    ]
    text = "\n".join(p.read_text("utf-8") for p in (PACKAGE / "domain").rglob("*.py"))
    missing = [rule for rule in ids if rule not in text]
    assert not missing, f"rule ids not found in desk_app/domain: {missing}"
