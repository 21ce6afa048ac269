"""Notice letters: recall, reminders and suspension on A4 (§5 S6).

One letter per borrower per notices run. It goes by internal mail to the
borrower's institute, so the recipient block holds the name, the institute
and its address. The subject follows the most severe step in the letter
(suspension > reminder 3 > 2 > 1 > recall); then each step's items follow,
most severe first, under a short text in plain words that names the rule it
rests on, in a table with the return deadline the notice states.

Only fields of ``LetterData`` are printed, and it has no CPR field (B3).
Like the manifest, the letter is measured first and drawn straight onto the
canvas; a long letter continues on further pages, each marked "page x of y"
of that letter, and a batch starts every letter on a new page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desk_app.i18n import Text, format_date, render
from desk_app.printing import labels
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
    clean,
    ellipsize,
    lines_block,
    rule,
    side_by_side,
    spacer,
    stack,
    style,
    text_block,
    wrap,
)
from desk_app.printing.letter_data import LetterData, LetterLine

# The ladder, most severe first (§5), and the rule each step rests on.
SEVERITY = ("SUSPENSION", "REMINDER_3", "REMINDER_2", "REMINDER_1", "RECALL")
RULE_IDS = {
    "RECALL": "§5 RECALL",
    "REMINDER_1": "§5 REMINDER_1",
    "REMINDER_2": "§5 REMINDER_2",
    "REMINDER_3": "§5 REMINDER_3",
    "SUSPENSION": "§5 S2/S3",
}
NO_DEADLINE = "—"
LETTER_SHEET = Sheet(210 * mm, 297 * mm, 20 * mm, 15 * mm, 14 * mm)


@dataclass(frozen=True)
class Styles:
    sender: Style
    subject: Style
    heading: Style
    name: Style
    body: Style
    strong: Style
    cell: Style
    label: Style
    small: Style


@dataclass(frozen=True)
class Ctx:
    st: Styles
    lang: str
    width: float
    columns: tuple[Column, ...]

    def say(self, text: Text) -> str:
        return render(text, self.lang)

    def day(self, day: date) -> str:
        return format_date(day, self.lang, style="print")


def render_letter(letter: LetterData, language: str = "da") -> bytes:
    """One notice letter as an A4 PDF (several pages if it is long)."""
    return render_letters([letter], language)


def render_letters(letters: Sequence[LetterData], language: str = "da") -> bytes:
    """The day's letters as one A4 PDF; each letter starts on a new page and
    numbers its own pages."""
    if not letters:
        raise ValueError("no letters to render")
    paper = LETTER_SHEET
    ctx = _ctx(language, paper.text_width)
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=(paper.width, paper.height or 0), pageCompression=1, invariant=True
    )
    first = letters[0]
    subject = ctx.say(labels.SUBJECTS[most_severe(first)])
    who = clean(first.borrower_name) if len(letters) == 1 else str(len(letters))
    canvas.setTitle(f"{subject} – {who} – {first.run_date.isoformat()}")
    for letter in letters:
        _draw_letter(canvas, paper, letter, ctx)
    canvas.save()
    return buffer.getvalue()


def most_severe(letter: LetterData) -> str:
    """The step the subject line speaks of."""
    steps = {line.step for line in letter.lines}
    unknown = steps - set(SEVERITY)
    if unknown:
        raise ValueError(f"unknown notice step(s): {sorted(unknown)}")
    if not steps:
        raise ValueError("a notice letter needs at least one item")
    return next(step for step in SEVERITY if step in steps)


# --- set-up ---------------------------------------------------------------------


def _ctx(language: str, width: float) -> Ctx:
    regular, bold = ensure_fonts()
    st = Styles(
        sender=style(bold, 11, 1.25),
        subject=style(bold, 14, 1.25),
        heading=style(bold, 10.5, 1.3),
        name=style(bold, 10.5, 1.3),
        body=style(regular, 9.5, 1.35),
        strong=style(bold, 9.5, 1.35),
        cell=style(regular, 8, 1.2),
        label=style(bold, 7.5, 1.2),
        small=style(regular, 7.5, 1.2),
    )
    lang = language_of(language)
    return Ctx(st, lang, width, tuple(_columns(st, lang, width)))


def _columns(st: Styles, lang: str, width: float) -> list[Column]:
    """Item, title, call number and three dates; the dates as wide as the
    language's widest date, the title what is left."""
    bold = style(st.strong.font, st.cell.size)  # the deadline is bold
    widest = max(
        bold.width(format_date(date(2027, m, 28), lang, style="print")) for m in range(1, 13)
    )
    date_width = max(widest, st.label.width(render(labels.RETURN_BY, lang))) + 8
    item = st.cell.width("30001000047110") + 8
    call = 66.0
    title = width - item - call - 3 * date_width
    return [
        Column(labels.ITEM, item, 1),
        Column(labels.TITLE, title, 2),
        Column(labels.CALL_NUMBER, call, 2),
        Column(labels.LOAN_DATE, date_width, 1),
        Column(labels.DUE_COLUMN, date_width, 1),
        Column(labels.RETURN_BY, date_width, 1),
    ]


