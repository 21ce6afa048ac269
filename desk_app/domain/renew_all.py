"""Renew all of a borrower's loans with one key (§4 L5): what the desk says.

Each loan is renewed as if scanned in renew mode (``loan_period.decide_renewal``
decides each, L5's refusals included); this words the one banner for all of
them: how many were renewed, and each refusal with the item and its rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, join, tx, txn


def renewed_all(results: Sequence[tuple[str, Verdict]], titles: Mapping[str, str]) -> Verdict:
    """L5 for each of the borrower's loans (``results``: barcode and the
    renewal's verdict, in the order tried; ``titles`` by barcode). RENEWED
    when at least one was renewed, with ``refused`` listing the others;
    else the first refusal's code. No loans at all: NOT_ON_LOAN."""
    if not results:
        return verdict(
            Code.NOT_ON_LOAN,
            "L5",
            tx("The borrower has no open loans to renew."),
            renewed=[],
            refused=[],
        )
    renewed = [barcode for barcode, outcome in results if outcome.code is Code.RENEWED]
    refused = [
        (barcode, outcome) for barcode, outcome in results if outcome.code is not Code.RENEWED
    ]
    parts: list[Text] = [
        txn(
            "Renewed {renewed} of {n} loan.",
            "Renewed {renewed} of {n} loans.",
            n=len(results),
            renewed=len(renewed),
        )
    ]
    for barcode, outcome in refused:
        title = titles.get(barcode)
        label = f"{title} ({barcode})" if title else barcode
        parts.append(
            tx(
                "Not renewed: {item} ({rule}): {reason}",
                item=label,
                rule=outcome.rule,
                reason=outcome.text,
            )
        )
    code = Code.RENEWED if renewed else refused[0][1].code
    return verdict(
        code,
        "L5",
        join(parts, " "),
        renewed=renewed,
        refused=[
            {"item": barcode, "code": outcome.code.value, "rule": outcome.rule}
            for barcode, outcome in refused
        ],
    )
