"""``desk-app print slip|manifest`` (§3 T1-T4): PDFs from the command line.

Each test runs ``main([...])`` in-process against a file database the ``ctx``
fixture made (SQLite, and PostgreSQL when configured), seeded with the test
cast and a few checkouts on the clock fixture's day; one runs the real
console command. Bad input must say why on stderr, exit non-zero and write
no file.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.units import mm

from desk_app.cli.main import main
from desk_app.clock import SystemClock
from desk_app.config import data_dir
from desk_app.domain.scan import slip_code
from desk_app.domain.verdict import Code
from desk_app.services import circulation, ill, transport
from desk_app.settings import DeskSettings, save_settings
from tests.helpers.desk_cli import desk
from tests.helpers.people import (
    ANNE,
    BO,
    CECILIE,
    INF_USER,
    PLEN_USER,
    TEST_CPR,
    item,
    seed_cast,
)
from tests.helpers.staffing import test_actor

DAY = "2026-03-02"  # the clock fixture's day: the checkouts below are on it
ILL_ITEM = item(40)
CPR_DIGITS = re.compile(r"010190-?1235")


@pytest.fixture
def url(ctx, actor, backend_url) -> str:  # type: ignore[no-untyped-def]
    """The test cast with loans on every kind of hand-over."""
    seed_cast(ctx)
    for card, barcode in (
        (ANNE, item(1)),  # DIKU: NORTH, stop 6 (T1)
        (BO, item(2)),  # DIKU
        (CECILIE, item(6)),  # NFI: SOUTH, stop 1 (T1)
        (PLEN_USER, item(3)),  # PLEN: the internal courier (T3), M2 use at the institute
    ):
        assert circulation.checkout(ctx, actor, card, barcode).code is Code.LOANED
    outcome = ill.receive(ctx, actor, INF_USER, ILL_ITEM, "Rare Lent Book", "DE")
    assert outcome.code is Code.LOANED  # INF: self-pickup (T2)
    outcome = ill.receive(
        ctx, actor, TEST_CPR, item(41), "Lent to a health-card borrower", "DE"
    )  # SAXO: SOUTH, enrolled with a health card (B3)
    assert outcome.code is Code.LOANED
    return backend_url


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(["print", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def pdf_text(path: Path) -> tuple[int, str, float]:
    """Page count, all text, and the first page's width in mm."""
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), text, float(reader.pages[0].mediabox.width) / mm


# --- slips ----------------------------------------------------------------------


def test_T4_transport_slip_names_borrower_item_route_and_stop(url, tmp_path, capsys):
    out = tmp_path / "slip.pdf"
    code, stdout, stderr = run(capsys, "slip", item(1), "--out", str(out), "--db", url)
    assert code == 0, stderr
    assert stdout.startswith(f"Transport slip for {item(1)} (loan ")
    assert f"written to {out}" in stdout and stdout.count("\n") == 1
    pages, text, width = pdf_text(out)
    assert pages == 1 and round(width) == 105  # A6, the settings' default
    for expected in ("Anne Jensen", item(1), "NORTH", "Concrete Mathematics"):
        assert expected in text


def test_T3_internal_courier_slip_in_english_on_the_roll(url, tmp_path, capsys):
    out = tmp_path / "slip.pdf"
    code, stdout, stderr = run(
        capsys, "slip", item(3), "--out", str(out), "--size", "80mm", "--language", "en",
        "--db", url,
    )  # fmt: skip
    assert code == 0, stderr
    assert "route FREDERIKSBERG" in stdout and "(80mm, en)" in stdout
    pages, text, width = pdf_text(out)
    assert pages == 1 and round(width) == 80
    assert "Hanne Krogh" in text and item(3) in text


def test_T2_self_pickup_gets_a_pickup_slip(url, tmp_path, capsys):
    out = tmp_path / "pickup.pdf"
    code, stdout, stderr = run(capsys, "slip", ILL_ITEM, "--out", str(out), "--db", url)
    assert code == 0, stderr
    assert stdout.startswith(f"Pickup slip for {ILL_ITEM}")
    _, text, _ = pdf_text(out)
    assert "Gustav Holm" in text and ILL_ITEM in text


def test_T4_the_slip_code_reprints_its_own_slip(url, ctx, tmp_path, capsys):
    slip = transport.slip_for_item(ctx, test_actor(ctx), item(6))
    out = tmp_path / "again.pdf"
    code, stdout, stderr = run(
        capsys, "slip", slip_code(slip.loan_id).lower(), "--out", str(out), "--db", url
    )
    assert code == 0, stderr
    assert f"for {item(6)} (loan {slip.loan_id}" in stdout
    assert "Cecilie Hansen" in pdf_text(out)[1]


