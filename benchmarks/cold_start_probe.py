"""One desk cold start, timed from inside (the child of ``cold_start.py``).

    python benchmarks/cold_start_probe.py STAFF_NAME

Runs the start-up path of ``desk-app gui`` for real (``desk_app.cli.main``:
the arguments, ``load_config`` from the environment, the policy, then
``run_gui``: settings, translations, opening and checking the database, the
first-start and notices-run checks, the sign-in dialog, the desk window). Only
the human is replaced: once the sign-in dialog is on screen, painted, with the
focus in its card field, it is accepted as the staff member ``STAFF_NAME``
(looked up in the database, no PIN: the benchmark databases' staff have none;
so the PIN check, about 50 ms of scrypt and an audit row, is not timed).
Once the desk window is visible and painted with the focus in its scan field,
the probe quits the desk and prints one line::

    COLD_START_PROBE {"milestones": {...}, "checks": {...}, "peak_rss_kib": ...}

Milestones are ``time.time()`` wall-clock seconds (the parent subtracts its own
``time.time()`` taken just before it started this process):

- ``interpreter_up``: this file begins to run (Python and ``site`` are loaded);
- ``sign_in_shown``: the sign-in dialog is painted and its card field has the
  focus: ready to scan a staff card;
- ``signed_in``: the dialog was accepted (the human step, taking no time here);
- ``desk_ready``: the desk window is visible and painted, and its scan field
  has the focus: ready to scan.

A watchdog thread prints what it has and exits if the desk is not ready
within ``WATCHDOG_S`` (a dialog waiting for a human, say).
"""

from __future__ import annotations

import time

INTERPRETER_UP = time.time()

import json  # noqa: E402  (the first milestone is taken before anything is imported)
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from importlib import machinery, util  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402

MARKER = "COLD_START_PROBE"
WATCHDOG_S = 60.0


def peak_rss_kib() -> int:
    """This process's peak resident memory in KiB. Linux's ``ru_maxrss``
    survives ``fork`` and ``exec``: a desk started by a runner that had just
    generated a library would report the generator's 1.4 GB. ``VmHWM`` belongs
    to the process's own address space, which ``exec`` makes anew."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class Probe:
    """Milestones and checks of one start, printed once as a JSON line."""

    def __init__(self, staff: str) -> None:
        self.staff = staff
        self.milestones: dict[str, float] = {"interpreter_up": INTERPRETER_UP}
        self.checks: dict[str, Any] = {"ready": False}
        self._lock = threading.Lock()
        self._printed = False

    def mark(self, name: str) -> None:
        self.milestones.setdefault(name, time.time())

    def report(self, problem: str | None = None) -> None:
        with self._lock:
            if self._printed:
                return
            self._printed = True
            if problem:
                self.checks["problem"] = problem
            line = {
                "milestones": self.milestones,
                "checks": self.checks,
                "peak_rss_kib": peak_rss_kib(),
                "bytecode_written": not sys.dont_write_bytecode,
            }
            print(MARKER, json.dumps(line), flush=True)


class PatchOnImport:
    """Calls ``patch(module)`` right after the module ``name`` is executed,
    wherever and whenever the desk imports it; the probe itself imports
    nothing of the desk or of Qt ahead of it (the import order changes
    import costs: PySide6 inspects every module imported after it). A meta
    path finder (``sys.meta_path``), duck-typed: ``importlib.abc`` would be
    one more import to time."""

    def __init__(self, name: str, patch: Callable[[ModuleType], None]) -> None:
        self.name = name
        self.patch = patch

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> machinery.ModuleSpec | None:
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader_exec = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            loader_exec(module)
            self.patch(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def install_hooks(probe: Probe) -> None:
    """Accept the sign-in as ``probe.staff`` once the dialog is ready, and
    watch the desk window for ready-to-scan. Patches the classes when their
    modules are imported (not the names ``desk_app.gui.app`` imported), so
    the hooks hold however the desk imports them."""
    sys.meta_path.insert(
        0, PatchOnImport("desk_app.gui.sign_in", lambda m: _hook_sign_in(probe, m))
    )
    sys.meta_path.insert(
        0, PatchOnImport("desk_app.gui.desk_window", lambda m: _hook_desk_window(probe, m))
    )


def _ready_watcher(window: Any, field: Any, done: Callable[[], None]) -> Any:
    """Calls ``done`` once (in the next event-loop turn, so the paint has been
    flushed) after ``field`` was painted and while it has the focus in the
    visible ``window``. Kept alive as a child of ``window``."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class Ready(QObject):
        def __init__(self) -> None:
            super().__init__(window)
            self.painted = False
            self.finished = False
            field.installEventFilter(self)
            app = QApplication.instance()
            assert isinstance(app, QApplication)
            app.focusChanged.connect(self._check_soon)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is field and event.type() == QEvent.Type.Paint:
                self.painted = True
                self._check_soon()
            return False

        def _check_soon(self, *_args: object) -> None:
            QTimer.singleShot(0, self._check)

        def _check(self) -> None:
            if self.finished or not self.painted or not window.isVisible():
                return
            if QApplication.focusWidget() is not field or not field.hasFocus():
                return
            self.finished = True
            field.removeEventFilter(self)
            done()

    return Ready()


