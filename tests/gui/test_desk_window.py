"""The desk window driven as a wedge scanner drives it: keys into the scan
field, then Enter or Tab; asserting on the banner, the borrower panel and the
database."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import func, select

from desk_app.domain.roles import Role
from desk_app.services import circulation
from desk_app.services.context import Actor
from desk_app.services.desk import Mode, Tone
from desk_app.services.notices import run_notices
from desk_app.store.models import AlternativeOrder, AuditEntry, Loan
from tests.gui.conftest import STAFF, scan
from tests.helpers.people import (
    ANNE,
    BO,
    EXPIRED,
    STUDENT,
    TEST_CPR,
    card,
    item,
)


def _loans(ctx, *where):  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalars(select(Loan).where(*where).order_by(Loan.id)).all()


def _count(ctx, model, *where) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _suspend_bo(ctx, clock) -> None:  # type: ignore[no-untyped-def]
    """Bo's loan of item 2 climbs the whole §5 ladder to SUSPENSION."""
    actor = Actor(STAFF[Role.SUPERVISOR], "test")  # runs the notices: a supervisor
    clock.set(datetime(2025, 1, 2, 10))
    assert circulation.checkout(ctx, actor, BO, item(2)).ok
    for day in (date(2026, 1, 3), date(2026, 1, 18), date(2026, 1, 26), date(2026, 2, 3)):
        run_notices(ctx, actor, day)
    run_notices(ctx, actor, date(2026, 2, 11))
    clock.set(datetime(2026, 2, 12, 10))


def test_normal_checkout_typed_key_by_key(qtbot, window, gui_ctx, clock):
    scan(qtbot, window, ANNE)
    assert window.banner.title == "Anne Jensen"
    assert window.banner.tone is Tone.INFO
    panel = window.borrower_panel.form
    assert panel.nameValue.text() == "Anne Jensen"
    assert "DIKU" in panel.instituteValue.text()
    assert panel.cardValue.text() == f"{ANNE}, valid"
    assert not panel.suspensionBadge.isVisible()

    scan(qtbot, window, item(1))
    assert window.banner.title == "Loaned"
    assert window.banner.tone is Tone.ACCEPTED
    assert window.banner.rule == "Rule §4 L1"
    assert "2027-03-02" in window.banner.message
    assert [row[:2] for row in window.borrower_panel.loan_rows()] == [[item(1), "2027-03-02"]]
    (loan,) = _loans(gui_ctx)
    assert (loan.state, loan.staff, loan.desk, loan.loaned_at) == (
        "open",
        STAFF[Role.DESK],
        "Main desk",
        clock.now(),
    )
    assert window.scan_field.text() == "" and window.scan_field.hasFocus()
    assert window.shift_log.rows()[0][1:3] == ["Check out", item(1)]


def test_B4_tab_ends_a_scan_and_prefix_suffix_are_removed(qtbot, make_window, gui_ctx):
    window = make_window(scanner_prefix="%", scanner_suffix="?")
    scan(qtbot, window, f"%A{ANNE}B?", end=Qt.Key.Key_Tab)
    assert window.banner.title == "Anne Jensen"
    assert window.scan_field.hasFocus()
    scan(qtbot, window, f"%{item(1)}?", end=Qt.Key.Key_Tab)
    assert window.banner.title == "Loaned"
    assert len(_loans(gui_ctx)) == 1


def test_B3_health_card_sets_the_borrower_shown_masked(qtbot, window):
    scan(qtbot, window, TEST_CPR)
    assert window.banner.title == "Ida Health"
    shown = window.borrower_panel.form.cardValue.text()
    assert "010190-XXXX" in shown and "1235" not in shown
    assert "1235" not in " ".join(" ".join(row) for row in window.shift_log.rows())


def test_B2_misread_check_digit_says_scan_again_and_looks_nothing_up(qtbot, window, gui_ctx):
    scan(qtbot, window, ANNE)
    audit_before = _count(gui_ctx, AuditEntry)
    misread = item(1)[:-1] + str((int(item(1)[-1]) + 1) % 10)
    scan(qtbot, window, misread)
    assert window.banner.title == "Misread: scan again"
    assert window.banner.tone is Tone.CAUTION
    assert misread in window.banner.message
    assert window.banner.rule == "Rule B2"
    assert _count(gui_ctx, AuditEntry) == audit_before  # nothing was looked up or written
    assert _loans(gui_ctx) == []
    assert window.borrower_panel.form.nameValue.text() == "Anne Jensen"  # borrower kept


