"""``desk-app print slip ITEM``, ``print manifest --route R``, ``print
picklist`` and ``print receipt --card C``: PDFs from the command line (§3
T1-T4, §4 Q1, §7 I3).

The documents come from the same service the desk window prints from
(``services.documents``), so a slip or manifest printed here is the one the
desk would print. Paper size and language default to the desk's own
settings (the settings dialog); the manifest names the desk from there too.

Bad input says why on stderr and writes nothing: the PDF is written to a
temporary file beside ``--out`` and moved into place only when complete, so
a failed run never leaves half a file or spoils an older one. Only fields of
the slip and manifest data are printed, and those hold no CPR number (B3).
"""

from __future__ import annotations

import getpass
import os
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from desk_app.cli.staff import console_desk
from desk_app.domain.roles import Job
from desk_app.services import documents, transport
from desk_app.services.context import Actor, DeskContext
from desk_app.services.documents import ManifestData, ManifestPdf, PageSize, SlipKind
from desk_app.settings import DeskSettings, load_settings

EXIT_USAGE = 2  # bad input: unknown route, malformed date, unwritable --out
EXIT_REFUSED = 1  # no slip: unknown or misread item, item not on loan

_SLIP_NAMES = {
    SlipKind.TRANSPORT: "Transport slip",
    SlipKind.PICKUP: "Pickup slip",
    SlipKind.READING_ROOM: "Reading-room slip",
}


def console_actor(job: Job = Job.CONSOLE) -> Actor:
    """Who acts from the console without signing in (a read-only print, the
    daily notices run): the login user, at ``cli@host``, doing only the job's
    part of the role table (``roles.Job``)."""
    return Actor(getpass.getuser(), console_desk("cli"), job=job)


def _fail(command: str, message: str, code: int = EXIT_USAGE) -> int:
    print(f"desk-app print {command}: {message}", file=sys.stderr)
    return code


def print_slip_command(
    ctx: DeskContext,
    data_dir: Path,
    item: str,
    out: str,
    size: str | None,
    language: str | None,
) -> int:
    """The slip of the item's open loan (transport, pickup or reading room,
    whichever the loan needs); a scanned slip code works too."""
    settings = load_settings(data_dir)
    page_size = PageSize(size or settings.page_size)
    lang = language or settings.language
    made = documents.slip_pdf_for_item(ctx, console_actor(), item, page_size, lang)
    if not isinstance(made, documents.SlipPdf):
        return _fail("slip", made.message_en, EXIT_REFUSED)
    slip = made.slip
    problem = write_whole(out, made.pdf)
    if problem:
        return _fail("slip", problem)
    where = (
        f", route {slip.route_code} stop {slip.stop}"
        if slip.kind is SlipKind.TRANSPORT and slip.route_code
        else ""
    )
    print(
        f"{_SLIP_NAMES[slip.kind]} for {slip.item_barcode} (loan {slip.loan_id}{where}) "
        f"written to {out} ({page_size.value}, {lang})"
    )
    return 0


def print_manifest_command(
    ctx: DeskContext,
    data_dir: Path,
    route: str,
    day_text: str | None,
    out: str,
    size: str | None,
    language: str | None,
) -> int:
    """T4: a route's courier manifest for one day (default: today)."""
    settings = load_settings(data_dir)
    day = _day(day_text, ctx)
    if day is None:
        return _fail(
            "manifest",
            f"--date must be a day written YYYY-MM-DD, e.g. 2026-03-02, not {day_text!r}",
        )
    code = _route_code(ctx, route)
    if code is None:
        return _fail("manifest", _unknown_route(ctx, route))
    page_size = PageSize(size or settings.manifest_page_size)
    lang = language or settings.language
    made = documents.manifest_pdf(
        ctx, console_actor(), code, day, _desk_name(settings), page_size, lang
    )
    if not isinstance(made, ManifestPdf):
        return _fail("manifest", made.message_en)
    if made.pdf is None:
        return _fail("manifest", f"the manifest could not be drawn: {made.problem}")
    problem = write_whole(out, made.pdf)
    if problem:
        return _fail("manifest", problem)
    print(f"{_manifest_summary(made.manifest)} written to {out} ({page_size.value}, {lang})")
    return 0


def print_picklist_command(ctx: DeskContext, data_dir: Path, out: str, language: str | None) -> int:
    """Q1: the pick list on A4, in shelf order, as it stands now."""
    settings = load_settings(data_dir)
    lang = language or settings.language
    actor = replace(console_actor(), desk=_desk_name(settings))
    made = documents.pick_list_document(ctx, actor, lang)
    problem = write_whole(out, made.pdf)
    if problem:
        return _fail("picklist", problem)
    count = len(made.entries)
    print(f"Pick list ({count} item(s) to fetch) written to {out} (A4, {lang})")
    return 0


def print_receipt_command(
    ctx: DeskContext, data_dir: Path, card: str, out: str, language: str | None
) -> int:
    """A borrower's receipt on the 80 mm roll: open loans and requests."""
    settings = load_settings(data_dir)
    lang = language or settings.language
    actor = replace(console_actor(), desk=_desk_name(settings))
    made = documents.receipt_pdf_for_card(ctx, actor, card, lang)
    if not isinstance(made, bytes):
        return _fail("receipt", made.message_en, EXIT_REFUSED)
    problem = write_whole(out, made)
    if problem:
        return _fail("receipt", problem)
    print(f"Receipt written to {out} (80mm, {lang})")
    return 0


def _day(text: str | None, ctx: DeskContext) -> date | None:
    if text is None:
        return ctx.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _route_code(ctx: DeskContext, given: str) -> str | None:
    """The route's code as stored; the courier may type it in any case."""
    wanted = given.strip().casefold()
    known = transport.routes(ctx, console_actor())
    return next((r.code for r in known if r.code.casefold() == wanted), None)


def _unknown_route(ctx: DeskContext, given: str) -> str:
    known = transport.routes(ctx, console_actor())
    if not known:
        return f"there is no courier route {given!r}: the database has no routes yet"
    codes = ", ".join(r.code for r in known)
    return f"there is no courier route {given!r}; the routes are: {codes}"


def _desk_name(settings: DeskSettings) -> str:
    return settings.desk_name.strip() or DeskSettings().desk_name


def _manifest_summary(m: ManifestData) -> str:
    courier = "internal courier " if m.internal_courier else ""
    head = f"Manifest for {courier}route {m.route_code} on {m.day.isoformat()}"
    if not m.stops:
        counts = "nothing to deliver or collect"
    else:
        counts = (
            f"{len(m.stops)} stop(s), {m.deliver_count} item(s) to deliver, "
            f"{m.collect_count} to collect"
        )
    left = f", dispatched {m.dispatched_at:%H:%M}" if m.dispatched_at else ""
    return f"{head} ({counts}{left})"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_whole(out: str, pdf: bytes) -> str | None:
    """Write ``pdf`` to ``out`` whole or not at all; the reason it failed, if it did."""
    target = Path(out)
    if target.is_dir():
        return f"cannot write {out}: it is a folder"
    folder = target.parent
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        return f"cannot write {out}: {exc.strerror or exc}"
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pdf)
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would make it, not mkstemp's 0600
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        return f"cannot write {out}: {exc.strerror or exc}"
    return None
