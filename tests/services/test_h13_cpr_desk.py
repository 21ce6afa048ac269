"""Issue 13, points 10 and 13, at the desk (``DeskSession``, what the banner
and the shift log show): a CPR number typed with an en dash, U+2010, U+2212,
two spaces, '_' or ':' is the borrower's health card, shown masked; an
unreadable scan holding one is echoed masked; a 100,000-character scan is
refused without a lookup, echoed in 40 characters, and writes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from desk_app.domain.verdict import Code
from desk_app.services.context import DeskContext
from desk_app.services.desk import DeskSession, Mode
from desk_app.store.models import AuditEntry, Loan
from tests.helpers.people import TEST_CPR, seed_cast
from tests.helpers.staffing import test_actor

TEN_DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[\W_]*\d){9}(?!\d)")
DIGITS = TEST_CPR.replace("-", "")


@pytest.fixture
def desk(ctx: DeskContext) -> DeskSession:
    seed_cast(ctx)
    return DeskSession(ctx, test_actor(ctx))


def _writes(ctx: DeskContext) -> tuple[int, int]:
    with ctx.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            session.scalar(select(func.count()).select_from(Loan)) or 0,
        )


def _shown(desk: DeskSession) -> list[str]:
    entry = desk.log[-1]
    return [entry.read, entry.message("en"), entry.message("da")]


@pytest.mark.parametrize("sep", ["\u2013", "\u2010", "\u2212", "  ", "_", ":", "\u00a0"])
def test_h13_p10_cpr_with_a_separator_is_the_borrowers_health_card(
    desk: DeskSession, sep: str
) -> None:
    outcome = desk.scan(DIGITS[:6] + sep + DIGITS[6:])
    assert outcome.action == "card"
    assert outcome.verdict.code is Code.STATUS
    assert outcome.verdict.data["name"] == "Ida Health"
    assert outcome.read == "010190-XXXX"
    for text in _shown(desk):
        assert not TEN_DIGIT_RUN.search(text), text


@pytest.mark.parametrize("mode", [Mode.CHECK_OUT, Mode.CHECK_IN])
@pytest.mark.parametrize(
    "raw", ["010190\u20131235 x", "x010190-1235", "01 01 90 12 35", "320190\u20131235"]
)
def test_h13_p10_unreadable_scan_with_a_cpr_is_echoed_masked(
    desk: DeskSession, mode: Mode, raw: str
) -> None:
    desk.set_mode(mode)
    before = _writes(desk.ctx)
    outcome = desk.scan(raw)
    assert outcome.action == "misread"
    for text in _shown(desk):
        assert not TEN_DIGIT_RUN.search(text), text
        assert "1235" not in text
    assert _writes(desk.ctx) == before


def test_h13_p13_a_100000_character_scan_makes_a_short_banner_and_writes_nothing(
    desk: DeskSession,
) -> None:
    before = _writes(desk.ctx)
    outcome = desk.scan("3" * 50_000 + DIGITS + "4" * 50_000)
    assert outcome.action == "misread" and outcome.verdict.rule == "B4"
    assert len(outcome.read) == 40
    assert all(len(text) < 100 for text in _shown(desk))
    assert _writes(desk.ctx) == before
