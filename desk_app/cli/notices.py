"""``desk-app notices [--date D]``: the daily run from the command line."""

from __future__ import annotations

import getpass
import socket
from datetime import date

from desk_app.services.context import Actor, DeskContext
from desk_app.services.notices import run_notices


def notices_command(ctx: DeskContext, day: date | None) -> int:
    actor = Actor(staff=getpass.getuser(), desk=f"cli@{socket.gethostname()}")
    outcome = run_notices(ctx, actor, day)
    print(outcome.message_en)
    by_step: dict[str, int] = {}
    for notice in outcome.data["notices"]:
        by_step[notice["step"]] = by_step.get(notice["step"], 0) + 1
    for step, count in by_step.items():
        print(f"  {step:<11} {count:>6}")
    return 0
