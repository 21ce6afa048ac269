"""``desk-app orders import FILE.csv``: the order form's orders placed as requests.

The file is the order form's CSV export (``docs/orders-import.md``). It is
read whole before anything else: a file with a bad line places nothing and
every bad line is listed (line, column, what was read, what to do), before
any PIN is asked. A clean file's orders are placed in one transaction
(``services.order_import``), each through the rules of a request; what a
rule refuses is listed with its rule and code, and the other orders are
placed all the same. Importing the same file again places nothing twice.

Who acts: as for ``desk-app replay --db``, a database with staff accounts
is imported into by a signed-in staff member (``--staff NAME``; the PIN is
asked, or taken from ``DESK_APP_STAFF_PIN``) who may place requests; a
database without any (a fresh one) by the import itself, as a replay would.

Exit status: 0 every order placed or there already; 1 the import ran but
some orders were not placed (refused by a rule, or skipped as bad with
``--skip-bad``); 2 nothing was placed: the file is malformed or cannot be
read, or the operator cannot sign in or may not place requests. The report
is in the desk's language (``--language``); what it shows of a card number
is masked (B3).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from desk_app.cli.staff import console_desk, sign_in_operator
from desk_app.domain.barcodes import mask_if_cpr_like
from desk_app.domain.order_import import (
    NO_ORDERS,
    NOTHING_PLACED_CHECK,
    LineOutcome,
    OrderFile,
    counts_text,
    malformed_text,
    read_as_text,
    read_order_file,
)
from desk_app.domain.roles import Job
from desk_app.i18n import Text
from desk_app.services.context import Actor, DeskContext
from desk_app.services.order_import import ImportReport, ImportStatus, import_orders
from desk_app.services.staff import has_staff
from desk_app.settings import load_settings

EXIT_DONE = 0
EXIT_SOME_NOT_PLACED = 1  # refused by a rule, or skipped as bad (--skip-bad)
EXIT_NOTHING_PLACED = 2  # malformed or unreadable file, no sign-in, not permitted
COMMAND = "orders import"
MAX_FILE_BYTES = 50_000_000  # a day's export is kilobytes; this is the wrong file

EXIT_STATUS = {
    ImportStatus.DONE: EXIT_DONE,
    ImportStatus.SOME_REFUSED: EXIT_SOME_NOT_PLACED,
    ImportStatus.MALFORMED: EXIT_NOTHING_PLACED,
    ImportStatus.NOT_PERMITTED: EXIT_NOTHING_PLACED,
}
# What the report lists line by line (the rest is counted): without --all,
# the orders that were not placed.
LISTED = frozenset({LineOutcome.REFUSED})


def orders_import_command(
    ctx: DeskContext,
    data_dir: Path,
    path: str,
    *,
    operator: str | None = None,
    skip_bad: bool = False,
    check_only: bool = False,
    every_line: bool = False,
    language: str | None = None,
) -> int:
    lang = language or load_settings(data_dir).language
    data = _read(path)
    if isinstance(data, str):
        return _fail(data)
    order_file = read_order_file(data, ctx.today())
    early = ImportReport(order_file, skip_bad=skip_bad, checked_only=check_only)
    if early.status is ImportStatus.MALFORMED:
        _print_report(path, early, lang, every_line, sys.stderr)
        return EXIT_NOTHING_PLACED
    actor = who_acts(ctx, operator)
    if isinstance(actor, str):
        return _fail(actor)
    report = import_orders(ctx, actor, order_file, skip_bad=skip_bad, check_only=check_only)
    if report.refusal is not None:
        return _fail(f"{report.refusal.message(lang)} Nothing was placed.")
    _print_report(path, report, lang, every_line, sys.stdout)
    return EXIT_STATUS[report.status]


def _read(path: str) -> bytes | str:
    """The file's bytes, or why they cannot be read (one line)."""
    try:
        file = Path(path)
        if file.is_dir():
            return f"cannot read {path}: it is a folder; nothing was placed"
        if file.stat().st_size > MAX_FILE_BYTES:
            return (
                f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB: no day's export "
                "of the order form is; nothing was placed"
            )
        return file.read_bytes()
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}; nothing was placed"


def who_acts(ctx: DeskContext, operator: str | None) -> Actor | str:
    """The actor who places the orders, or why no one may (one line)."""
    if not has_staff(ctx):
        if operator is not None:
            return (
                "the database has no staff accounts to sign in with: leave out --staff "
                "(the import then acts itself, as a replay would); nothing was placed"
            )
        return Actor("orders import", console_desk(COMMAND), job=Job.REPLAY)
    if operator is None:
        return (
            "the database has staff accounts, so orders are imported by a signed-in staff "
            "member: add --staff NAME (the PIN is asked, or set DESK_APP_STAFF_PIN); "
            "nothing was placed"
        )
    member = sign_in_operator(ctx, operator, COMMAND)
    if isinstance(member, str):
        return f"{member} Nothing was placed."
    return member.actor(console_desk(COMMAND))


def report_lines(report: ImportReport, every_line: bool = False) -> list[Text]:
    """What the report says, line by line: the bad lines, the orders not
    placed (with ``every_line``, every order), then the counts."""
    order_file: OrderFile = report.file
    lines = [read_as_text(order_file)]
    lines += [bad.text for bad in order_file.bad]
    if report.status is ImportStatus.MALFORMED:
        lines.append(malformed_text(order_file.bad_lines, order_file.header_ok))
        return lines
    lines += [r.report for r in report.results if every_line or r.outcome in LISTED]
    if not order_file.orders and not order_file.bad:
        lines.append(NO_ORDERS)
    placed = report.count(LineOutcome.PLACED)
    already = report.count(LineOutcome.ALREADY_IMPORTED, LineOutcome.ALREADY_REQUESTED)
    refused = report.count(LineOutcome.REFUSED)
    lines.append(counts_text(placed, already, refused, len(order_file.bad_lines)))
    if report.checked_only:
        lines.append(NOTHING_PLACED_CHECK)
    return lines


def _print_report(
    path: str, report: ImportReport, language: str, every_line: bool, out: TextIO
) -> None:
    lines = report_lines(report, every_line)
    out.write(f"{mask_if_cpr_like(path)}: {lines[0].render(language)}\n")
    for line in lines[1:]:
        out.write(line.render(language) + "\n")
    out.flush()


def _fail(message: str) -> int:
    """One line on standard error, CPR-masked (B3): a file name may hold one."""
    print(f"desk-app {COMMAND}: {mask_if_cpr_like(message)}", file=sys.stderr)
    return EXIT_NOTHING_PLACED
