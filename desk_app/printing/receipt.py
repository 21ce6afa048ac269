"""The borrower receipt on the 80 mm roll (issue 15).

One column, cut where the content ends (like the roll slip and manifest):
the heading and the day, the borrower with their library card and
institute, each open loan (title, item, due date in bold, capacity), each
request with the place in its queue, and the totals. The same sentences as
the e-mail's plain text (``receipt_data.receipt_plain_text``).

Drawn as plain strings, never ``Paragraph`` markup, so any title prints as
it is; ``ReceiptData`` holds no CPR number (B3).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desk_app.i18n import Text, format_date, format_datetime, render
from desk_app.printing import labels
from desk_app.printing.documents import PageSize
from desk_app.printing.fonts import ensure_fonts
from desk_app.printing.labels import language_of
from desk_app.printing.layout import (
    Block,
    Pager,
    Row,
    Style,
    as_row,
    clean,
    ellipsize,
    lines_block,
    rule,
    sheet,
    spacer,
    stack,
    style,
    text_block,
    wrap,
)
from desk_app.printing.receipt_data import (
    CAPACITIES,
    CARD,
    NO_LOANS,
    NO_REQUESTS,
    RECEIPT,
    ReceiptData,
    ReceiptLoan,
    ReceiptRequest,
    institute_line,
    loan_count,
    place_in_queue,
    receipt_mail_body,
    receipt_plain_text,
    receipt_subject,
    request_count,
    total,
)

__all__ = [
    "ReceiptData",
    "ReceiptLoan",
    "ReceiptRequest",
    "receipt_mail_body",
    "receipt_plain_text",
    "receipt_subject",
    "render_receipt",
]

ROLL_PAGE_LIMIT = 1000 * mm  # longest roll "page"; printer drivers cap the length


@dataclass(frozen=True)
class Styles:
    heading: Style
    day: Style
    name: Style
    section: Style
    title: Style
    body: Style
    strong: Style
    small: Style


def _styles() -> Styles:
    regular, bold = ensure_fonts()
    return Styles(
        heading=style(bold, 12),
        day=style(bold, 10),
        name=style(bold, 10.5),
        section=style(bold, 9, 1.4),
        title=style(bold, 8.5, 1.2),
        body=style(regular, 8.5, 1.2),
        strong=style(bold, 8.5, 1.2),
        small=style(regular, 7, 1.2),
    )


@dataclass(frozen=True)
class _Ctx:
    st: Styles
    lang: str
    width: float

    def say(self, text: Text) -> str:
        return render(text, self.lang)

    def day(self, value: date) -> str:
        return format_date(value, self.lang, style="print")


def render_receipt(data: ReceiptData, language: str = "da") -> bytes:
    """The receipt as a PDF for the 80 mm roll: one page as long as its
    content (a very long one on several, none longer than the printer takes)."""
    paper = sheet(PageSize.ROLL_80MM)
    ctx = _Ctx(_styles(), language_of(language), paper.text_width)
    foot = _foot(data, ctx)
    rows = [as_row(_head(data, ctx)), *_loans(data, ctx), *_requests(data, ctx)]
    rows.append(as_row(_totals(data, ctx)))
    pager = Pager(ROLL_PAGE_LIMIT - paper.margin_top - paper.margin_bottom - foot.height)
    for row in rows:
        pager.place(row)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(paper.width, 100), pageCompression=1, invariant=True)
    canvas.setTitle(f"{ctx.say(RECEIPT)} {data.day.isoformat()}")
    for page in pager.pages:
        body = sum(row.height for row in page)
        height = paper.margin_top + body + foot.height + paper.margin_bottom
        canvas.setPageSize((paper.width, height))
        top = height - paper.margin_top
        for row in page:
            row.draw(canvas, paper.margin_x, top)
            top -= row.height
        foot.draw(canvas, paper.margin_x, top)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _head(data: ReceiptData, ctx: _Ctx) -> Block:
    st, width = ctx.st, ctx.width
    parts = [
        lines_block([ellipsize(ctx.say(RECEIPT).upper(), st.heading, width)], st.heading, width),
        lines_block([ctx.day(data.day)], st.day, width),
        rule(width, 1.2, 3),
        text_block(data.borrower_name, st.name, width, 2),
    ]
    if data.card:
        parts.append(text_block(f"{ctx.say(CARD)}: {data.card}", st.body, width, 1))
    if institute_line(data):
        parts.append(text_block(institute_line(data), st.body, width, 2))
    return stack([*parts, spacer(4)])


def _section(heading: str, ctx: _Ctx) -> Block:
    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setLineWidth(1.0)
        canvas.line(x, top - 1, x + ctx.width, top - 1)
        lines_block([heading], ctx.st.section, ctx.width).draw(canvas, x, top - 2)

    return Block(ctx.st.section.leading + 3, draw)


def _rows_under(heading: Block, blocks: list[Block], empty: str, ctx: _Ctx) -> list[Row]:
    """A section's heading kept with its first entry; each entry whole on a page."""
    if not blocks:
        blocks = [stack([text_block(empty, ctx.st.body, ctx.width, 2), spacer(3)])]
    first = Row(heading.height, heading.draw, heading.height + blocks[0].height)
    return [first, *(as_row(block) for block in blocks)]


