"""Shared fixtures.

``ctx`` is a desk on a fresh, migrated database with a fixed clock; services
tests that take ``backend_url`` run once on SQLite and, when
DESK_APP_TEST_DATABASE_URL is set, once more on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

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

TEST_CPR_KEY = b"test-key-not-secret"

BACKENDS = ["sqlite"] + (["postgresql"] if postgres_server_url() else [])


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test touches the real user data folder or a developer's database."""
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("DESK_APP_DATABASE_URL", raising=False)
    monkeypatch.setenv("DESK_APP_CPR_KEY", TEST_CPR_KEY.decode())


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
def actor() -> Actor:
    return Actor("test-staff", "test-desk")


@pytest.fixture
def ctx(backend_url: str, clock: FixedClock, policy: Policy) -> Iterator[DeskContext]:
    desk = open_desk(backend_url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    yield desk
    desk.sessions.kw["bind"].dispose()