# --- pages ----------------------------------------------------------------------


def _draw_letter(canvas: Canvas, paper: Sheet, letter: LetterData, ctx: Ctx) -> None:
    head = _page_head(letter, ctx)
    foot = _page_foot(letter, ctx, "0", "0")
    page_room = (paper.height or 0) - paper.margin_top - paper.margin_bottom - foot.height - 6
    pager = Pager(page_room - head.height, first_room=page_room)
    for row in _rows(letter, ctx):
        pager.place(row)
    pages = pager.pages
    for number, rows in enumerate(pages, start=1):
        top = (paper.height or 0) - paper.margin_top
        x = paper.margin_x
        if number > 1:
            head.draw(canvas, x, top)
            top -= head.height
        for row in rows:
            row.draw(canvas, x, top)
            top -= row.height
        footer = _page_foot(letter, ctx, str(number), str(len(pages)))
        footer.draw(canvas, x, paper.margin_bottom + footer.height)
        canvas.showPage()


def _page_head(letter: LetterData, ctx: Ctx) -> Block:
    """On the pages after the first: whose letter this is, from whom."""
    st = ctx.st
    text = ellipsize(
        f"{clean(letter.sender)} · {clean(letter.borrower_name)} · {ctx.day(letter.run_date)}",
        st.label,
        ctx.width,
    )
    return stack([lines_block([text], st.label, ctx.width), rule(ctx.width, 0.6, 2), spacer(6)])


def _page_foot(letter: LetterData, ctx: Ctx, number: str, pages: str) -> Block:
    st = ctx.st
    page = ctx.say(labels.page_of(number, pages))
    left = ellipsize(
        f"{clean(letter.borrower_name)} · {ctx.day(letter.run_date)}",
        st.small,
        ctx.width - st.small.width(page) - 12,
    )

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setLineWidth(0.4)
        canvas.line(x, top, x + ctx.width, top)
        canvas.setFont(st.small.font, st.small.size)
        baseline = st.small.baseline(top - 2)
        canvas.drawString(x, baseline, left)
        canvas.drawRightString(x + ctx.width, baseline, page)

    return Block(st.small.leading + 2, draw)


# --- the letter -----------------------------------------------------------------


def _rows(letter: LetterData, ctx: Ctx) -> list[Row]:
    rows = [as_row(_front(letter, ctx))]
    by_step: dict[str, list[LetterLine]] = {}
    for line in letter.lines:
        by_step.setdefault(line.step, []).append(line)
    for step in SEVERITY:
        if step in by_step:
            rows += _group(step, by_step[step], ctx)
    closing = _closing(letter, ctx)
    rows.append(as_row(closing))
    return rows


def _front(letter: LetterData, ctx: Ctx) -> Block:
    """Sender, recipient (by internal mail to the institute), date,
    subject and greeting."""
    st = ctx.st
    width = ctx.width
    sender = stack(
        [
            text_block(letter.sender, st.sender, width, 2),
            text_block(letter.desk, st.small, width, 1),
            rule(width, 0.8, 4),
        ]
    )
    day = ctx.day(letter.run_date)
    date_width = st.body.width(day) + 4
    address_width = min(90 * mm, width - date_width - 12)
    recipient = stack(
        [
            lines_block([ctx.say(labels.INTERNAL_MAIL).upper()], st.label, address_width),
            spacer(2),
            text_block(letter.borrower_name, st.name, address_width, 2),
            text_block(letter.institute_name, st.body, address_width, 2),
            text_block(letter.institute_address, st.body, address_width, 3),
        ]
    )
    gap = width - address_width - date_width
    dated = lines_block([day], st.body, date_width, "right")
    subject = most_severe(letter)
    return stack(
        [
            sender,
            spacer(14),
            side_by_side([(recipient, address_width), (dated, date_width)], gap),
            spacer(22),
            text_block(ctx.say(labels.SUBJECTS[subject]), st.subject, width, 2),
            spacer(8),
            text_block(ctx.say(labels.greeting(clean(letter.borrower_name))), st.body, width, 2),
            spacer(4),
            text_block(ctx.say(labels.NO_FEE), st.body, width, 2),
            spacer(6),
        ]
    )


