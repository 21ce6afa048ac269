"""Issue 13 point 13 (policy at start-up): a policy file the desk cannot use
(a period of 9000 years, a file that is not UTF-8) stops every command with
exit 2 and one line naming the file and the key, like the other start-up
problems (a settings file, the database); nothing is written to the database.
The desk is run as a user runs it, with DESK_APP_POLICY pointing at the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.cli.main import EXIT_STARTUP
from desk_app.policy_file import default_policy_text
from tests.helpers.desk_cli import desk

TEXT = default_policy_text()
STANDARD = 'standard = "P1Y"'


def _p9000y(path: Path) -> tuple[str, ...]:
    assert TEXT.count(STANDARD) == 1
    path.write_text(TEXT.replace(STANDARD, 'standard = "P9000Y"'), "utf-8")
    return ("loan.standard", "'P9000Y'", "P1D to P10Y")


def _latin1(path: Path) -> tuple[str, ...]:
    assert "ø" in TEXT  # so Latin-1 is not also UTF-8
    path.write_bytes(TEXT.encode("latin-1"))
    return ("not UTF-8", "save the file as UTF-8")


BAD_POLICIES = {"P9000Y": _p9000y, "Latin-1": _latin1}


@pytest.mark.parametrize("case", sorted(BAD_POLICIES))
@pytest.mark.parametrize("command", [("staff", "list"), ("notices", "--no-email")])
def test_h13_p13_a_bad_policy_file_stops_start_up_with_exit_2_and_one_line(tmp_path, case, command):
    policy = tmp_path / "policy.toml"
    phrases = BAD_POLICIES[case](policy)
    data = tmp_path / "data"
    done = desk(*command, env={"DESK_APP_POLICY": str(policy), "DESK_APP_DATA_DIR": str(data)})
    assert done.returncode == EXIT_STARTUP, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith(f"desk-app: the policy file {policy}: "), line
    for phrase in phrases:
        assert phrase in line
    assert "(file)" not in line  # the file itself, not a key of it
    assert not (data / "desk.sqlite3").exists()  # stopped before the database


def test_h13_p13_the_policy_option_is_named_the_same_way(tmp_path):
    """``--policy FILE`` (the option, not the variable) and ``replay``, which
    opens no desk database: the same one line and exit 2."""
    policy = tmp_path / "policy.toml"
    _p9000y(policy)
    scenario = tmp_path / "empty.json"
    scenario.write_text('{"events": []}')
    done = desk("--policy", str(policy), "replay", str(scenario))
    assert done.returncode == EXIT_STARTUP
    assert done.stderr.count("\n") == 1
    assert str(policy) in done.stderr and "loan.standard" in done.stderr
