"""The courier manifest: one route, one day, stops in route order (§3 T3, T4).

The courier works down the list: at each stop they hand over the "deliver"
items, pick up the "collect" items, and have the institute sign and note
the time. So a stop is kept on one page whenever it fits (a stop split over
a page turn is how a book gets left in the van), a longer stop continues
under a "(continued)" header, and every page repeats the route, the day and
"page x of y" so a dropped sheet finds its place.

Only the manifest carries a barcode (the courier scans the books themselves).
Layout is measured first and drawn straight onto the canvas: a 1,000-item
manifest renders in well under a second, where platypus tables took several.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desk_app.i18n import Text, format_date, format_datetime, render
from desk_app.printing import labels
from desk_app.printing.documents import (
    MANIFEST_SIZES,
    ManifestData,
    ManifestLine,
    ManifestStop,
    PageSize,
)
from desk_app.printing.fonts import ensure_fonts
from desk_app.printing.labels import language_of
from desk_app.printing.layout import (
    Block,
    Column,
    Pager,
    Row,
    Sheet,
    Style,
    as_row,
    band,
    barcode_block,
    clean,
    ellipsize,
    fit_lines,
    fitted_lines_block,
    fitted_style,
    lines_block,
    sheet,
    side_by_side,
    spacer,
    stack,
    style,
    text_block,
    wrap,
)

ROLL_PAGE_LIMIT = 1000 * mm  # longest roll "page"; printer drivers cap the length
BARCODE_HEIGHT = 12 * mm


@dataclass(frozen=True)
class Styles:
    page_head: Style
    title: Style
    body: Style
    strong: Style
    small: Style
    label: Style
    stop_name: Style
    bold: str


@dataclass(frozen=True)
class Ctx:
    st: Styles
    lang: str
    width: float
    wide: bool  # A4: columns; roll: each line stacked
    columns: tuple[Column, ...] = ()  # A4 only, set once per manifest

    def say(self, text: Text) -> str:
        return render(text, self.lang)

    def day(self, day: date) -> str:
        return format_date(day, self.lang, style="print")

    def moment(self, moment: datetime) -> str:
        return format_datetime(moment, self.lang, style="print")


def render_manifest(
    manifest: ManifestData, page_size: PageSize = PageSize.A4, language: str = "da"
) -> bytes:
    """The manifest as PDF: A4 pages, or 80 mm roll pages as long as needed."""
    page_size = PageSize(page_size)  # a setting's "A4" works as well
    if page_size not in MANIFEST_SIZES:
        raise ValueError(f"manifests print on A4 or the 80 mm roll, not {page_size}")
    paper = sheet(page_size)
    ctx = Ctx(_styles(), language_of(language), paper.text_width, paper.height is not None)
    if ctx.wide:
        ctx = replace(ctx, columns=tuple(_columns(ctx)))
    head = _page_head(manifest, ctx, "0", "0")  # measured with placeholders
    foot = _page_foot(manifest, ctx)
    page_room = (paper.height or ROLL_PAGE_LIMIT) - paper.margin_top - paper.margin_bottom
    room = page_room - head.height - foot.height
    front = _front(manifest, ctx)
    pages = _paginate(
        front, [_stop_rows(stop, ctx) for stop in manifest.stops], _end(manifest, ctx), room
    )
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=(paper.width, paper.height or 100), pageCompression=1, invariant=True
    )
    canvas.setTitle(f"{ctx.say(labels.MANIFEST)} {manifest.route_code} {manifest.day.isoformat()}")
    for number, rows in enumerate(pages, start=1):
        _draw_page(canvas, paper, manifest, ctx, rows, number, len(pages), foot)
    canvas.save()
    return buffer.getvalue()


def _styles() -> Styles:
    regular, bold = ensure_fonts()
    return Styles(
        page_head=style(bold, 8),
        title=style(bold, 16, 1.2),
        body=style(regular, 8, 1.2),
        strong=style(bold, 8, 1.2),
        small=style(regular, 7, 1.2),
        label=style(bold, 7, 1.2),
        stop_name=style(bold, 10.5, 1.2),
        bold=bold,
    )


# --- pages ---------------------------------------------------------------------


def _paginate(
    front: Sequence[Row], stops: Sequence[Sequence[Row]], end: Sequence[Row], room: float
) -> list[list[Row]]:
    """Rows into pages of ``room`` points. A stop that fits on a page is
    never split: it moves to a new page whole."""
    pager = Pager(room)
    for row in front:
        pager.place(row)
    for group in [*stops, end]:
        total = sum(row.height for row in group)
        if total > pager.left and total <= room and pager.pages[-1]:
            pager.new_page()
        for row in group:
            pager.place(row)
    return pager.pages


def _draw_page(
    canvas: Canvas,
    paper: Sheet,
    manifest: ManifestData,
    ctx: Ctx,
    rows: Sequence[Row],
    number: int,
    pages: int,
    foot: Block,
) -> None:
    head = _page_head(manifest, ctx, str(number), str(pages))
    if paper.height is None:  # a roll page is as long as what is on it
        body = sum(row.height for row in rows)
        height = paper.margin_top + head.height + body + 8 + foot.height + paper.margin_bottom
    else:
        height = paper.height
    canvas.setPageSize((paper.width, height))
    x = paper.margin_x
    top = height - paper.margin_top
    head.draw(canvas, x, top)
    top -= head.height
    for row in rows:
        row.draw(canvas, x, top)
        top -= row.height
    foot.draw(canvas, x, paper.margin_bottom + foot.height)
    canvas.showPage()


def _page_head(manifest: ManifestData, ctx: Ctx, number: str, pages: str) -> Block:
    """Route, day and page number on every page (shorter on the roll).

    The day and the page number are always whole (issue 13 point 19: the
    80 mm roll printed "21.11…"): the words around them go first, then the
    type shrinks, and only a route code too long even then is shortened.
    One line, the same height on every page, whatever is on it."""
    st = ctx.st
    page = ctx.say(labels.page_of(number, pages))
    day = ctx.day(manifest.day)
    code = ctx.say(labels.route(clean(manifest.route_code)))
    name = f" – {clean(manifest.route_name)}" if clean(manifest.route_name) else ""
    room = ctx.width - st.page_head.width(page) - 8
    short = f"{code} · {day}"
    head = st.page_head
    for left in (f"{ctx.say(labels.MANIFEST)} · {code}{name} · {day}", short):
        if head.width(left) <= room:
            break
    else:
        head = fitted_style(short, st.page_head.font, st.page_head.size, room, 6)
        left = short
        if head.width(short) > room:
            left = f"{ellipsize(code, head, room - head.width(f' · {day}'))} · {day}"

    def draw(canvas: Canvas, x: float, top: float) -> None:
        baseline = st.page_head.baseline(top)
        canvas.setFont(head.font, head.size)
        canvas.drawString(x, baseline, left)
        canvas.setFont(st.page_head.font, st.page_head.size)
        canvas.drawRightString(x + ctx.width, baseline, page)
        canvas.setLineWidth(0.8)
        under = top - st.page_head.leading - 1
        canvas.line(x, under, x + ctx.width, under)

    return Block(st.page_head.leading + 6, draw)


def _page_foot(manifest: ManifestData, ctx: Ctx) -> Block:
    desk = ctx.say(labels.desk_line(clean(manifest.desk)))
    printed = f"{ctx.say(labels.printed_line(ctx.moment(manifest.printed_at)))} · "
    printed += manifest.manifest_code
    fitted = wrap(f"{desk} · {printed}", ctx.st.small, ctx.width)
    if len(fitted) > 2:  # a long desk name is shortened, never the time of printing
        fitted = [ellipsize(desk, ctx.st.small, ctx.width), *wrap(printed, ctx.st.small, ctx.width)]
    lines = lines_block(fitted, ctx.st.small, ctx.width)

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setLineWidth(0.4)
        canvas.line(x, top, x + ctx.width, top)
        lines.draw(canvas, x, top - 1.5)

    return Block(lines.height + 1.5, draw)


# --- the first page --------------------------------------------------------------


def _front(manifest: ManifestData, ctx: Ctx) -> list[Row]:
    """Title, day, the manifest's barcode and the day's counts."""
    st = ctx.st
    code_width = min(ctx.width, 200.0)
    barcode = stack(
        [
            lines_block([ctx.say(labels.MANIFEST_NUMBER).upper()], st.label, code_width, "center"),
            spacer(1),
            barcode_block(
                manifest.manifest_code,
                manifest.manifest_code,
                st.strong,
                code_width,
                BARCODE_HEIGHT,
            ),
        ]
    )
    text_width = ctx.width - code_width - 12 if ctx.wide else ctx.width
    title = [
        lines_block(
            [ellipsize(ctx.say(labels.MANIFEST).upper(), st.title, text_width)],
            st.title,
            text_width,
        ),
        _route_line(manifest, ctx, text_width),
        text_block(ctx.day(manifest.day), style(st.bold, 12, 1.2), text_width, 1),
    ]
    if manifest.dispatched_at is not None:
        when = ctx.say(labels.dispatched(ctx.moment(manifest.dispatched_at)))
        title.append(text_block(when, st.body, text_width, 1))
    if ctx.wide:
        top = side_by_side([(stack(title), text_width), (barcode, code_width)], 12)
        rows = [top]
    else:
        rows = [stack(title), spacer(6), barcode]
    rows.append(spacer(6))
    if manifest.internal_courier:
        courier = ctx.say(labels.INTERNAL_COURIER)
        rows += [band([courier], style(st.bold, 10), ctx.width), spacer(6)]
    rows += [text_block(_summary(manifest, ctx), st.strong, ctx.width, 2), spacer(6)]
    return [as_row(stack(rows))]


def _route_line(manifest: ManifestData, ctx: Ctx, width: float) -> Block:
    """The route code big and its name under it, both whole: wrapped, then
    smaller (issue 13 point 19), cut only past three lines at 8 points."""
    code = ctx.say(labels.route(clean(manifest.route_code)))
    big = fitted_style(code, ctx.st.bold, 20, width, 10)
    parts = [lines_block(wrap(code, big, width, 2), big, width)]
    if clean(manifest.route_name):
        parts.append(fitted_lines_block(manifest.route_name, ctx.st.bold, 11, width, 3, 8))
    return stack(parts)


def _summary(manifest: ManifestData, ctx: Ctx) -> str:
    counts = (len(manifest.stops), manifest.deliver_count, manifest.collect_count)
    return ctx.say(labels.totals(*counts))


def _end(manifest: ManifestData, ctx: Ctx) -> list[Row]:
    """Totals at the end; an empty day says so and still gets a signature."""
    parts: list[Block] = []
    if not manifest.stops:
        parts += [
            spacer(10),
            band(
                [ctx.say(labels.NOTHING)],
                style(ctx.st.bold, 10),
                ctx.width,
                padding=8,
                inverted=False,
            ),
            spacer(4),
            _signature(ctx),
        ]
    parts += [
        spacer(8),
        _thick_rule(ctx.width),
        text_block(_summary(manifest, ctx), ctx.st.strong, ctx.width, 2),
    ]
    return [as_row(stack(parts))]


def _thick_rule(width: float) -> Block:
    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setLineWidth(1.5)
        canvas.line(x, top - 2, x + width, top - 2)

    return Block(6, draw)


# --- a stop ------------------------------------------------------------------------


def _stop_rows(stop: ManifestStop, ctx: Ctx) -> list[Row]:
    """Header, the deliver and collect lists, and the signature line.

    A heading keeps its first line with it, the header its first heading,
    and the last item its signature line, so no page ends on a heading or
    starts with a lone signature.
    """
    header = _stop_header(stop, ctx, continued=False)
    again = as_row(_stop_header(stop, ctx, continued=True))
    signature = _signature(ctx)
    rows: list[Row] = []
    sections = [
        (ctx.say(labels.DELIVER), stop.deliver, True),
        (ctx.say(labels.COLLECT), stop.collect, False),
    ]
    for name, lines, delivering in sections:
        if not lines:
            continue
        heading = _section_heading(f"{name.upper()} ({len(lines)})", ctx)
        line_rows = [_line(line, ctx, delivering) for line in lines]
        first = heading.height + line_rows[0].height
        rows.append(Row(heading.height, heading.draw, first, (again,)))
        repeat = (again, as_row(heading))
        rows += [Row(r.height, r.draw, 0.0, repeat) for r in line_rows]
    if rows:
        last = rows[-1]
        rows[-1] = replace(last, keep=last.height + signature.height)
    rows.append(Row(signature.height, signature.draw, 0.0, (again,)))
    return [Row(header.height, header.draw, header.height + rows[0].need), *rows]


def _stop_header(stop: ManifestStop, ctx: Ctx, continued: bool) -> Block:
    """Stop number in a black box, the institute, and the stop's counts."""
    st = ctx.st
    number = str(stop.stop)
    number_style = style(st.bold, 14, 1.1)
    word = ctx.say(labels.STOP).upper()
    box_width = max(number_style.width(number), st.label.width(word)) + 8
    box_height = st.label.leading + number_style.leading + 2
    counts = ctx.say(labels.stop_counts(len(stop.deliver), len(stop.collect)))
    counts_width = st.strong.width(counts) + 4 if ctx.wide else 0.0
    text_width = ctx.width - box_width - 6 - counts_width
    name = clean(stop.institute_name)
    if stop.institute_code:
        name += f" ({clean(stop.institute_code)})"
    if continued:
        name = ctx.say(labels.continued(name))
    name_style, name_lines = fit_lines(name, st.bold, st.stop_name.size, text_width, 3, 8.5)
    address = wrap(stop.address, st.body, text_width, 2)
    extra = [] if ctx.wide else [counts]
    text_height = (
        len(name_lines) * name_style.leading + (len(address) + len(extra)) * st.body.leading
    )
    height = 4 + max(text_height, box_height) + 4

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setLineWidth(1.5)
        canvas.line(x, top, x + ctx.width, top)
        canvas.saveState()
        canvas.setFillGray(0)
        canvas.rect(x, top - 4 - box_height, box_width, box_height, stroke=0, fill=1)
        canvas.setFillGray(1)
        lines_block([word], st.label, box_width, "center").draw(canvas, x, top - 5)
        label_bottom = top - 5 - st.label.leading
        lines_block([number], number_style, box_width, "center").draw(canvas, x, label_bottom)
        canvas.restoreState()
        left = x + box_width + 6
        line_top = top - 4
        lines_block(name_lines, name_style, text_width).draw(canvas, left, line_top)
        line_top -= len(name_lines) * name_style.leading
        lines_block([*address, *extra], st.body, text_width).draw(canvas, left, line_top)
        if ctx.wide:
            canvas.setFont(st.strong.font, st.strong.size)
            canvas.drawRightString(x + ctx.width, st.strong.baseline(top - 4), counts)

    return Block(height, draw)


