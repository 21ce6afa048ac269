"""Issue 13 point 13 in the window's start-up: a policy file the desk cannot
use is the same message box as a broken settings file or database ("The desk
cannot start", naming the file and the key), with the line on stderr and
exit 2; not a traceback, and no desk on a database. The box's ``exec`` is
replaced, so no dialog waits for a click."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desk_app.cli.main import EXIT_STARTUP, main
from desk_app.policy_file import default_policy_text

TEXT = default_policy_text()


def _p9000y(path: Path) -> tuple[str, ...]:
    path.write_text(TEXT.replace('standard = "P1Y"', 'standard = "P9000Y"'), "utf-8")
    return ("loan.standard", "'P9000Y'")


def _cp1252(path: Path) -> tuple[str, ...]:
    path.write_bytes(TEXT.encode("cp1252"))
    return ("not UTF-8",)


@pytest.mark.parametrize("write", [_p9000y, _cp1252], ids=["P9000Y", "cp1252"])
def test_h13_p13_a_bad_policy_file_is_the_start_up_message_box(
    qtbot, tmp_path, monkeypatch, capsys, write
):
    folder = Path(os.environ["DESK_APP_DATA_DIR"])
    (folder / "settings.json").write_text(json.dumps({"language": "en"}))
    policy = tmp_path / "policy.toml"
    phrases = write(policy)
    monkeypatch.setenv("DESK_APP_POLICY", str(policy))
    shown: list[tuple[str, str]] = []

    def exec_(box: QMessageBox) -> int:
        shown.append((box.windowTitle(), box.text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert main([]) == EXIT_STARTUP
    assert len(shown) == 1, shown
    title, text = shown[0]
    assert title == "The desk cannot start"
    assert f"the policy file {policy}: " in text
    for phrase in phrases:
        assert phrase in text
    assert "Traceback" not in text
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(policy) in err and phrases[0] in err
    assert not (folder / "desk.sqlite3").exists()
