"""SQLite: checkpoint the write-ahead log on a thread of its own.

By default SQLite checkpoints inside the commit that takes the log past 1,000
pages: that commit copies the pages back into the database file and waits
for two fsyncs, 10-20 ms on a virtual disk, every 40 or so checkouts at
library scale. A desk that turns the automatic checkpoint off (the engine's
``wal_autocheckpoint=0``) and runs this instead keeps those milliseconds out
of the scan: PASSIVE checkpoints never wait for, or block, a reader or writer,
and SQLite releases the GIL while it copies and syncs.

Every desk process runs one, so the log is kept short however many desks
share the file; command-line tools keep SQLite's automatic checkpoint.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import Engine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    """What ``PRAGMA wal_checkpoint`` said: pages in the log, pages copied back."""

    busy: bool
    log_pages: int
    checkpointed: int


class WalCheckpointer:
    """Checkpoints ``engine``'s log every ``interval`` seconds until stopped."""

    def __init__(self, engine: Engine, interval: float = 1.0) -> None:
        if engine.dialect.name != "sqlite":
            raise ValueError("only SQLite has a write-ahead log to checkpoint")
        self.engine = engine
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> Checkpoint:
        """One PASSIVE checkpoint, on the driver connection outside any
        transaction (a transaction would take the desk's write lock)."""
        raw = self.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is not None, "a pooled connection has its driver's"
            row = driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            raw.close()
        busy, pages, done = row if row else (0, -1, -1)
        return Checkpoint(bool(busy), int(pages), int(done))

    def start(self) -> WalCheckpointer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="wal-checkpoint", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop, then checkpoint once more so the log is short for the next start."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
            self._safely()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._safely()

    def _safely(self) -> None:
        try:
            self.run_once()
        except Exception:  # a locked or vanished file: the next round tries again
            log.warning("WAL checkpoint failed", exc_info=True)