# A4 columns in points (510 wide); the due date takes the width of the
# language's widest date and the note column what is left.
COLUMNS = (
    Column(None, 12, 1),  # tick box
    Column(labels.ITEM, 78, 1),
    Column(labels.TITLE, 142, 2),
    Column(labels.CALL_NUMBER, 58, 2),
    Column(labels.BORROWER, 80, 2),
)


def _columns(ctx: Ctx) -> list[Column]:
    widest = max(ctx.st.body.width(ctx.day(date(2027, m, 28))) for m in range(1, 13))
    due = Column(labels.DUE_COLUMN, widest + 6, 1)
    rest = ctx.width - sum(c.width for c in COLUMNS) - due.width
    return [*COLUMNS, due, Column(labels.NOTE, rest, 2)]


def _section_heading(text: str, ctx: Ctx) -> Block:
    """ "DELIVER (3)" and, on A4, the column names under it."""
    st = ctx.st
    heading = style(st.bold, 8.5, 1.3)
    if not ctx.wide:
        return stack([spacer(3), lines_block([text], heading, ctx.width), spacer(1)])
    columns = ctx.columns
    names = [ellipsize(ctx.say(c.label), st.label, c.width - 4) if c.label else "" for c in columns]

    def draw(canvas: Canvas, x: float, top: float) -> None:
        lines_block([text], heading, ctx.width).draw(canvas, x, top - 3)
        label_top = top - 3 - heading.leading
        canvas.setFont(st.label.font, st.label.size)
        left = x
        for column, name in zip(columns, names, strict=True):
            canvas.drawString(left, st.label.baseline(label_top), name)
            left += column.width
        canvas.setLineWidth(0.5)
        canvas.line(x, label_top - st.label.leading, x + ctx.width, label_top - st.label.leading)

    return Block(3 + heading.leading + st.label.leading + 1.5, draw)


