"""The desk's demo (``desk-app demo``, the first start's offer): an empty
database filled at the demo's scale, through the desk's own session.
"""

from __future__ import annotations

from dataclasses import replace

from desk_app.demo.courier import courier_work
from desk_app.demo.examples import examples
from desk_app.demo.people import add_demo_staff, write_institutes
from desk_app.demo.plan import DemoPlan
from desk_app.demo.scale import MIN_BORROWERS, MIN_ITEMS, DemoCases
from desk_app.demo.summary import DemoSummary, demo_counts, has_data
from desk_app.demo.write import DEMO_ACTOR, write_plan
from desk_app.services.context import DeskContext


def fill_demo(
    ctx: DeskContext, borrowers: int = 2000, items: int = 20000, seed: int = 2017
) -> DemoSummary:
    """Fill an empty database with the demo, in one transaction.

    A database that already has borrowers or items is left exactly as it was
    (``created`` is False): the demo must never mix made-up people into real
    data. Raises ValueError for sizes too small to show every case.
    """
    if borrowers < MIN_BORROWERS or items < MIN_ITEMS:
        raise ValueError(
            f"the demo needs at least {MIN_BORROWERS} borrowers and {MIN_ITEMS} items "
            "to show every case"
        )
    now = ctx.now()
    today = now.date()
    with ctx.sessions.begin() as session:
        if has_data(session):
            return demo_counts(session, today, created=False)
        plan = DemoPlan(ctx.policy, today, ctx.cpr_key, seed, now)
        plan.build(DemoCases.of(borrowers, items))
        write_institutes(session, ctx.policy)
        session.flush()
        write_plan(session, plan, DEMO_ACTOR)
        staff = add_demo_staff(session)
        summary = demo_counts(session, today, created=True, examples=examples(plan), staff=staff)
    return replace(summary, courier=courier_work(ctx, today, DEMO_ACTOR.desk))
