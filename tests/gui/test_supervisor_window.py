"""The supervisor screen (issue 5), driven as a supervisor drives it: keys into
the search field, clicks on rows, headers and buttons; asserting on what the
window shows and on the database."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import func, select, update

from desk_app.domain.roles import Role
from desk_app.gui.settle_dialog import SettleAnswer, SettleDialog, SettleQuestion
from desk_app.gui.supervisor_window import SupervisorWindow
from desk_app.services.circulation import checkout
from desk_app.services.context import Actor
from desk_app.services.enrolment import ItemRecord, declare
from desk_app.settings import DeskSettings
from desk_app.store.models import AuditEntry, Loan, Notice
from tests.gui.conftest import STAFF
from tests.helpers.people import ANNE, BO, TEST_CPR, item
from tests.helpers.supervision import SOREN, SOREN_NAME, climb, declare_soren, lend

TODAY = date(2026, 2, 12)  # the day after the suspension run


@pytest.fixture
def suspended(gui_ctx, clock):  # type: ignore[no-untyped-def]
    """Bo (two loans), Søren and Ida (health card) suspended since 2026-02-11;
    Anne's loan, due later, at the 2nd reminder."""
    desk = Actor(STAFF[Role.DESK], "Main desk")
    declare_soren(gui_ctx)
    supervisor = Actor(STAFF[Role.SUPERVISOR], "Main desk")
    aalborg = ItemRecord(item(21), "Noter om Aalborg", printed_year=2010)
    declare(gui_ctx, supervisor, items=[aalborg])
    lend(
        gui_ctx, desk, clock, [(BO, item(1)), (BO, item(2)), (SOREN, item(20)), (TEST_CPR, item(6))]
    )
    clock.set(datetime(2025, 1, 10, 10))
    assert checkout(gui_ctx, desk, ANNE, item(21)).ok  # due 2026-01-10
    climb(gui_ctx, supervisor, clock)  # the notices runs: a supervisor's (roles)
    assert clock.now().date() == TODAY
    return gui_ctx


class Asker:
    """Stands in for the settle dialog and the file dialog: records the
    questions, gives the prepared answers, never opens a modal window."""

    def __init__(self, answer: SettleAnswer | None, path: str | None = None) -> None:
        self.answer = answer
        self.path = path
        self.questions: list[SettleQuestion] = []
        self.suggested: list[str] = []

    def settle(self, parent, question: SettleQuestion, language: str) -> SettleAnswer | None:  # type: ignore[no-untyped-def]
        self.questions.append(question)
        return self.answer

    def save_path(self, parent, suggested: str) -> str | None:  # type: ignore[no-untyped-def]
        self.suggested.append(suggested)
        return self.path


