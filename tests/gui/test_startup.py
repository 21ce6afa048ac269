"""Start-up order: the desk window is ready to scan before slow extras load."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from desk_app.domain.roles import Role
from desk_app.gui.app import DeskApp
from desk_app.gui.desk_window import DeskWindow
from desk_app.settings import DeskSettings
from tests.gui.conftest import PINS, STAFF


class PaintLog(QObject):
    """Notes every paint of a desk window."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, DeskWindow) and event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def test_the_sounds_load_after_the_desk_window_is_painted(qtbot, gui_ctx, tmp_path):
    """On a real desk loading the sounds (QtMultimedia, the audio device) takes
    a while: it must not hold up the window's first paint, nor wait for the
    first scan."""
    app = DeskApp(gui_ctx, DeskSettings(language="en", sounds=True), tmp_path, "test")
    painted_before_loading: list[bool] = []
    app.sounds.preload = lambda: painted_before_loading.append(log.paints > 0) or True  # type: ignore[method-assign]
    log = PaintLog()
    QApplication.instance().installEventFilter(log)

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        dialog.form.nameBox.setCurrentText(STAFF[Role.DESK])
        qtbot.keyClicks(dialog.form.pinField, PINS[Role.DESK])
        qtbot.keyClick(dialog.form.pinField, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill_in)
    try:
        assert app.sign_in()
        assert app.window is not None
        qtbot.addWidget(app.window)
        qtbot.waitUntil(lambda: bool(painted_before_loading))
        assert painted_before_loading == [True]
        app.window.repaint()
        QApplication.processEvents()
        assert painted_before_loading == [True]  # once
    finally:
        QApplication.instance().removeEventFilter(log)
