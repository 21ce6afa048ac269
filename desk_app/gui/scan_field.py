"""The one field the scanner types into (B4), the guard that keeps a
scanner out of the desk's dialogs (issue 13, point 1), and the queue scans
wait in while a dialog is open or an operation runs (issue 14).

A keyboard-wedge scanner types the code and then Enter or Tab; Tab must end
the scan instead of moving the focus away, or the next scan is lost. What
was typed is handed on raw: cleaning (prefix, suffix, Codabar letters) is the
domain's job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from shiboken6 import isValid

_ENDS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
# Pressed on their own before a letter (a scanner's Shift for Codabar's A-D too)
_MODIFIER_KEYS = (
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
)


class ScanField(QLineEdit):
    sig_scanned = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanField")
        self.setMaxLength(64)
        self.setClearButtonEnabled(False)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.8)
        self.setFont(font)
        self.setMinimumHeight(48)

    def event(self, event: QEvent) -> bool:
        # Tab never reaches keyPressEvent: the focus chain takes it first.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENDS
        ):
            self._finish()
            return True
        return super().event(event)

    def _finish(self) -> None:
        text = self.text()
        self.clear()
        if text.strip():
            self.sig_scanned.emit(text)


class FocusKeeper(QObject):
    """Brings the focus back to the scan field whenever something in the
    window took it (a click on a table, a button, a closed dialog), so the
    next scan is never lost."""

    def __init__(self, window: QWidget, field: QLineEdit) -> None:
        super().__init__(window)
        self._window = window
        self._field = field

    def on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is self._field or not self._window.isActiveWindow():
            return
        if new is None or self._window.isAncestorOf(new):
            self.restore()

    def restore(self) -> None:
        if self._field.isVisible():
            self._field.setFocus(Qt.FocusReason.OtherFocusReason)


# -- a scanner while a dialog is open (issue 13, point 1) ----------------------

BURST_GAP_MS = 30  # a wedge scanner sends keys 1-20 ms apart; a person, 60 ms and more
MIN_SCAN_KEYS = 6  # the shortest code worth diverting (cards and items have 10-14)
RELEASE_AFTER_MS = 80  # a person's held key reaches its field after this pause


def monotonic_ms() -> int:
    """Milliseconds of the monotonic clock: the time of a key event that
    carries none (Qt's test events and some input methods say 0)."""
    return time.monotonic_ns() // 1_000_000


def _is_command(modifiers: Qt.KeyboardModifier) -> bool:
    """Ctrl or Alt (a shortcut, a mnemonic) but not both: Windows reports
    AltGr, which types characters such as ``$`` and ``@``, as Ctrl+Alt."""
    ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
    alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
    return ctrl != alt or bool(modifiers & Qt.KeyboardModifier.MetaModifier)


@dataclass(frozen=True)
class _HeldKey:
    widget: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    stamp: int


class DialogScanGuard(QObject):
    """Keeps a scanner's keys out of the desk's dialogs.

    A wedge scanner types like a keyboard, so a scan made while a dialog is
    open lands in it: its digits in the print dialog, its Enter on "Print";
    a barcode as the audited reason of an override. While :meth:`guarding`
    is in force, an application event filter holds back every printable key
    typed into a dialog until it is clear whose it is. Keys that come faster
    than a person types (``BURST_GAP_MS`` apart, ``MIN_SCAN_KEYS`` or more)
    and end with Enter or Tab are a scan: the dialog never sees them; the
    dialog's taker may claim the scan (a staff card in the override dialog),
    else ``sig_scan`` hands it to the desk, which scans it after the dialog.
    Anything else is a person's typing and reaches its field unchanged, a
    moment later: at the next slower key, at a pause of ``RELEASE_AFTER_MS``,
    before any other key or click, or when the dialog reads its fields
    (:meth:`flush`).

    Inter-key times come from the events' own timestamps (the window system
    stamps real keys), or from ``clock`` for events stamped 0, so tests give
    the times instead of sleeping.
    """

    sig_scan = Signal(str)  # a scan typed while a dialog was open: for the desk

    def __init__(
        self,
        home: QWidget,
        clock: Callable[[], int] = monotonic_ms,
        max_length: int = 64,
    ) -> None:
        super().__init__(home)
        self._home = home
        self._clock = clock
        self._max_length = max_length
        self._takers: list[Callable[[str], bool] | None] = []
        self._held: list[_HeldKey] = []
        self._replaying = False
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.setInterval(RELEASE_AFTER_MS)
        self._release.timeout.connect(self.flush)

    @property
    def active(self) -> bool:
        return bool(self._takers)

    @contextmanager
    def guarding(self, take: Callable[[str], bool] | None = None) -> Iterator[None]:
        """While a dialog is open: ``take`` (if given) may claim a scan by
        returning True; scans it leaves go to ``sig_scan``."""
        app = QCoreApplication.instance()
        if not self._takers and app is not None:
            app.installEventFilter(self)
        self._takers.append(take)
        try:
            yield
        finally:
            self._takers.pop()
            if not self._takers:
                self.flush()
                if app is not None:
                    app.removeEventFilter(self)

    def flush(self) -> None:
        """Deliver the keys held back so far, in order, to the fields they
        were typed into (a person's typing, not a scan)."""
        held, self._held = self._held, []
        self._release.stop()
        self._replaying = True
        try:
            for key in held:
                if not isValid(key.widget):
                    continue
                # press and release: the release was held back with the press,
                # and a button clicks on Space's release, not its press
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    if not isValid(key.widget):
                        break
                    event = QKeyEvent(kind, key.key, key.modifiers, key.text)
                    QCoreApplication.sendEvent(key.widget, event)
        finally:
            self._replaying = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or not self._takers:
            return False
        if isinstance(watched, QWindow):
            return self._blocked_home_key(watched, event)
        if not isinstance(watched, QWidget) or watched.window() is self._home:
            return False  # the desk's own scan field: as ever
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key_press(watched, event)
        if kind == QEvent.Type.KeyRelease:
            return bool(self._held)  # the releases of keys still held
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.flush()  # what was typed lands before the click is judged
        return False

    def _blocked_home_key(self, window: QWindow, event: QEvent) -> bool:
        """Keys the window system still sends to the desk window while the
        dialog opens over it: Qt would drop them (the desk is blocked by the
        dialog), losing the start of a scan. Held and judged as the rest."""
        if window is not self._home.windowHandle() or QApplication.activeModalWidget() is None:
            return False  # not blocked: its widget gets the key, as ever
        if event.type() == QEvent.Type.KeyRelease:
            return bool(self._held)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        return self._key_press(self._home.focusWidget() or self._home, event)

    def _key_press(self, widget: QWidget, event: QKeyEvent) -> bool:
        if event.key() in _MODIFIER_KEYS:
            return False  # part of the next key, not a key of its own
        stamp = event.timestamp() or self._clock()
        if event.isAutoRepeat() or _is_command(event.modifiers()):
            self.flush()  # a held-down key or a shortcut: a person
            return False
        if event.key() in _ENDS:
            if self._is_scan(stamp):
                text = "".join(key.text for key in self._held)
                self._held = []
                self._release.stop()
                self._divert(text)
                return True  # neither the dialog's default button nor its focus chain
            self.flush()
            return False
        text = event.text()
        if not text or not text.isprintable():
            self.flush()  # arrows, Backspace, Esc, F-keys: a person's, after their typing
            return False
        if self._held and not self._fast(self._held[-1].stamp, stamp):
            self.flush()  # the keys so far were a person's
        self._held.append(_HeldKey(widget, event.key(), event.modifiers(), text, stamp))
        self._release.start()
        return True

    def _is_scan(self, stamp: int) -> bool:
        return len(self._held) >= MIN_SCAN_KEYS and self._fast(self._held[-1].stamp, stamp)

    @staticmethod
    def _fast(before: int, after: int) -> bool:
        # X's 32-bit millisecond stamps wrap: a negative gap is no burst
        return 0 <= after - before <= BURST_GAP_MS

    def _divert(self, text: str) -> None:
        text = text[: self._max_length]  # as much as the scan field takes
        take = self._takers[-1]
        if take is not None and take(text):
            return
        self.sig_scan.emit(text)


class DialogScans(QObject):
    """One window's scans that cannot be done as they come, the one queue
    they wait in, and doing them, in order, when they can be: scans made
    while one of the window's dialogs is open (the guard keeps them out of
    the dialog, issue 13 point 1), and scans typed while one of its
    operations runs on a worker (``gui.operations`` holds the queue
    meanwhile, issue 14). An operation asked for while another runs waits in
    the same queue (:meth:`later`), so scans and operations keep the order
    they came in. The desk, dispatch and supervisor windows each own one, so
    the rule is written once."""

    def __init__(
        self,
        window: QWidget,
        max_length: int,
        run: Callable[[str], None],
        kept: Callable[[str], None],
    ) -> None:
        """``run`` does a kept scan as if it were typed now; ``kept`` tells
        the person that a scan was kept while a dialog was open (the status
        line)."""
        super().__init__(window)
        self.guard = DialogScanGuard(window, max_length=max_length)
        self.guard.sig_scan.connect(self._keep)
        self._queue: list[str | Callable[[], object]] = []
        self._holds: list[Callable[[str], None]] = []
        self._run = run
        self._kept = kept

    @property
    def waiting(self) -> bool:
        return bool(self._queue)

    @property
    def scans_waiting(self) -> int:
        return sum(isinstance(entry, str) for entry in self._queue)

    @property
    def held(self) -> bool:
        """An operation runs: nothing in the queue is done until it is over."""
        return bool(self._holds)

    def _keep(self, raw: str) -> None:
        self._queue.append(raw)
        self._kept(raw)

    def offer(self, raw: str) -> bool:
        """A scan typed into the window's own field. False: nothing waits, do
        it now (the caller does). True: it waits its turn behind an
        operation that runs, or behind scans kept before it, and is done
        after them (at once, if nothing holds them any more)."""
        if not self._queue and not self._holds:
            return False
        self._queue.append(raw)
        if self._holds:
            self._holds[-1](raw)
        else:
            self.run_queued()
        return True

    def later(self, action: Callable[[], object]) -> None:
        """Do ``action`` after what waits now (an operation asked for while
        another runs): at once when nothing waits or holds the queue."""
        self._queue.append(action)
        self.run_queued()

    def hold(self, kept: Callable[[str], None]) -> None:
        """Until :meth:`release`: scans wait (an operation runs); ``kept`` is
        told of each scan that comes meanwhile."""
        self._holds.append(kept)

    def release(self) -> None:
        """The operation is over: what waited is done now, in order."""
        if self._holds:
            self._holds.pop()
        self.run_queued()

    def run_queued(self) -> None:
        """The kept scans (and waiting operations), in order; none while a
        dialog is open or an operation runs. One that starts an operation
        stops the run: the rest wait for that one."""
        while self._queue and not self._holds and not self.guard.active:
            entry = self._queue.pop(0)
            if isinstance(entry, str):
                self._run(entry)
            else:
                entry()

    @contextmanager
    def dialog(self, take: Callable[[str], bool] | None = None) -> Iterator[None]:
        """Around anything that may open a dialog: scans kept from before go
        first; while it is open a scanner cannot type into it or press its
        buttons (``take`` may claim a scan for the dialog); scans made
        meanwhile run after it, in the next turn of the event loop."""
        self.run_queued()
        try:
            with self.guard.guarding(take):
                yield
        finally:
            QTimer.singleShot(0, self.run_queued)