def test_B4_unreadable_scan_says_what_was_read(qtbot, window, gui_ctx):
    scan(qtbot, window, "hello")
    assert "'hello'" in window.banner.message and "Scan again" in window.banner.message
    assert _loans(gui_ctx) == []


def test_item_before_any_card_asks_for_the_card(qtbot, window, gui_ctx):
    scan(qtbot, window, item(1))
    assert window.banner.title == "Scan the card first"
    assert window.banner.tone is Tone.REFUSED
    assert _loans(gui_ctx) == []


def _reserve_item_2_for_bo(ctx, clock):  # type: ignore[no-untyped-def]
    assert circulation.request(ctx, Actor(STAFF[Role.DESK], "y"), BO, item(2)).ok


def _lend_item_1_to_bo(ctx, clock):  # type: ignore[no-untyped-def]
    assert circulation.checkout(ctx, Actor(STAFF[Role.DESK], "y"), BO, item(1)).ok


REFUSALS = [
    # (code, setup, card, item, title, rule)
    ("CARD_INVALID", None, EXPIRED, item(1), "Card not valid", "U1"),
    ("NOT_ELIGIBLE", None, STUDENT, item(1), "Not eligible", "§1 E1"),
    ("SUSPENDED", _suspend_bo, BO, item(1), "Refused: suspended", "§5 S3"),
    ("ITEM_UNKNOWN", None, ANNE, item(99), "Item unknown", "B1"),
    ("ON_LOAN", _lend_item_1_to_bo, ANNE, item(1), "Already on loan", "§6 C1"),
    ("RESERVED_FOR_OTHER", _reserve_item_2_for_bo, ANNE, item(2), "Reserved for", "§4 L3"),
    ("NOT_LOANABLE_ID_CARD", None, ANNE, item(5), "Not for loan", "§2 M4"),
    ("NOT_LOANABLE_READING_ROOM", None, ANNE, item(4), "Reading room only", "§2 M3"),
]


@pytest.mark.parametrize(
    ("code", "setup", "card_no", "item_no", "title", "rule"),
    REFUSALS,
    ids=[r[0] for r in REFUSALS],
)
def test_every_checkout_refusal_is_red_with_its_rule_and_writes_no_loan(
    qtbot, window, gui_ctx, clock, code, setup, card_no, item_no, title, rule
):
    if setup:
        setup(gui_ctx, clock)
    loans_before = len(_loans(gui_ctx))
    scan(qtbot, window, card_no)
    scan(qtbot, window, item_no)
    assert window.session.log[-1].code == code
    assert window.banner.title.startswith(title)
    assert window.banner.tone is Tone.REFUSED
    assert window.banner.rule == f"Rule {rule}"
    assert len(_loans(gui_ctx)) == loans_before
    assert window.scan_field.hasFocus()


def test_CARD_UNKNOWN_clears_the_borrower(qtbot, window, gui_ctx):
    scan(qtbot, window, ANNE)
    scan(qtbot, window, card(99))
    assert window.banner.title == "Card unknown"
    assert window.banner.tone is Tone.REFUSED
    assert window.borrower_panel.form.nameValue.text().startswith("No borrower")
    scan(qtbot, window, item(1))  # no silent loan to the previous borrower
    assert window.banner.title == "Scan the card first"
    assert _loans(gui_ctx) == []


def test_S2_suspended_borrower_shows_badge_with_causing_loans(qtbot, window, gui_ctx, clock):
    _suspend_bo(gui_ctx, clock)
    scan(qtbot, window, BO)
    badge = window.borrower_panel.form.suspensionBadge
    assert badge.isVisible() and item(2) in badge.text()
    assert window.banner.title == "Suspended borrower"
    assert window.banner.tone is Tone.CAUTION
    rows = window.borrower_panel.loan_rows()
    assert rows[0][0] == item(2) and rows[0][2] == "Suspension"