@pytest.fixture
def make_supervisor(qtbot, suspended):  # type: ignore[no-untyped-def]
    def make(
        role: Role = Role.SUPERVISOR, asker: Asker | None = None, language: str = "en"
    ) -> SupervisorWindow:
        asker = asker or Asker(SettleAnswer("Phoned: the book is at the summer house", TODAY))
        window = SupervisorWindow(
            suspended,
            Actor(STAFF[role], "Main desk"),
            role,
            DeskSettings(language=language, sounds=False),
            ask_settle=asker.settle,
            ask_save_path=asker.save_path,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def find(qtbot, window: SupervisorWindow, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type into the search field and press Enter; the names listed."""
    field = window.form.searchField
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    table = window.form.resultsTable
    return [table.item(row, 0).text() for row in range(table.rowCount())]


def click_row(qtbot, table, row: int) -> None:  # type: ignore[no-untyped-def]
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def tree_rows(tree) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [tree.topLevelItem(r).text(c) for c in range(tree.columnCount())]
        for r in range(tree.topLevelItemCount())
    ]


def _count(ctx, table) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalar(select(func.count()).select_from(table))


# --- search and status ------------------------------------------------------------------


def test_search_by_name_fragment_shows_the_suspended_borrower_at_a_glance(qtbot, make_supervisor):
    window = make_supervisor()
    with qtbot.waitSignal(window.sig_borrower_shown) as shown:
        assert find(qtbot, window, "nielsen") == ["Bo Nielsen"]
    form = window.form
    assert window.case is not None and shown.args == [window.case.borrower_id]
    assert form.resultsTable.item(0, 3).text() == "SUSPENDED"
    assert form.nameLabel.text() == "Bo Nielsen"
    assert form.badgeLabel.text() == (
        f"SUSPENDED since 2026-02-11 (S2) because of: {item(1)}, {item(2)}"
    )
    assert "#b3261e" in form.badgeLabel.styleSheet()
    loans = tree_rows(form.loansTree)
    assert [row[:3] for row in loans] == [
        [item(1), "Suspension", "due 2026-01-02"],
        [item(2), "Suspension", "due 2026-01-02"],
    ]
    first = form.loansTree.topLevelItem(0)
    history = [[first.child(i).text(c) for c in (1, 2, 3)] for i in range(first.childCount())]
    assert history == [
        ["Recall", "2026-01-03", "2026-01-17"],
        ["1st reminder", "2026-01-18", "2026-01-25"],
        ["2nd reminder", "2026-01-26", "2026-02-02"],
        ["3rd reminder", "2026-02-03", "2026-02-10"],
        ["Suspension", "2026-02-11", ""],
    ]
    assert [row[3] for row in tree_rows(form.auditTree)] == ["Check out", "Check out"]


def test_search_by_card_danish_name_and_institute(qtbot, make_supervisor):
    window = make_supervisor()
    assert find(qtbot, window, TEST_CPR) == ["Ida Health"]
    assert window.form.resultsTable.item(0, 1).text() == "010190-XXXX", "B3: masked"
    assert find(qtbot, window, "ÅBERG") == [SOREN_NAME]
    assert window.case is not None and window.case.name == SOREN_NAME
    nfi = find(qtbot, window, "nordic")
    assert nfi == ["Cecilie Hansen", "Erik Andersen"]
    click_row(qtbot, window.form.resultsTable, 1)
    assert window.form.nameLabel.text() == "Erik Andersen"
    assert window.form.badgeLabel.text() == "Not suspended"
    assert find(qtbot, window, "no such person") == []
    assert window.form.resultsLabel.text() == "No borrower matches “no such person”."


def test_a_danish_desk_sees_danish_dates_and_institute_names(qtbot, make_supervisor):
    window = make_supervisor(language="da")
    find(qtbot, window, SOREN)
    form = window.form
    assert form.badgeLabel.text().startswith("SUSPENDED since 11.02.2026 (S2)")
    assert "Datalogisk Institut (DIKU)" in form.detailsLabel.text()
    assert form.whatIfDate.text() == "13.05.2026"  # today + 90 days
    window.form.tabs.setCurrentIndex(1)
    soren = next(row for row in window.suspended_rows() if row[0] == SOREN_NAME)
    assert soren[2:] == ["Datalogisk Institut (DIKU)", "11.02.2026", "1", "02.01.2026"]


# --- settle by contact (S5) ------------------------------------------------------------------


def test_a_supervisor_settles_by_contact_and_the_badge_and_audit_follow(
    qtbot, make_supervisor, suspended
):
    asker = Asker(SettleAnswer("Phoned: the book is at the summer house", date(2026, 3, 1)))
    window = make_supervisor(asker=asker)
    find(qtbot, window, SOREN)
    button = window.form.settleButton
    assert button.isEnabled() and button.toolTip() == ""
    with qtbot.waitSignal(window.sig_outcome) as settled:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert settled.args[0].ok
    question = asker.questions[0]
    assert (question.name, question.item, question.default_agreed) == (
        SOREN_NAME,
        item(20),
        date(2026, 2, 26),  # S5: contact day + 14 days
    )
    form = window.form
    assert form.badgeLabel.text() == "Settled by contact: item(s) back by 2026-03-01 (S5)"
    assert "#b26a00" in form.badgeLabel.styleSheet()
    top = tree_rows(form.auditTree)[0]
    assert top[1:5] == [STAFF[Role.SUPERVISOR], "Main desk", "Settled by contact", "SETTLED"]
    assert top[7].startswith("Phoned: the book is at the summer house")
    assert "2026-03-01" in form.messageLabel.text()
    settlement = form.loansTree.topLevelItem(0)
    last = settlement.child(settlement.childCount() - 1)
    assert [last.text(c) for c in range(1, 5)] == [
        "Settled by contact",
        "2026-02-12",
        "2026-03-01",
        "Phoned: the book is at the summer house",
    ]
    assert SOREN_NAME not in [row[0] for row in window.suspended_rows()]


def test_a_desk_login_is_refused_the_settle_action(qtbot, make_supervisor, suspended):
    asker = Asker(SettleAnswer("I am only the desk", TODAY))
    window = make_supervisor(role=Role.DESK, asker=asker)
    find(qtbot, window, "nielsen")
    button = window.form.settleButton
    assert not button.isEnabled()
    assert button.toolTip() == "Only a supervisor may settle a case by contact (S5)."
    assert window.form.settleHint.text() == button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asker.questions == [], "a disabled button asks nothing"
    audit_before = _count(suspended, AuditEntry)

    with qtbot.waitSignal(window.sig_outcome) as refused:
        window.settle()  # attempted anyway: the service decides, not the button
    assert refused.args[0].code.value == "SETTLE_REFUSED"
    assert window.form.messageLabel.text() == "Only a supervisor may settle a case by contact."
    assert "#b3261e" in window.form.messageLabel.styleSheet()
    assert window.form.badgeLabel.text().startswith("SUSPENDED")
    # issue 13 point 20: the refused settlement is audited (and nothing else)
    assert _count(suspended, AuditEntry) == audit_before + 1
    with suspended.sessions() as session:
        assert not any(session.scalars(select(Loan.settled)))


# --- all suspended: sorting and CSV -------------------------------------------------------------


def test_suspended_list_sorts_by_a_clicked_heading_and_exports_csv(
    qtbot, make_supervisor, tmp_path
):
    path = tmp_path / "out" / "suspended.csv"
    path.parent.mkdir()
    window = make_supervisor(asker=Asker(None, str(path)))
    window.form.tabs.setCurrentIndex(1)
    assert window.form.suspendedCount.text() == "3 suspended borrower(s) today (S2)"
    table = window.form.suspendedTable
    header = table.horizontalHeader()

    def click_heading(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click_heading(0)
    names = [row[0] for row in window.suspended_rows()]
    assert names == sorted(names, key=str.casefold) == ["Bo Nielsen", "Ida Health", SOREN_NAME]
    click_heading(0)
    assert [row[0] for row in window.suspended_rows()] == names[::-1]
    click_heading(4)
    click_heading(4)  # descending: the most loans first
    assert window.suspended_rows()[0][:2] == ["Bo Nielsen", BO]
    assert window.suspended_rows()[0][4] == "2"

    qtbot.mouseClick(window.form.exportButton, Qt.MouseButton.LeftButton)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert SOREN_NAME in text and "010190-XXXX" in text and TEST_CPR not in text
    assert text.splitlines()[0].startswith("Name,Card,Institute")
    assert window.form.messageLabel.text() == (f"Exported 3 suspended borrower(s) to {path}.")


def test_enter_on_a_suspended_borrower_opens_their_cases(qtbot, make_supervisor):
    """A row is activated by a double-click or by Enter (QTest's synthetic
    double-click does not reach item views offscreen, so Enter drives it)."""
    window = make_supervisor()
    window.form.tabs.setCurrentIndex(1)
    table = window.form.suspendedTable
    row = [r[0] for r in window.suspended_rows()].index("Ida Health")
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.form.tabs.currentIndex() == 0
    assert window.form.nameLabel.text() == "Ida Health"
    assert window.form.detailsLabel.text().startswith("Card 010190-XXXX")


# --- what-if --------------------------------------------------------------------------------------


def test_what_if_shows_the_projection_and_changes_nothing(qtbot, make_supervisor, suspended):
    window = make_supervisor()
    notices = _count(suspended, Notice)
    find(qtbot, window, "jensen")
    assert window.form.badgeLabel.text() == "Not suspended"
    window.set_what_if_date(date(2026, 2, 20))
    assert window.form.whatIfText.text() == (
        "If nothing comes back: not suspended by 2026-02-20.\n"
        f"2026-02-19: 3rd reminder for {item(21)}, return by 2026-02-26"
    )
    window.set_what_if_date(date(2026, 6, 1))
    assert window.form.whatIfText.text().splitlines() == [
        "If nothing comes back: suspended on 2026-02-27.",
        f"2026-02-19: 3rd reminder for {item(21)}, return by 2026-02-26",
        f"2026-02-27: Suspension for {item(21)}",
    ]
    assert window.form.whatIfDate.minimumDate().toPython() == TODAY, "no what-if into the past"
    assert _count(suspended, Notice) == notices


# --- the desk window's menu, and the dialog ---------------------------------------------------


@pytest.mark.parametrize(
    ("role", "opens"), [(Role.DESK, True), (Role.SUPERVISOR, True), (Role.COURIER, False)]
)
def test_f7_opens_the_supervisor_screen_for_desk_and_supervisor(make_window, role, opens):
    desk = make_window(role=role)
    action = desk.actions_by_name["supervision"]
    assert action.shortcut().toString() == "F7" and action.isEnabled() is opens
    desk.open_supervision()
    window = desk.supervisor_window
    assert (window is not None and window.isVisible()) is opens
    if window is not None:
        assert window.may_settle is (role is Role.SUPERVISOR)
        window.close()


def test_settle_dialog_needs_a_note_and_offers_the_default_date(qtbot):
    question = SettleQuestion(
        "Bo Nielsen", item(1), "Concrete Mathematics", TODAY, date(2026, 2, 26)
    )
    dialog = SettleDialog(question, "da")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert dialog.agreed_edit.date().toPython() == date(2026, 2, 26)
    assert dialog.agreed_edit.text() == "26.02.2026"
    assert dialog.agreed_edit.minimumDate().toPython() == TODAY
    qtbot.keyClicks(dialog.note_edit, "Ringede: afleverer i næste uge")
    assert ok.isEnabled()
    dialog.agreed_edit.setDate(dialog.agreed_edit.date().addDays(3))
    assert "01.03.2026" in dialog.hint.text()
    assert dialog.answer() == SettleAnswer("Ringede: afleverer i næste uge", date(2026, 3, 1))


def test_S6_each_notice_says_how_it_reached_the_borrower(qtbot, make_supervisor, suspended):
    from desk_app.store.models import Borrower, Notice, NoticeMail

    with suspended.sessions.begin() as session:
        bo = session.scalars(select(Borrower.id).where(Borrower.name == "Bo Nielsen")).one()
        mails = session.scalars(
            select(NoticeMail).where(NoticeMail.borrower_id == bo).order_by(NoticeMail.run_id)
        ).all()
        assert len(mails) == 5 and {m.state for m in mails} == {"postal"}  # Bo has no address
        sent_at = datetime(2026, 1, 3, 7, 2)
        mails[0].state, mails[0].sent_at = "sent", sent_at
        session.execute(
            update(Notice)
            .where(Notice.run_id == mails[0].run_id, Notice.borrower_id == bo)
            .values(delivered_at=sent_at)
        )
        mails[1].state, mails[2].state = "pending", "failed"
    window = make_supervisor()
    assert find(qtbot, window, "nielsen") == ["Bo Nielsen"]
    first = window.form.loansTree.topLevelItem(0)
    assert [first.child(i).text(4) for i in range(first.childCount())] == [
        "e-mailed 2026-01-03",
        "e-mail waiting for the mail server",
        "address refused: sent as a printed letter",
        "printed letter (no e-mail address)",
        "printed letter (no e-mail address)",
    ]
