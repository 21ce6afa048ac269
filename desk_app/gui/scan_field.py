"""The one field the scanner types into (B4), the guard that keeps a
scanner out of the desk's dialogs (issue 13, point 1), and the queue scans
wait in while a dialog is open or an operation runs (issue 14).

A keyboard-wedge scanner types the code and then Enter or Tab; Tab must end
the scan instead of moving the focus away, or the next scan is lost. What
was typed is handed on raw: cleaning (prefix, suffix, Codabar letters) is the
domain's job.

A person who types letters into the desk's field (issue 15) is looking for a
borrower by name: the field hands what was typed on (``sig_name_typed``)
once the keys come at a person's pace, never for a scanner's burst (a
Codabar card starts with a letter too) and never for digits.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEvent,
    QEventLoop,
    QObject,
    Qt,
    QTimer,
    Signal,
)
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
    sig_name_typed = Signal(str)  # letters typed at a person's pace: a name to look for

    def __init__(self, parent: QWidget | None = None, *, names: bool = False) -> None:
        """``names``: letters typed by a person are handed on as
        ``sig_name_typed`` (the desk's find-a-borrower) instead of staying
        here until Enter."""
        super().__init__(parent)
        # when its last key came (the event's stamp, else the clock): a
        # scan half typed when the guard starts is taken over by it whole
        self.last_key_stamp: int | None = None
        self._names = names
        self._key_clock = 0  # now_ms() at the last key: a pause is measured on it
        self._name_pause = QTimer(self)
        self._name_pause.setSingleShot(True)
        self._name_pause.setInterval(NAME_PAUSE_MS)
        self._name_pause.timeout.connect(self._paused_on_letters)
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
            self._name_pause.stop()
            self._finish()
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            before = self.last_key_stamp
            self.last_key_stamp = event.timestamp() or now_ms()
            self._key_clock = now_ms()
            handled = super().event(event)
            if self._names:
                self._judge_letters(before, self.last_key_stamp)
            return handled
        return super().event(event)

    def _finish(self) -> None:
        text = self.text()
        self.clear()
        if text.strip():
            self.sig_scanned.emit(text)

    # -- a name typed by a person (issue 15) ----------------------------------------

    def _judge_letters(self, before: int | None, stamp: int) -> None:
        """After a key: text that starts with a letter and came at a person's
        pace is a name; at a scanner's pace (a Codabar card's start letter)
        it stays a scan; a single letter is a name when no key follows."""
        text = self.text()
        if not text or not text[:1].isalpha():
            self._name_pause.stop()  # digits: a scan, or a barcode typed by hand
            return
        if len(text) > 1 and before is not None and stamp - before >= PERSON_GAP_MS:
            self._hand_on_name()
            return
        self._name_pause.start()

    def _paused_on_letters(self) -> None:
        """The pause timer: no key since the letters (on the clock; a test's
        clock may not have moved: then it is no pause)."""
        text = self.text()
        if not text or not text[:1].isalpha():
            return
        if now_ms() - self._key_clock < NAME_PAUSE_MS:
            self._name_pause.start()
            return
        self._hand_on_name()

    def _hand_on_name(self) -> None:
        self._name_pause.stop()
        text = self.text()
        self.clear()
        self.sig_name_typed.emit(text)


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
QUIET_MS = 80  # no key for this long: no scan is being typed, a dialog may take the focus
QUIET_WAIT_LIMIT_MS = 1500  # a dialog waits for a quiet keyboard at most this long
PERSON_GAP_MS = 60  # keys this far apart or more are a person's (a name typed, issue 15)
NAME_PAUSE_MS = 250  # a letter with no key after it for this long is a person's


def monotonic_ms() -> int:
    """Milliseconds of the monotonic clock: the time of a key event that
    carries none (Qt's test events and some input methods say 0)."""
    return time.monotonic_ns() // 1_000_000


def now_ms() -> int:
    """:func:`monotonic_ms`, looked up when called: the clock of the scan
    field and of a guard given none, which a test replaces to type at a
    scanner's pace without waiting."""
    return monotonic_ms()


def _key_of(char: str) -> int:
    """The key that types ``char`` (the letter's or digit's own key; any
    other character goes by its text alone)."""
    code = ord(char.upper())
    return code if 0x20 < code < 0x7F else int(Qt.Key.Key_unknown)


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
    """Keeps a scanner's keys out of the desk's dialogs, and keeps a scan
    whole while the desk is busy.

    A wedge scanner types like a keyboard, so a scan made while a dialog is
    open lands in it: its digits in the print dialog, its Enter on "Print";
    a barcode as the audited reason of an override. While the guard is in
    force (:meth:`guarding`, or :meth:`begin` to :meth:`end`), an
    application event filter holds back every printable key typed into a
    dialog, or into the window itself, until it is clear whose it is. Keys
    that come faster than a person types (``BURST_GAP_MS`` apart,
    ``MIN_SCAN_KEYS`` or more) and end with Enter or Tab are a scan: the
    dialog never sees them; the dialog's taker may claim the scan (a staff
    card in the override dialog), else ``sig_scan`` hands it to the desk,
    which scans it after the dialog. Anything else is a person's typing and
    reaches its field unchanged, a moment later: at the next slower key, at
    a pause of ``RELEASE_AFTER_MS``, before any other key or click, or when
    the dialog reads its fields (:meth:`flush`).

    The guard is in force from the start of an operation through the dialog
    its result opens until that closes (issue 14): one buffer the whole
    time, so a scan whose first keys come while the slip is drawn and whose
    last come once the print dialog is up is one scan, never two halves. A
    scan already half typed into the scan field when the guard starts is
    taken out of the field into the buffer, and handed back to the field if
    its next key does not follow at a scanner's pace. Keys still held when
    the guard ends go to the field they were typed into, or, if that was in
    a dialog now closed, to the window's focus (the scan field), where the
    rest of the scan follows them.

    Inter-key times come from the events' own timestamps (the window system
    stamps real keys), or from ``clock`` for events stamped 0; a pause is
    measured on ``clock``. So tests give the times instead of sleeping.
    """

    sig_scan = Signal(str)  # a scan typed while a dialog was open: for the desk

    def __init__(
        self,
        home: QWidget,
        clock: Callable[[], int] | None = None,
        max_length: int = 64,
    ) -> None:
        super().__init__(home)
        self._home = home
        self._clock = clock or now_ms
        self._max_length = max_length
        self._takers: list[tuple[object, Callable[[str], bool] | None]] = []
        self._held: list[_HeldKey] = []
        self._held_at = 0  # the clock when the last key was held: a pause is measured from it
        self._key_at: int | None = None  # the clock when the last key came, while in force
        self._replaying = False
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.setInterval(RELEASE_AFTER_MS)
        self._release.timeout.connect(self._paused)

    @property
    def active(self) -> bool:
        return bool(self._takers)

    @contextmanager
    def guarding(self, take: Callable[[str], bool] | None = None) -> Iterator[None]:
        """While a dialog is open: ``take`` (if given) may claim a scan by
        returning True; scans it leaves go to ``sig_scan``."""
        token = self.begin(take)
        try:
            yield
        finally:
            self.end(token)

    def begin(self, take: Callable[[str], bool] | None = None) -> object:
        """In force until :meth:`end` with the token returned (a dialog's
        ``take`` as in :meth:`guarding`; an operation passes none). The
        latest ``take`` still in force claims scans; they may end in any
        order (an operation may end while a dialog opened meanwhile is up)."""
        token = object()
        if not self._takers:
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)
            self._take_over_field()
        self._takers.append((token, take))
        return token

    def end(self, token: object) -> None:
        self._takers = [entry for entry in self._takers if entry[0] is not token]
        if not self._takers:
            self.flush()
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)

    def wait_until_quiet(self) -> None:
        """Before a dialog is shown: until no scan is being typed (no key
        held, none for ``QUIET_MS``), at most ``QUIET_WAIT_LIMIT_MS``. While a
        new window takes the focus, the window system sends keys to no window
        of the desk's (found under Xvfb with openbox: 50 ms of a scan lost);
        so the print dialog after a slip waits for the scan going on to end,
        and the keys meanwhile are judged as ever."""
        if self._quiet():
            return
        loop = QEventLoop()
        deadline = QDeadlineTimer(QUIET_WAIT_LIMIT_MS)
        poll = QTimer()
        poll.setInterval(10)

        def check() -> None:
            if self._quiet() or deadline.hasExpired():
                loop.quit()

        poll.timeout.connect(check)
        poll.start()
        loop.exec()
        poll.stop()

    def _quiet(self) -> bool:
        if self._held:
            return False
        return self._key_at is None or self._clock() - self._key_at >= QUIET_MS

    def _take_over_field(self) -> None:
        """A scan half typed into the scan field as the guard starts (Ctrl+P
        pressed during it, the dialog opened in the middle of it) goes on in
        the guard's buffer: its keys are held as if typed now."""
        field = self._home.focusWidget()
        if not isinstance(field, ScanField) or not field.text() or field.last_key_stamp is None:
            return
        text, stamp = field.text(), field.last_key_stamp
        field.clear()
        for char in text:
            self._held.append(
                _HeldKey(field, _key_of(char), Qt.KeyboardModifier.NoModifier, char, stamp)
            )
        self._held_at = self._clock()
        self._release.start()

    def _paused(self) -> None:
        """The release timer: a pause after the last key held, on the clock
        (a test's clock may not have moved: then it is no pause)."""
        if self._held and self._clock() - self._held_at < RELEASE_AFTER_MS:
            self._release.start()
            return
        self.flush()

    def flush(self) -> None:
        """Deliver the keys held back so far, in order, to the fields they
        were typed into (a person's typing, not a scan); when that field is
        gone with its dialog, to the window's focus (the scan field)."""
        held, self._held = self._held, []
        self._release.stop()
        self._replaying = True
        try:
            typing_to = _dialog_taking_typing()
            for key in held:
                target: QWidget | None = key.widget
                if (
                    typing_to is not None
                    and target is not None
                    and isValid(target)
                    and target.window() is self._home
                ):
                    target = typing_to  # typed on while the search dialog opened
                elif target is None or not isValid(target) or not target.isVisible():
                    target = self._home.focusWidget() if isValid(self._home) else None
                if target is None:
                    continue
                # press and release: the release was held back with the press,
                # and a button clicks on Space's release, not its press
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    if not isValid(target):
                        break
                    event = QKeyEvent(kind, key.key, key.modifiers, key.text)
                    QCoreApplication.sendEvent(target, event)
        finally:
            self._replaying = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or not self._takers:
            return False
        if isinstance(watched, QWindow):
            return self._blocked_home_key(watched, event)
        if not isinstance(watched, QWidget):
            return False
        if watched.window() is not self._home and QApplication.activeModalWidget() is None:
            return False  # another window of the desk's, its own scans: not held here
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
            return False  # not blocked: its widget gets the key (and the filter sees it there)
        if event.type() == QEvent.Type.KeyRelease:
            return bool(self._held)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        return self._key_press(self._home.focusWidget() or self._home, event)

    def _key_press(self, widget: QWidget, event: QKeyEvent) -> bool:
        self._key_at = self._clock()
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
        self._held_at = self._clock()
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
        take = self._takers[-1][1]
        if take is not None and take(text):
            return
        self.sig_scan.emit(text)


