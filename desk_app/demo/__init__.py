"""Generated libraries: one description of what a library holds, at any scale.

A research library's borrowers and cards (``people``), its shelves
(``catalogue``), its loans and how their dates come about (``loans``), where
each open loan stands on the §5 ladder and what the daily runs sent it
(``ladder``, ``notices``), requests (``requests``), the courier's day
(``courier``), claims (``claims``) and the audit trail (``audit``) are each
described once, with the domain's own rules; ``scale`` says how many of each.
Everything is dated relative to the day it stands on and is the same for the
same seed.

Two scales, two writers:

- the demo (``fill_demo``): two thousand borrowers and every rule with a case
  a newcomer can try, planned in memory (``plan``, ``cases``) and written
  through the desk's own session (``write``);
- a library at scale (``generate``): a million items for the benchmarks,
  streamed row by row (``library``) and written in bulk (``bulk``:
  ``executemany`` on SQLite, ``COPY`` on PostgreSQL).
"""

from __future__ import annotations

from desk_app.demo.courier import RouteWork, courier_work
from desk_app.demo.examples import DemoExample
from desk_app.demo.fill import fill_demo
from desk_app.demo.library import Made, generate
from desk_app.demo.people import (
    DEMO_STAFF,
    INSTITUTION,
    STAFF_INSTITUTION,
    DemoStaff,
    library_card,
    make_cpr,
    staff_card,
)
from desk_app.demo.scale import MIN_BORROWERS, MIN_ITEMS, DemoCases, Scale
from desk_app.demo.summary import DemoSummary, demo_counts, has_data
from desk_app.demo.write import DEMO_ACTOR

__all__ = [
    "DEMO_ACTOR",
    "DEMO_STAFF",
    "INSTITUTION",
    "MIN_BORROWERS",
    "MIN_ITEMS",
    "STAFF_INSTITUTION",
    "DemoCases",
    "DemoExample",
    "DemoStaff",
    "DemoSummary",
    "Made",
    "RouteWork",
    "Scale",
    "courier_work",
    "demo_counts",
    "fill_demo",
    "generate",
    "has_data",
    "library_card",
    "make_cpr",
    "staff_card",
]