def test_S4_check_in_lifts_the_suspension(qtbot, window, gui_ctx, clock):
    _suspend_bo(gui_ctx, clock)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F3)
    assert window.session.mode is Mode.CHECK_IN
    assert window.form.modeLabel.text() == "CHECK IN"
    scan(qtbot, window, item(2))
    assert window.banner.title == "Returned"
    assert window.banner.rule == "Rule §5 S4"
    assert "suspension is lifted" in window.banner.message
    assert window.borrower_panel.form.nameValue.text() == "Bo Nielsen"
    assert not window.borrower_panel.form.suspensionBadge.isVisible()
    assert [loan.state for loan in _loans(gui_ctx)] == ["returned"]


def test_L5_renewal_refused_at_the_three_year_horizon(qtbot, window, gui_ctx, clock):
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))  # 2026-03-02, due 2027-03-02
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F4)
    assert window.form.modeLabel.text() == "RENEW"
    for day in (datetime(2027, 3, 1, 9), datetime(2028, 2, 28, 9), datetime(2029, 2, 27, 9)):
        clock.set(day)
        scan(qtbot, window, item(1))
        assert window.banner.title == "Renewed", window.banner.message
    assert _loans(gui_ctx)[0].due == date(2029, 3, 2)  # capped at the horizon
    clock.set(datetime(2029, 2, 28, 9))
    scan(qtbot, window, item(1))
    assert window.banner.title == "Renewal refused"
    assert window.banner.rule == "Rule §4 L5"
    assert window.banner.tone is Tone.REFUSED
    assert _loans(gui_ctx)[0].renewals == 3


def test_M3_alternatives_are_buttons_that_record_an_order(qtbot, window, gui_ctx):
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(4))  # Holberg 1731, legal deposit: digital copy or RR West
    buttons = window.alternative_buttons()
    assert [b.text() for b in buttons] == ["Order a digital copy", "Order to Reading Room West"]
    assert all(b.isVisible() for b in buttons)
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert window.banner.title == "Ordered"
    with gui_ctx.sessions() as session:
        (order,) = session.scalars(select(AlternativeOrder)).all()
        assert (order.alternative, order.staff) == ("DIGITAL_COPY", STAFF[Role.DESK])
    assert window.scan_field.hasFocus()


def test_desk_login_override_asks_a_supervisor_in_the_dialog(qtbot, window, gui_ctx):
    """Issue 13, point 17: a desk login no longer signs out for a supervisor;
    the dialog asks for one (tests/gui/test_h13_desk_scanner.py lends)."""
    scan(qtbot, window, STUDENT)
    scan(qtbot, window, item(1))
    button = window.form.overrideButton
    assert button.isVisible() and button.isEnabled()
    seen: list[bool] = []

    def look_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        seen.append(dialog.form.supervisorGroup.isVisible())
        dialog.reject()

    QTimer.singleShot(0, look_and_cancel)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F8)
    assert seen == [True]
    assert _loans(gui_ctx) == []
    assert window.session.can_override()  # the refusal is kept for a supervisor


def test_supervisor_override_needs_a_reason_and_is_audited(qtbot, make_window, gui_ctx):
    window = make_window(Role.SUPERVISOR)
    scan(qtbot, window, STUDENT)
    scan(qtbot, window, item(1))
    assert window.form.overrideButton.isEnabled()
    seen: list[str] = []

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        dialog.accept()  # no reason yet: refused, the dialog stays
        seen.append(dialog.form.message.text())
        qtbot.keyClicks(dialog.form.reasonField, "Visiting professor, letter from the dean")
        dialog.accept()

    QTimer.singleShot(0, fill_in)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F8)
    assert seen and "reason" in seen[0]
    assert window.banner.title == "Loaned by override"
    assert window.banner.tone is Tone.CAUTION
    (loan,) = _loans(gui_ctx)
    assert loan.staff == STAFF[Role.SUPERVISOR]
    with gui_ctx.sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "checkout_override")
        ).one()
    assert "letter from the dean" in entry.detail and "NOT_ELIGIBLE" in entry.detail
    qtbot.waitUntil(window.scan_field.hasFocus, timeout=2000)


