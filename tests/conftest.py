"""Shared fixtures.

``ctx`` is a desk on a fresh, migrated database with a fixed clock; services
tests that take ``backend_url`` run once on SQLite and, when
DESK_APP_TEST_DATABASE_URL is set, once more on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

import platformdirs
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desk_app.clock import FixedClock
from desk_app.domain.policy import Policy
from desk_app.policy_file import load_policy
from desk_app.services.context import Actor, DeskContext
from desk_app.wiring import open_desk
from tests.helpers.databases import (
    fresh_postgres_database,
    postgres_server_url,
    sqlite_file_url,
)
from tests.helpers.keyrings import MemoryKeyring

TEST_CPR_KEY = b"test-key-not-secret"

# The user's real data folder, as a desk started outside the tests would find
# it; tests/test_h13_startup.py proves the suite leaves it alone (issue 13
# point 20). Read before any test changes the environment.
REAL_USER_DATA_DIRS = tuple(
    dict.fromkeys(
        folder
        for folder in (
            os.environ.get("DESK_APP_DATA_DIR"),
            platformdirs.user_data_dir("desk-app", appauthor=False),
        )
        if folder
    )
)
# No test may reach the user's credential store (the SMTP password, issue 13
# point 11): keyring's "no store" backend, unless a test injects its own
# (keyring.set_keyring); subprocesses inherit it.
KEYRING_NONE = "keyring.backends.fail.Keyring"
os.environ["PYTHON_KEYRING_BACKEND"] = KEYRING_NONE
XDG_FOLDERS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")

BACKENDS = ["sqlite"] + (["postgresql"] if postgres_server_url() else [])


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test touches the real user data folder, a developer's database,
    policy, mail password or credential store: every test (and every
    ``desk-app`` it runs, which inherits the environment) gets a data folder
    and XDG folders of its own, so even a desk started without
    DESK_APP_DATA_DIR lands in a temporary folder."""
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    xdg = tmp_path_factory.mktemp("xdg")
    for name in XDG_FOLDERS:
        monkeypatch.setenv(name, str(xdg / name.lower()))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", KEYRING_NONE)
    for name in ("DESK_APP_DATABASE_URL", "DESK_APP_POLICY", "DESK_APP_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DESK_APP_CPR_KEY", TEST_CPR_KEY.decode())


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A credential store in memory instead of keyring's "none" (issue 13 point 11)."""
    import keyring

    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield sqlite_file_url(tmp_path)
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 10, 0))


@pytest.fixture
def actor(ctx: DeskContext) -> Actor:
    """A supervisor of ``ctx``'s staff table: services check the actor's role
    there (issue 13, point 9)."""
    from tests.helpers.staffing import test_actor

    return test_actor(ctx)


@pytest.fixture
def ctx(backend_url: str, clock: FixedClock, policy: Policy) -> Iterator[DeskContext]:
    desk = open_desk(backend_url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    yield desk
    desk.sessions.kw["bind"].dispose()