def test_size_and_language_default_to_the_desks_settings(url, tmp_path, capsys):
    save_settings(
        data_dir(),
        DeskSettings(language="en", page_size="80mm", manifest_page_size="80mm", desk_name="Nord"),
    )
    slip, manifest = tmp_path / "s.pdf", tmp_path / "m.pdf"
    code, stdout, _ = run(capsys, "slip", item(1), "--out", str(slip), "--db", url)
    assert code == 0 and "(80mm, en)" in stdout and round(pdf_text(slip)[2]) == 80
    args = ("manifest", "--route", "NORTH", "--date", DAY, "--out", str(manifest), "--db", url)
    code, stdout, _ = run(capsys, *args)
    assert code == 0 and "(80mm, en)" in stdout
    _, text, width = pdf_text(manifest)
    assert round(width) == 80 and "Desk: Nord" in text  # the desk's name from the settings
    # ... and the command line wins over the settings
    code, stdout, _ = run(capsys, *args, "--size", "A4", "--language", "da")
    assert code == 0 and "(A4, da)" in stdout and round(pdf_text(manifest)[2]) == 210


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (item(5), "is not on loan"),  # in the catalogue, on the shelf
        (item(99), "not"),  # a valid number the catalogue does not know
        (item(1)[:-1] + str((int(item(1)[-1]) + 1) % 10), "check digit"),  # B2 misread
        ("L99999999", "is not on loan"),  # a slip code of no loan
        ("banana", "Scan again"),
    ],
)
def test_no_slip_without_an_open_loan(url, tmp_path, capsys, raw, message):
    out = tmp_path / "slip.pdf"
    code, stdout, stderr = run(capsys, "slip", raw, "--out", str(out), "--db", url)
    assert code != 0 and stdout == ""
    assert stderr.startswith("desk-app print slip: ") and message in stderr
    assert "Traceback" not in stderr and not out.exists()


def test_B3_a_health_card_borrowers_slip_and_manifest_print_no_cpr(url, tmp_path, capsys):
    slip, manifest = tmp_path / "s.pdf", tmp_path / "m.pdf"
    assert run(capsys, "slip", item(41), "--out", str(slip), "--db", url)[0] == 0
    code, stdout, _ = run(
        capsys, "manifest", "--route", "SOUTH", "--date", DAY, "--out", str(manifest), "--db", url
    )
    assert code == 0 and "2 stop(s), 2 item(s) to deliver" in stdout
    for path in (slip, manifest):
        text = pdf_text(path)[1]
        assert "Ida Health" in text and not CPR_DIGITS.search(text)
        assert not CPR_DIGITS.search(path.read_bytes().decode("latin-1"))
    # a CPR number scanned where an item belongs is refused, and masked
    code, stdout, stderr = run(capsys, "slip", TEST_CPR, "--out", str(tmp_path / "x"), "--db", url)
    assert code != 0 and not CPR_DIGITS.search(stdout + stderr)


# --- manifests --------------------------------------------------------------------


def test_T4_manifest_lists_the_routes_stops_with_counts(url, tmp_path, capsys):
    out = tmp_path / "north.pdf"
    code, stdout, stderr = run(
        capsys, "manifest", "--route", "north", "--date", DAY, "--out", str(out), "--db", url
    )  # the route in any case
    assert code == 0, stderr
    assert stdout == (
        f"Manifest for route NORTH on {DAY} (1 stop(s), 2 item(s) to deliver, 0 to collect) "
        f"written to {out} (A4, da)\n"
    )
    pages, text, width = pdf_text(out)
    assert pages == 1 and round(width) == 210
    for expected in ("NORTH", "Anne Jensen", "Bo Nielsen", item(1), item(2)):
        assert expected in text


def test_T3_the_internal_courier_has_its_own_manifest(url, tmp_path, capsys):
    out = tmp_path / "frb.pdf"
    code, stdout, stderr = run(
        capsys, "manifest", "--route", "FREDERIKSBERG", "--date", DAY, "--out", str(out),
        "--db", url, "--language", "en",
    )  # fmt: skip
    assert code == 0, stderr
    assert stdout.startswith(f"Manifest for internal courier route FREDERIKSBERG on {DAY}")
    text = pdf_text(out)[1]
    assert "Hanne Krogh" in text and item(3) in text