def _line(line: ManifestLine, ctx: Ctx, delivering: bool) -> Row:
    """One item: barcode, title, call number, borrower, due, and the M2
    mark (deliver) or the reason it is collected."""
    note = ctx.say(labels.USE_AT_INSTITUTE_SHORT) if delivering and line.use_at_institute else ""
    if not delivering:
        note = ctx.say(labels.reason(line.reason))
    block = _line_wide(line, ctx, note) if ctx.wide else _line_narrow(line, ctx, note)
    return as_row(block)


def _tick_box(canvas: Canvas, x: float, top: float) -> None:
    canvas.setLineWidth(0.6)
    canvas.rect(x, top - 8.5, 7, 7, stroke=1, fill=0)


def _line_wide(line: ManifestLine, ctx: Ctx, note: str) -> Block:
    st = ctx.st
    columns = ctx.columns
    due = ctx.day(line.due)
    values = ["", line.item_barcode, line.title, line.call_number, line.borrower_name, due]
    cells = [
        wrap(value, st.body, c.width - 4, c.lines)
        for c, value in zip(columns[:-1], values, strict=True)
    ]
    note_style = st.strong if line.use_at_institute and note else st.body
    cells.append(wrap(note, note_style, columns[-1].width, columns[-1].lines))
    count = max(1, *(len(cell) for cell in cells))
    height = count * st.body.leading + 3
    styles = [st.body] * (len(columns) - 1) + [note_style]

    def draw(canvas: Canvas, x: float, top: float) -> None:
        _tick_box(canvas, x, top - 1.5)
        left = x
        for column, cell, cell_style in zip(columns, cells, styles, strict=True):
            if cell:
                canvas.setFont(cell_style.font, cell_style.size)
                line_top = top - 1.5
                for text in cell:
                    canvas.drawString(left, cell_style.baseline(line_top), text)
                    line_top -= cell_style.leading
            left += column.width
        canvas.setLineWidth(0.25)
        canvas.line(x + 12, top - height, x + ctx.width, top - height)

    return Block(height, draw)


