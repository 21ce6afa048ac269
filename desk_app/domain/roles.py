"""Staff roles and what each may do: ONE role x action table (issues 3, 13).

Every service function that acts on the shared database names its
:class:`Action` and asks :func:`may` (through ``services.access.authorize``)
before it does anything; the window asks the same table what to offer, so a
button and the service behind it can never disagree. A desk login may lend,
return and renew; only a supervisor (or admin) may override a refusal (see
``checkout.OVERRIDABLE``) or settle a suspension case (S5); couriers load,
dispatch and deliver routes (T4) and check in what comes back; only an admin
adds staff and changes a desk's settings.

Besides staff, three kinds of work are done by no signed-in person
(:class:`Job`): the daily notices run (at start-up, or ``desk-app notices``
from cron), the console's read-only print commands, and a replay into a
database that has no staff at all (the replay format speaks for a
supervisor, replay-format.md); ``services.access`` honours that last one
only while the database has no staff account.
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.i18n import Text, tx


class Role(StrEnum):
    DESK = "desk"
    COURIER = "courier"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Job(StrEnum):
    """Who acts when no person signed in does (``Actor.job``)."""

    DAILY_RUN = "daily_run"  # the notices run at start-up or from cron (S6)
    CONSOLE = "console"  # desk-app print slip/manifest, the demo's manifests: read-only
    REPLAY = "replay"  # replay into a database without staff: speaks for a supervisor


Principal = Role | Job


class Action(StrEnum):
    """Every action a service performs for someone. Values are the audit
    trail's action names where the action is audited already."""

    # circulation (§1-§5, §6 C1)
    CHECK_OUT = "checkout"
    OVERRIDE = "checkout_override"
    UNDO_CHECKOUT = "undo_checkout"
    CHECK_IN = "checkin"
    RENEW = "renew"
    REQUEST = "request"
    PICK_LIST = "pick_list"  # Q1: the items to fetch for waiting requests
    FOUND_ON_SHELF = "found_on_shelf"
    ORDER_ALTERNATIVE = "order_alternative"  # §2 M3
    CARD_LOST = "card_lost"  # U1
    ILL_RECEIVE = "ill_receive"  # §7 I2-I3
    # claims (§6)
    DECLARE_LOST = "lost"
    BILL_CLAIMS = "claims"
    # supervision (§5)
    SETTLE_BY_CONTACT = "contact"  # S5
    BORROWER_STATUS = "status"
    SEARCH_BORROWERS = "search_borrowers"
    SEARCH_ITEMS = "search_items"  # find items, and where one is (issue 15)
    VIEW_ITEM_HISTORY = "view_item_history"  # who has an item, and who had it before
    VIEW_BORROWER = "view_borrower"  # a borrower's cases, audit trail, what-if
    LIST_SUSPENDED = "list_suspended"  # the suspended list and its CSV export
    # transport (§3)
    VIEW_ROUTES = "view_routes"
    PRINT_SLIP = "print_slip"
    PRINT_MANIFEST = "print_manifest"
    LOAD_ROUTE = "load_route"  # T4: scanning items into the crate
    DISPATCH_ROUTE = "dispatch"
    CONFIRM_DELIVERY = "deliver"
    ANNOUNCE_RETURN = "announce_return"
    # notices (§5 S6)
    RUN_NOTICES = "notices"
    SEND_NOTICE_MAIL = "send_notice_mail"
    PRINT_LETTERS = "print_letters"
    PRINT_RECEIPT = "print_receipt"  # a borrower receipt, printed or e-mailed
    # the database's people and items, staff, and the desk itself
    DECLARE = "declare"  # add or update institutes, borrowers, items (replay, enrolment)
    ADD_STAFF = "add_staff"
    CHANGE_SETTINGS = "settings"


