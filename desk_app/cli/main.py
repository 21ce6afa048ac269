"""``desk-app``: the desk window, or a subcommand.

Heavy imports (Qt, SQLAlchemy) happen inside each command, so ``replay`` never
loads Qt and the window starts without the CLI's baggage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from desk_app.domain.roles import Role
from desk_app.settings import LANGUAGES, MANIFEST_PAGE_SIZES, PAGE_SIZES

if TYPE_CHECKING:
    from desk_app.policy_file import PolicyError

# a settings file, policy file, database or CPR key the desk cannot use, or
# missing system libraries for the window: one line naming what and where
# (issue 13)
EXIT_STARTUP = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk-app",
        description="Circulation desk for the special institute loan scheme. "
        "Without a command it opens the desk window.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: DESK_APP_DATABASE_URL, "
        "else an SQLite file in the user data folder)",
    )
    parser.add_argument("--policy", metavar="FILE", help="policy TOML (default: the KB/KU policy)")
    sub = parser.add_subparsers(dest="command")

    replay = sub.add_parser("replay", help="run a replay file (replay-format.md)")
    replay.add_argument("file")
    replay.add_argument(
        "--db",
        metavar="URL",
        dest="sub_db",
        help="apply to this database (default: a fresh in-memory one)",
    )
    replay.add_argument(
        "--staff",
        metavar="NAME",
        help="with --db on a database that has staff: the signed-in operator who runs "
        "the events (their PIN is asked, or taken from DESK_APP_STAFF_PIN); "
        "the file's own staff names are only noted in the audit",
    )

    notices = sub.add_parser("notices", help="run the daily notices (§5)")
    notices.add_argument("--db", metavar="URL", dest="sub_db", help="database URL")
    notices.add_argument(
        "--date", type=date.fromisoformat, help="the day to run for (default: today)"
    )
    notices.add_argument(
        "--no-email", action="store_true", help="do not send e-mail now (messages wait)"
    )
    notices.add_argument(
        "--letters", metavar="FILE.pdf", help="write the day's letters as one PDF for printing"
    )
    notices.add_argument(
        "--postal-only",
        action="store_true",
        help="with --letters: only the letters that cannot go by e-mail",
    )
    notices.add_argument("--language", choices=("da", "en"), help="letters' language")

    demo = sub.add_parser("demo", help="fill the database with realistic demo data")
    demo.add_argument("--db", metavar="URL", dest="sub_db", help="database URL")
    demo.add_argument("--borrowers", type=int, default=2000)
    demo.add_argument("--items", type=int, default=20000)
    demo.add_argument("--seed", type=int, default=2017)

    staff = sub.add_parser("staff", help="add or list the staff who may sign in")
    staff.add_argument("--db", metavar="URL", dest="sub_db", help="database URL")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    staff_add = staff_sub.add_parser("add", help="add a staff account (asks for the PIN)")
    staff_add.add_argument("name", metavar="NAME")
    staff_add.add_argument("--role", required=True, choices=[role.value for role in Role])
    staff_add.add_argument("--card", metavar="C", help="staff card number (14 digits, B1/B2)")
    staff_add.add_argument("--pin", help="the PIN, for scripts (otherwise asked for without echo)")
    staff_add.add_argument(
        "--by",
        metavar="ADMIN",
        help="the admin adding the account, needed once the database has an admin "
        "(their PIN is asked, or taken from DESK_APP_STAFF_PIN)",
    )
    staff_sub.add_parser("list", help="list the active staff")

    orders = sub.add_parser("orders", help="orders from the library's order form (§4 L3)")
    orders_sub = orders.add_subparsers(dest="orders_command", required=True)
    orders_import = orders_sub.add_parser(
        "import",
        help="place the orders of the order form's CSV export as requests "
        "(docs/orders-import.md); a file with a bad line places nothing",
    )
    orders_import.add_argument("file", metavar="FILE.csv")
    orders_import.add_argument("--db", metavar="URL", dest="sub_db", help="database URL")
    orders_import.add_argument(
        "--staff",
        metavar="NAME",
        help="the staff member who places them, on a database with staff (their PIN is "
        "asked, or taken from DESK_APP_STAFF_PIN)",
    )
    orders_import.add_argument(
        "--skip-bad", action="store_true", help="place the good lines of a file with bad lines"
    )
    orders_import.add_argument(
        "--check", action="store_true", help="decide every order, then place nothing"
    )
    orders_import.add_argument(
        "--all", action="store_true", dest="every_line", help="list every order, placed too"
    )
    orders_import.add_argument(
        "--language", choices=LANGUAGES, help="the report's language (default: the settings)"
    )

    printing = sub.add_parser("print", help="print a slip or a courier manifest to a PDF (§3)")
    print_sub = printing.add_subparsers(dest="print_command", required=True)
    slip = print_sub.add_parser(
        "slip", help="the slip of an item's open loan (transport, pickup or reading room)"
    )
    slip.add_argument("item", metavar="ITEM", help="item barcode, or the slip's own code (L...)")
    manifest = print_sub.add_parser("manifest", help="a route's courier manifest for a day (T4)")
    manifest.add_argument("--route", required=True, metavar="R", help="route code, e.g. NORTH")
    manifest.add_argument(
        "--date", metavar="YYYY-MM-DD", dest="day", help="the day (default: today)"
    )
    for leaf, sizes in ((slip, PAGE_SIZES), (manifest, MANIFEST_PAGE_SIZES)):
        leaf.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")
        leaf.add_argument("--size", choices=sizes, help="paper (default: the desk's settings)")
        leaf.add_argument(
            "--language", choices=LANGUAGES, help="language (default: the desk's settings)"
        )
        leaf.add_argument("--db", metavar="URL", dest="sub_db", help="database URL")
    picklist = print_sub.add_parser("picklist", help="the pick list on A4, in shelf order (Q1)")
    receipt = print_sub.add_parser("receipt", help="a borrower's receipt on the 80 mm roll")
    receipt.add_argument("--card", required=True, metavar="CARD", help="the borrower's card")
    for leaf in (picklist, receipt):
        leaf.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")
        leaf.add_argument(
            "--language", "--lang", choices=LANGUAGES, help="language (default: the settings)"
        )
        leaf.add_argument("--db", metavar="URL", dest="sub_db", help="database URL")

    gui = sub.add_parser("gui", help="open the desk window (the default)")
    gui.add_argument("--db", metavar="URL", dest="sub_db", help="database URL")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    window = args.command in (None, "gui")
    if window:  # before Qt loads: Qt aborts on a missing library, blaming another
        from desk_app.system_libraries import missing_libraries_message

        missing = missing_libraries_message()
        if missing:
            print(f"desk-app: {missing}", file=sys.stderr)
            return EXIT_STARTUP
    from desk_app.policy_file import PolicyError
    from desk_app.settings import SettingsError
    from desk_app.wiring import StartupError

    try:
        return _command(args)
    except PolicyError as problem:
        return _cannot_start(_policy_problem(problem), window)
    except (SettingsError, StartupError) as problem:
        return _cannot_start(str(problem), window)


def _policy_problem(problem: PolicyError) -> str:
    """``the policy file PATH: KEY: why`` (issue 13 point 13); a file that
    cannot be read or decoded has no key to name."""
    text = str(problem)
    if problem.key == "(file)":
        text = text.replace(": (file): ", ": ", 1)
    return f"the policy file {text}"


def _cannot_start(problem: str, window: bool) -> int:
    """Say why the desk cannot start: on stderr, and for the window in a
    message box too (a desk started from a menu has no terminal)."""
    print(f"desk-app: {problem}", file=sys.stderr)
    if window:
        from desk_app.gui.app import show_startup_problem

        show_startup_problem(problem)
    return EXIT_STARTUP


def _command(args: argparse.Namespace) -> int:
    from desk_app.config import load_config
    from desk_app.policy_file import load_policy

    config = load_config(getattr(args, "sub_db", None) or args.db, args.policy)
    policy = load_policy(config.policy_path)  # a PolicyError stops start-up (main)

    if args.command == "replay":
        from desk_app.cli.replay import replay_command

        return replay_command(
            args.file, args.sub_db or args.db, config.cpr_key, policy, operator=args.staff
        )

    from desk_app.wiring import open_configured

    if args.command == "notices":
        from desk_app.cli.notices import notices_command

        ctx = open_configured(config, policy=policy)
        return notices_command(
            ctx,
            args.date,
            config.data_dir,
            send_mail=not args.no_email,
            letters=args.letters,
            postal_only=args.postal_only,
            language=args.language,
        )
    if args.command == "demo":
        from desk_app.cli.demo import demo_command

        ctx = open_configured(config, policy=policy)
        return demo_command(ctx, config.database_url, args.borrowers, args.items, args.seed)
    if args.command == "staff":
        from desk_app.cli.staff import staff_add_command, staff_list_command

        ctx = open_configured(config, policy=policy)
        if args.staff_command == "add":
            return staff_add_command(ctx, args.name, args.role, args.card, args.pin, args.by)
        return staff_list_command(ctx)
    if args.command == "orders":
        from desk_app.cli.orders import orders_import_command

        ctx = open_configured(config, policy=policy)
        try:
            return orders_import_command(
                ctx,
                config.data_dir,
                args.file,
                operator=args.staff,
                skip_bad=args.skip_bad,
                check_only=args.check,
                every_line=args.every_line,
                language=args.language,
            )
        finally:
            ctx.close()

    if args.command == "print":
        from desk_app.cli.printing import print_manifest_command, print_slip_command

        ctx = open_configured(config, policy=policy)
        try:
            if args.print_command in ("picklist", "receipt"):
                from desk_app.cli.printing import print_picklist_command, print_receipt_command

                if args.print_command == "picklist":
                    return print_picklist_command(ctx, config.data_dir, args.out, args.language)
                return print_receipt_command(
                    ctx, config.data_dir, args.card, args.out, args.language
                )
            if args.print_command == "slip":
                return print_slip_command(
                    ctx, config.data_dir, args.item, args.out, args.size, args.language
                )
            return print_manifest_command(
                ctx, config.data_dir, args.route, args.day, args.out, args.size, args.language
            )
        finally:  # called in-process (tests, the GUI later): leave no connection open
            ctx.sessions.kw["bind"].dispose()

    from desk_app.gui.app import run_gui

    return run_gui(config, policy)


if __name__ == "__main__":
    sys.exit(main())
