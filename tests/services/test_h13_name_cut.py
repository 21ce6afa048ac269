"""Issue 13, point 10 (B3): a name cut to fit is cut before it is masked.

Masking first and cutting after can turn an eleven-digit run, which is no
CPR number and is left alone, into a ten-digit run that could be one: a
staff name of 50 letters and ``01019012350`` kept ``0101901235`` in clear in
the refusal and the audit trail. ``barcodes.echo`` cuts, then masks.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from desk_app.domain.verdict import Code
from desk_app.services import circulation, staff
from desk_app.services.access import shown_name
from desk_app.services.audit import NAME_KEPT
from desk_app.services.context import Actor, DeskContext
from desk_app.store.models import AuditEntry
from tests.helpers.people import ANNE, item, seed_cast
from tests.helpers.staffing import ensure_staff

CPR = "0101901235"  # a valid-looking CPR number: the first ten of the eleven digits
ELEVEN = CPR + "0"
TEN_DIGIT_RUN = re.compile(r"(?<!\d)\d(?:\D{0,3}\d){9}(?!\d)")


def _clear(text: str) -> bool:
    """No ten-digit run and none of the CPR number's digits in a row."""
    return CPR not in text and TEN_DIGIT_RUN.search(text) is None


def _audit_staff(ctx: DeskContext) -> list[str]:
    with ctx.sessions() as session:
        return list(session.scalars(select(AuditEntry.staff).order_by(AuditEntry.id)))


# Names longer than the 60 characters kept, whose cut at 60 would fall after
# the tenth digit of an eleven-digit run (the old bug), also with a separator.
CUT_RUNS = {
    "eleven digits": "y" * 50 + ELEVEN,
    "eleven digits, then more": "y" * 50 + ELEVEN + " and more",
    "six, a hyphen and five": "y" * 49 + "010190-12350",
}


@pytest.mark.parametrize("name", list(CUT_RUNS.values()), ids=list(CUT_RUNS))
def test_h13_p10_shown_name_cuts_before_masking_an_eleven_digit_run(name: str) -> None:
    shown = shown_name(name)
    assert len(shown) <= NAME_KEPT
    assert _clear(shown), shown
    assert shown.startswith(name[:49]) and shown.endswith("\u2026")


@pytest.mark.parametrize("name", list(CUT_RUNS.values()), ids=list(CUT_RUNS))
def test_h13_p10_a_refused_unknown_name_keeps_no_cpr_where_the_cut_falls(
    ctx: DeskContext, name: str
) -> None:
    """The refusal's message and its audit entry (audit.staff is String(60))."""
    seed_cast(ctx)
    refused = circulation.checkout(ctx, Actor(name, "test-desk"), ANNE, item(1))
    assert refused.code is Code.NOT_PERMITTED
    assert _clear(refused.message_en) and _clear(refused.message_da), refused.message_en
    (entry,) = _audit_staff(ctx)
    assert len(entry) <= 60 and _clear(entry), entry


def test_h13_p10_a_sign_in_attempt_keeps_no_cpr_where_the_cut_falls(ctx: DeskContext) -> None:
    """A name typed at sign-in with digits in it is kept as "?"; a long one
    without any is cut to the column, with an ellipsis."""
    ensure_staff(ctx)
    for typed in (CUT_RUNS["eleven digits"], "z" * 80):
        refused = staff.sign_in(ctx, pin="0000", name=typed, desk="test-desk")
        assert isinstance(refused, staff.SignInRefused)
        assert _clear(refused.message_en) and _clear(refused.message_da)
    assert _audit_staff(ctx) == ["?", "z" * 59 + "\u2026"]
