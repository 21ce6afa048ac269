"""Every state table of the desk, for the docs and the tests (one list)."""

from __future__ import annotations

from desk_app.domain.card_states import CARD
from desk_app.domain.claim_states import CLAIM
from desk_app.domain.dispatch_states import DISPATCH
from desk_app.domain.loan_states import LOAN, TRANSIT
from desk_app.domain.mail_states import MAIL
from desk_app.domain.order_states import ORDER
from desk_app.domain.request_states import REQUEST
from desk_app.domain.state_machine import Machine

MACHINES: tuple[Machine, ...] = (LOAN, TRANSIT, REQUEST, CLAIM, DISPATCH, ORDER, CARD, MAIL)


def markdown(machine: Machine) -> str:
    """The table as ``docs/architecture.md`` prints it."""
    lines = [
        f"**{machine.name}**",
        "",
        "| from | action | to | who may | rule |",
        "|---|---|---|---|---|",
    ]
    for row in machine.steps:
        who = ", ".join(sorted(p.value for p in row.who)) or "the system"
        source = row.source.value if row.source is not None else "(new)"
        lines.append(
            f"| {source} | {row.action.value} | {row.target.value} | {who} | {row.rule or '-'} |"
        )
    return "\n".join(lines)
