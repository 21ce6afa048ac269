"""Vector Code 128 bars decode with zxing-cpp at thermal (203 dpi) and laser
(300 dpi) resolutions, to the value drawn (T1, T4)."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desk_app.printing.barcodes import code128, draw_code128

VALUES = ["30001000000011", "29990000000017", "LOAN-000123", "A6/80mm slip 42"]


def _render(value: str, width: float, dpi: int):  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width + 20 * mm, 30 * mm))
    draw_code128(canvas, value, 10 * mm, 8 * mm, width, 15 * mm)
    canvas.showPage()
    canvas.save()
    page = pypdfium2.PdfDocument(buffer.getvalue())[0]
    return page.render(scale=dpi / 72).to_pil()


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("value", VALUES)
def test_T1_vector_code128_decodes_to_the_value(value, dpi):
    image = _render(value, 60 * mm, dpi)
    found = zxingcpp.read_barcodes(image)
    assert [(r.text, r.format) for r in found] == [(value, zxingcpp.BarcodeFormat.Code128)]


def test_bars_are_runs_of_dark_modules():
    bars = code128("30001000000011")
    assert bars.runs[0] == (0, 2)  # every Code 128 symbol starts with a 2-module bar
    assert sum(count for _, count in bars.runs) < bars.modules


@pytest.mark.parametrize("bad", ["", "Bog æøå", "line\nbreak"])
def test_values_outside_printable_ascii_are_refused(bad):
    with pytest.raises(ValueError, match="printable ASCII"):
        code128(bad)


def test_a_value_too_long_for_the_width_is_refused_not_printed_blurred():
    canvas = Canvas(io.BytesIO())
    with pytest.raises(ValueError, match="too long"):
        draw_code128(canvas, "3" * 60, 0, 0, 30 * mm, 10 * mm)
