"""A borrower with hundreds of loans (issue 6): every loan is listed, and the
fixed-width columns used for long lists still fit the longest texts."""

from __future__ import annotations

from datetime import date

from desk_app.domain.verdict import Code, verdict
from desk_app.gui.borrower_panel import FIT_UP_TO, BorrowerPanel
from desk_app.i18n import literal


def _status(loans: int):  # type: ignore[no-untyped-def]
    steps = ("RECALL", "REMINDER_3", "SUSPENSION", None)
    details = [
        {
            "item": f"3829900000{n:04d}",
            "title": f"Kvanteteori, bind {n}",
            "capacity": "institute",
            "due": date(2027, 1, 1 + n % 28),
            "step": steps[n % 4],
            "deadline": date(2026, 12, 1) if n % 4 in (0, 1) else None,
            "settled": n % 8 == 2,
            "agreed": date(2026, 12, 24),
            "use_at_institute": False,
        }
        for n in range(loans)
    ]
    return verdict(
        Code.STATUS, "S2", literal(""), name="Heavy Borrower", suspended=False, causes=[],
        category="researcher", institute="NBI", institute_name="Niels Bohr Institute",
        delivery="courier", e_resources=True, card="28299000000014", card_valid=True,
        requests=[], loan_details=details,
    )  # fmt: skip


def test_five_hundred_loans_are_all_listed_in_columns_that_fit(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = BorrowerPanel("da")
    qtbot.addWidget(panel)
    panel.show_borrower(_status(500))
    rows = panel.loan_rows()
    assert len(rows) == 500 > FIT_UP_TO
    assert rows[2][2] == "Suspension settled, agreed 24.12.2026"
    table = panel.form.loansTable
    metrics = table.fontMetrics()
    for column in range(3):
        longest = max(metrics.horizontalAdvance(row[column]) for row in rows)
        assert table.columnWidth(column) >= longest, column


def test_a_short_list_is_fitted_to_its_contents(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = BorrowerPanel("da")
    qtbot.addWidget(panel)
    panel.show_borrower(_status(2))  # no settled case among them
    table = panel.form.loansTable
    narrow = table.columnWidth(2)
    panel.show_borrower(_status(600))
    assert table.columnWidth(2) > narrow  # room for "... settled, agreed ..."