def test_T4_a_day_with_nothing_to_carry_still_prints(url, tmp_path, capsys):
    out = tmp_path / "empty.pdf"
    code, stdout, _ = run(
        capsys, "manifest", "--route", "NORTH", "--date", "2026-03-01", "--out", str(out),
        "--db", url,
    )  # fmt: skip
    assert code == 0 and "nothing to deliver or collect" in stdout
    assert pdf_text(out)[0] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--route", "WEST", "--date", DAY), "CITY, NORTH, SOUTH, FREDERIKSBERG"),
        (("--route", "NORTH", "--date", "2026-02-30"), "YYYY-MM-DD"),
        (("--route", "NORTH", "--date", "02.03.2026"), "YYYY-MM-DD"),
    ],
)
def test_a_bad_route_or_date_says_why_and_writes_nothing(url, tmp_path, capsys, args, message):
    out = tmp_path / "m.pdf"
    code, stdout, stderr = run(capsys, "manifest", *args, "--out", str(out), "--db", url)
    assert code == 2 and stdout == ""
    assert stderr.startswith("desk-app print manifest: ") and message in stderr
    assert "Traceback" not in stderr and not out.exists()


def test_an_unwritable_out_path_says_why_and_keeps_an_older_file(url, tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    args = ("manifest", "--route", "NORTH", "--date", DAY, "--db", url)
    for bad in (folder / "no" / "such" / "m.pdf", folder):
        code, stdout, stderr = run(capsys, *args, "--out", str(bad))
        assert code == 2 and stdout == "" and f"cannot write {bad}" in stderr
        assert "Traceback" not in stderr
    older = folder / "older.pdf"
    older.write_bytes(b"the signed copy")
    code, _, stderr = run(
        capsys, "manifest", "--route", "WEST", "--date", DAY, "--out", str(older), "--db", url
    )
    assert code == 2 and older.read_bytes() == b"the signed copy"
    assert [p.name for p in folder.iterdir()] == ["older.pdf"]  # no temporary file left
    assert run(capsys, *args, "--out", str(older))[0] == 0  # replaced only by a whole PDF
    assert older.read_bytes().startswith(b"%PDF") and [p.name for p in folder.iterdir()] == [
        "older.pdf"
    ]


def test_a_paper_size_the_document_has_not_is_refused_by_the_parser(url, tmp_path, capsys):
    out = tmp_path / "s.pdf"
    with pytest.raises(SystemExit) as stop:
        main(["print", "slip", item(1), "--out", str(out), "--size", "A4", "--db", url])
    assert stop.value.code == 2 and "invalid choice: 'A4'" in capsys.readouterr().err
    assert not out.exists()


def test_T4_the_console_command_prints_a_manifest(url, tmp_path):
    out = tmp_path / "south.pdf"
    done = desk(
        "print", "manifest", "--route", "SOUTH", "--date", DAY, "--out", str(out), "--db", url,
        "--language", "en",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Manifest for route SOUTH on {DAY} (2 stop(s), 2 item(s)")
    pages, text, _ = pdf_text(out)
    assert pages == 1 and "Cecilie Hansen" in text and item(6) in text and "SOUTH" in text
    bad = desk(
        "print", "manifest", "--route", "WEST", "--out", str(tmp_path / "x.pdf"), "--db", url
    )
    assert bad.returncode == 2 and "NORTH" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_the_day_defaults_to_today(url, tmp_path, capsys):
    out = tmp_path / "m.pdf"
    code, stdout, _ = run(capsys, "manifest", "--route", "NORTH", "--out", str(out), "--db", url)
    assert code == 0 and f"on {SystemClock().now().date().isoformat()}" in stdout  # the CLI's clock


def test_a_manifest_that_cannot_be_drawn_says_why_and_writes_nothing(
    url, tmp_path, capsys, monkeypatch
):
    """The console prints through ``services.documents`` as the desk does
    (issue 14): when the drawing fails (a font gone), one line says so."""
    from desk_app.printing import manifest

    def broken(*_args: object) -> bytes:
        raise OSError("the font file is gone")

    monkeypatch.setattr(manifest, "render_manifest", broken)
    out = tmp_path / "m.pdf"
    code, stdout, stderr = run(
        capsys, "manifest", "--route", "NORTH", "--date", DAY, "--out", str(out), "--db", url
    )
    assert code == 2 and stdout == ""
    assert stderr == (
        "desk-app print manifest: the manifest could not be drawn: the font file is gone\n"
    )
    assert not out.exists()