def _loans(data: ReceiptData, ctx: _Ctx) -> list[Row]:
    heading = _section(ctx.say(loan_count(len(data.loans))).upper(), ctx)
    blocks = [_loan(loan, ctx) for loan in data.loans]
    return _rows_under(heading, blocks, ctx.say(NO_LOANS), ctx)


def _loan(loan: ReceiptLoan, ctx: _Ctx) -> Block:
    """Title; the item at the left and the due date in bold at the right;
    the capacity under them."""
    st, width = ctx.st, ctx.width
    due = f"{ctx.say(labels.DUE_COLUMN)} {ctx.day(loan.due)}"
    due_width = st.strong.width(due)
    item = ellipsize(clean(loan.item_barcode), st.body, width - due_width - 6)
    title = wrap(loan.title, st.title, width, 3)
    kind = ctx.say(CAPACITIES[loan.capacity])
    shelf = clean(loan.call_number)
    under = ellipsize(f"{kind} · {shelf}" if shelf else kind, st.small, width)
    height = len(title) * st.title.leading + st.body.leading + st.small.leading + 5

    def draw(canvas: Canvas, x: float, top: float) -> None:
        line_top = top - 1.5
        lines_block(title, st.title, width).draw(canvas, x, line_top)
        line_top -= len(title) * st.title.leading
        canvas.setFont(st.body.font, st.body.size)
        canvas.drawString(x, st.body.baseline(line_top), item)
        canvas.setFont(st.strong.font, st.strong.size)
        canvas.drawRightString(x + width, st.strong.baseline(line_top), due)
        line_top -= st.body.leading
        lines_block([under], st.small, width).draw(canvas, x, line_top)
        canvas.setLineWidth(0.25)
        canvas.line(x, top - height, x + width, top - height)

    return Block(height, draw)


def _requests(data: ReceiptData, ctx: _Ctx) -> list[Row]:
    heading = _section(ctx.say(request_count(len(data.requests))).upper(), ctx)
    blocks = [_request(request, ctx) for request in data.requests]
    return [as_row(spacer(4)), *_rows_under(heading, blocks, ctx.say(NO_REQUESTS), ctx)]


def _request(request: ReceiptRequest, ctx: _Ctx) -> Block:
    st, width = ctx.st, ctx.width
    title = wrap(request.title, st.title, width, 3)
    place = ctx.say(place_in_queue(request.position, request.queue))
    under = wrap(f"{clean(request.item_barcode)} · {place}", st.body, width, 2)
    height = len(title) * st.title.leading + len(under) * st.body.leading + 4

    def draw(canvas: Canvas, x: float, top: float) -> None:
        line_top = top - 1.5
        lines_block(title, st.title, width).draw(canvas, x, line_top)
        line_top -= len(title) * st.title.leading
        lines_block(under, st.body, width).draw(canvas, x, line_top)
        canvas.setLineWidth(0.25)
        canvas.line(x, top - height, x + width, top - height)

    return Block(height, draw)


def _totals(data: ReceiptData, ctx: _Ctx) -> Block:
    counts = ctx.say(total(len(data.loans), len(data.requests)))
    return stack(
        [spacer(4), rule(ctx.width, 1.2, 2), text_block(counts, ctx.st.strong, ctx.width, 2)]
    )


def _foot(data: ReceiptData, ctx: _Ctx) -> Block:
    """Desk and time of printing: one line if it fits, else one each."""
    st = ctx.st
    moment = format_datetime(data.printed_at, ctx.lang, style="print")
    printed = ctx.say(labels.printed_line(moment))
    if not clean(data.desk):
        lines = [printed]
    else:
        desk = ctx.say(labels.desk_line(clean(data.desk)))
        one = f"{desk} · {printed}"
        lines = (
            [one]
            if st.small.width(one) <= ctx.width
            else [
                ellipsize(desk, st.small, ctx.width),
                printed,
            ]
        )
    return stack([spacer(4), rule(ctx.width, 0.6, 2), lines_block(lines, st.small, ctx.width)])