def test_focus_returns_to_the_scan_field_after_a_dialog_closes(qtbot, make_window):
    window = make_window(Role.ADMIN)
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    window.actions_by_name["settings"].trigger()
    assert QApplication.activeModalWidget() is None
    # activation comes back through the event loop, not at once
    qtbot.waitUntil(window.scan_field.hasFocus, timeout=2000)
    scan(qtbot, window, ANNE)  # the next scan arrives where it should
    assert window.banner.title == "Anne Jensen"


def test_focus_returns_after_a_click_elsewhere(qtbot, window):
    scan(qtbot, window, ANNE)
    qtbot.mouseClick(window.form.shiftLog.viewport(), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.form.checkInButton, Qt.MouseButton.LeftButton)
    assert window.scan_field.hasFocus()
    window.borrower_panel.form.loansTable.setFocus()
    qtbot.waitUntil(window.scan_field.hasFocus)


def test_undo_of_the_last_checkout_within_two_minutes(qtbot, window, gui_ctx, clock):
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    assert window.form.undoButton.isEnabled()
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F9)
    assert window.banner.title == "Checkout undone"
    assert [loan.state for loan in _loans(gui_ctx)] == ["cancelled"]
    assert window.borrower_panel.loan_rows() == []
    assert not window.form.undoButton.isEnabled()


def test_undo_is_gone_after_two_minutes(qtbot, window, gui_ctx, clock):
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    clock.set(datetime(2026, 3, 2, 10, 2, 1))
    window._refresh_actions()  # what the one-second timer does
    assert not window.form.undoButton.isEnabled()
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F9)
    assert [loan.state for loan in _loans(gui_ctx)] == ["open"]


def test_L2_shortened_loan_is_amber(qtbot, window, gui_ctx):
    circulation.request(gui_ctx, Actor(STAFF[Role.DESK], "y"), ANNE, item(2))
    assert circulation.request(gui_ctx, Actor(STAFF[Role.DESK], "y"), BO, item(2)).ok
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(2))
    assert window.banner.title == "Loaned"
    assert window.banner.tone is Tone.CAUTION
    assert window.banner.rule == "Rule §4 L2"
    assert "another borrower is waiting" in window.banner.message


def test_courier_login_may_only_check_in(qtbot, make_window):
    window = make_window(Role.COURIER)
    assert window.session.mode is Mode.CHECK_IN
    assert not window.form.checkOutButton.isEnabled()
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F2)
    assert window.session.mode is Mode.CHECK_IN
    assert window.banner.title == "Not for this role"


def test_danish_desk_shows_danish_messages_and_dates(qtbot, make_window):
    window = make_window(language="da")
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    assert "Udlånt til 02.03.2027" in window.banner.message
    assert window.borrower_panel.loan_rows()[0][1] == "02.03.2027"


def test_a_failing_database_is_a_message_not_a_traceback(qtbot, window, monkeypatch):
    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OSError("connection refused")

    monkeypatch.setattr(circulation, "checkout_at_desk", broken)
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    assert window.banner.title == "Not done: the database did not answer"
    assert window.banner.tone is Tone.REFUSED
    assert window.scan_field.hasFocus()


def test_M3_order_buttons_go_when_the_next_refusal_has_no_alternatives(qtbot, make_window):
    window = make_window(Role.SUPERVISOR)
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(4))
    old = window.alternative_buttons()
    assert len(old) == 2
    scan(qtbot, window, STUDENT)
    scan(qtbot, window, item(1))  # NOT_ELIGIBLE: overridable, nothing to order
    assert window.alternative_buttons() == []
    assert not any(b.isVisible() for b in old)
    assert window.form.overrideButton.isVisible() and window.form.overrideButton.isEnabled()


def test_renewal_without_a_borrower_at_the_desk_shows_whose_loan_it_is(qtbot, window, gui_ctx):
    assert circulation.checkout(gui_ctx, Actor(STAFF[Role.DESK], "y"), ANNE, item(1)).ok
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F4)
    scan(qtbot, window, item(1))
    assert window.banner.title == "Renewed"
    assert window.borrower_panel.form.nameValue.text() == "Anne Jensen"
    assert window.borrower_panel.loan_rows()[0][0] == item(1)
