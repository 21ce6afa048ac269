"""Transport, pickup and reading-room slips (§3 T1-T4, §2 M2, §7 I3).

A slip travels with the book: the courier sorts by the big route code and
stop number, the institute reads the borrower and the dates, and the desk
scans the item barcode or the slip's own loan number at check-in. Only
fields of ``SlipData`` are printed; it has no CPR field (B3).

An A6 slip fills from the top, with the barcodes and the footer held at the
bottom edge where a label printer's tear-off leaves them easy to scan; on the
80 mm roll everything follows in one column and the paper is cut where the
content ends.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desk_app.i18n import Text, format_date, format_datetime, render
from desk_app.printing import labels
from desk_app.printing.documents import SLIP_SIZES, PageSize, SlipData, SlipKind
from desk_app.printing.fonts import ensure_fonts
from desk_app.printing.labels import language_of
from desk_app.printing.layout import (
    Align,
    Block,
    Sheet,
    Style,
    band,
    barcode_block,
    boxed,
    clean,
    ellipsize,
    fitted_lines_block,
    fitted_style,
    lines_block,
    rule,
    sheet,
    side_by_side,
    spacer,
    stack,
    style,
    text_block,
    wrap,
)

BARCODE_HEIGHT = 13 * mm
GAP = 5.0  # between sections


@dataclass(frozen=True)
class Styles:
    heading: Style
    label: Style
    body: Style
    strong: Style
    name: Style
    warning: Style
    small: Style
    big_font: str
    regular: str
    bold: str


def _styles() -> Styles:
    regular, bold = ensure_fonts()
    return Styles(
        heading=style(bold, 11),
        label=style(regular, 7.5),
        body=style(regular, 9),
        strong=style(bold, 9),
        name=style(bold, 10.5),
        warning=style(bold, 9.5),
        small=style(regular, 7),
        big_font=bold,
        regular=regular,
        bold=bold,
    )


def render_slip(slip: SlipData, page_size: PageSize = PageSize.A6, language: str = "da") -> bytes:
    """The slip as a one-page PDF for an A6 label or an 80 mm roll."""
    page_size = PageSize(page_size)  # a setting's "A6" works as well
    if page_size not in SLIP_SIZES:
        raise ValueError(f"slips print on A6 or the 80 mm roll, not {page_size}")
    paper = sheet(page_size)
    st = _styles()
    lang = language_of(language)
    width = paper.text_width
    body = _body(slip, st, lang, width)
    codes = _barcodes(slip, st, lang, width, side_by_side_fits=page_size is PageSize.A6)
    footer = _footer(slip, st, lang, width)
    buffer = io.BytesIO()
    _draw_page(buffer, paper, body, [*codes, footer], f"{_title(slip, lang)} {slip.slip_code}")
    return buffer.getvalue()


def _draw_page(
    buffer: io.BytesIO, paper: Sheet, top: Block, bottom: Sequence[Block], title: str
) -> None:
    """``top`` from the top margin and ``bottom`` against the bottom margin
    (on a roll, straight after ``top``). Content that would overflow A6 is
    scaled down to fit, rather than printed over the edge."""
    end = stack(bottom)
    content = top.height + GAP + end.height
    if paper.height is None:
        height = paper.margin_top + content + paper.margin_bottom
    else:
        height = paper.height
    canvas = Canvas(buffer, pagesize=(paper.width, height), pageCompression=1, invariant=True)
    canvas.setTitle(title)
    available = height - paper.margin_top - paper.margin_bottom
    if content > available:  # only for absurd data: every field is capped
        scale = available / content
        canvas.translate(paper.margin_x, height - paper.margin_top)
        canvas.scale(scale, scale)
        canvas.translate(-paper.margin_x, -(height - paper.margin_top))
        end_top = height - paper.margin_top - top.height - GAP
    else:
        end_top = paper.margin_bottom + end.height
    top.draw(canvas, paper.margin_x, height - paper.margin_top)
    end.draw(canvas, paper.margin_x, end_top)
    canvas.showPage()
    canvas.save()


# --- the parts of a slip ------------------------------------------------------


def _body(slip: SlipData, st: Styles, lang: str, width: float) -> Block:
    parts: list[Block] = [_heading(slip, st, lang, width), rule(width, 1.2, 3)]
    if slip.kind is SlipKind.TRANSPORT:
        parts += [_route_box(slip, st, lang, width), spacer(GAP)]
    elif slip.kind is SlipKind.PICKUP:
        parts += [_shelf_box(slip, st, lang, width), spacer(GAP)]
    else:
        label = render(labels.AVAILABLE_AT, lang)
        parts += [_place_box(label, slip.reading_room, st, width)]
        warning = in_both_languages(labels.READING_ROOM_ONLY, lang)
        parts += [spacer(3), band(warning, st.warning, width)]
        note = [
            ln
            for text in in_both_languages(labels.READING_ROOM_NOTE, lang)
            for ln in wrap(text, st.strong, width)
        ]
        parts += [spacer(2), lines_block(note, st.strong, width, "center"), spacer(GAP)]
    if slip.use_at_institute:
        warning = in_both_languages(labels.USE_AT_INSTITUTE_ONLY, lang)
        parts += [band(warning, st.warning, width), spacer(GAP)]
    if slip.kind is not SlipKind.READING_ROOM:
        parts += [_institute(slip, st, lang, width), spacer(GAP)]
    parts += [_details(slip, st, lang, width), spacer(GAP), _dates(slip, st, lang, width)]
    return stack(parts)


def in_both_languages(text: Text, lang: str) -> list[str]:
    """A warning in the slip's own language first, then in the other of
    Danish and English: the same message rendered twice."""
    return [render(text, each) for each in dict.fromkeys((lang, *labels.BOTH_LANGUAGES))]


def _title(slip: SlipData, lang: str) -> str:
    title = {
        SlipKind.TRANSPORT: labels.TRANSPORT_SLIP,
        SlipKind.PICKUP: labels.PICKUP_SLIP,
        SlipKind.READING_ROOM: labels.READING_ROOM_SLIP,
    }[slip.kind]
    return render(title, lang)


def _heading(slip: SlipData, st: Styles, lang: str, width: float) -> Block:
    title = _title(slip, lang).upper()
    tag = render(labels.ILL, lang) if slip.is_ill else ""
    tag_width = st.strong.width(tag) + 8 if tag else 0.0
    head = lines_block([ellipsize(title, st.heading, width - tag_width)], st.heading, width)
    parts = [_with_tag(head, tag, st.strong, width)]
    if slip.kind is SlipKind.TRANSPORT and slip.internal_courier:
        parts.append(text_block(render(labels.INTERNAL_COURIER, lang), st.strong, width, 1))
    return stack(parts)


def _with_tag(head: Block, tag: str, st: Style, width: float) -> Block:
    """``head`` with ``tag`` in a small black box at the right (the ILL mark)."""
    if not tag:
        return head
    tag_width = st.width(tag) + 6

    def draw(canvas: Canvas, x: float, top: float) -> None:
        head.draw(canvas, x, top)
        left = x + width - tag_width
        box_height = st.leading + 1
        box_top = top - (head.height - box_height) / 2
        canvas.saveState()
        canvas.setFillGray(0)
        canvas.rect(left, box_top - box_height, tag_width, box_height, stroke=0, fill=1)
        canvas.setFillGray(1)
        canvas.setFont(st.font, st.size)
        canvas.drawCentredString(left + tag_width / 2, st.baseline(box_top - 0.5), tag)
        canvas.restoreState()

    return Block(max(head.height, st.leading + 1), draw)


def _route_box(slip: SlipData, st: Styles, lang: str, width: float) -> Block:
    """Route code and stop number, big: what the courier sorts by."""
    inner = width - 8
    stop_text = str(slip.stop) if slip.stop is not None else "–"
    stop_style = style(st.big_font, 24, 1.1)
    stop_word = render(labels.STOP, lang).upper()
    stop_width = max(stop_style.width(stop_text), st.label.width(stop_word)) + 4
    code_width = inner - stop_width - 8
    code = clean(slip.route_code) or "–"
    code_style = fitted_style(code, st.big_font, 24, code_width, 12)
    left = stack(
        [
            lines_block([render(labels.ROUTE, lang).upper()], st.label, code_width),
            lines_block(wrap(code, code_style, code_width, 2), code_style, code_width),
            # the whole name: wrapped, then smaller, never cut (issue 13 point 19)
            fitted_lines_block(slip.route_name, st.regular, st.body.size, code_width, 3, 7),
        ]
    )
    right = stack(
        [
            lines_block([stop_word], st.label, stop_width, "right"),
            lines_block([stop_text], stop_style, stop_width, "right"),
        ]
    )
    return boxed(side_by_side([(left, code_width), (right, stop_width)], 8), width)


def _place_box(
    label: str, place: str | None, st: Styles, width: float, extra: Block | None = None
) -> Block:
    """Where the item waits (a reading room, a pickup shelf), big."""
    inner = width - 8
    text = clean(place) or "–"
    big = fitted_style(text, st.big_font, 20, inner, 14)
    parts = [
        lines_block([label.upper()], st.label, inner),
        lines_block(wrap(text, big, inner, 2), big, inner),
    ]
    if extra is not None:
        parts += [spacer(4), extra]
    return boxed(stack(parts), width)


def _shelf_box(slip: SlipData, st: Styles, lang: str, width: float) -> Block:
    """The pickup shelf, huge, beside the borrower's name: the desk shelves
    by the letter and hands over by the name. A shelf longer than a few
    letters goes above the name instead."""
    inner = width - 8
    shelf = clean(slip.shelf_place) or "–"
    label = render(labels.PICKUP_SHELF, lang).upper()
    shelf_style = fitted_style(shelf, st.big_font, 36, inner * 0.4, 20)
    shelf_width = max(shelf_style.width(shelf), st.label.width(label)) + 4
    name_style = style(st.bold, 12)
    if shelf_width > inner * 0.45:
        return _place_box(label, shelf, st, width, extra=_names(slip, st, lang, inner, name_style))
    name_width = inner - shelf_width - 10
    left = stack(
        [
            lines_block([label], st.label, shelf_width),
            lines_block([shelf], shelf_style, shelf_width),
        ]
    )
    right = _names(slip, st, lang, name_width, name_style)
    return boxed(side_by_side([(left, shelf_width), (right, name_width)], 10), width)


def _names(slip: SlipData, st: Styles, lang: str, width: float, name_style: Style) -> Block:
    return stack(
        [
            lines_block([render(labels.BORROWER, lang).upper()], st.label, width),
            text_block(slip.borrower_name, name_style, width, 2),
            spacer(2),
            text_block(render(labels.PICKUP_NOTE, lang), st.body, width, 1),
        ]
    )


def _institute(slip: SlipData, st: Styles, lang: str, width: float) -> Block:
    label = render(labels.DELIVER_TO if slip.kind is SlipKind.TRANSPORT else labels.INSTITUTE, lang)
    return stack(
        [
            lines_block([label.upper()], st.label, width),
            text_block(slip.institute_name, st.name, width, 2),
            text_block(slip.institute_address, st.body, width, 2),
        ]
    )


def _details(slip: SlipData, st: Styles, lang: str, width: float) -> Block:
    rows: list[tuple[str, str | None, Style, int]] = [
        (render(labels.TITLE, lang), slip.title, st.body, 3),
        (render(labels.AUTHOR, lang), slip.author, st.body, 1),
        (render(labels.CALL_NUMBER, lang), slip.call_number, st.strong, 2),
        (render(labels.ITEM, lang), slip.item_barcode, st.body, 1),
    ]
    if slip.kind is not SlipKind.PICKUP:  # the pickup slip has it big, at the top
        rows.insert(0, (render(labels.BORROWER, lang), slip.borrower_name, st.name, 2))
    return _key_values(rows, lang, st.label, width)


# Every label of the slip's label | value rows, for one column width.
ROW_LABELS = (
    labels.BORROWER,
    labels.TITLE,
    labels.AUTHOR,
    labels.CALL_NUMBER,
    labels.ITEM,
    labels.LOAN_DATE,
    labels.DUE,
    labels.GUARANTEED_UNTIL,
)


def _label_width(lang: str, label: Style, width: float) -> float:
    """One label column for every label | value row of the slip, so the
    values line up from the borrower down to the dates."""
    widest = max(label.width(render(text, lang)) for text in ROW_LABELS)
    return min(widest + 8, width * 0.36)


def _key_values(
    rows: Sequence[tuple[str, str | None, Style, int]],
    lang: str,
    label: Style,
    width: float,
) -> Block:
    """Label | value rows; the label sits on the value's first baseline.
    A row without a value is left out, not printed empty."""
    label_width = _label_width(lang, label, width)
    value_width = width - label_width
    laid = [
        (
            ellipsize(name, label, label_width - 3),
            value_style,
            wrap(value, value_style, value_width, n),
        )
        for name, value, value_style, n in rows
        if clean(value)
    ]
    row_gap = 2.0

    def draw(canvas: Canvas, x: float, top: float) -> None:
        for name, value_style, lines in laid:
            canvas.setFont(label.font, label.size)
            canvas.drawString(x, value_style.baseline(top), name)
            lines_block(lines, value_style, value_width).draw(canvas, x + label_width, top)
            top -= len(lines) * value_style.leading + row_gap

    height = sum(len(lines) * s.leading + row_gap for _, s, lines in laid) - row_gap
    return Block(max(height, 0.0), draw)


def _dates(slip: SlipData, st: Styles, lang: str, width: float) -> Block:
    """Loan date, due date and guaranteed-until; the due date in bold
    because it is the one the borrower must act on. Side by side on A6, one
    under the other on the narrow roll."""
    due_style = style(st.bold, 10.5)
    columns = [
        (render(labels.LOAN_DATE, lang), format_date(slip.loan_date, lang, style="print"), st.body),
        (render(labels.DUE, lang), format_date(slip.due, lang, style="print"), due_style),
    ]
    if slip.guaranteed_until is not None or slip.kind is not SlipKind.READING_ROOM:
        until = slip.guaranteed_until
        shown = format_date(until, lang, style="print") if until else "–"
        columns.append((render(labels.GUARANTEED_UNTIL, lang), shown, st.body))
    column = width / len(columns)
    if column < 80:
        rows = [(name, value, value_style, 1) for name, value, value_style in columns]
        return _framed_row(_key_values([rows[1], rows[0], *rows[2:]], lang, st.label, width), width)
    blocks = [
        (
            stack(
                [
                    lines_block([ellipsize(name, st.label, column - 4)], st.label, column),
                    lines_block([value], value_style, column),
                ]
            ),
            column - 4,
        )
        for name, value, value_style in columns
    ]
    return _framed_row(side_by_side(blocks, 4), width)


def _framed_row(inner: Block, width: float) -> Block:
    """A row between two thin rules, like the date strip of a receipt."""

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setLineWidth(0.6)
        canvas.line(x, top, x + width, top)
        inner.draw(canvas, x, top - 3)
        canvas.line(x, top - inner.height - 6, x + width, top - inner.height - 6)

    return Block(inner.height + 6, draw)


def _barcodes(
    slip: SlipData, st: Styles, lang: str, width: float, side_by_side_fits: bool
) -> list[Block]:
    """The item barcode (scanned at check-in) and the slip's loan number.

    Side by side on A6 (the item's at the left, the larger); one under the
    other on the roll, where the paper is narrow but may be long.
    """
    item = (render(labels.ITEM, lang), slip.item_barcode, slip.item_barcode)
    loan = (render(labels.LOAN_NUMBER, lang), slip.slip_code, slip.slip_code)
    if side_by_side_fits:
        item_width = width * 0.56
        loan_width = width - item_width - 10
        return [
            side_by_side(
                [
                    (_coded(*item, st, item_width, "left"), item_width),
                    (_coded(*loan, st, loan_width, "right"), loan_width),
                ],
                10,
            ),
            spacer(3),
        ]
    return [
        _coded(*item, st, width, "center"),
        spacer(2 * GAP),
        _coded(*loan, st, width, "center"),
        spacer(3),
    ]


def _coded(label: str, value: str, caption: str, st: Styles, width: float, align: Align) -> Block:
    """A barcode with its label above and its value under it."""
    bars = barcode_block(value, caption, st.strong, width, BARCODE_HEIGHT, align)
    return stack([lines_block([label.upper()], st.label, width, align), spacer(1), bars])


def _footer(slip: SlipData, st: Styles, lang: str, width: float) -> Block:
    """Desk and time of printing: one line if it fits, else one line each
    (rather than a time broken across two lines)."""
    desk = render(labels.desk_line(clean(slip.desk)), lang)
    moment = format_datetime(slip.printed_at, lang, style="print")
    printed = render(labels.printed_line(moment), lang)
    one = f"{desk} · {printed}"
    fits = st.small.width(one) <= width
    lines = [one] if fits else [ellipsize(desk, st.small, width), printed]
    return stack([rule(width, 0.6, 2), lines_block(lines, st.small, width)])