def _hook_sign_in(probe: Probe, module: ModuleType) -> None:
    from PySide6.QtWidgets import QDialog

    from desk_app.services.staff import staff_members

    SignInDialog = module.SignInDialog
    original_exec = SignInDialog.exec

    def exec_as_staff(dialog: SignInDialog) -> int:
        def accept() -> None:
            probe.mark("sign_in_shown")
            probe.checks["sign_in_card_field_focus"] = dialog.form.cardField.hasFocus()
            probe.checks["sign_in_visible"] = dialog.isVisible()
            probe.checks["sign_in_first_run"] = dialog.first_run
            members = [m for m in staff_members(dialog.ctx) if m.name == probe.staff]
            if not members:
                probe.report(f"no active staff member named {probe.staff!r}")
                QDialog.done(dialog, QDialog.DialogCode.Rejected)
                return
            dialog.staff = members[0]
            probe.mark("signed_in")
            QDialog.done(dialog, QDialog.DialogCode.Accepted)

        field = dialog.form.nameBox if dialog.first_run else dialog.form.cardField
        dialog._cold_start_ready = _ready_watcher(dialog, field, accept)  # type: ignore[attr-defined]
        return original_exec(dialog)

    SignInDialog.exec = exec_as_staff


def _hook_desk_window(probe: Probe, module: ModuleType) -> None:
    from PySide6.QtWidgets import QApplication

    DeskWindow = module.DeskWindow
    original_init = DeskWindow.__init__

    def init_and_watch(window: Any, *args: Any, **kwargs: Any) -> None:
        original_init(window, *args, **kwargs)

        def ready() -> None:
            probe.mark("desk_ready")
            probe.checks.update(
                desk_visible=window.isVisible(),
                desk_active=window.isActiveWindow(),
                scan_field_focus=window.scan_field.hasFocus(),
                scan_field_enabled=window.scan_field.isEnabled(),
                signed_in_as=window.session.actor.staff,
                role=window.role.value,
                mode=window.form.modeLabel.text(),
                title=window.windowTitle(),
                modules_at_ready=len(sys.modules),
            )
            probe.checks["ready"] = bool(
                window.isVisible()
                and window.scan_field.hasFocus()
                and window.session.actor.staff == probe.staff
            )
            QApplication.quit()

        window._cold_start_ready = _ready_watcher(window, window.scan_field, ready)

    DeskWindow.__init__ = init_and_watch


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: cold_start_probe.py STAFF_NAME", file=sys.stderr)
        return 2
    probe = Probe(argv[0])

    def watchdog() -> None:
        probe.report(f"not ready within {WATCHDOG_S:.0f} s")
        os._exit(3)

    timer = threading.Timer(WATCHDOG_S, watchdog)
    timer.daemon = True
    timer.start()
    install_hooks(probe)
    from desk_app.cli.main import main as desk_app_main

    code = desk_app_main(["gui"])
    timer.cancel()
    probe.checks["exit_code"] = code
    probe.report(
        "the desk ended before it was ready" if "desk_ready" not in probe.milestones else None
    )
    return 0 if probe.checks["ready"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
