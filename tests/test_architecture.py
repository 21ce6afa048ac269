"""The layers of architecture.md, checked on the source: imports only go down.

Every module of ``desk_app`` belongs to one unit of :data:`LAYERS` (a
subpackage, or a module at the top), and a unit imports of ``desk_app`` only
what its rule names (``may_use``) and none of the libraries in ``never``. A
new package or top-level module fails :func:`test_every_module_is_under_a_rule`
until it has a rule of its own, so nothing slips past these checks.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "desk_app"

QT = ("PySide6", "shiboken6")
DATABASE = ("sqlalchemy", "alembic", "psycopg", "sqlite3")
PDF = ("reportlab", "barcode")


@dataclass(frozen=True)
class Layer:
    """What one unit may import; ``why`` is the rule in words."""

    why: str
    may_use: tuple[str, ...]  # desk_app modules (and everything below them)
    never: tuple[str, ...] = ()  # libraries it must not import itself


LAYERS: dict[str, Layer] = {
    "domain": Layer(
        "pure rules: no Qt, no database, no clock, no files; messages are i18n Texts",
        ("desk_app.domain", "desk_app.i18n"),
        QT + DATABASE + PDF,
    ),
    "i18n": Layer(
        "the one translation system, below everything: imports nothing of desk_app",
        ("desk_app.i18n",),
        QT + DATABASE + PDF,
    ),
    "store": Layer(
        "SQLAlchemy models, engine, migrations: the domain's enums, nothing above",
        ("desk_app.store", "desk_app.domain"),
        QT + PDF,
    ),
    "printing": Layer(
        "reportlab documents built from plain data: no database, no services",
        ("desk_app.printing", "desk_app.domain", "desk_app.i18n"),
        QT + DATABASE,
    ),
    "services": Layer(
        "one module per workflow: the domain decides, the store persists, printing renders",
        (
            "desk_app.services",
            "desk_app.domain",
            "desk_app.i18n",
            "desk_app.store",
            "desk_app.printing",
            "desk_app.clock",
            "desk_app.settings",
            "desk_app.credentials",
        ),
        QT,
    ),
    "demo": Layer(
        "the demo and benchmark library (one generator, a scale parameter): plans made "
        "with the domain, written through the services (demo) or in bulk to the store",
        (
            "desk_app.demo",
            "desk_app.services",
            "desk_app.domain",
            "desk_app.i18n",
            "desk_app.store",
            "desk_app.printing",
            "desk_app.clock",
        ),
        QT,
    ),
    "gui": Layer(
        "thin Qt widgets: services for everything (documents too), wiring to open the database",
        (
            "desk_app.gui",
            "desk_app.services",
            "desk_app.demo",  # the first start's demo offer
            "desk_app.domain",
            "desk_app.i18n",
            "desk_app.config",
            "desk_app.settings",
            "desk_app.credentials",
            "desk_app.wiring",
        ),
        DATABASE + PDF,
    ),
    "cli": Layer(
        "the command line, as thin as the GUI: services and wiring, never the store, SQL "
        "or printing; main starts the window (gui.app) when no command is given",
        (
            "desk_app.cli",
            "desk_app.services",
            "desk_app.demo",
            "desk_app.domain",
            "desk_app.i18n",
            "desk_app.wiring",
            "desk_app.config",
            "desk_app.settings",
            "desk_app.policy_file",
            "desk_app.replay_file",
            "desk_app.clock",
            "desk_app.system_libraries",
            "desk_app.gui.app",
        ),
        QT + DATABASE + PDF,
    ),
    "wiring": Layer(
        "the one place that opens a database for a desk: engine, migrations, policy, clock",
        (
            "desk_app.store",
            "desk_app.services",
            "desk_app.domain",
            "desk_app.config",
            "desk_app.policy_file",
            "desk_app.clock",
        ),
        QT + PDF,
    ),
    "replay_file": Layer(
        "pure parsing of a replay file into the records and events the services take",
        ("desk_app.domain", "desk_app.clock", "desk_app.services.enrolment"),
        QT + DATABASE + PDF + ("desk_app.store",),
    ),
    "policy_file": Layer(
        "pure parsing of policy.toml into the domain's Policy",
        ("desk_app.domain",),
        QT + DATABASE + PDF,
    ),
    "config": Layer(
        "environment, data folder and CPR key; the default database is an SQLite file URL",
        ("desk_app.settings", "desk_app.store.engine"),
        QT + DATABASE + PDF,
    ),
    "settings": Layer(
        "the desk's JSON settings, Qt-free so the CLI reads the same values",
        ("desk_app.credentials",),
        QT + DATABASE + PDF,
    ),
    "credentials": Layer(
        "the system credential store (keyring) for the SMTP password",
        ("desk_app.settings",),
        QT + DATABASE + PDF,
    ),
    "clock": Layer("the injected clock: imports nothing of desk_app", (), QT + DATABASE + PDF),
    "system_libraries": Layer(
        "checked before Qt loads: imports nothing of desk_app, and no Qt",
        (),
        QT + DATABASE + PDF,
    ),
    "__main__": Layer("python -m desk_app: the command line's main", ("desk_app.cli",), QT),
    "__init__": Layer("the package marker: imports nothing", (), QT + DATABASE + PDF),
}


def _unit(path: Path) -> str:
    """The key of :data:`LAYERS` a module falls under: its top package, or its own name."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    return _imports_of(path.read_text("utf-8"), path)


