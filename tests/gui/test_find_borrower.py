"""Find a borrower by typing (issue 15), driven key by key: the results
follow the typing after a pause (the pause fired by hand: no test sleeps),
Up/Down move in the list while the focus stays in the field, Enter takes
the borrower, Esc closes; an answer for an older text is never shown."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from desk_app.clock import FixedClock
from desk_app.domain.roles import Role
from desk_app.gui.find_borrower import FindBorrowerDialog
from desk_app.policy_file import load_policy
from desk_app.services import search
from desk_app.services.context import Actor, DeskContext
from desk_app.services.staff import add_staff
from desk_app.store.models import Borrower
from desk_app.wiring import open_desk
from tests.conftest import BACKENDS, TEST_CPR_KEY
from tests.gui.conftest import PINS, STAFF
from tests.helpers.databases import fresh_postgres_database, sqlite_file_url
from tests.helpers.people import ANNE, seed_cast


@pytest.fixture(scope="module", params=BACKENDS)
def gui_ctx(request, tmp_path_factory) -> Iterator[DeskContext]:  # type: ignore[no-untyped-def]
    """One desk for the module, per database: finding writes nothing, so the
    tests share it (a fresh database with its staff takes seconds to make).
    On PostgreSQL too: the search runs on its own index there (pg_trgm)."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = sqlite_file_url(tmp_path_factory.mktemp("find-borrower"))
        else:
            url = stack.enter_context(fresh_postgres_database())
        ctx = open_desk(
            url,
            cpr_key=TEST_CPR_KEY,
            policy=load_policy(),
            clock=FixedClock(datetime(2026, 3, 2, 10, 0)),
        )
        stack.callback(ctx.close)
        seed_cast(ctx)
        add_staff(ctx, STAFF[Role.DESK], Role.DESK, PINS[Role.DESK])
        yield ctx


def desk_actor() -> Actor:
    return Actor(STAFF[Role.DESK], "Main desk")


def borrower_id(ctx, name: str) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalars(select(Borrower.id).where(Borrower.name == name)).one()


