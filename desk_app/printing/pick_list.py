"""The printed pick list (§4 Q1): the items to fetch from the stacks, on A4.

A page runner walks the stacks with it. So each row leads with the call
number, big, in the list's shelf order (``domain.pick_list``); then the
title and author to check the book by, the item's barcode as Code 128 (the
desk scans the list if the book's own label is damaged), who asked for it
and from which institute, where the book goes once lent (route, pickup
shelf, internal courier, reading room) and how many wait for it. A tick box
per row, rows never split over a page turn, the column heads repeated on
every page, and "page x of y" with the time the list was made on each, so a
dropped sheet finds its place.

Text is drawn as plain strings (``layout``), never as ``Paragraph`` markup,
so a title such as ``Bog <&> æøå`` prints as it is (pitfalls.md). Entries
hold no CPR number (B3): only the requester's name and institute are printed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desk_app.domain.ill import HandOver
from desk_app.domain.pick_list import PickEntry
from desk_app.i18n import Text, format_datetime, render, tx, txn
from desk_app.printing import labels
from desk_app.printing.barcodes import QUIET_MODULES, code128
from desk_app.printing.documents import PageSize
from desk_app.printing.fonts import ensure_fonts
from desk_app.printing.labels import language_of
from desk_app.printing.layout import (
    Block,
    Column,
    Pager,
    Row,
    Style,
    as_row,
    band,
    barcode_block,
    clean,
    ellipsize,
    fit_lines,
    lines_block,
    sheet,
    spacer,
    stack,
    style,
    wrap,
)

# --- the words of the pick list -------------------------------------------------

PICK_LIST: Final = tx("Pick list")
SHELF_ORDER: Final = tx("in shelf order")
REQUESTED_BY: Final = tx("Requested by")
GOES_TO: Final = tx("Goes to")
NO_CALL_NUMBER: Final = tx("no call number")
NOTHING_TO_FETCH: Final = tx("Nothing to fetch: no item on the shelf has a waiting request.")


def items_to_fetch(n: int) -> Text:
    return txn("{n} item to fetch", "{n} items to fetch", n=n)


def in_queue(n: int) -> Text:
    """How many requests wait for the item, the first requester's included."""
    return tx("{n} in the queue", n=n)


def destination(hand_over: HandOver, route: str | None) -> list[Text]:
    """Where the book goes once lent (T1-T3, I3): the first line big."""
    if hand_over is HandOver.SELF_PICKUP:
        return [labels.PICKUP_SHELF]
    if hand_over is HandOver.READING_ROOM:
        return [labels.READING_ROOM_SLIP]
    if hand_over is HandOver.INTERNAL_COURIER:
        return [labels.INTERNAL_COURIER]
    return [labels.route(clean(route))] if clean(route) else [labels.ROUTE]


# --- layout ----------------------------------------------------------------------

BARCODE_HEIGHT = 12 * mm  # as on the manifest: a hand scanner finds it at once
ROW_PAD = 4.0
CELL_GAP = 8.0


@dataclass(frozen=True)
class Styles:
    head: Style
    title: Style
    subtitle: Style
    label: Style
    call: Style
    strong: Style
    body: Style
    small: Style
    caption: Style
    bold: str


def _styles() -> Styles:
    regular, bold = ensure_fonts()
    return Styles(
        head=style(bold, 8),
        title=style(bold, 18, 1.2),
        subtitle=style(bold, 10.5, 1.3),
        label=style(bold, 7, 1.3),
        call=style(bold, 14, 1.15),
        strong=style(bold, 9, 1.2),
        body=style(regular, 8.5, 1.2),
        small=style(regular, 7.5, 1.2),
        caption=style(regular, 7.5, 1.2),
        bold=bold,
    )


# A4 text width is 510 points: tick box, call number, title and requester,
# barcode, and where the book goes with its queue.
COLUMNS: Final = (
    Column(None, 18, 1),
    Column(labels.CALL_NUMBER, 96, 3),
    Column(None, 170, 2),  # "Title · Requested by": two words, drawn apart
    Column(labels.ITEM, 118, 1),
    Column(GOES_TO, 108, 3),
)


@dataclass(frozen=True)
class _Ctx:
    st: Styles
    lang: str
    width: float

    def say(self, text: Text) -> str:
        return render(text, self.lang)


