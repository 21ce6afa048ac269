"""The courier's day (§3 T1-T4), caught mid-day.

The last few runs were dispatched and delivered; today's checkouts for
courier and internal-courier institutes wait on the courier shelf, with a
few the last run left behind, so each route's manifest has a crate to load;
and institutes have announced returns for the courier to collect. Self-pickup
(T2) and reading-room (I3) loans never travel, so they get no transit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from desk_app.demo.ladder import ONE_DAY
from desk_app.demo.loans import OPEN, LoanPlan, institute_loan
from desk_app.demo.people import BorrowerPlan
from desk_app.domain.facts import Capacity
from desk_app.domain.ill import HandOver
from desk_app.domain.loan_states import TransitAction, transit_step
from desk_app.domain.roles import Job
from desk_app.domain.transport import TRAVELS, transit_after_checkout
from desk_app.printing.documents import ManifestData
from desk_app.services import transport
from desk_app.services.context import Actor, DeskContext

if TYPE_CHECKING:
    from desk_app.demo.plan import DemoPlan
    from desk_app.demo.scale import DemoCases

# §3 T4: the desk opens, the courier leaves, the delivery is confirmed.
OPENS = time(9, 0)
COURIER_LEAVES = time(13, 30)
DELIVERY_CONFIRMED = time(15, 45)
PAST_RUNS = 3  # courier runs before today (weekdays), dispatched and delivered


@dataclass(eq=False)
class RunPlan:
    """A courier run (T4) that left and whose delivery was confirmed."""

    route: str
    day: date
    dispatched_at: datetime
    delivered_at: datetime
    loaded: int = 0
    missing: int = 0
    id: int = 0


DISPATCH_COLUMNS = (
    "route_code",
    "day",
    "dispatched_at",
    "loaded",
    "missing",
    "staff",
    "desk",
    "delivered_at",
    "delivered_by",
)


def run_days(plan: DemoPlan) -> list[date]:
    """The courier's last ``PAST_RUNS`` weekdays before today, oldest first."""
    days: list[date] = []
    day = plan.yesterday
    while len(days) < PAST_RUNS:
        if day.weekday() < 5:
            days.append(day)
        day -= ONE_DAY
    return days[::-1]


def courier_loan(
    plan: DemoPlan, among: Sequence[BorrowerPlan], day: date, latest: time | datetime
) -> LoanPlan | None:
    """T1/T3: a home loan on ``day`` for a borrower at a route's institute,
    on the courier shelf from checkout (``transit_after_checkout``)."""
    if not plan.home_pool:
        return None
    who = plan.pick(day, among=among)
    if who is None:
        return None
    loan = institute_loan(plan, plan.home_pool.pop(), day, borrower=who)
    if loan is None:
        return None
    loan.loaned_at = plan.between(day, OPENS, latest)
    loan.transit = transit_after_checkout(loan.delivery)
    return loan


def transport_work(plan: DemoPlan, cases: DemoCases) -> None:
    """Past runs carried and delivered, today's crate waiting, and announced
    returns to collect, on every route."""
    rng = plan.rng
    route_of = {
        i.code: i.route
        for i in plan.policy.institutes
        if i.route is not None and HandOver(i.delivery.value) in TRAVELS
    }
    members: dict[str, list[BorrowerPlan]] = {}
    for borrower in plan.eligible[0]:
        if not borrower.reserved and borrower.institute in route_of:
            members.setdefault(route_of[borrower.institute], []).append(borrower)
    runs = run_days(plan)
    for route in plan.policy.routes:
        among = members.get(route.code)
        if not among:
            continue
        last: RunPlan | None = None
        for day in runs:
            run = RunPlan(
                route.code,
                day,
                datetime.combine(day, COURIER_LEAVES),
                datetime.combine(day, DELIVERY_CONFIRMED),
            )
            for _ in range(rng.randint(2, 5)):
                loan = courier_loan(plan, among, day, COURIER_LEAVES)
                if loan is not None and loan.transit is not None:
                    loaded = transit_step(loan.transit, TransitAction.DISPATCH)
                    loan.transit = transit_step(loaded, TransitAction.DELIVER)
                    loan.dispatch, loan.delivered_at = run, run.delivered_at
                    run.loaded += 1
            if run.loaded:
                plan.dispatches.append(run)
                last = run
        # Not loaded on the last run (missed in the crate): they go today.
        for _ in range(rng.randint(1, 2)):
            if runs and courier_loan(plan, among, runs[-1], COURIER_LEAVES) and last:
                last.missing += 1
        for _ in range(rng.randint(cases.courier_low, cases.courier_high)):
            courier_loan(plan, among, plan.today, plan.now)
    # T4: announced returns, a few on each route, collected on today's run.
    candidates = [
        loan
        for loan in plan.loans
        if loan.state is OPEN
        and loan.capacity is Capacity.INSTITUTE
        and loan.step is None
        and loan.transit is None
        and loan.borrower.institute in route_of
        and loan.delivery in TRAVELS
        and loan.loan_date < plan.today - timedelta(days=14)
    ]
    for route in plan.policy.routes:
        on_route = [x for x in candidates if route_of[x.borrower.institute] == route.code]
        for loan in rng.sample(on_route, min(len(on_route), rng.randint(1, 2))):
            if runs and rng.random() < 0.5:  # after the last run had left
                day = runs[-1]
                loan.announced_at = plan.between(day, COURIER_LEAVES, time(16, 0))
            else:
                day = plan.today
                loan.announced_at = plan.between(day, OPENS, plan.now)
            loan.announced_on = day


# --------------------------------------------------------------------------
# What the courier carries today, as the desk's own manifests count it

# the summary reads the manifests as the console does (``roles.Job.CONSOLE``)
_READER = Actor("demo", "demo", job=Job.CONSOLE)


class RouteWork(NamedTuple):
    """A route's manifest for the day, counted (T3, T4)."""

    route: str
    name: str
    internal_courier: bool
    stops: int
    deliver: int
    collect: int
    first_item: str | None  # an item waiting for this route, to try a slip with


def courier_work(ctx: DeskContext, day: date, desk: str = "demo") -> tuple[RouteWork, ...]:
    """Each route's manifest for ``day``, counted: the very manifests the
    desk prints (``services.transport``), so the summary cannot disagree."""
    work = []
    for route in transport.routes(ctx, _READER):
        sheet = transport.manifest(ctx, _READER, route.code, day, desk)
        if not isinstance(sheet, ManifestData):
            continue
        first = next((line.item_barcode for s in sheet.stops for line in s.deliver), None)
        work.append(
            RouteWork(
                route.code,
                route.name,
                route.internal_courier,
                len(sheet.stops),
                sheet.deliver_count,
                sheet.collect_count,
                first,
            )
        )
    return tuple(work)
