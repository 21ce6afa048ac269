"""The desk's printed documents as PDF: slips, courier manifests and the day's
notice letters (§3 T1-T4, §5 S6, §7 I3).

One way to get a document (issue 14): the desk window, the dispatch window
and the console commands all ask here, so a slip printed from the console is
the one the desk prints, and none of them draws with ``desk_app.printing``
itself. Each call checks the actor's role first, like every service
(``services.access``), then reads the plain data through ``transport`` or
``notice_letters`` and draws it. The renderers (reportlab, about 0.1 s to
import) load at the first document, never at the desk's start.

The types the callers need with a document (paper sizes, the kinds of slip,
the data a manifest holds) are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from desk_app.domain import roles
from desk_app.domain.scan import slip_code
from desk_app.domain.verdict import Verdict
from desk_app.printing.documents import (
    MANIFEST_SIZES,
    SLIP_SIZES,
    ManifestData,
    PageSize,
    SlipData,
    SlipKind,
)
from desk_app.services import transport
from desk_app.services.access import require
from desk_app.services.context import Actor, DeskContext

if TYPE_CHECKING:  # notice_letters loads the letter renderer: only when printing letters
    from desk_app.services.notice_letters import Signature

__all__ = [
    "MANIFEST_SIZES",
    "SLIP_SIZES",
    "LettersPdf",
    "ManifestData",
    "ManifestPdf",
    "PageSize",
    "SlipData",
    "SlipKind",
    "SlipPdf",
    "letters_pdf",
    "manifest_pdf",
    "slip_code",
    "slip_pdf",
    "slip_pdf_for_item",
]


@dataclass(frozen=True)
class SlipPdf:
    """A loan's slip: what it says (for a title or a summary) and the PDF."""

    slip: SlipData
    pdf: bytes


@dataclass(frozen=True)
class ManifestPdf:
    """A route's manifest for a day, and its PDF. ``pdf`` is None when the
    data could not be drawn (``problem`` says why, for the caller to show or
    log): the courier still loads the crate from the data."""

    manifest: ManifestData
    pdf: bytes | None
    problem: str = ""


@dataclass(frozen=True)
class LettersPdf:
    """The day's letters as one print job; ``pdf`` is None when there are none."""

    count: int
    pdf: bytes | None


def slip_pdf(
    ctx: DeskContext, actor: Actor, loan_id: int, page_size: PageSize, language: str
) -> SlipPdf | None:
    """The slip of one loan (T4, T2, I3), or None if there is no such loan."""
    require(ctx, actor, roles.Action.PRINT_SLIP)
    slip = transport.slip_for_loan(ctx, actor, loan_id, language)
    return None if slip is None else SlipPdf(slip, _draw_slip(slip, page_size, language))


def slip_pdf_for_item(
    ctx: DeskContext, actor: Actor, item_raw: str, page_size: PageSize, language: str
) -> SlipPdf | Verdict:
    """The slip of the item's open loan, or the verdict saying why there is
    none; a scanned slip code works too (a crumpled slip reprints itself)."""
    require(ctx, actor, roles.Action.PRINT_SLIP)
    slip = transport.slip_for_item(ctx, actor, item_raw, language)
    if not isinstance(slip, SlipData):
        return slip
    return SlipPdf(slip, _draw_slip(slip, page_size, language))


def manifest_pdf(
    ctx: DeskContext,
    actor: Actor,
    route_code: str,
    day: date,
    desk: str,
    page_size: PageSize,
    language: str,
) -> ManifestPdf | Verdict:
    """T4: the route's manifest for ``day`` and its PDF, or the verdict
    saying why there is none (no such route)."""
    require(ctx, actor, roles.Action.PRINT_MANIFEST)
    manifest = transport.manifest(ctx, actor, route_code, day, desk, language)
    if not isinstance(manifest, ManifestData):
        return manifest
    from desk_app.printing.manifest import render_manifest  # reportlab: only when printing

    try:
        pdf = render_manifest(manifest, page_size, language)
    except (ValueError, OSError) as problem:  # a font, a paper size: the data stays usable
        return ManifestPdf(manifest, None, str(problem))
    return ManifestPdf(manifest, pdf)


def letters_pdf(
    ctx: DeskContext,
    actor: Actor,
    day: date,
    signature: Signature,
    language: str,
    *,
    postal_only: bool = False,
) -> LettersPdf:
    """S6: the day's notice letters as one PDF: every letter of the day's
    runs, or with ``postal_only`` those that cannot go by e-mail
    (``notice_letters.letters_of_day`` says which)."""
    require(ctx, actor, roles.Action.PRINT_LETTERS)
    from desk_app.services.notice_letters import letters_of_day

    letters = letters_of_day(ctx, actor, day, signature, language, postal_only=postal_only)
    if not letters:
        return LettersPdf(0, None)
    from desk_app.printing.letters import render_letters  # reportlab: only when printing

    return LettersPdf(len(letters), render_letters(letters, language))


def _draw_slip(slip: SlipData, page_size: PageSize, language: str) -> bytes:
    from desk_app.printing.slips import render_slip  # reportlab: only when printing

    return render_slip(slip, page_size, language)
