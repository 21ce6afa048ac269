"""Results as you type (issue 15): a pause in the typing starts one search
on the window's worker, and only the answer for what the field says now is
shown.

Two pieces, shared by the find-a-borrower and the find-an-item dialogs (and
the item dialog's status, which follows the highlighted row the same way):

- :class:`Debounce` waits for a pause (``DEBOUNCE_MS``) before it calls; a
  test makes it manual (``delay_ms=None``) and fires it with :meth:`flush`,
  so no test sleeps;
- :class:`LiveQuery` runs the query off the GUI thread through an
  :class:`~desk_app.gui.operations.Operations` of its own (one search at a
  time; the text typed meanwhile waits as "wanted" and is searched next),
  and drops an answer that comes back for an older text: the list never
  shows, even for a moment, what the person typed three keys ago.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desk_app.domain.verdict import Verdict
from desk_app.gui.operations import Operation, Operations

DEBOUNCE_MS = 150  # a person's keys come 60 ms and more apart; a pause is longer


class Debounce(QObject):
    """Calls ``action`` once, ``delay_ms`` after the last :meth:`poke`.
    ``delay_ms=None``: only :meth:`flush` calls it (tests)."""

    def __init__(
        self, parent: QObject, action: Callable[[], None], delay_ms: int | None = DEBOUNCE_MS
    ) -> None:
        super().__init__(parent)
        self._action = action
        self._pending = False
        self._timer: QTimer | None = None
        if delay_ms is not None:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.setInterval(delay_ms)
            self._timer.timeout.connect(self.flush)

    @property
    def pending(self) -> bool:
        return self._pending

    def poke(self) -> None:
        self._pending = True
        if self._timer is not None:
            self._timer.start()  # restarts: the pause counts from the last key

    def cancel(self) -> None:
        self._pending = False
        if self._timer is not None:
            self._timer.stop()

    def flush(self) -> None:
        """Call it now, if a call waits."""
        if self._pending:
            self.cancel()
            self._action()


class LiveQuery(QObject):
    """The latest-only search of one field. ``query(ctx, text)`` runs on the
    worker; ``sig_answer(text, result)`` brings its answer to the GUI thread
    when ``text`` is still what is wanted; an older answer is dropped
    (counted in ``dropped``) and the wanted text searched next."""

    sig_answer = Signal(str, object)  # the text searched, the service's answer
    sig_failed = Signal(str)  # the text whose search failed (the window said why)

    def __init__(
        self,
        owner: Any,  # the window: its ``ctx``, and where the busy cursor shows
        what: str,
        query: Callable[[Any, str], object],
        *,
        failed: Callable[[Exception, str], None],
        refused: Callable[[Verdict], None],
        delay_ms: int | None = DEBOUNCE_MS,
    ) -> None:
        super().__init__(owner)
        self.ops = Operations(owner, owner.ctx, failed=failed, refused=refused)
        self._on_failed = failed
        self._on_refused = refused
        self._what = what
        self._query = query
        self._running: str | None = None  # the text being searched now
        self._wanted: str | None = None  # the text the answer shown must be for
        self.dropped = 0  # answers thrown away: a newer text was wanted (tests)
        self.debounce = Debounce(self, self._start, delay_ms)

    @property
    def wanted(self) -> str | None:
        return self._wanted

    @property
    def busy(self) -> bool:
        """A search runs or waits for the pause."""
        return self._running is not None or self.debounce.pending

    def want(self, text: str) -> None:
        """Typing: search ``text`` once the typing pauses."""
        self._wanted = text
        self.debounce.poke()

    def now(self, text: str) -> None:
        """Search ``text`` at once (Enter, a scan, a refresh)."""
        self._wanted = text
        self.debounce.cancel()
        self._start()

    def forget(self) -> None:
        """Nothing is wanted any more: an answer on its way is dropped."""
        self._wanted = None
        self.debounce.cancel()

    def _start(self) -> None:
        text = self._wanted
        if text is None or self._running is not None:
            return  # when the running one is back, the wanted text goes next
        self._running = text
        query = self._query
        Operation(self.ops, self._what, lambda work: query(work.ctx, text)).success(
            lambda result: self._back(text, result)
        ).failure(lambda problem, what: self._failed(text, problem, what)).refusal(
            lambda verdict: self._refused(text, verdict)
        ).run_in_background()

    def _back(self, text: str, result: object) -> None:
        self._running = None
        if text == self._wanted:
            self.sig_answer.emit(text, result)
        else:
            self.dropped += 1
            self._start()

    def _failed(self, text: str, problem: Exception, what: str) -> None:
        self._running = None
        if text == self._wanted:
            self._on_failed(problem, what)
            self.sig_failed.emit(text)
        else:
            self._start()

    def _refused(self, text: str, verdict: Verdict) -> None:
        self._running = None
        if text == self._wanted:
            self._on_refused(verdict)
            self.sig_failed.emit(text)
        else:
            self._start()