def _imports_of(source: str, path: Path) -> set[str]:
    """Every module ``source`` (the text of ``path``) imports, also inside
    functions and ``if TYPE_CHECKING:``; relative imports made absolute."""
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
                found |= {f"{module}.{alias.name}" for alias in node.names}
            elif module == "desk_app":  # ``from desk_app import wiring``
                found |= {f"{module}.{alias.name}" for alias in node.names}
            found.add(module)
    return found


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _problems(path: Path, layer: Layer) -> list[str]:
    where = path.relative_to(PACKAGE)
    bad = []
    for name in sorted(_imports(path)):
        if name == "desk_app":
            bad.append(f"{where} imports the package desk_app itself")
        elif _under(name, layer.never) or (
            name.startswith("desk_app.") and not _under(name, layer.may_use)
        ):
            bad.append(f"{where} imports {name}")
    return bad


@pytest.mark.parametrize("unit", sorted(LAYERS))
def test_layer_imports_only_downwards(unit):
    layer = LAYERS[unit]
    bad = [
        problem for path in _modules() if _unit(path) == unit for problem in _problems(path, layer)
    ]
    assert not bad, f"{unit}: {layer.why}\n" + "\n".join(bad)


def test_every_module_is_under_a_rule():
    """A new package or top-level module needs a rule in LAYERS first."""
    units = {_unit(path) for path in _modules()}
    assert not units - set(LAYERS), f"no layer rule for: {sorted(units - set(LAYERS))}"
    assert not set(LAYERS) - units, (
        f"rules for modules that are gone: {sorted(set(LAYERS) - units)}"
    )


def test_the_checker_sees_what_it_must():
    """The rules can fail: a forbidden import, a relative one, one in a function."""
    source = (
        "from . import wiring\n"
        "def later():\n"
        "    import sqlalchemy.orm\n"
        "    from desk_app.store.models import Loan\n"
    )
    path = PACKAGE / "cli" / "_probe.py"
    tree_imports = _imports_of(source, path)
    assert {"desk_app.cli.wiring", "sqlalchemy.orm", "desk_app.store.models"} <= tree_imports
    assert not _under("desk_app.gui.application", ("desk_app.gui.app",))
    assert _under("desk_app.gui.app", ("desk_app.gui.app",))
    assert _unit(PACKAGE / "store" / "migrations" / "versions" / "x.py") == "store"
    assert _unit(PACKAGE / "wiring.py") == "wiring"


def test_domain_reads_no_clock():
    """The clock is injected: no date.today() or datetime.now() in the rules."""
    for path in (PACKAGE / "domain").rglob("*.py"):
        text = path.read_text("utf-8")
        for call in ("date.today(", "datetime.now(", "datetime.today(", "time.time("):
            assert call not in text, f"{path.name} calls {call}"


SPEC = PACKAGE.parent.parent / "shared" / "spec" / "scheme-rules.md"
# Rules of the spec that the open issues have yet to build, with the issue.
NOT_YET_IN_DOMAIN = {
    "E2": 16, "E4": 16,
    "C5": 17, "P2": 17,
    "I4": 18, "K1": 18, "K2": 18, "K4": 18, "U3": 18,
    "U4": 19,
}  # fmt: skip
KNOWN_IDS = [
    "B1",
    "B2",
    "B3",
    "B4",
    "C1",
    "C2",
    "C3",
    "C4",
    "E1",
    "E3",
    "I1",
    "I2",
    "I3",
    "L1",
    "L2",
    "L3",
    "L4",
    "L5",
    "M1",
    "M2",
    "M3",
    "M4",
    "P1",
    "Q1",
    "Q2",
    "Q3",
    "S0",
    "S1",
    "S2",
    "S3",
    "S4",
    "S5",
    "S6",
    "T1",
    "T2",
    "T3",
    "T4",
    "U1",
    "U2",
]


def _rule_ids() -> list[str]:
    """Every rule id the spec defines (``**L2**``), or the known ones when the
    spec is not beside the repository."""
    if not SPEC.is_file():
        return KNOWN_IDS
    return sorted(set(re.findall(r"\*\*([A-Z][0-9]+)\*\*", SPEC.read_text("utf-8"))))


def _mentions(text: str, rule: str) -> bool:
    """``L1`` as a word: not inside ``L10`` or ``XL1``."""
    return re.search(rf"(?<![A-Za-z0-9]){rule}(?![0-9])", text) is not None


def test_every_rule_id_of_the_spec_is_findable_in_domain():
    text = "\n".join(p.read_text("utf-8") for p in (PACKAGE / "domain").rglob("*.py"))
    missing = {rule for rule in _rule_ids() if not _mentions(text, rule)}
    unplanned = sorted(missing - set(NOT_YET_IN_DOMAIN))
    assert not unplanned, f"rule ids not found in desk_app/domain: {unplanned}"
    built = sorted(set(NOT_YET_IN_DOMAIN) & set(_rule_ids()) - missing)
    assert not built, f"now in desk_app/domain, drop from NOT_YET_IN_DOMAIN: {built}"


def test_rule_ids_match_as_words():
    assert _mentions("rule L1: 30 days", "L1")
    assert not _mentions("rule L10", "L1")
    assert not _mentions("XL1", "L1")
