"""Verdicts are built in the domain only, and speak through message ids (issue 14).

Services gather facts, ask a domain function for the verdict, and persist
it; a ``verdict(...)`` or ``Verdict(...)`` anywhere else is a rule decided
outside ``desk_app/domain``. The old form with two strings
(``verdict(code, rule, en, da)``, gone from ``verdict``'s signature) bypassed the
catalogue: a message is a ``tx(...)`` Text, translated in ``desk_app/i18n/locale``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "desk_app"
BUILDERS = frozenset({"verdict", "Verdict"})
# verdict(code, rule_id, message, **data): a fourth positional is the Danish string
MESSAGE_AT = 2


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _is_text(node: ast.AST) -> bool:
    """A string written in place, not a message id: "...", f"...", "a" + b."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return False


def verdict_calls(source: str) -> list[ast.Call]:
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and _name(node) in BUILDERS
    ]
    return sorted(calls, key=lambda call: (call.lineno, call.col_offset))


def two_string_form(call: ast.Call) -> bool:
    """``verdict(code, rule, en, da)``, or a message that is a plain string."""
    if _name(call) != "verdict":
        return False
    message = [k.value for k in call.keywords if k.arg == "message"]
    if len(call.args) > MESSAGE_AT:
        message.append(call.args[MESSAGE_AT])
    return len(call.args) > MESSAGE_AT + 1 or any(_is_text(m) for m in message)


def _sources() -> list[tuple[str, str]]:
    return [
        (path.relative_to(PACKAGE).as_posix(), path.read_text("utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def test_verdicts_are_built_only_in_the_domain():
    bad = [
        f"{where}:{call.lineno}: {_name(call)}(...)"
        for where, source in _sources()
        if not where.startswith("domain/")
        for call in verdict_calls(source)
    ]
    assert not bad, "ask a domain function for the verdict:\n" + "\n".join(bad)


def test_no_verdict_is_given_two_strings():
    bad = [
        f"{where}:{call.lineno}"
        for where, source in _sources()
        for call in verdict_calls(source)
        if two_string_form(call)
    ]
    assert not bad, "a verdict's message is a tx(...) Text:\n" + "\n".join(bad)


def test_the_checks_see_each_form():
    source = """
a = verdict(Code.LOANED, "L1", tx("Loan until {due}.", due=day), due=day)
b = verdict(Code.LOANED, "L1", "Loan.", "Lån.")
c = verdict(Code.UNDO_REFUSED, "C1", en, da, reason_key=key)
d = verdict(Code.LOANED, "L1", f"Loan until {day}.")
e = verdict(Code.LOANED, rule_id="L1", message="Loan.")
f = domain.Verdict(Code.LOANED, "§4 L1", text)
g = scan_error_verdict(scan, "card")
"""
    calls = verdict_calls(source)
    assert [c.lineno for c in calls] == [2, 3, 4, 5, 6, 7]
    assert [two_string_form(c) for c in calls] == [False, True, True, True, True, False]