_DESK, _COURIER = Role.DESK, Role.COURIER
_SUPERVISOR, _ADMIN = Role.SUPERVISOR, Role.ADMIN
# A replay into a database without staff speaks for a supervisor
# (replay-format.md): it stands in every set a supervisor stands in, here in
# the table rather than in ``may``, so the table is the only place to read.
_REPLAY = Job.REPLAY
_ANYONE: frozenset[Principal] = frozenset({*Role, _REPLAY})  # every staff role (and a replay)
# who serves borrowers at the desk
_COUNTER: frozenset[Principal] = frozenset({_DESK, _SUPERVISOR, _ADMIN, _REPLAY})
# who loads and drives the routes (T4)
_ROUTES: frozenset[Principal] = frozenset({_COURIER, _SUPERVISOR, _ADMIN, _REPLAY})
_SUPERVISORS: frozenset[Principal] = frozenset({_SUPERVISOR, _ADMIN, _REPLAY})
_ADMINS: frozenset[Principal] = frozenset({_ADMIN})

# THE table: who may do what. An admin may do everything; a replay into a
# database without staff may do what a supervisor may.
ALLOWED: dict[Action, frozenset[Principal]] = {
    Action.CHECK_OUT: _COUNTER,
    Action.OVERRIDE: _SUPERVISORS,
    Action.UNDO_CHECKOUT: _COUNTER,
    Action.CHECK_IN: _ANYONE,  # couriers check in what comes back from institutes
    Action.RENEW: _COUNTER,
    Action.REQUEST: _COUNTER,
    Action.PICK_LIST: _COUNTER | {Job.CONSOLE},  # desk-app print picklist: read-only
    Action.FOUND_ON_SHELF: _COUNTER,
    Action.ORDER_ALTERNATIVE: _COUNTER,
    Action.CARD_LOST: _COUNTER,
    Action.ILL_RECEIVE: _COUNTER,
    Action.DECLARE_LOST: _COUNTER,
    Action.BILL_CLAIMS: _SUPERVISORS,
    Action.SETTLE_BY_CONTACT: _SUPERVISORS,
    Action.BORROWER_STATUS: _ANYONE,  # the panel after any check-in, a courier's too
    Action.SEARCH_BORROWERS: _COUNTER,
    Action.SEARCH_ITEMS: _COUNTER,
    Action.VIEW_ITEM_HISTORY: _SUPERVISORS,  # a loan's borrower is private
    Action.VIEW_BORROWER: _COUNTER,
    Action.LIST_SUSPENDED: _COUNTER,
    Action.VIEW_ROUTES: _ANYONE | {Job.CONSOLE},
    Action.PRINT_SLIP: _ANYONE | {Job.CONSOLE},
    Action.PRINT_MANIFEST: _ROUTES | {Job.CONSOLE},
    Action.LOAD_ROUTE: _ROUTES,
    Action.DISPATCH_ROUTE: _ROUTES,
    Action.CONFIRM_DELIVERY: _ROUTES,
    Action.ANNOUNCE_RETURN: _ROUTES,
    Action.RUN_NOTICES: _SUPERVISORS | {Job.DAILY_RUN},
    Action.SEND_NOTICE_MAIL: _SUPERVISORS | {Job.DAILY_RUN},
    Action.PRINT_LETTERS: _COUNTER | {Job.DAILY_RUN},
    Action.PRINT_RECEIPT: _COUNTER | {Job.CONSOLE},
    Action.DECLARE: _SUPERVISORS,
    Action.ADD_STAFF: _ADMINS,
    Action.CHANGE_SETTINGS: _ADMINS,
}

# Actions on this PC's own files rather than the shared database: the window
# enforces them (a person at the PC can edit the file anyway), no service does.
LOCAL_ONLY = frozenset({Action.CHANGE_SETTINGS})


def may(who: Principal | str, action: Action) -> bool:
    """Whether ``who`` (a staff role, or a job) may perform ``action``."""
    return principal_of(who) in ALLOWED[action]


def principal_of(who: Principal | str) -> Principal:
    """A role or job from its stored name; ValueError for anything else."""
    if isinstance(who, Role | Job):
        return who
    return Job(who) if who in Job._value2member_map_ else Role(who)