def _line_narrow(line: ManifestLine, ctx: Ctx, note: str) -> Block:
    """The roll has no room for columns: the item in a few short lines."""
    st = ctx.st
    inner = ctx.width - 12
    due = ctx.day(line.due)
    due_width = st.strong.width(due)
    first = ellipsize(line.item_barcode, st.strong, inner - due_width - 6)
    title = wrap(line.title, st.body, inner, 2)
    who = " · ".join(part for part in (clean(line.call_number), clean(line.borrower_name)) if part)
    rest = wrap(who, st.body, inner, 2)
    note_lines = wrap(note, st.strong, inner, 2) if note else []
    height = (1 + len(title) + len(rest) + len(note_lines)) * st.body.leading + 4

    def draw(canvas: Canvas, x: float, top: float) -> None:
        _tick_box(canvas, x, top - 1.5)
        left = x + 12
        line_top = top - 1.5
        canvas.setFont(st.strong.font, st.strong.size)
        canvas.drawString(left, st.strong.baseline(line_top), first)
        canvas.drawRightString(x + ctx.width, st.strong.baseline(line_top), due)
        line_top -= st.body.leading
        canvas.setFont(st.body.font, st.body.size)
        for text in (*title, *rest):
            canvas.drawString(left, st.body.baseline(line_top), text)
            line_top -= st.body.leading
        canvas.setFont(st.strong.font, st.strong.size)
        for text in note_lines:
            canvas.drawString(left, st.strong.baseline(line_top), text)
            line_top -= st.strong.leading
        canvas.setLineWidth(0.25)
        canvas.line(x + 12, top - height, x + ctx.width, top - height)

    return Block(height, draw)


def _signature(ctx: Ctx) -> Block:
    """Room to sign and to write the time, under each stop: one line on A4,
    two on the roll, where one would leave no room to write."""
    st = ctx.st
    signature, time = ctx.say(labels.SIGNATURE), ctx.say(labels.TIME)
    row = 24.0
    after = 12.0  # air before the next stop's rule
    if ctx.wide:
        fields = [[(signature, 0.0, 0.66), (time, 0.68, 1.0)]]
    else:
        fields = [[(signature, 0.0, 1.0)], [(time, 0.0, 0.6)]]

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setFont(st.body.font, st.body.size)
        canvas.setLineWidth(0.6)
        baseline = top
        for line in fields:
            baseline -= row
            for label, start, end in line:
                left = x + start * ctx.width
                canvas.drawString(left, baseline + 4, label)
                line_from = left + st.body.width(label) + 4
                canvas.line(line_from, baseline + 3, x + end * ctx.width, baseline + 3)

    return Block(row * len(fields) + after, draw)
