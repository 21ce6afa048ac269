"""Desk-window fixtures: a real window on an SQLite database with the test cast,
driven by keys typed into the scan field as a wedge scanner types them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt

from desk_app.clock import FixedClock
from desk_app.domain.policy import Policy
from desk_app.domain.roles import Role
from desk_app.gui.desk_window import DeskWindow
from desk_app.gui.sounds import Sounds
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk import DeskSession
from desk_app.services.staff import add_staff
from desk_app.settings import DeskSettings
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.databases import sqlite_file_url
from tests.helpers.people import seed_cast

STAFF = {Role.DESK: "Dorte Desk", Role.SUPERVISOR: "Søren Supervisor", Role.COURIER: "Kaj Courier"}
STAFF[Role.ADMIN] = "Anna Admin"
PINS = {Role.DESK: "1111", Role.SUPERVISOR: "2222", Role.COURIER: "3333", Role.ADMIN: "0000"}


@pytest.fixture
def gui_ctx(tmp_path, clock: FixedClock, policy: Policy) -> Iterator[DeskContext]:
    """The GUI tests run on SQLite: the services below are tested on both."""
    ctx = open_desk(sqlite_file_url(tmp_path), cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    seed_cast(ctx)
    for role, name in STAFF.items():
        add_staff(ctx, name, role, PINS[role])
    yield ctx
    ctx.sessions.kw["bind"].dispose()


MakeWindow = Callable[..., DeskWindow]


@pytest.fixture
def make_window(qtbot, gui_ctx: DeskContext) -> MakeWindow:  # type: ignore[no-untyped-def]
    def make(
        role: Role = Role.DESK, language: str = "en", printer=None, **settings: object
    ) -> DeskWindow:
        desk_settings = DeskSettings(language=language, sounds=False, **settings)  # type: ignore[arg-type]
        session = DeskSession(
            gui_ctx,
            Actor(STAFF[role], desk_settings.desk_name),
            prefix=desk_settings.scanner_prefix,
            suffix=desk_settings.scanner_suffix,
        )
        window = DeskWindow(
            session, role, desk_settings, Sounds(False), "sqlite:///test", printer=printer
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    return make


@pytest.fixture
def window(make_window: MakeWindow) -> DeskWindow:
    return make_window()


def scan(qtbot, window: DeskWindow, text: str, end: Qt.Key = Qt.Key.Key_Return) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` key by key into the scan field, then the terminator."""
    field = window.scan_field
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, end)
