"""The fonts slips and manifests are printed in.

Library titles carry Ł, ő, Cyrillic and Greek; reportlab's built-in
Helvetica covers only Latin-1 and prints black boxes for the rest, so the
desk ships DejaVu Sans (resources/fonts, Bitstream Vera licence) and embeds
it. Registering a TrueType font parses the whole file (tens of ms), so it is
done once per process, on the first document, not at import.
"""

from __future__ import annotations

import importlib.resources
import logging
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

REGULAR = "DeskSans"
BOLD = "DeskSans-Bold"
FALLBACK = ("Helvetica", "Helvetica-Bold")
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


@cache
def ensure_fonts() -> tuple[str, str]:
    """Register the shipped fonts once; returns (regular, bold) font names.

    Falls back to Helvetica when the font files are missing (a broken
    install still prints, with boxes for letters outside Latin-1) and says
    so once in the log.
    """
    folder = importlib.resources.files("desk_app.resources") / "fonts"
    try:
        for name, filename in _FILES.items():
            with importlib.resources.as_file(folder / filename) as path:
                pdfmetrics.registerFont(TTFont(name, str(path)))
    except (OSError, TTFError) as error:  # missing or unreadable font file
        log.warning("printing with Helvetica: cannot load DejaVu Sans (%s)", error)
        return FALLBACK
    return REGULAR, BOLD
