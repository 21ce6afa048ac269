"""What the desk says when a look-up finds no loan, no borrower yet, or a loan just made (B1, C1).

Beside the checks of ``checkout`` (which decide on facts already found):
these are said when the facts themselves are missing, or changed under the
desk's feet between its read and its write.
"""

from __future__ import annotations

from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx


def not_on_loan(barcode: str) -> Verdict:
    """C1: nothing to return, renew or find: the item has no open loan."""
    return verdict(Code.NOT_ON_LOAN, "C1", tx("Item {barcode} is not on loan.", barcode=barcode))


def need_card_first() -> Verdict:
    """B1: an item scanned at the checkout before any borrower's card."""
    return verdict(
        Code.CARD_UNKNOWN,
        "B1",
        tx("No borrower yet: scan the borrower's card first, then the item."),
        need_card=True,
    )


def lent_meanwhile() -> Verdict:
    """C1: another desk lent the item between this desk's read and its write
    (the store's one-open-loan-per-item index refused the second loan)."""
    return verdict(Code.ON_LOAN, "C1", tx("The item was lent at another desk a moment ago."))