def _dialog(qtbot, ctx, initial_text: str = "") -> FindBorrowerDialog:  # type: ignore[no-untyped-def]
    dialog = FindBorrowerDialog(ctx, desk_actor(), initial_text, language="en", debounce_ms=None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _pause(qtbot, dialog: FindBorrowerDialog) -> None:  # type: ignore[no-untyped-def]
    """The typing pauses: the search runs and its results are shown."""
    assert dialog.search.debounce.pending
    with qtbot.waitSignal(dialog.sig_results_shown, timeout=5000):
        dialog.search.debounce.flush()


def names(dialog: FindBorrowerDialog) -> list[str]:
    tree = dialog.results
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def highlighted_name(dialog: FindBorrowerDialog) -> str | None:
    item = dialog.results.currentItem()
    return None if item is None else item.text(0)


def test_find_by_name_fragment_then_down_down_enter_takes_the_third(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx)
    qtbot.keyClicks(dialog.field, "sen")
    assert names(dialog) == []  # nothing yet: the typing has not paused
    _pause(qtbot, dialog)
    found = names(dialog)
    assert {"Anne Jensen", "Cecilie Hansen", "Frida Larsen", "Karl Mortensen"} <= set(found)
    assert "Bo Nielsen" in found and "Gustav Holm" not in found
    assert highlighted_name(dialog) == found[0]
    qtbot.keyClick(dialog.field, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Down)
    assert highlighted_name(dialog) == found[2]
    qtbot.keyClick(dialog.field, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Down)
    assert dialog.field.hasFocus()  # the focus stayed in the field throughout
    with qtbot.waitSignal(dialog.sig_borrower_chosen, timeout=2000) as chosen:
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert chosen.args == [borrower_id(gui_ctx, found[2])]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_enter_before_the_results_takes_the_first_found(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx)
    qtbot.keyClicks(dialog.field, "cecilie hans")
    with qtbot.waitSignal(dialog.sig_borrower_chosen, timeout=5000) as chosen:
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert chosen.args == [borrower_id(gui_ctx, "Cecilie Hansen")]


def test_a_scanned_card_takes_its_borrower(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx)
    with qtbot.waitSignal(dialog.sig_borrower_chosen, timeout=5000) as chosen:
        qtbot.keyClicks(dialog.field, ANNE)
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert chosen.args == [borrower_id(gui_ctx, "Anne Jensen")]


def test_initial_text_is_searched_with_the_cursor_at_its_end(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx, "Jens")
    assert dialog.field.text() == "Jens"
    assert dialog.field.cursorPosition() == 4
    _pause(qtbot, dialog)
    assert names(dialog) == ["Anne Jensen"]
    qtbot.keyClicks(dialog.field, "x")  # typed on at the end
    assert dialog.field.text() == "Jensx"


def test_too_short_and_nothing_found_are_said(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx)
    qtbot.keyClicks(dialog.field, "j")
    assert not dialog.search.debounce.pending  # one letter searches nothing
    assert "at least 2 letters" in dialog.message.text()
    qtbot.keyClick(dialog.field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.field, "xyzzy")
    _pause(qtbot, dialog)
    assert names(dialog) == []
    assert dialog.message.text() == "Nothing found for “xyzzy”."
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # nothing to take: the dialog stays
    assert dialog.isVisible()


def test_suspended_or_expired_is_marked_and_no_cpr_is_shown(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx)
    qtbot.keyClicks(dialog.field, "Karl")
    _pause(qtbot, dialog)
    row = dialog.results.topLevelItem(0)
    assert row.text(0) == "Karl Mortensen"
    assert "Card expired" in row.text(4)
    assert row.foreground(4).color().name() == "#b3261e"
    qtbot.keyClick(dialog.field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.field, "Ida Health")
    _pause(qtbot, dialog)
    row = dialog.results.topLevelItem(0)
    assert row.text(0) == "Ida Health"
    shown = " ".join(row.text(c) for c in range(5))
    assert "1235" not in shown  # the health card's number is never shown (B3)
    assert row.text(4) == ""


def test_esc_closes_without_choosing(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx)
    chosen: list[int] = []
    dialog.sig_borrower_chosen.connect(chosen.append)
    qtbot.keyClicks(dialog.field, "Anne")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert chosen == []


def test_a_stale_answer_for_an_older_text_is_dropped(qtbot, gui_ctx, monkeypatch):
    """The answer for "an" comes back after "ann" was typed: it is never
    shown; "ann" is searched next and its answer is."""
    real = search.find_borrowers
    started, release = threading.Event(), threading.Event()
    asked: list[str] = []

    def slow_for_an(ctx, actor, text, limit):  # type: ignore[no-untyped-def]
        asked.append(text)
        if text == "an":
            started.set()
            release.wait(5)
        return real(ctx, actor, text, limit)

    monkeypatch.setattr(search, "find_borrowers", slow_for_an)
    dialog = _dialog(qtbot, gui_ctx)
    shown: list[str] = []
    dialog.sig_results_shown.connect(shown.append)
    qtbot.keyClicks(dialog.field, "an")
    dialog.search.debounce.flush()
    qtbot.waitUntil(started.is_set)
    qtbot.keyClicks(dialog.field, "ne")
    dialog.search.debounce.flush()  # "anne" waits for the search that runs
    with qtbot.waitSignal(dialog.sig_results_shown, timeout=5000):
        release.set()
    assert asked == ["an", "anne"]
    assert shown == ["anne"]
    assert dialog.search.dropped == 1
    assert "Anne Jensen" in names(dialog)
    assert all("anne" in name.lower() for name in names(dialog))


def test_enter_on_the_keypad_takes_too(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx)
    qtbot.keyClicks(dialog.field, "Gustav")
    _pause(qtbot, dialog)
    with qtbot.waitSignal(dialog.sig_borrower_chosen, timeout=2000) as chosen:
        qtbot.keyClick(dialog.field, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert chosen.args == [borrower_id(gui_ctx, "Gustav Holm")]
