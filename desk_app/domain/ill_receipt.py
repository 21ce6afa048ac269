"""§7 ILL: what the desk says when a received interlibrary loan is lent (I2, I3).

The terms (I2) are ``loan_period.ill_loan_terms``, where it goes (I3)
``ill.ill_hand_over``; this says what was decided.
"""

from __future__ import annotations

from datetime import date

from desk_app.domain.ill import HandOver
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx


def barcode_on_loan() -> Verdict:
    """C1: the label given to the ILL item is already on an item on loan."""
    return verdict(
        Code.ON_LOAN,
        "C1",
        tx("That barcode is on an item already on loan: label the ILL item anew."),
    )


def ill_lent(
    *, due: date, guaranteed_until: date | None, hand_over: HandOver, loan_id: int
) -> Verdict:
    """I2: lent for the lender's period, not renewable; I3: to the reading
    room when the lender says so, else to the institute like any loan."""
    if hand_over is HandOver.READING_ROOM:
        rule = "I3"
        text = tx(
            "ILL received and lent until {due} (not renewable); goes to the reading room.",
            due=due,
        )
    else:
        rule = "I2"
        text = tx(
            "ILL received and lent until {due} (not renewable); goes to the institute.",
            due=due,
        )
    return verdict(
        Code.LOANED,
        rule,
        text,
        due=due,
        guaranteed_until=guaranteed_until,
        delivery=hand_over.value,
        use_at_institute=False,
        loan_id=loan_id,
    )
