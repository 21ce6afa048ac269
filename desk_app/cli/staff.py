"""``desk-app staff add NAME --role R [--card C] [--pin P]`` and ``desk-app staff list``.

The first account of a new desk has to come from somewhere before anyone can
sign in: an administrator creates it here. The PIN is read without echo
(twice, to catch a typo); ``--pin`` is for scripts and puts the PIN in the
shell history, so people should leave it out.
"""

from __future__ import annotations

import getpass
import sys

from desk_app.services.context import DeskContext
from desk_app.services.staff import add_staff, staff_members, valid_pin

EXIT_USAGE = 2


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
    ctx: DeskContext, name: str, role: str, card: str | None, pin: str | None
) -> int:
    """Add one staff account; a refusal says why on stderr and exits 2."""
    if pin is None:
        pin = read_pin()
        if pin is None:
            return EXIT_USAGE
    try:
        member = add_staff(ctx, name, role, pin, card)
    except ValueError as exc:
        print(f"desk-app staff: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with_card = f", staff card {member.card}" if member.card else ""
    print(f"Added {member.name} ({member.role.value}{with_card}).")
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