# What each action is, for a refusal: "a courier may not <lend items>".
DOING: dict[Action, Text] = {
    Action.CHECK_OUT: tx("lend items"),
    Action.OVERRIDE: tx("override a refusal"),
    Action.UNDO_CHECKOUT: tx("undo a checkout"),
    Action.CHECK_IN: tx("check items in"),
    Action.RENEW: tx("renew loans"),
    Action.REQUEST: tx("place requests"),
    Action.PICK_LIST: tx("see the pick list"),
    Action.FOUND_ON_SHELF: tx("end a loan as found on the shelf"),
    Action.ORDER_ALTERNATIVE: tx("order alternatives"),
    Action.CARD_LOST: tx("report cards lost"),
    Action.ILL_RECEIVE: tx("lend interlibrary loans"),
    Action.DECLARE_LOST: tx("declare items lost"),
    Action.BILL_CLAIMS: tx("bill claims"),
    Action.SETTLE_BY_CONTACT: tx("settle a case by contact"),
    Action.BORROWER_STATUS: tx("look up borrowers"),
    Action.SEARCH_BORROWERS: tx("search borrowers"),
    Action.SEARCH_ITEMS: tx("search items"),
    Action.VIEW_ITEM_HISTORY: tx("see who borrowed an item"),
    Action.VIEW_BORROWER: tx("view a borrower's cases"),
    Action.LIST_SUSPENDED: tx("list suspended borrowers"),
    Action.VIEW_ROUTES: tx("view the routes and their crates"),
    Action.PRINT_SLIP: tx("print slips"),
    Action.PRINT_MANIFEST: tx("print courier manifests"),
    Action.LOAD_ROUTE: tx("load a route"),
    Action.DISPATCH_ROUTE: tx("dispatch a route"),
    Action.CONFIRM_DELIVERY: tx("confirm deliveries"),
    Action.ANNOUNCE_RETURN: tx("announce returns for the courier"),
    Action.RUN_NOTICES: tx("run the notices"),
    Action.SEND_NOTICE_MAIL: tx("send notice e-mail"),
    Action.PRINT_LETTERS: tx("print notice letters"),
    Action.PRINT_RECEIPT: tx("print or e-mail borrower receipts"),
    Action.DECLARE: tx("add borrowers, items or institutes"),
    Action.ADD_STAFF: tx("add staff"),
    Action.CHANGE_SETTINGS: tx("change the desk's settings"),
}

ROLE_NAMES: dict[Principal, Text] = {
    Role.DESK: tx("desk login"),
    Role.COURIER: tx("courier"),
    Role.SUPERVISOR: tx("supervisor"),
    Role.ADMIN: tx("admin"),
    Job.DAILY_RUN: tx("daily run"),
    Job.CONSOLE: tx("console command"),
    Job.REPLAY: tx("replay"),
}


# --------------------------------------------------------------------------
# The window's older vocabulary, kept: each permission is one action of the
# table, so ``can`` and ``may`` always agree.


class Permission(StrEnum):
    CIRCULATE = "circulate"  # check out, check in, renew, order alternatives
    CHECK_IN = "check_in"  # couriers check in what comes back from institutes
    OVERRIDE = "override"  # lend despite a refusal, with an audited reason
    SUPERVISE = "supervise"  # supervisor screen, settle by contact (S5)
    DISPATCH = "dispatch"  # courier manifests (T4)
    SETTINGS = "settings"  # database, desk name, scanner, printer
    STAFF = "staff"  # add staff, reset PINs


PERMISSION_ACTION: dict[Permission, Action] = {
    Permission.CIRCULATE: Action.CHECK_OUT,
    Permission.CHECK_IN: Action.CHECK_IN,
    Permission.OVERRIDE: Action.OVERRIDE,
    Permission.SUPERVISE: Action.SETTLE_BY_CONTACT,
    Permission.DISPATCH: Action.DISPATCH_ROUTE,
    Permission.SETTINGS: Action.CHANGE_SETTINGS,
    Permission.STAFF: Action.ADD_STAFF,
}


def can(role: Role | str, permission: Permission) -> bool:
    return may(Role(role), PERMISSION_ACTION[permission])
