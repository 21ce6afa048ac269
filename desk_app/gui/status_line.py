"""A window's standing line in its status bar, and the passing messages
that cover it.

Qt's status bar hides its "normal" widgets while a message is shown, but it
lets them back too soon: hiding them it forgets that they were hidden on
purpose, and the next time the bar lays itself out again (a permanent widget
added: the busy line of ``gui.operations``) it shows them again under the
message still shown, two texts painted over each other. So the window says
which line the messages cover, and it is hidden and shown with them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStatusBar, QWidget


def standing_line(bar: QStatusBar, line: QWidget, stretch: int = 0) -> None:
    """``line`` is shown in ``bar`` whenever no message is: a message covers
    it (hidden, on purpose, so no later layout shows it again), and it comes
    back when the message is gone."""
    bar.addWidget(line, stretch)
    line.setVisible(not bar.currentMessage())

    def follow(message: str) -> None:
        line.setVisible(not message)

    bar.messageChanged.connect(follow)
