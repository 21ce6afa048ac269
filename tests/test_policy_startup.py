"""A malformed policy file stops start-up with the key and the reason."""

from __future__ import annotations

from desk_app.cli.main import EXIT_STARTUP
from desk_app.policy_file import default_policy_text
from tests.helpers.desk_cli import desk


def test_malformed_policy_stops_startup_naming_key_and_reason(tmp_path):
    bad = default_policy_text().replace('guaranteed = "P1M"', 'guaranteed = "one month"')
    path = tmp_path / "policy.toml"
    path.write_text(bad, encoding="utf-8")
    done = desk("--policy", str(path), "notices")
    assert done.returncode == EXIT_STARTUP
    assert "loan.guaranteed" in done.stderr and "one month" in done.stderr
    assert "Traceback" not in done.stderr
