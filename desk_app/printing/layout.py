"""Paper, text fitting and a measure-then-draw flow shared by the renderers.

Text is drawn with ``canvas.drawString`` as plain text, never as
``Paragraph`` mini-markup, so a title such as ``Bog <&> æøå`` needs no
escaping and cannot break a document (pitfalls.md). Every block is measured
before anything is drawn: the 80 mm roll's page is exactly as long as its
content, and an A6 slip can check that it fits before it prints.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desk_app.printing.barcodes import QUIET_MODULES, code128, draw_code128
from desk_app.printing.documents import PageSize

if TYPE_CHECKING:
    from desk_app.i18n import Text

DOT = 72 / 203  # one dot of a 203 dpi thermal head, in points
ELLIPSIS = "…"
Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Sheet:
    """A paper size; ``height`` None means a roll, cut where the content ends."""

    width: float
    height: float | None
    margin_x: float
    margin_top: float
    margin_bottom: float

    @property
    def text_width(self) -> float:
        return self.width - 2 * self.margin_x


SHEETS: dict[PageSize, Sheet] = {
    PageSize.A6: Sheet(105 * mm, 148 * mm, 6 * mm, 6 * mm, 6 * mm),
    # 72 mm printable on an 80 mm head; the extra bottom keeps the footer
    # clear of the tear bar.
    PageSize.ROLL_80MM: Sheet(80 * mm, None, 4 * mm, 4 * mm, 10 * mm),
    PageSize.A4: Sheet(210 * mm, 297 * mm, 15 * mm, 12 * mm, 12 * mm),
}


def sheet(size: PageSize | str) -> Sheet:
    return SHEETS[PageSize(size)]


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float

    def width(self, text: str) -> float:
        return stringWidth(text, self.font, self.size)

    def baseline(self, top: float) -> float:
        """The baseline of a line whose box starts at ``top``: the cap height
        is centred in the leading, which leaves room for Å above and g below."""
        return top - (self.leading + 0.73 * self.size) / 2


def style(font: str, size: float, leading: float = 1.25) -> Style:
    return Style(font, size, round(size * leading, 2))


# --- text fitting -------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """One line of printable text: newlines, tabs and control characters from
    a catalogue record become single spaces."""
    if not text:
        return ""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return _SPACE.sub(" ", printable).strip()


def ellipsize(text: str, st: Style, width: float) -> str:
    """``text`` cut to ``width`` with a trailing ellipsis if it does not fit."""
    if st.width(text) <= width:
        return text
    low, high = 0, len(text)  # longest prefix that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if st.width(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip(" ,.;:-–/") + ELLIPSIS


def _break_word(word: str, st: Style, width: float) -> list[str]:
    """A word wider than the line (a URL, an ISBN run together) is cut by
    characters instead of running off the paper."""
    pieces: list[str] = []
    while word:
        low, high = 1, len(word)
        while low < high:
            middle = (low + high + 1) // 2
            if st.width(word[:middle]) <= width:
                low = middle
            else:
                high = middle - 1
        pieces.append(word[:low])
        word = word[low:]
    return pieces


def wrap(text: str | None, st: Style, width: float, max_lines: int | None = None) -> list[str]:
    """Greedy word wrap to ``width``; past ``max_lines`` the last line ends
    in an ellipsis. Empty text gives no lines."""
    words = clean(text).split(" ") if text else []
    lines: list[str] = []
    current = ""
    space = st.width(" ")
    current_width = 0.0
    for word in words:
        if not word:
            continue
        word_width = st.width(word)
        if current and current_width + space + word_width <= width:
            current += " " + word
            current_width += space + word_width
            continue
        if current:
            lines.append(current)
        if word_width > width:
            *full, word = _break_word(word, st, width)
            lines.extend(full)
            word_width = st.width(word)
        current, current_width = word, word_width
    if current:
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], ellipsize(rest + ELLIPSIS, st, width)]
    return lines


# --- blocks -------------------------------------------------------------------

Draw = Callable[[Canvas, float, float], None]  # (canvas, left x, top y)


@dataclass(frozen=True)
class Block:
    """Something measured: its height, and how to draw it from a top edge."""

    height: float
    draw: Draw


@dataclass(frozen=True)
class Row:
    """One unit of a paginated flow (manifests, letters) that a page break
    may come before.

    ``keep`` is how much must fit for the row to start on this page (a
    heading keeps its first line with it); ``repeat`` are the rows printed
    at the top of a new page when the break falls just before this row (a
    table's heading, "(continued)").
    """

    height: float
    draw: Draw
    keep: float = 0.0
    repeat: tuple[Row, ...] = field(default=())

    @property
    def need(self) -> float:
        return max(self.height, self.keep)


def as_row(block: Block, keep: float = 0.0) -> Row:
    return Row(block.height, block.draw, keep)


class Pager:
    """Places rows on pages of ``room`` points (``first_room`` on the first
    page, when its head differs), honouring each row's ``keep`` and
    ``repeat``."""

    def __init__(self, room: float, first_room: float | None = None) -> None:
        self.room = room
        self.pages: list[list[Row]] = [[]]
        self._available = room if first_room is None else first_room
        self._used = 0.0

    @property
    def left(self) -> float:
        return self._available - self._used

    def new_page(self) -> None:
        self.pages.append([])
        self._available, self._used = self.room, 0.0

    def place(self, row: Row) -> None:
        if row.need > self.left and self.pages[-1]:
            self.new_page()
            for again in row.repeat:
                self.pages[-1].append(again)
                self._used += again.height
        self.pages[-1].append(row)
        self._used += row.height


@dataclass(frozen=True)
class Column:
    """A table column: its name (a word of ``labels``; None for none), width
    and most lines."""

    label: Text | None
    width: float
    lines: int


def spacer(height: float) -> Block:
    return Block(height, lambda _c, _x, _y: None)


def stack(blocks: Sequence[Block]) -> Block:
    """Blocks one under the other, as one block."""
    parts = tuple(blocks)

    def draw(canvas: Canvas, x: float, top: float) -> None:
        draw_flow(canvas, parts, x, top)

    return Block(sum(b.height for b in parts), draw)


def draw_flow(canvas: Canvas, blocks: Sequence[Block], x: float, top: float) -> float:
    """Draw blocks downwards from ``top``; returns the bottom edge."""
    for block in blocks:
        block.draw(canvas, x, top)
        top -= block.height
    return top


def draw_line(
    canvas: Canvas, text: str, st: Style, x: float, top: float, width: float, align: Align = "left"
) -> None:
    canvas.setFont(st.font, st.size)
    baseline = st.baseline(top)
    if align == "center":
        canvas.drawCentredString(x + width / 2, baseline, text)
    elif align == "right":
        canvas.drawRightString(x + width, baseline, text)
    else:
        canvas.drawString(x, baseline, text)


def lines_block(lines: Sequence[str], st: Style, width: float, align: Align = "left") -> Block:
    """Lines already fitted to ``width``."""
    fixed = tuple(lines)

    def draw(canvas: Canvas, x: float, top: float) -> None:
        for line in fixed:
            draw_line(canvas, line, st, x, top, width, align)
            top -= st.leading

    return Block(len(fixed) * st.leading, draw)


def text_block(
    text: str | None,
    st: Style,
    width: float,
    max_lines: int | None = None,
    align: Align = "left",
) -> Block:
    return lines_block(wrap(text, st, width, max_lines), st, width, align)


def rule(width: float, thickness: float = 0.6, gap: float = 4.0) -> Block:
    """A horizontal line with ``gap`` points of air above and below."""

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setLineWidth(thickness)
        canvas.line(x, top - gap, x + width, top - gap)

    return Block(2 * gap, draw)


def band(
    lines: Sequence[str], st: Style, width: float, padding: float = 3.0, inverted: bool = True
) -> Block:
    """Text centred in a box: white on black when ``inverted``, so a warning
    survives a faded thermal roll and catches the eye first."""
    fitted = [part for line in lines for part in wrap(line, st, width - 2 * padding, 2)]
    height = len(fitted) * st.leading + 2 * padding

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.saveState()
        canvas.setLineWidth(1.2)
        canvas.setFillGray(0)
        canvas.rect(x, top - height, width, height, stroke=1, fill=1 if inverted else 0)
        canvas.setFillGray(1 if inverted else 0)
        line_top = top - padding
        for line in fitted:
            draw_line(canvas, line, st, x, line_top, width, "center")
            line_top -= st.leading
        canvas.restoreState()

    return Block(height, draw)


# --- barcodes -----------------------------------------------------------------


def barcode_width(value: str, max_width: float, max_dots: int = 3) -> float:
    """The width to draw ``value`` in, quiet zones included.

    Modules are a whole number of 203 dpi dots when they can be (2 or 3
    dots: 0.25 or 0.375 mm), so a thermal printer does not round some bars
    wider than others; otherwise the full ``max_width``, which
    ``draw_code128`` refuses if the modules would be too narrow.
    """
    modules = code128(value).modules + 2 * QUIET_MODULES
    dots = min(max_dots, math.floor(max_width / modules / DOT))
    if dots >= 2:
        return modules * dots * DOT
    return max_width


def snap(x: float) -> float:
    """``x`` on the 203 dpi dot grid, so every bar edge falls on a dot edge."""
    return round(x / DOT) * DOT


def barcode_block(
    value: str,
    caption: str,
    st: Style,
    max_width: float,
    height: float,
    align: Align = "center",
    max_dots: int = 3,
) -> Block:
    """Bars with the human-readable caption centred under them.

    Aligned left or right, the bars themselves line up with the text above
    and the quiet zone lies in the margin or the gap beside them (the
    caller leaves at least ``QUIET_MODULES`` modules of room there).
    """
    width = barcode_width(value, max_width, max_dots)
    quiet = QUIET_MODULES * width / (code128(value).modules + 2 * QUIET_MODULES)
    fitted = ellipsize(clean(caption), st, max_width)
    gap = 1.5

    def draw(canvas: Canvas, x: float, top: float) -> None:
        if align == "left":
            left = x - quiet
        elif align == "right":
            left = x + max_width - width + quiet
        else:
            left = x + (max_width - width) / 2
        left = snap(left)
        draw_code128(canvas, value, left, top - height, width, height)
        half = st.width(fitted) / 2
        centre = min(max(left + width / 2, x + half), x + max_width - half)
        canvas.setFont(st.font, st.size)
        canvas.drawCentredString(centre, st.baseline(top - height - gap), fitted)

    return Block(height + gap + st.leading, draw)


def side_by_side(blocks: Sequence[tuple[Block, float]], gap: float) -> Block:
    """Blocks in columns (block, column width), top-aligned."""
    parts = tuple(blocks)

    def draw(canvas: Canvas, x: float, top: float) -> None:
        for block, width in parts:
            block.draw(canvas, x, top)
            x += width + gap

    return Block(max(b.height for b, _ in parts), draw)


def boxed(inner: Block, width: float, padding: float = 4.0, line_width: float = 1.2) -> Block:
    """``inner`` (laid out ``2 * padding`` narrower than ``width``) in a frame."""
    height = inner.height + 2 * padding

    def draw(canvas: Canvas, x: float, top: float) -> None:
        canvas.setLineWidth(line_width)
        canvas.rect(x, top - height, width, height, stroke=1, fill=0)
        inner.draw(canvas, x + padding, top - padding)

    return Block(height, draw)


def fitted_style(text: str, font: str, size: float, width: float, smallest: float) -> Style:
    """The largest size up to ``size`` at which ``text`` fits ``width``
    (not below ``smallest``): a long route code shrinks instead of being cut."""
    natural = stringWidth(text, font, size)
    if natural > width:
        # a hair under the exact fit: the wrapper measures the same string
        # again and must not find it a rounding error too wide
        size = max(smallest, size * width / natural * 0.99)
    return style(font, size, 1.15)


def fit_lines(
    text: str | None,
    font: str,
    size: float,
    width: float,
    max_lines: int,
    smallest: float,
    leading: float = 1.2,
) -> tuple[Style, list[str]]:
    """``text`` wrapped at the largest size, from ``size`` down to
    ``smallest`` in half points, at which it takes at most ``max_lines``
    lines: a long route or institute name wraps, then shrinks, instead of
    being cut (issue 13 point 19). Only text too long even at ``smallest``
    ends in an ellipsis."""
    current = size
    while True:
        st = style(font, current, leading)
        lines = wrap(text, st, width)
        if len(lines) <= max_lines or current <= smallest:
            return st, lines if len(lines) <= max_lines else wrap(text, st, width, max_lines)
        current = max(smallest, current - 0.5)


def fitted_lines_block(
    text: str | None,
    font: str,
    size: float,
    width: float,
    max_lines: int,
    smallest: float,
    align: Align = "left",
) -> Block:
    """:func:`fit_lines` as a block."""
    st, lines = fit_lines(text, font, size, width, max_lines, smallest)
    return lines_block(lines, st, width, align)
