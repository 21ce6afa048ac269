"""Staff rows for services tests: every service checks the actor's role in
the staff table (issue 13, point 9), so a test acts as someone who exists.

``ensure_staff`` writes the row directly with a hash no PIN matches: quick
(no scrypt), and no one can sign in as a test's made-up staff member.
"""

from __future__ import annotations

from sqlalchemy import select

from desk_app.domain.roles import Job, Role
from desk_app.services.context import Actor, DeskContext
from desk_app.store.models import Staff

TEST_STAFF = "test-staff"  # the ``actor`` fixture's name: a supervisor
TEST_DESK = "test-desk"
NO_PIN = "none$not-a-pin-hash"  # verify_pin refuses every PIN against it


def ensure_staff(
    ctx: DeskContext, name: str = TEST_STAFF, role: Role = Role.SUPERVISOR, desk: str = TEST_DESK
) -> Actor:
    """The actor ``name`` at ``desk``, with an active staff row of ``role``
    (added if missing; an existing row keeps its role)."""
    with ctx.sessions.begin() as session:
        if session.scalars(select(Staff.id).where(Staff.name == name)).first() is None:
            session.add(
                Staff(
                    name=name,
                    role=Role(role).value,
                    card=None,
                    pin_hash=NO_PIN,
                    active=True,
                    failed_attempts=0,
                    locked_until=None,
                )
            )
    return Actor(name, desk)


def test_actor(ctx: DeskContext) -> Actor:
    """The supervisor most services tests act as."""
    return ensure_staff(ctx)


def seeder(ctx: DeskContext) -> Actor:
    """Who declares a test's borrowers and items: on a database without staff
    the replay's stand-in supervisor (``Job.REPLAY``), so seeding adds no
    staff account; where staff exist, the test supervisor."""
    with ctx.sessions() as session:
        staffed = session.scalars(select(Staff.id).where(Staff.active.is_(True))).first()
    if staffed is None:
        return Actor("test seed", TEST_DESK, job=Job.REPLAY)
    return ensure_staff(ctx)


test_actor.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
