"""Issue 13, start-up and configuration: a broken settings file (point 5), a
database the desk cannot use (point 13), missing system libraries for the
window (point 15), and tests that never touch the user's real data folder
(point 20). Each problem is one line naming what and where, exit 2, no
traceback, nothing written. The desk is run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from desk_app import system_libraries
from desk_app.cli.main import EXIT_STARTUP, main
from desk_app.config import load_config
from desk_app.settings import DeskSettings, SettingsError, load_settings
from desk_app.store.engine import check_url
from desk_app.wiring import open_desk
from tests.conftest import REAL_USER_DATA_DIRS, TEST_CPR_KEY
from tests.helpers.desk_cli import desk

# --- point 5: a settings file that exists but cannot be used -------------------

BROKEN_SETTINGS: dict[str, tuple[bytes, str]] = {
    "truncated": (b'{"desk_name": "North desk", "database_url": "postgres', "not valid JSON"),
    "wrong type": (json.dumps({"database_url": 5}).encode(), "database_url: 5 is a number"),
    "wrong flag": (json.dumps({"sounds": "yes"}).encode(), "sounds: 'yes' is text"),
    "utf-16": (json.dumps({"desk_name": "Nord"}).encode("utf-16"), "not UTF-8"),
    "not an object": (b'["desk_name", "North desk"]', "not a JSON object but a list"),
    "null": (b"null", "not a JSON object but null"),
    "empty": (b"", "not valid JSON"),
    "deeply nested": (b"[" * 100_000, "nested too deeply"),
    "bad choice": (json.dumps({"language": "sv"}).encode(), "language: 'sv' is not one of"),
}


def _snapshot(folder: Path) -> dict[str, tuple[int, int]] | None:
    """Every file below ``folder`` with its size and modification time."""
    if not folder.exists():
        return None
    return {
        str(path): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("case", sorted(BROKEN_SETTINGS))
def test_h13_p5_broken_settings_stop_start_up(tmp_path, case):
    data = tmp_path / "data"
    data.mkdir()
    content, reason = BROKEN_SETTINGS[case]
    (data / "settings.json").write_bytes(content)
    done = desk("staff", "list", env={"DESK_APP_DATA_DIR": str(data)})
    assert done.returncode == EXIT_STARTUP, done.stdout
    assert str(data / "settings.json") in done.stderr and reason in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    # no new, empty local database beside it; the file is left as it was
    assert sorted(p.name for p in data.iterdir()) == ["settings.json"]
    assert (data / "settings.json").read_bytes() == content


def test_h13_p5_every_command_stops_on_a_broken_settings_file(tmp_path):
    """Even ``replay`` (which needs no settings) and ``--db``: the file is
    broken, and the next desk started here would silently lose its database."""
    (tmp_path / "settings.json").write_text('{"desk_name": ')
    env = {"DESK_APP_DATA_DIR": str(tmp_path)}
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"events": []}))
    for args in (("--db", "sqlite://", "staff", "list"), ("replay", str(scenario))):
        done = desk(*args, env=env)
        assert done.returncode == EXIT_STARTUP, args
        assert "settings.json cannot be used" in done.stderr


def test_h13_p5_a_missing_settings_file_still_means_defaults(tmp_path):
    assert load_settings(tmp_path) == DeskSettings()
    done = desk("staff", "list", env={"DESK_APP_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "desk.sqlite3").exists()


def test_h13_p5_a_byte_order_mark_and_unknown_keys_are_harmless(tmp_path):
    text = json.dumps({"desk_name": "Nord", "a_newer_desks_key": [1, 2]})
    (tmp_path / "settings.json").write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert load_settings(tmp_path).desk_name == "Nord"


def test_h13_p5_an_unreadable_settings_file_says_why(tmp_path):
    (tmp_path / "settings.json").mkdir()  # a folder where the file should be
    with pytest.raises(SettingsError, match=r"settings\.json cannot be used: Is a directory"):
        load_settings(tmp_path)


def test_h13_p5_the_database_url_comes_from_a_good_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"
    (tmp_path / "settings.json").write_text(json.dumps({"database_url": url}))
    config = load_config(env={"DESK_APP_DATA_DIR": str(tmp_path), "DESK_APP_CPR_KEY": "k"})
    assert config.database_url == url
    assert config.database_url_source == f"the settings file {tmp_path / 'settings.json'}"


# --- point 13: a database the desk cannot use ----------------------------------


def _sqlite_desk(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "desk.sqlite3"
    url = f"sqlite:///{path}"
    open_desk(url, cpr_key=TEST_CPR_KEY).close()
    return path, url


def _schema(path: Path) -> tuple[list[tuple[str, ...]], list[tuple[str]]]:
    with sqlite3.connect(path) as conn:
        tables = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        versions = conn.execute("SELECT version_num FROM alembic_version ORDER BY 1").fetchall()
    conn.close()
    return tables, versions


def _refused(done: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert done.returncode == EXIT_STARTUP, (done.stdout, done.stderr)
    assert done.stderr.startswith("desk-app: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    for phrase in phrases:
        assert phrase in done.stderr, done.stderr


@pytest.mark.parametrize(
    "content",
    [b"this is a shopping list, not a database\n" * 50, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "damaged header"],
)
def test_h13_p13_a_file_that_is_no_database_is_refused_unchanged(tmp_path, content):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(content)
    done = desk("--db", f"sqlite:///{path}", "staff", "list")
    _refused(done, str(path), "cannot be opened")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]  # no -wal, no -shm


def test_h13_p13_two_alembic_version_rows_are_refused_and_nothing_written(tmp_path):
    path, url = _sqlite_desk(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO alembic_version VALUES ('0005')")
    conn.close()
    before = _schema(path)
    done = desk("--db", url, "staff", "list")
    _refused(done, "alembic_version table has 2 rows", "0005")
    assert _schema(path) == before


def test_h13_p13_a_schema_newer_than_the_program_is_refused(tmp_path):
    path, url = _sqlite_desk(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0042'")
    conn.close()
    before = _schema(path)
    done = desk("--db", url, "notices", "--no-email")
    _refused(done, "revision '0042'", "a newer desk-app")
    assert _schema(path) == before


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("mysql://desk:hemmelig@db.example/desk", "is for 'mysql', which desk-app does not run on"),
        ("postgresql+psycopg2://desk:hemmelig@db/desk", "'postgresql+psycopg2'"),
        ("desk.sqlite3", "not a database URL"),
        ("http//desk:hemmelig@db", "not a database URL"),
    ],
)
def test_h13_p13_a_bad_url_scheme_is_named_without_its_password(tmp_path, url, phrase):
    done = desk("staff", "list", env={"DESK_APP_DATABASE_URL": url})
    _refused(done, phrase, "DESK_APP_DATABASE_URL", "postgresql://USER@HOST/DATABASE")
    assert "hemmelig" not in done.stderr


def test_h13_p13_the_url_check_passes_the_desks_own_forms():
    assert check_url("postgres://desk@db/desk") == "postgresql+psycopg://desk@db/desk"
    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:////var/lib/desk.sqlite3"):
        assert check_url(url) == url


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again: nothing listens there


def test_h13_p13_a_refused_connection_is_one_line(tmp_path):
    url = f"postgresql://desk:hemmelig@127.0.0.1:{_closed_port()}/desk"
    done = desk("--db", url, "staff", "list")
    _refused(done, "cannot connect to the database", "refused")
    assert "hemmelig" not in done.stderr


# --- point 15: system libraries for the window ---------------------------------


def _loader(missing: set[str]) -> Callable[[str], object]:
    def load(soname: str) -> object:
        if soname in missing:
            raise OSError(f"{soname}: cannot open shared object file")
        return object()

    return load


def test_h13_p15_a_missing_xcb_library_names_its_package():
    load = _loader({"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"})
    message = system_libraries.missing_libraries_message({"DISPLAY": ":0"}, "linux", load)
    assert "libxcb-icccm.so.4" in message
    assert message.endswith("sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1")


def test_h13_p15_the_xcb_libraries_are_checked_only_for_xcb():
    load = _loader({"libxcb-icccm.so.4"})
    assert not system_libraries.missing_libraries({"QT_QPA_PLATFORM": "offscreen"}, "linux", load)
    wayland = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    assert not system_libraries.missing_libraries(wayland, "linux", load)
    assert system_libraries.missing_libraries({"QT_QPA_PLATFORM": "xcb;wayland"}, "linux", load)
    assert not system_libraries.missing_libraries({}, "win32", _loader({"libGL.so.1"}))
    # OpenGL is needed by every Qt window, offscreen or not
    gl = _loader({"libGL.so.1"})
    assert system_libraries.missing_libraries({"QT_QPA_PLATFORM": "offscreen"}, "linux", gl) == {
        "libGL.so.1": "libgl1"
    }


def test_h13_p15_the_desk_says_which_package_before_qt_aborts(monkeypatch, capsys):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(system_libraries, "_load", _loader({"libxcb-keysyms.so.1"}))
    assert main([]) == EXIT_STARTUP
    err = capsys.readouterr().err
    assert "libxcb-keysyms.so.1" in err and "sudo apt install libxcb-keysyms1" in err


def _needed(library: Path) -> set[str]:
    out = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True).stdout
    return {line.split("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line}


@pytest.mark.skipif(not shutil.which("readelf"), reason="needs readelf (binutils)")
def test_h13_p15_the_lists_hold_every_system_library_the_installed_qt_needs():
    """A newer PySide6 that needs another library fails here, not on a desk."""
    import PySide6

    root = Path(PySide6.__file__).parent
    window = [
        root / "Qt/plugins/platforms/libqxcb.so",
        root / "Qt/plugins/imageformats/libqsvg.so",
        root / "Qt/plugins/iconengines/libqsvgicon.so",
        *(root / "Qt/lib").glob("libQt6XcbQpa.so.*"),
        *(root / "Qt/lib").glob("libQt6DBus.so.*"),
        *(root / "Qt/lib").glob("libQt6Gui.so.*"),
        *(root / "Qt/lib").glob("libQt6Core.so.*"),
        *(root / "Qt/lib").glob("libQt6Widgets.so.*"),
        *(root / "Qt/lib").glob("libQt6Svg.so.*"),
    ]
    bundled = {path.name for path in (root / "Qt/lib").iterdir()}
    everywhere = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1"}
    everywhere |= {"libzstd.so.1", "libdl.so.2", "libpthread.so.0", "ld-linux-x86-64.so.2"}
    everywhere |= {"libpyside6.abi3.so.6", "libshiboken6.abi3.so.6"}
    needed = set().union(*(_needed(path) for path in window if path.exists()))
    system = {name for name in needed if name not in bundled and name not in everywhere} - {
        name for name in needed if name.startswith(("libpyside6", "libshiboken6", "libicu"))
    }
    listed = set(system_libraries.GUI_LIBRARIES) | set(system_libraries.XCB_LIBRARIES)
    assert system, "readelf found nothing: the wheel's layout changed"
    assert system <= listed, f"not checked at start: {sorted(system - listed)}"


def test_h13_p15_the_readme_names_every_package():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    packages = set(system_libraries.GUI_LIBRARIES.values())
    packages |= set(system_libraries.XCB_LIBRARIES.values())
    packages |= set(system_libraries.OPTIONAL_PACKAGES)
    setup = next(line for line in readme.splitlines() if line.startswith("sudo apt install"))
    assert all(f" {package}" in setup for package in packages), setup


# --- point 20: the tests stay out of the user's data folder --------------------


def test_h13_p20_tests_never_touch_the_real_user_data_folder(tmp_path):
    """The suite's autouse fixture gives every test, and every ``desk-app`` it
    runs, a temporary data folder and XDG folders: even a desk started with
    DESK_APP_DATA_DIR unset lands under them, not in the user's folder."""
    real = [Path(folder) for folder in REAL_USER_DATA_DIRS]
    before = [_snapshot(folder) for folder in real]
    assert not any(Path(os.environ["DESK_APP_DATA_DIR"]) == folder for folder in real)
    with_dir = desk("staff", "list")
    env = {key: value for key, value in os.environ.items() if key != "DESK_APP_DATA_DIR"}
    without_dir = subprocess.run(
        [*desk_command(), "staff", "list"], env=env, capture_output=True, text=True, timeout=120
    )
    assert with_dir.returncode == 0 and without_dir.returncode == 0, without_dir.stderr
    assert (Path(os.environ["DESK_APP_DATA_DIR"]) / "desk.sqlite3").exists()
    xdg_data = Path(os.environ["XDG_DATA_HOME"])
    assert (xdg_data / "desk-app" / "desk.sqlite3").exists()
    assert [_snapshot(folder) for folder in real] == before


def desk_command() -> list[str]:
    return [sys.executable, "-m", "desk_app"]
