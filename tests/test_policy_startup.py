"""A malformed policy file stops start-up with the key and the reason."""

from __future__ import annotations

import subprocess
import sys

from desk_app.policy_file import default_policy_text


def test_malformed_policy_stops_startup_naming_key_and_reason(tmp_path):
    bad = default_policy_text().replace('guaranteed = "P1M"', 'guaranteed = "one month"')
    path = tmp_path / "policy.toml"
    path.write_text(bad, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "desk_app", "--policy", str(path), "notices"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3
    assert "loan.guaranteed" in done.stderr and "one month" in done.stderr
    assert "Traceback" not in done.stderr