def render_pick_list(
    entries: Sequence[PickEntry], made_at: datetime, language: str = "da", desk: str = ""
) -> bytes:
    """The pick list as an A4 PDF, its rows in the order given (the service
    gives them in shelf order, ``domain.pick_list.in_shelf_order``)."""
    paper = sheet(PageSize.A4)
    ctx = _Ctx(_styles(), language_of(language), paper.text_width)
    head = _page_head(ctx, made_at, "0", "0")  # measured with placeholders
    foot = _page_foot(ctx, made_at, desk)
    room = paper.height or 0.0
    room -= paper.margin_top + paper.margin_bottom + head.height + foot.height
    header = as_row(_column_heads(ctx))
    pager = Pager(room)
    pager.place(as_row(_front(ctx, len(entries))))
    if entries:
        pager.place(Row(header.height, header.draw, header.height + 60))
        for entry in entries:  # a row moves to the next page whole, under the heads again
            row = _row(entry, ctx)
            pager.place(Row(row.height, row.draw, 0.0, (header,)))
    else:
        nothing = band([ctx.say(NOTHING_TO_FETCH)], ctx.st.subtitle, ctx.width, 8, inverted=False)
        pager.place(as_row(nothing))
    pages = pager.pages
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(paper.width, paper.height), pageCompression=1, invariant=True)
    canvas.setTitle(f"{ctx.say(PICK_LIST)} {format_datetime(made_at, ctx.lang, style='print')}")
    top_edge = (paper.height or 0.0) - paper.margin_top
    for number, rows in enumerate(pages, start=1):
        x = paper.margin_x
        page_head = _page_head(ctx, made_at, str(number), str(len(pages)))
        page_head.draw(canvas, x, top_edge)
        top = top_edge - page_head.height
        for placed in rows:
            placed.draw(canvas, x, top)
            top -= placed.height
        foot.draw(canvas, x, paper.margin_bottom + foot.height)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _page_head(ctx: _Ctx, made_at: datetime, number: str, pages: str) -> Block:
    """The list's name and when it was made at the left, "page x of y" at
    the right, on every page."""
    st = ctx.st
    moment = format_datetime(made_at, ctx.lang, style="print")
    left = f"{ctx.say(PICK_LIST)} · {moment}"
    page = ctx.say(labels.page_of(number, pages))

    def draw(canvas: Canvas, x: float, top: float) -> None:
        baseline = st.head.baseline(top)
        canvas.setFont(st.head.font, st.head.size)
        canvas.drawString(x, baseline, left)
        canvas.drawRightString(x + ctx.width, baseline, page)
        canvas.setLineWidth(0.8)
        under = top - st.head.leading - 1
        canvas.line(x, under, x + ctx.width, under)

    return Block(st.head.leading + 6, draw)


def _page_foot(ctx: _Ctx, made_at: datetime, desk: str) -> Block:
    printed = ctx.say(labels.printed_line(format_datetime(made_at, ctx.lang, style="print")))
    text = f"{ctx.say(labels.desk_line(clean(desk)))} · {printed}" if clean(desk) else printed
    lines = lines_block([ellipsize(text, ctx.st.small, ctx.width)], ctx.st.small, ctx.width)

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setLineWidth(0.4)
        canvas.line(x, top, x + ctx.width, top)
        lines.draw(canvas, x, top - 1.5)

    return Block(lines.height + 1.5, draw)


def _front(ctx: _Ctx, count: int) -> Block:
    """The title, the count and the order, once, on the first page."""
    st = ctx.st
    summary = f"{ctx.say(items_to_fetch(count))} · {ctx.say(SHELF_ORDER)}"
    return stack(
        [
            spacer(2),
            lines_block([ctx.say(PICK_LIST).upper()], st.title, ctx.width),
            lines_block([ellipsize(summary, st.subtitle, ctx.width)], st.subtitle, ctx.width),
            spacer(8),
        ]
    )


def _column_heads(ctx: _Ctx) -> Block:
    st = ctx.st
    names: list[str] = []
    for index, column in enumerate(COLUMNS):
        if index == 2:
            both = f"{ctx.say(labels.TITLE)} · {ctx.say(REQUESTED_BY)}"
            names.append(ellipsize(both.upper(), st.label, column.width - CELL_GAP))
        elif column.label is not None:
            names.append(ellipsize(ctx.say(column.label).upper(), st.label, column.width - 4))
        else:
            names.append("")
    air = 3.0
    height = air + st.label.leading + 3

    def draw(canvas: Canvas, x: float, top: float) -> None:
        top -= air
        canvas.setFont(st.label.font, st.label.size)
        left = x
        for column, name in zip(COLUMNS, names, strict=True):
            canvas.drawString(left, st.label.baseline(top), name)
            left += column.width
        canvas.setLineWidth(1.0)
        canvas.line(x, top - st.label.leading - 2, x + ctx.width, top - st.label.leading - 2)

    return Block(height, draw)


