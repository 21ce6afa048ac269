"""Code 128 barcodes drawn as vector bars on a reportlab canvas (§3 T1, T4).

python-barcode gives the module pattern; each run of dark modules becomes one
filled rectangle, so the bars stay crisp on a 203 dpi thermal printer and on
a 600 dpi laser alike (a raster image would be resampled and blur).
"""

from __future__ import annotations

from dataclasses import dataclass

import barcode
from reportlab.pdfgen.canvas import Canvas

QUIET_MODULES = 10  # Code 128 needs ten modules of white on each side


@dataclass(frozen=True)
class Bars:
    """Runs of dark modules: (first module, number of modules)."""

    value: str
    runs: tuple[tuple[int, int], ...]
    modules: int  # the symbol's width in modules, quiet zones excluded


def code128(value: str) -> Bars:
    """The bar runs for ``value`` (printable ASCII)."""
    if not value or not value.isascii() or not value.isprintable():
        raise ValueError(f"Code 128 on slips takes printable ASCII, not {value!r}")
    pattern = barcode.get("code128", value).build()[0]
    runs: list[tuple[int, int]] = []
    start = None
    for index, module in enumerate(pattern + "0"):
        if module == "1" and start is None:
            start = index
        elif module != "1" and start is not None:
            runs.append((start, index - start))
            start = None
    return Bars(value, tuple(runs), len(pattern))


def draw_code128(
    canvas: Canvas, value: str, x: float, y: float, width: float, height: float
) -> float:
    """Draw ``value`` with its quiet zones inside ``width`` points, bottom-left
    at (x, y); returns the module width used. Raises ValueError when the
    modules would be too narrow to print (under 0.19 mm, about 1.5 dots at
    203 dpi), so a too-long value fails at once instead of on the scanner."""
    bars = code128(value)
    module = width / (bars.modules + 2 * QUIET_MODULES)
    if module < 0.54:  # points; 0.19 mm
        raise ValueError(f"{value!r} is too long for a {width:.0f} pt wide barcode")
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setStrokeColorRGB(0, 0, 0)
    left = x + QUIET_MODULES * module
    path = canvas.beginPath()
    for first, count in bars.runs:
        path.rect(left + first * module, y, count * module, height)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return module
