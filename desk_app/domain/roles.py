"""Staff roles and what each may do at the desk.

Issue 3: the screens and actions offered follow the signed-in role. A desk
login may lend, return and renew; only a supervisor (or admin) may override
a refusal (see ``checkout.OVERRIDABLE``) or settle a suspension case (S5).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    DESK = "desk"
    COURIER = "courier"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Permission(StrEnum):
    CIRCULATE = "circulate"  # check out, check in, renew, order alternatives
    CHECK_IN = "check_in"  # couriers check in what comes back from institutes
    OVERRIDE = "override"  # lend despite a refusal, with an audited reason
    SUPERVISE = "supervise"  # supervisor screen, settle by contact (S5)
    DISPATCH = "dispatch"  # courier manifests (T4)
    SETTINGS = "settings"  # database, desk name, scanner, printer
    STAFF = "staff"  # add staff, reset PINs


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.DESK: frozenset({Permission.CIRCULATE, Permission.CHECK_IN}),
    Role.COURIER: frozenset({Permission.CHECK_IN, Permission.DISPATCH}),
    Role.SUPERVISOR: frozenset(
        {
            Permission.CIRCULATE,
            Permission.CHECK_IN,
            Permission.OVERRIDE,
            Permission.SUPERVISE,
            Permission.DISPATCH,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}


def can(role: Role | str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[Role(role)]