def _cell_width(index: int) -> float:
    return COLUMNS[index].width - CELL_GAP


def _row(entry: PickEntry, ctx: _Ctx) -> Block:
    """One item: tick box, call number, title and requester, barcode, where
    it goes. Every cell is measured first; the row is as tall as its
    tallest cell."""
    cells = [
        _call_number(entry, ctx),
        _who_and_what(entry, ctx),
        _barcode(entry, ctx),
        _goes_to(entry, ctx),
    ]
    height = max(cell.height for cell in cells) + 2 * ROW_PAD
    box = 10.0

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setLineWidth(0.8)
        canvas.rect(x + 1, top - ROW_PAD - 2 - box, box, box, stroke=1, fill=0)
        left = x + COLUMNS[0].width
        for column, cell in zip(COLUMNS[1:], cells, strict=True):
            cell.draw(canvas, left, top - ROW_PAD)
            left += column.width
        canvas.setLineWidth(0.3)
        canvas.line(x, top - height, x + ctx.width, top - height)

    return Block(height, draw)


def _fitted(
    text: str, font: str, size: float, width: float, max_lines: int, smallest: float
) -> Block:
    """``text`` wrapped at the largest size that keeps every word whole
    (``Afhentningshylde`` is not broken into two lines), then smaller until
    it takes ``max_lines``, cut only at ``smallest``."""
    for word in clean(text).split(" "):
        natural = stringWidth(word, font, size)
        if natural > width:
            size = max(smallest, size * width / natural * 0.99)
    st, lines = fit_lines(text, font, size, width, max_lines, smallest)
    return lines_block(lines, st, width)


def _call_number(entry: PickEntry, ctx: _Ctx) -> Block:
    """Big: the first thing a page runner reads. Wrapped, then smaller,
    before it is ever cut."""
    width = _cell_width(1)
    if clean(entry.call_number):
        return _fitted(entry.call_number or "", ctx.st.bold, ctx.st.call.size, width, 3, 9)
    return lines_block([f"({ctx.say(NO_CALL_NUMBER)})"], ctx.st.small, width)


def _who_and_what(entry: PickEntry, ctx: _Ctx) -> Block:
    st = ctx.st
    width = _cell_width(2)
    name, code = clean(entry.institute_name), clean(entry.institute_code)
    institute = f"{name} ({code})" if name and code and code != name else name or code
    parts = [lines_block(wrap(entry.title, st.strong, width, 2), st.strong, width)]
    if clean(entry.author):
        parts.append(lines_block(wrap(entry.author, st.body, width, 1), st.body, width))
    parts += [
        spacer(2.5),
        lines_block(wrap(entry.borrower_name, st.body, width, 1), st.body, width),
        lines_block(wrap(institute, st.small, width, 1), st.small, width),
    ]
    return stack(parts)


def _barcode(entry: PickEntry, ctx: _Ctx) -> Block:
    """The item's Code 128, or just its number in bold when it cannot be
    drawn scannably in the column (a very long or non-ASCII barcode)."""
    width = _cell_width(3)
    value = entry.barcode
    if _fits(value, width):
        return barcode_block(value, value, ctx.st.caption, width, BARCODE_HEIGHT, "center")
    return _fitted(value, ctx.st.bold, ctx.st.strong.size, width, 2, 6)


def _fits(value: str, width: float) -> bool:
    try:
        modules = code128(value).modules + 2 * QUIET_MODULES
    except ValueError:  # not printable ASCII
        return False
    return width / modules >= 0.54  # draw_code128's narrowest module


def _goes_to(entry: PickEntry, ctx: _Ctx) -> Block:
    st = ctx.st
    width = _cell_width(4)
    first, *rest = [ctx.say(text) for text in destination(entry.hand_over, entry.route)]
    parts = [_fitted(first, st.bold, 10.5, width, 2, 7.5)]
    parts += [lines_block(wrap(text, st.body, width, 1), st.body, width) for text in rest]
    queue = ctx.say(in_queue(entry.waiting))
    parts += [spacer(2), lines_block([ellipsize(queue, st.body, width)], st.body, width)]
    return stack(parts)
