"""State machines as data: one table per kind of thing that changes state.

Every row of a table says: from which state, by which action, to which
state, who may do it (an action of the role table, ``domain.roles``), and the
rule it rests on. Services move state only through :meth:`Machine.step` (or,
for a set-based UPDATE, :meth:`Machine.sources` and :meth:`Machine.target`),
so a transition that is not in the table cannot happen, and a newcomer reads
the table, not the services, to know what state follows (issue 14). The
tables themselves live beside their states: ``loan_states`` (loans and their
transit), ``request_states``, ``claim_states``, ``dispatch_states``,
``order_states``, ``card_states`` and ``mail_states``; ``docs/architecture.md``
prints them all (``tools/state_tables.py``).

A new kind (an ILL order, a copy order) is a new module with a state enum,
an action enum and one :class:`Machine`; nothing here changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from desk_app.domain import roles

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)


class TransitionRefused(ValueError):
    """The table has no such row: a programming error or a race lost, never
    a silent fall-through."""


@dataclass(frozen=True)
class Step(Generic[S, A]):
    source: S | None  # None: the thing is created by this action
    action: A
    target: S
    permission: roles.Action | None  # who may: roles.ALLOWED[permission]; None: the system
    rule: str  # the scheme's rule id ("L2"), or "" where no rule decides

    @property
    def who(self) -> frozenset[roles.Principal]:
        return roles.ALLOWED[self.permission] if self.permission else frozenset()


class Machine(Generic[S, A]):
    """One state table. Look-ups are by (source, action); a row is unique."""

    def __init__(self, name: str, states: type[S], steps: Iterable[Step[S, A]]) -> None:
        self.name = name
        self.states = states
        self.steps: tuple[Step[S, A], ...] = tuple(steps)
        self._rows: dict[tuple[S | None, A], Step[S, A]] = {}
        for row in self.steps:
            key = (row.source, row.action)
            if key in self._rows:
                raise ValueError(f"{name}: two rows for {key}")
            self._rows[key] = row

    def row(self, state: S | str | None, action: A) -> Step[S, A]:
        current = None if state is None else self.states(state)
        try:
            return self._rows[(current, action)]
        except KeyError:
            shown = "new" if current is None else current.value
            raise TransitionRefused(
                f"a {self.name} that is {shown} cannot {action.value}"
            ) from None

    def step(self, state: S | str | None, action: A) -> S:
        """The state after ``action`` from ``state`` (``None``: creation)."""
        return self.row(state, action).target

    def start(self, action: A) -> S:
        """The state a thing is created in by ``action``."""
        return self.step(None, action)

    def can(self, state: S | str | None, action: A) -> bool:
        current = None if state is None else self.states(state)
        return (current, action) in self._rows

    def sources(self, action: A) -> tuple[S, ...]:
        """Every state ``action`` may start from (for a set-based UPDATE's WHERE)."""
        return tuple(r.source for r in self.steps if r.action == action and r.source is not None)

    def target(self, action: A) -> S:
        """The one state ``action`` leads to (for a set-based UPDATE's SET)."""
        targets = {r.target for r in self.steps if r.action == action}
        if len(targets) != 1:
            raise ValueError(f"{self.name}: {action.value} leads to {sorted(targets)}")
        return targets.pop()

    def actions_from(self, state: S | str | None) -> tuple[A, ...]:
        current = None if state is None else self.states(state)
        return tuple(r.action for r in self.steps if r.source == current)

    def final(self) -> frozenset[S]:
        """States no row leaves."""
        leaving = {r.source for r in self.steps}
        return frozenset(s for s in self.states if s not in leaving)