def _group(step: str, lines: Sequence[LetterLine], ctx: Ctx) -> list[Row]:
    """A step's heading with its rule id, what it means, and its items.
    The heading keeps its first item with it; a page turn inside the table
    repeats the heading (continued) and the column names."""
    st = ctx.st
    name = f"{ctx.say(labels.HEADINGS[step])} ({RULE_IDS[step]})"
    title = f"{name} · {ctx.say(labels.item_count(len(lines)))}"
    heading = stack(
        [
            spacer(6),
            text_block(title, st.heading, ctx.width, 2),
            spacer(1),
            text_block(ctx.say(labels.BODIES[step]), st.body, ctx.width, 6),
            spacer(4),
            _table_head(ctx),
        ]
    )
    again = stack(
        [
            text_block(ctx.say(labels.continued(name)), st.heading, ctx.width, 1),
            _table_head(ctx),
        ]
    )
    items = [_item(line, ctx) for line in lines]
    rows = [Row(heading.height, heading.draw, heading.height + items[0].height)]
    rows += [Row(item.height, item.draw, 0.0, (as_row(again),)) for item in items]
    return rows


def _table_head(ctx: Ctx) -> Block:
    st = ctx.st
    names = [
        ellipsize(ctx.say(c.label), st.label, c.width - 4) if c.label else "" for c in ctx.columns
    ]
    height = st.label.leading + 2

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setFont(st.label.font, st.label.size)
        left = x
        for column, name in zip(ctx.columns, names, strict=True):
            canvas.drawString(left, st.label.baseline(top), name)
            left += column.width
        canvas.setLineWidth(0.6)
        canvas.line(x, top - height + 0.5, x + ctx.width, top - height + 0.5)

    return Block(height, draw)


def _item(line: LetterLine, ctx: Ctx) -> Block:
    st = ctx.st
    deadline = ctx.day(line.deadline) if line.deadline else NO_DEADLINE
    values = [
        line.item_barcode,
        line.title,
        line.call_number,
        ctx.day(line.loan_date),
        ctx.day(line.due),
        deadline,
    ]
    styles = [st.cell] * 5 + [style(st.strong.font, st.cell.size, 1.2)]  # the deadline
    cells = [
        wrap(value, cell_style, c.width - 5, c.lines) or ([""] if c.lines else [])
        for c, value, cell_style in zip(ctx.columns, values, styles, strict=True)
    ]
    height = max(len(cell) for cell in cells) * st.cell.leading + 4

    def draw(canvas: Canvas, x: float, top: float) -> None:
        left = x
        for column, cell, cell_style in zip(ctx.columns, cells, styles, strict=True):
            canvas.setFont(cell_style.font, cell_style.size)
            line_top = top - 2
            for text in cell:
                canvas.drawString(left, cell_style.baseline(line_top), text)
                line_top -= cell_style.leading
            left += column.width
        canvas.setLineWidth(0.25)
        canvas.line(x, top - height, x + ctx.width, top - height)

    return Block(height, draw)


def _closing(letter: LetterData, ctx: Ctx) -> Block:
    """How to return the items and whom to ask; signed by the library."""
    st = ctx.st
    contact = ctx.say(labels.closing_contact(clean(letter.desk)))
    return stack(
        [
            spacer(14),
            text_block(ctx.say(labels.CLOSING_RETURN), st.body, ctx.width, 4),
            spacer(4),
            text_block(contact, st.body, ctx.width, 5),
            spacer(14),
            text_block(ctx.say(labels.REGARDS), st.body, ctx.width, 1),
            spacer(4),
            text_block(letter.sender, st.strong, ctx.width, 2),
        ]
    )
