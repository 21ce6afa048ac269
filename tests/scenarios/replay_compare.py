"""Compare ``desk-app replay`` output with a scenario's expected outcomes.

The same semantics as ``shared/tools/check_replay.py`` (reimplemented here so
the tests do not depend on the shared folder): each expected line holds only
the keys that matter for its event; ``"ZERO_OR_ABSENT"`` and ``"EMPTY"`` are
special values; lists are compared without regard to order, and lists of
notices by their ``card``, ``item``, ``step`` and ``deadline``; except the
pick list's ``items`` (Q1), an ordered list of ``{"item", "card"}``: its
shelf order is the point.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NOTICE_KEYS = ("card", "item", "step", "deadline")
ORDERED_KEYS = frozenset({"items"})  # the pick list, in shelf order (Q1)


def _notice_key(notice: dict[str, Any]) -> str:
    return json.dumps({k: notice.get(k) for k in NOTICE_KEYS}, sort_keys=True)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def matches_in_order(expected: list[dict[str, Any]], got: Any) -> bool:
    """The pick list's ``items``: the same ``{"item", "card"}`` in the same order."""
    if not isinstance(got, list) or len(got) != len(expected):
        return False
    shown = [{"item": d.get("item"), "card": d.get("card")} for d in got if isinstance(d, dict)]
    return shown == expected


def matches(expected: Any, got: Any, present: bool) -> bool:
    """True when the value ``got`` (``present`` says whether the key was in the
    output line at all) satisfies the expected value."""
    if expected == "ZERO_OR_ABSENT":
        return (not present) or got in (0, None)
    if expected == "EMPTY":
        return (
            (not present)
            or got in ({}, None)
            or (isinstance(got, dict) and all(v in (0, None) for v in got.values()))
        )
    if isinstance(expected, list) and expected and isinstance(expected[0], dict):
        if not isinstance(got, list):
            return False
        return sorted(map(_notice_key, expected)) == sorted(map(_notice_key, got))
    if isinstance(expected, list):
        return isinstance(got, list) and sorted(map(str, expected)) == sorted(map(str, got))
    if _is_number(expected):
        return _is_number(got) and abs(got - expected) < 0.005
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return False
        got_nonzero = {k: v for k, v in got.items() if v not in (0, None)}
        return got_nonzero.keys() == expected.keys() and all(
            _is_number(got_nonzero[k]) and abs(got_nonzero[k] - v) < 0.005
            for k, v in expected.items()
        )
    return got == expected


def parse_output(stdout: str) -> dict[Any, dict[str, Any]]:
    """The output lines by event index ``i``; non-JSON lines are ignored."""
    lines: dict[Any, dict[str, Any]] = {}
    for raw in stdout.splitlines():
        raw = raw.strip()
        if not raw.startswith("{"):
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError:
            continue
        lines[obj.get("i")] = obj
    return lines


def load_expected(path: Path) -> list[dict[str, Any]]:
    text = path.read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def mismatches(
    expected: list[dict[str, Any]], got: dict[Any, dict[str, Any]], name: str = ""
) -> list[str]:
    """One message per expected key the output does not satisfy."""
    bad: list[str] = []
    for exp in expected:
        i = exp["i"]
        line = got.get(i)
        if line is None:
            bad.append(f"{name}#{i}: no output line")
            continue
        for key, value in exp.items():
            if key == "i":
                continue
            if key in ORDERED_KEYS and isinstance(value, list):
                ok = matches_in_order(value, line.get(key))
            else:
                ok = matches(value, line.get(key), key in line)
            if not ok:
                bad.append(
                    f"{name}#{i} {key}: expected {value!r}, got {line.get(key)!r}"
                    f" (op {line.get('op')}, code {line.get('code')})"
                )
    return bad
