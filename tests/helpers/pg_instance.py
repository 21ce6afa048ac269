"""A private PostgreSQL server for tests that stop it (issue 13 point 8).

The shared test server (DESK_APP_TEST_DATABASE_URL) must never be frozen, so
these tests make their own: ``initdb`` in a temporary folder, ``pg_ctl start``
on a free port of 127.0.0.1, with its socket in that folder. PostgreSQL
refuses to run as root, so as root (CI runs as root) the commands run as the
``postgres`` user through ``runuser`` (or ``su``), in a folder of /tmp that
user owns (pytest's own tmp folders are root's, mode 0700).

:func:`private_postgres` yields a :class:`PgInstance`, or raises
:class:`PgUnavailable` when the binaries or an unprivileged user are missing
(the test then skips). ``freeze()`` sends SIGSTOP to the postmaster and all
its children: each child of a postmaster is its own process group (it calls
``setsid``), so signalling the postmaster's group would not reach them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN_ENV = "DESK_APP_TEST_PG_BIN"  # a folder with initdb and pg_ctl, if not found
RUN_AS_USER = "postgres"


class PgUnavailable(RuntimeError):
    """No PostgreSQL binaries here, or no user to run them as: skip."""


def find_pg_bin() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl``: $DESK_APP_TEST_PG_BIN, the
    newest /usr/lib/postgresql/*/bin (Debian), or the PATH."""
    candidates: list[str] = []
    if os.environ.get(PG_BIN_ENV):
        candidates.append(os.environ[PG_BIN_ENV])
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(Path(p).parent.name), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for folder in candidates:
        if all((Path(folder) / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    return None


def _run_as() -> tuple[list[str], pwd.struct_passwd | None]:
    """The command prefix that drops root, and the user it drops to."""
    if os.geteuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam(RUN_AS_USER)
    except KeyError:
        raise PgUnavailable(f"running as root and there is no '{RUN_AS_USER}' user") from None
    if shutil.which("runuser"):
        return ["runuser", "-u", RUN_AS_USER, "--"], user
    raise PgUnavailable("running as root and 'runuser' is missing")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # ended meanwhile
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:  # field 4: ppid
            found.append(int(entry))
    return found


@dataclass
class PgInstance:
    bin_dir: Path
    root: Path
    port: int
    run_as: list[str]
    frozen_pids: list[int] = field(default_factory=list)
    _safety: threading.Timer | None = field(default=None, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def postmaster_pid(self) -> int:
        return int((self.data_dir / "postmaster.pid").read_text().split()[0])

    def freeze(self, max_seconds: float = 60.0) -> list[int]:
        """SIGSTOP the postmaster, then (it can fork no more) every child.
        A timer thaws them after ``max_seconds`` whatever happens, so a desk
        that waits for ever fails its test instead of hanging the run."""
        postmaster = self.postmaster_pid()
        self._safety = threading.Timer(max_seconds, self.thaw)
        self._safety.daemon = True
        self._safety.start()
        os.kill(postmaster, signal.SIGSTOP)
        self.frozen_pids = [postmaster]
        for pid in _children(postmaster):
            try:
                os.kill(pid, signal.SIGSTOP)
                self.frozen_pids.append(pid)
            except ProcessLookupError:
                pass
        return list(self.frozen_pids)

    def thaw(self) -> None:
        """SIGCONT whatever freeze() stopped (harmless when nothing is)."""
        if self._safety is not None:
            self._safety.cancel()
        pids = set(self.frozen_pids)
        try:
            postmaster = self.postmaster_pid()
            pids |= {postmaster, *_children(postmaster)}
        except (OSError, ValueError, IndexError):
            pass
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self.frozen_pids = []

    @contextmanager
    def frozen(self, max_seconds: float = 60.0) -> Iterator[list[int]]:
        try:
            yield self.freeze(max_seconds)
        finally:
            self.thaw()

    def stop(self) -> None:
        self.thaw()
        pg_ctl = [*self.run_as, str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir)]
        done = subprocess.run(
            [*pg_ctl, "-m", "immediate", "-w", "-t", "30", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            with suppress(OSError, ValueError, IndexError):
                os.kill(self.postmaster_pid(), signal.SIGKILL)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join((self.root / "log").read_text().splitlines()[-lines:])
        except OSError:
            return ""


@contextmanager
def private_postgres() -> Iterator[PgInstance]:
    """A fresh server for the length of the block; always thawed, stopped and
    deleted after it."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise PgUnavailable(
            f"no PostgreSQL binaries (initdb, pg_ctl) found; set {PG_BIN_ENV} to their folder"
        )
    run_as, user = _run_as()
    root = Path(tempfile.mkdtemp(prefix="desk-pg-"))
    instance: PgInstance | None = None
    try:
        if user is not None:
            os.chown(root, user.pw_uid, user.pw_gid)
        initdb = [*run_as, str(bin_dir / "initdb"), "-D", str(root / "data")]
        subprocess.run(
            [*initdb, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
            capture_output=True,
            timeout=120,
            check=True,
        )
        for _attempt in range(3):  # a free port may be taken before the server binds it
            candidate = PgInstance(bin_dir, root, _free_port(), run_as)
            server_options = (
                f"-p {candidate.port} -k {root} -c listen_addresses=127.0.0.1"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                " -c max_connections=30"
            )
            pg_ctl = [*run_as, str(bin_dir / "pg_ctl"), "-D", str(root / "data")]
            started = subprocess.run(
                [*pg_ctl, "-l", str(root / "log"), "-w", "-t", "60", "-o", server_options, "start"],
                capture_output=True,
                timeout=120,
                check=False,
            )
            if started.returncode == 0:
                instance = candidate
                break
        if instance is None:
            log = PgInstance(bin_dir, root, 0, []).log_tail()
            raise RuntimeError(f"pg_ctl start failed:\n{log}")
        yield instance
    finally:
        if instance is None and (root / "data" / "postmaster.pid").exists():
            instance = PgInstance(bin_dir, root, 0, run_as)  # a start that half worked
        if instance is not None:
            instance.stop()
        shutil.rmtree(root, ignore_errors=True)
