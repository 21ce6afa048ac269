"""Nothing outside the store's mapping spells a state as a string (issue 14).

States move through the tables of ``domain/*_states.py`` and are compared
with their enums (``Loan.state == LoanState.OPEN``); only ``store/models.py``
(the CHECK constraints and indexes) and the migrations, which are history,
write them as text. A bare ``"open"`` beside a ``state``, ``status`` or
``transit`` column is a second spelling of the table that a renamed state
would silently miss.
"""

from __future__ import annotations

import ast
import importlib
from enum import Enum
from pathlib import Path

from desk_app.domain.facts import CardStatus

PACKAGE = Path(__file__).resolve().parent.parent / "desk_app"
EXEMPT = ("store/models.py", "store/migrations/")
COLUMNS = frozenset({"state", "status", "transit"})


def _state_enums() -> list[type[Enum]]:
    """The states of every table in ``domain/*_states.py`` (an enum whose
    name ends in State, and Transit), and the card's (``facts.CardStatus``)."""
    found: list[type[Enum]] = [CardStatus]
    for path in sorted((PACKAGE / "domain").glob("*_states.py")):
        module = importlib.import_module(f"desk_app.domain.{path.stem}")
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, Enum)
                and (name.endswith("State") or name == "Transit")
                and value not in found
            ):
                found.append(value)
    return found


STATE_VALUES = frozenset(str(member.value) for enum in _state_enums() for member in enum)


def _is_state_string(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in STATE_VALUES
    )


def _strings_in(node: ast.AST | None) -> list[str]:
    """State strings in ``node``: itself, or the elements of a tuple, list or
    set, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [s for e in node.elts for s in _strings_in(e)]
    if isinstance(node, ast.IfExp):
        return _strings_in(node.body) + _strings_in(node.orelse)
    return [node.value] if node is not None and _is_state_string(node) else []  # type: ignore[attr-defined]


def _all_strings_in(node: ast.AST | None) -> list[str]:
    """State strings anywhere in an expression given to a state (``state=case(
    (cond, "postal"), else_="pending")``)."""
    if node is None:
        return []
    return [n.value for n in ast.walk(node) if _is_state_string(n)]  # type: ignore[attr-defined]


def _names_a_state(name: str) -> bool:
    """``state``, ``status``, ``transit``, or a name made with one
    (``POSTAL_STATES``, ``old_status``)."""
    return bool(WORDS & set(name.lower().split("_")))


WORDS = frozenset({"state", "states", "status", "statuses", "transit", "transits"})


def _is_column(node: ast.AST) -> bool:
    """``x.state``, ``x.status``, ``x.transit`` (a model's column or a row's
    value), or a variable named for a state."""
    if isinstance(node, ast.Attribute):
        return node.attr in COLUMNS
    return isinstance(node, ast.Name) and _names_a_state(node.id)


def _assigned(targets: list[ast.expr], value: ast.expr | None) -> list[str]:
    found: list[str] = []
    for target in targets:
        if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
            if len(target.elts) == len(value.elts):  # ``card.status, card.on = "lost", day``
                found += _assigned(list(target.elts), None) or [
                    s
                    for t, v in zip(target.elts, value.elts, strict=True)
                    if _is_column(t)
                    for s in _all_strings_in(v)
                ]
        elif _is_column(target):
            found += _all_strings_in(value)
    return found


def _enum_members(tree: ast.AST) -> list[ast.stmt]:
    """The member definitions of an enum class (``IN_TRANSIT = "in_transit"``):
    the tables' own spelling, not a second one."""
    return [
        statement
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(
            (b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")).endswith("Enum")
            for b in node.bases
        )
        for statement in node.body
    ]


def bare_states(source: str) -> list[tuple[int, str]]:
    """(line, what) for each state spelt as a string beside a state column."""
    found: list[tuple[int, str]] = []
    tree = ast.parse(source)
    members = {id(n) for n in _enum_members(tree)}
    for node in ast.walk(tree):
        if id(node) in members:
            continue
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_column(o) for o in operands):
                for o in operands:
                    found += [(node.lineno, f"compared: {s!r}") for s in _strings_in(o)]
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [(node.lineno, f"assigned: {s!r}") for s in _assigned(targets, node.value)]
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in COLUMNS:
                    found += [
                        (node.lineno, f"{keyword.arg}={s!r}")
                        for s in _all_strings_in(keyword.value)
                    ]
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("in_", "not_in", "notin_", "is_", "is_not")
                and _is_column(func.value)
            ):
                for arg in node.args:
                    found += [(node.lineno, f".{func.attr}(): {s!r}") for s in _strings_in(arg)]
        elif isinstance(node, ast.Dict):
            keys = [k for k in node.keys if k is not None]
            if len(keys) > 1 and all(_is_state_string(k) for k in keys):
                found.append(
                    (node.lineno, f"a table keyed by states: {_strings_in(ast.Tuple(keys))}")
                )
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in COLUMNS:
                    found += [
                        (node.lineno, f"{{{key.value!r}: {s!r}}}") for s in _all_strings_in(value)
                    ]
    return sorted(found, key=lambda f: f[0])


def test_state_values_come_from_the_tables():
    assert {"open", "returned", "awaiting_dispatch", "pending", "replaced", "fulfilled"} <= (
        STATE_VALUES
    )


def test_no_bare_state_strings_outside_the_store_mapping():
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith(EXEMPT):
            continue
        bad += [f"{where}:{line}: {what}" for line, what in bare_states(path.read_text("utf-8"))]
    assert not bad, "use the state enums of domain/*_states.py:\n" + "\n".join(bad)


def test_the_scan_finds_each_form_and_only_those():
    source = """
if loan.state == "open": pass
if "lost" != card.status: pass
if loan.transit in ("awaiting_dispatch", "in_transit"): pass
loan.state = "returned"
select(Loan).where(Loan.state.in_(["open", "lost"]))
update(NoticeMail).values(state="sent")
insert(Loan).values({"state": "cancelled"})
claim.state = "refunded" if billed else "cancelled"
card.status, card.changed_on = "lost", today
update(NoticeMail).values(state=case((address == "", "postal"), else_="pending"))
POSTAL_STATES = ("postal", "failed")
status: str = "active"
ENDED = {"returned": "returned", "lost": "declared lost"}
"""
    found = [what for _line, what in bare_states(source)]
    assert found == [
        "compared: 'open'",
        "compared: 'lost'",
        "compared: 'awaiting_dispatch'",
        "compared: 'in_transit'",
        "assigned: 'returned'",
        ".in_(): 'open'",
        ".in_(): 'lost'",
        "state='sent'",
        "{'state': 'cancelled'}",
        "assigned: 'refunded'",
        "assigned: 'cancelled'",
        "assigned: 'lost'",
        "state='postal'",
        "state='pending'",
        "assigned: 'postal'",
        "assigned: 'failed'",
        "assigned: 'active'",
        "a table keyed by states: ['returned', 'lost']",
    ]
    fine = """
HANDLERS = {"lost": declare_lost}
if loan.state == LoanState.OPEN: pass
if op == "open": pass
loan.state = LOAN.step(loan.state, LoanAction.RETURN)
select(Loan).where(Loan.state.in_(LOAN.sources(LoanAction.LOSE)))
print(state="unrelated-word")
outcome = "sent"
OPS = {"lost": 1, "checkout": 2}
class Transit(StrEnum):
    IN_TRANSIT = "in_transit"
"""
    assert bare_states(fine) == []
