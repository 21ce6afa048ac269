"""``desk-app staff add NAME --role R [--card C] [--pin P] [--by ADMIN]`` and
``desk-app staff list``.

The first account of a new desk has to come from somewhere before anyone can
sign in: an administrator creates it here, freely while the database has no
admin. Once it has one, every new account needs an admin's name (``--by``)
and PIN (issue 13, point 9), so holding the database file is not enough to
make oneself an admin. The new PIN is read without echo (twice, to catch a
typo); ``--pin`` is for scripts and puts the PIN in the shell history, so
people should leave it out.

A signed-in operator's own PIN (``--by`` here, ``replay --staff``) is asked
without echo, or taken from ``DESK_APP_STAFF_PIN`` for scripts: the
environment, unlike the command line, stays out of the shell history and
``ps``.
"""

from __future__ import annotations

import getpass
import os
import socket
import sys

from desk_app.services.access import NotPermitted
from desk_app.services.context import Actor, DeskContext
from desk_app.services.staff import (
    SignInRefused,
    StaffMember,
    add_staff,
    admin_exists,
    sign_in,
    staff_members,
    valid_pin,
)

EXIT_USAGE = 2
PIN_ENV = "DESK_APP_STAFF_PIN"  # a signed-in operator's PIN, for scripts


def operator_pin(name: str) -> str | None:
    """The operator's PIN: ``DESK_APP_STAFF_PIN`` if set, else asked once
    without echo; None when there is no terminal to ask at."""
    from_env = os.environ.get(PIN_ENV)
    if from_env is not None:
        return from_env
    try:
        return getpass.getpass(f"PIN of {name}: ")
    except (EOFError, OSError):
        return None


def sign_in_operator(ctx: DeskContext, name: str, command: str) -> StaffMember | str:
    """Sign ``name`` in for a console command (audited like a desk sign-in,
    with its lock-out); the member, or why not, as one line."""
    pin = operator_pin(name)
    if not pin:
        return f"no PIN for {name}: type it when asked, or set {PIN_ENV}"
    outcome = sign_in(ctx, name=name, pin=pin, desk=console_desk(command))
    if isinstance(outcome, SignInRefused):
        return outcome.message_en
    return outcome


def console_desk(command: str) -> str:
    """Where a console command acts from, for the audit."""
    return f"{command}@{socket.gethostname()}"


def read_pin() -> str | None:
    """Ask for the PIN twice without echo; None if the two differ or it is no PIN."""
    pin = getpass.getpass("PIN (4-8 digits): ")
    if not valid_pin(pin):
        print("desk-app staff: a PIN is 4 to 8 digits (0-9)", file=sys.stderr)
        return None
    if getpass.getpass("PIN again: ") != pin:
        print("desk-app staff: the two PINs differ; nothing was added", file=sys.stderr)
        return None
    return pin


def staff_add_command(
    ctx: DeskContext,
    name: str,
    role: str,
    card: str | None,
    pin: str | None,
    by: str | None = None,
) -> int:
    """Add one staff account; a refusal says why on stderr and exits 2.
    Once the database has an admin, ``by`` must name one, whose PIN is asked
    before anything else."""
    admin: Actor | None = None
    if by is not None:
        member = sign_in_operator(ctx, by, "staff add")
        if isinstance(member, str):
            print(f"desk-app staff: {member} Nothing was added.", file=sys.stderr)
            return EXIT_USAGE
        admin = member.actor(console_desk("staff add"))
    elif admin_exists(ctx):
        print(
            "desk-app staff: the database has an admin, so only an admin may add staff: "
            f"name yourself with --by ADMIN (your PIN is asked, or set {PIN_ENV}). "
            "Nothing was added.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if pin is None:
        pin = read_pin()
        if pin is None:
            return EXIT_USAGE
    try:
        added = add_staff(ctx, name, role, pin, card, by=admin)
    except (ValueError, NotPermitted) as exc:
        print(f"desk-app staff: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with_card = f", staff card {added.card}" if added.card else ""
    print(f"Added {added.name} ({added.role.value}{with_card}).")
    return 0


def staff_list_command(ctx: DeskContext) -> int:
    """The active staff: name, role and staff card (never a PIN or its hash)."""
    members = staff_members(ctx)
    if not members:
        print("No staff yet. Add the first: desk-app staff add NAME --role admin")
        return 0
    width = max(len(m.name) for m in members)
    for m in members:
        print(f"{m.name:<{width}}  {m.role.value:<10}  {m.card or '-'}")
    return 0
