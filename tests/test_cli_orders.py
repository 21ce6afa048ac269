"""``desk-app orders import FILE.csv`` (issue 15): exit codes, the report, who acts.

In-process ``main([...])`` against the ``ctx`` fixture's database (SQLite,
and PostgreSQL when configured), seeded with the test cast; one test runs
the real console command. Exit 0: every order placed or there already; 1:
some refused by a rule (or skipped with --skip-bad); 2: nothing placed (a
malformed file, no sign-in, not permitted).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk_app.cli.main import main
from desk_app.domain.roles import Role
from desk_app.services.staff import add_staff
from desk_app.store.models import Request
from tests.helpers.desk_cli import desk
from tests.helpers.people import ANNE, BO, CECILIE, TEST_CPR, card, item, seed_cast

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "orders-example.csv"
DOC = EXAMPLE.with_name("orders-import.md")
HEADER = "order number;date ordered;card number;item barcode;note"
PIN = "2468"
CPR_DIGITS = re.compile(r"010190.?1235")


@pytest.fixture
def url(ctx, backend_url, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """The test cast, and Kari, a desk login who may place requests."""
    seed_cast(ctx)
    add_staff(ctx, "kari", Role.DESK, PIN)
    add_staff(ctx, "kurt", Role.COURIER, PIN)
    monkeypatch.setenv("DESK_APP_STAFF_PIN", PIN)
    return backend_url


def write(tmp_path: Path, *lines: str, header: str = HEADER, name: str = "orders.csv") -> str:
    path = tmp_path / name
    path.write_text("\n".join((header, *lines)) + "\n", encoding="utf-8")
    return str(path)


def run(capsys, url: str, *args: str, staff: str | None = "kari") -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    who = ["--staff", staff] if staff else []
    code = main(["orders", "import", *args, "--db", url, *who])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def placed(ctx) -> list[str | None]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return list(session.scalars(select(Request.order_ref).order_by(Request.id)))


def test_a_malformed_file_exits_2_names_each_line_and_places_nothing(ctx, url, tmp_path, capsys):
    bad_digit = item(2)[:-1] + str((int(item(2)[-1]) + 1) % 10)
    path = write(
        tmp_path,
        f"W-1;2026-03-01;{ANNE};{item(1)};",
        f"W-2;2026-03-01;{BO};{bad_digit};",
        f"W-3;2026-03-01;;{item(6)};",
        f"W-4;2026-03-01;{CECILIE};{item(6)}",
    )
    code, out, err = run(capsys, url, path, "--language", "en", staff=None)
    assert code == 2 and out == ""
    assert f"Line 3, item barcode: {bad_digit} has a wrong check digit (B2)" in err
    assert "Line 4, card number: empty." in err
    assert "Line 5: 4 fields where the header has 5" in err
    assert "3 bad lines: nothing was placed. Correct them and import the file again" in err
    assert placed(ctx) == []  # and no PIN was asked: the file was refused first


def test_a_bad_header_exits_2(ctx, url, tmp_path, capsys):
    path = write(tmp_path, f"W-1;2026-03-01;{ANNE};{item(1)}", header="nr;dato;kort;bog")
    code, _, err = run(capsys, url, path, "--language", "en")
    assert code == 2
    assert "Line 1, order number: the header has no column for it" in err
    assert "Line 1, item barcode: the header has no column for it" in err
    assert "Columns not recognised: nr, bog" in err
    assert "The file cannot be read as orders: nothing was placed" in err
    assert placed(ctx) == []


def test_placed_once_and_a_re_import_places_nothing_twice(ctx, url, capsys):
    code, out, err = run(capsys, url, str(EXAMPLE), "--language", "en")
    assert code == 1, err  # the example's last order has an expired card (U1)
    assert "separated by ;" in out and "Read as UTF-8" in out
    assert "Line 5, order WEB-2026-000104: refused (U1, CARD_INVALID)" in out
    assert "Placed: 3. Already there: 0. Refused by the rules: 1." in out
    assert placed(ctx) == ["WEB-2026-000101", "WEB-2026-000102", "WEB-2026-000103"]
    code, out, _ = run(capsys, url, str(EXAMPLE), "--language", "en", "--all")
    assert code == 1
    assert "Placed: 0. Already there: 3. Refused by the rules: 1." in out
    assert "Line 2, order WEB-2026-000101: imported already" in out
    assert len(placed(ctx)) == 3


def test_every_order_placed_exits_0_and_reports_in_the_desks_language(ctx, url, tmp_path, capsys):
    path = write(tmp_path, f"W-1;2026-03-01;{ANNE};{item(1)};", f"W-2;2026-03-01;{BO};{item(1)};")
    code, out, _ = run(capsys, url, path, "--all")  # the settings' language: Danish
    assert code == 0
    assert "Linje 3, bestilling W-2: reserveret: Reserveret: nummer 2 i køen. (§4 L3)" in out, out
    assert placed(ctx) == ["W-1", "W-2"]


def test_skip_bad_places_the_good_lines_and_exits_1(ctx, url, tmp_path, capsys):
    path = write(tmp_path, f"W-1;2026-03-01;{ANNE};{item(1)};", f"W-2;yesterday;{BO};{item(2)};")
    code, out, _ = run(capsys, url, path, "--skip-bad", "--language", "en")
    assert code == 1
    assert "Line 3, date ordered: 'yesterday' is not a date" in out
    assert "Skipped as bad: 1 line." in out
    assert placed(ctx) == ["W-1"]


def test_check_places_nothing(ctx, url, capsys):
    code, out, _ = run(capsys, url, str(EXAMPLE), "--check", "--language", "en")
    assert code == 1
    assert "Checked only (--check): nothing was placed." in out
    assert placed(ctx) == []


def test_who_acts(ctx, url, tmp_path, capsys, monkeypatch):
    path = write(tmp_path, f"W-1;2026-03-01;{ANNE};{item(1)};")
    code, _, err = run(capsys, url, path, staff=None)
    assert code == 2 and "add --staff NAME" in err
    code, _, err = run(capsys, url, path, staff="kurt")  # a courier places no requests
    assert code == 2 and "Nothing was placed." in err
    monkeypatch.setenv("DESK_APP_STAFF_PIN", "0000")
    code, _, err = run(capsys, url, path)
    assert code == 2 and "Nothing was placed." in err
    assert placed(ctx) == []


def test_b3_no_cpr_number_in_the_output(ctx, url, tmp_path, capsys):
    path = write(
        tmp_path,
        f"W-1;2026-03-01;{TEST_CPR};{item(1)};",
        f"W-2;2026-03-01;{TEST_CPR};{item(99)};",
        f"W-3;2026-03-01;{item(2)};{TEST_CPR};",
        name=f"orders {TEST_CPR}.csv",
    )
    for args in ((), ("--skip-bad", "--all")):
        code, out, err = run(capsys, url, path, "--language", "en", *args)
        assert code in (1, 2)
        assert not CPR_DIGITS.search(out + err), out + err
    assert placed(ctx) == ["W-1"]


def test_the_doc_shows_the_example_file_as_it_is():
    text = DOC.read_text("utf-8")
    example = EXAMPLE.read_text("utf-8-sig").replace("\r\n", "\n")
    assert example in text


def test_the_console_command_imports(ctx, url, tmp_path):
    path = write(
        tmp_path, f"W-1;2026-03-01;{ANNE};{item(1)};", f"W-2;2026-03-01;{card(99)};{item(2)};"
    )
    done = desk(
        "orders", "import", path, "--db", url, "--staff", "kari", "--language", "en",
        env={"DESK_APP_STAFF_PIN": PIN},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "refused (B1, CARD_UNKNOWN)" in done.stdout
    with ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Request)) == 1