# A dialog with this property set takes what a person types on into the desk
# while it opens (the find dialogs, opened by letters typed into the scan field).
TAKES_TYPING = "deskTakesTyping"


def _dialog_taking_typing() -> QWidget | None:
    """The focus widget of the open dialog that takes the typing (see
    :data:`TAKES_TYPING`), else None. Found under Xvfb with openbox: a name
    typed at a person's pace lost its third letter, which came while the find
    dialog opened and was held for the desk's scan field under it."""
    dialog = QApplication.activeModalWidget()
    if dialog is None or not dialog.property(TAKES_TYPING) or not dialog.isVisible():
        return None
    return dialog.focusWidget() or dialog


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
        self._holds: list[tuple[Callable[[str], None], object]] = []  # and the guard's token
        self._dialogs = 0  # open dialogs of the window's (:meth:`dialog`)
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
        """A scan the guard kept whole: behind a dialog, said so by ``kept``;
        while an operation runs, by the operation's ``kept``."""
        self._queue.append(raw)
        if self._holds and not self._dialogs:
            self._holds[-1][0](raw)
        else:
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
            self._holds[-1][0](raw)
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
        told of each scan that comes meanwhile. The guard is in force from
        now on, through any dialog the operation's result opens, so keys
        typed meanwhile are judged in one buffer: a scan is kept whole, a
        person's typing reaches the field a moment later."""
        self._holds.append((kept, self.guard.begin()))

    def release(self) -> None:
        """The operation is over: what waited is done now, in order."""
        if self._holds:
            _kept, token = self._holds.pop()
            self.guard.end(token)
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
        self._dialogs += 1
        try:
            with self.guard.guarding(take):
                self.guard.wait_until_quiet()  # a scan going on ends before it takes the focus
                yield
        finally:
            self._dialogs -= 1
            QTimer.singleShot(0, self.run_queued)
