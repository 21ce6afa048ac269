"""One way for a window to call the services (issue 14), in the spirit of
Anki's ``CollectionOp`` (aqt/operations).

Every window used to wrap its service calls in its own try/except; they
disagreed on what a refusal looks like, and a long call (a batch of letters,
the daily notices run) froze the window, scanner and all. Now each window
owns one :class:`Operations`, the executor that owns its worker thread, and
calls the services through it, in one of two ways:

- :meth:`Operations.call`, on the GUI thread, for what answers at once (a
  scan, a search, a refresh): the result, or ``fallback`` once the failure or
  refusal is shown;
- an :class:`Operation` built with the call, ``.success(callback)`` and, if
  need be, ``.failure``/``.refusal``/``.progress``, then
  ``.run_in_background()``: on the worker, for what may take long (printing,
  the daily notices run, later reports and imports). The window stays
  responsive and says what runs (a busy line in its status bar, a busy
  cursor); the scan field keeps its focus, and scans typed meanwhile wait in
  the window's :class:`~desk_app.gui.scan_field.DialogScans` queue, the one
  scans made behind a dialog wait in, and are done in order when the
  operation is over. The queue's guard is in force from the operation's
  start until it is over, through the dialog its result may open (the print
  dialog after the slip is drawn): a scan typed as that dialog appears is
  kept whole in one buffer, never split between the field and the dialog.
  What comes back is shown on the GUI thread.

Either way a failure below (the database gone away, a lock held too long) is
logged with its traceback and shown by the window as "Not done: the
database did not answer", never as a traceback; a
:class:`~desk_app.services.access.NotPermitted` is shown as its refusal
verdict (the service audited it already), never as a failure.

Threads: a job gets a :class:`Work`, which holds the :class:`DeskContext`
and nothing of the window. Every service call opens its own session from
``ctx.sessions`` in the thread it runs in, so no session or ORM object is
shared with the window; a SQLite file engine lets a pooled connection move
between threads (SQLAlchemy turns ``check_same_thread`` off for files; an
in-memory database, in tests, shares its one connection) and PostgreSQL's
connections are thread-safe. Widgets are touched on the GUI
thread only: the result, the failure and the progress come back through
queued signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QWidget

from desk_app.domain.verdict import Verdict
from desk_app.gui.scan_field import DialogScans
from desk_app.services.access import NotPermitted
from desk_app.services.context import DeskContext

log = logging.getLogger(__name__)

T = TypeVar("T")
F = TypeVar("F")

Progress = Callable[[int, int, str], None]  # done, total, phase
Failed = Callable[[Exception, str], None]  # the problem, and what ran ("" for a call)
Refused = Callable[[Verdict], None]


@dataclass(frozen=True)
class Work:
    """What a job on the worker gets: the context to call the services
    with (they open their own sessions, in the worker) and a way to say how
    far it has come (delivered on the GUI thread)."""

    ctx: DeskContext
    progress: Progress


class _Relay(QObject):
    """Carries a job's news from the worker to the GUI thread. It lives in
    the GUI thread, so its signals, emitted in the worker, arrive queued."""

    sig_progress = Signal(int, int, str)
    sig_done = Signal(object)  # the job's result
    sig_failed = Signal(object)  # the exception it raised


class Operation(Generic[T]):
    """One long service call, built like Anki's ``CollectionOp``::

        Operation(self.ops, self.tr("Making the slip"), job).success(print_it).run_in_background()

    ``job`` runs on the window's worker with a :class:`Work`; the callbacks
    run on the GUI thread. Without ``.failure``/``.refusal`` the window's own
    way of showing a failure or a refusal is used."""

    def __init__(self, executor: Operations, what: str, job: Callable[[Work], T]) -> None:
        self.executor = executor
        self.what = what  # what runs, as the busy line shows it ("Making the slip")
        self.job = job
        self.on_success: Callable[[T], None] = _nothing
        self.on_failure: Failed | None = None
        self.on_refusal: Refused | None = None
        self.on_progress: Progress | None = None

    def success(self, callback: Callable[[T], None]) -> Operation[T]:
        self.on_success = callback
        return self

    def failure(self, callback: Failed) -> Operation[T]:
        self.on_failure = callback
        return self

    def refusal(self, callback: Refused) -> Operation[T]:
        self.on_refusal = callback
        return self

    def progress(self, callback: Progress) -> Operation[T]:
        self.on_progress = callback
        return self

    def run_in_background(self) -> bool:
        """Start it; while another operation of the window runs, it waits in
        the scan queue, after the scans typed before it. False: it could not
        even wait (a window without a queue, busy already)."""
        return self.executor.submit(self)


class Operations(QObject):
    """One window's service calls and the worker its long ones run on (see
    the module's docstring). ``failed`` and ``refused`` are how the window
    shows a failure and a refusal unless an operation says otherwise;
    ``focus`` puts the focus back where the scanner types. A window without
    a scan field (the daily run's dialog) passes no ``scans``."""

    sig_started = Signal(str)  # what a background operation does, as shown
    sig_finished = Signal(bool)  # it is over (True: done), its result shown, waiting scans done

    def __init__(
        self,
        window: QWidget,
        ctx: DeskContext,
        *,
        failed: Failed,
        refused: Refused,
        scans: DialogScans | None = None,
        focus: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._ctx = ctx
        self._failed = failed
        self._refused = refused
        self._scans = scans
        self._focus = focus
        self._running: Operation[Any] | None = None
        self._relay: _Relay | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one at a time: the next one waits in the queue
        self._busy_line: QLabel | None = None
        self._busy_bar: QProgressBar | None = None

    @property
    def busy(self) -> bool:
        """A background operation runs."""
        return self._running is not None

    @property
    def what(self) -> str:
        """What the running operation does, as shown; empty when none runs."""
        return self._running.what if self._running is not None else ""

    # -- quick: on the GUI thread ------------------------------------------------------

    def call(
        self,
        step: Callable[[], T],
        fallback: F,
        *,
        failed: Failed | None = None,
        refused: Refused | None = None,
    ) -> T | F:
        """``step()``'s answer; or, when it failed or was refused, ``fallback``
        once that is shown (by ``failed``/``refused``, else the window's)."""
        try:
            return step()
        except NotPermitted as refusal:
            log.info("refused: %s", refusal.verdict.code)
            (refused or self._refused)(refusal.verdict)
        except Exception as problem:  # the window stays up whatever the database does
            log.exception("service call failed")
            (failed or self._failed)(problem, "")
        return fallback

    # -- long: on the worker --------------------------------------------------------------

    def submit(self, operation: Operation[Any]) -> bool:
        """:meth:`Operation.run_in_background`."""
        if self._running is None:
            self._begin(operation)
            return True
        if self._scans is None:
            log.warning("%s: not started, %s still runs", operation.what, self._running.what)
            return False
        self._scans.later(lambda: self.submit(operation))
        return True

    def _begin(self, operation: Operation[Any]) -> None:
        self._running = operation
        relay = self._relay = _Relay()
        relay.sig_done.connect(self._done)
        relay.sig_failed.connect(self._fail)
        if operation.on_progress is not None:
            relay.sig_progress.connect(operation.on_progress)
        if self._scans is not None:
            self._scans.hold(self._scan_waits)
        self._show_busy(operation.what, self._scans.scans_waiting if self._scans else 0)
        self.sig_started.emit(operation.what)
        job, what = operation.job, operation.what
        work = Work(self._ctx, relay.sig_progress.emit)

        def run() -> None:  # on the worker: no widget, no window state
            try:
                result = job(work)
            except Exception as problem:
                if not isinstance(problem, NotPermitted):
                    log.exception("%s failed", what)
                problem.__traceback__ = None  # the worker's frames stay in the worker
                relay.sig_failed.emit(problem)
            else:
                relay.sig_done.emit(result)

        self._pool.start(run)

    def _done(self, result: object) -> None:
        operation = self._end()
        if operation is None:
            return
        try:
            operation.on_success(result)
        finally:
            self._after(True)

    def _fail(self, problem: Exception) -> None:
        operation = self._end()
        if operation is None:
            return
        try:
            if isinstance(problem, NotPermitted):
                log.info("%s refused: %s", operation.what, problem.verdict.code)
                (operation.on_refusal or self._refused)(problem.verdict)
            else:
                (operation.on_failure or self._failed)(problem, operation.what)
        finally:
            self._after(False)

    def _end(self) -> Operation[Any] | None:
        operation, self._running = self._running, None
        if self._relay is not None:
            self._relay.deleteLater()  # its news is in: the worker is done with it
            self._relay = None
        self._show_idle()
        return operation

    def _after(self, ok: bool) -> None:
        """The result is shown: the focus back to the scanner, then what
        waited meanwhile, in order."""
        if self._focus is not None:
            self._focus()
        if self._scans is not None:
            self._scans.release()
        self.sig_finished.emit(ok)

    # -- the busy state -----------------------------------------------------------------

    def _scan_waits(self, _raw: str) -> None:
        if self._running is not None and self._scans is not None:
            self._show_busy(self._running.what, self._scans.scans_waiting)

    def _show_busy(self, what: str, waiting: int = 0) -> None:
        self._window.setCursor(Qt.CursorShape.BusyCursor)  # busy, but it takes input
        if not isinstance(self._window, QMainWindow):
            return
        if self._busy_line is None or self._busy_bar is None:
            self._busy_line = QLabel(self._window)
            self._busy_line.setObjectName("busyLine")
            self._busy_bar = QProgressBar(self._window)
            self._busy_bar.setObjectName("busyBar")
            self._busy_bar.setRange(0, 0)  # no end known: it moves to show it works
            self._busy_bar.setTextVisible(False)
            self._busy_bar.setMaximumWidth(120)
            for widget in (self._busy_line, self._busy_bar):
                widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner keeps the focus
                self._window.statusBar().addPermanentWidget(widget)
        text = self.tr("{what}…").format(what=what)
        if waiting:
            text += " " + self.tr("{count} scan(s) wait: they are done when it is over.").format(
                count=waiting
            )
        self._busy_line.setText(text)
        self._busy_line.show()
        self._busy_bar.show()

    def _show_idle(self) -> None:
        self._window.unsetCursor()
        for widget in (self._busy_line, self._busy_bar):
            if widget is not None:
                widget.hide()

    def busy_text(self) -> str:
        """The busy line as shown; empty when nothing runs."""
        line = self._busy_line
        return line.text() if line is not None and line.isVisible() else ""


def _nothing(_result: object) -> None:
    """An operation done for its own sake: nothing to show of its result."""
