"""``desk-app print picklist`` (§4 Q1) and ``desk-app print receipt --card``:
the pick list on A4 and a borrower's receipt on the 80 mm roll, from the
command line, through ``services.documents`` like the window. Bad input
says why on stderr, exits non-zero and writes no file; no CPR number is
printed (B3)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.units import mm

from desk_app.cli.main import main
from desk_app.config import data_dir
from desk_app.domain.verdict import Code
from desk_app.services import circulation
from desk_app.services.enrolment import ItemRecord, declare
from desk_app.settings import DeskSettings, save_settings
from tests.helpers.people import ANNE, BO, CECILIE, INF_USER, TEST_CPR, card, item, seed_cast

CPR_DIGITS = re.compile(r"010190-?(1235|XXXX)")


@pytest.fixture
def url(ctx, actor, backend_url) -> str:  # type: ignore[no-untyped-def]
    """Two shelved books with call numbers wait for Cecilie and Gustav (INF:
    self-pickup), a third for Ida (a health card); Bo has item(1), which
    Anne waits for."""
    seed_cast(ctx)
    declare(
        ctx,
        actor,
        items=[
            ItemRecord(item(20), "Bog <&> æøå", call_number="530.12 Kva"),
            ItemRecord(item(21), "Statistisk fysik", call_number="100 Aaa"),
            ItemRecord(item(22), "Atomfysik", call_number="539.7 Ato"),
        ],
    )
    assert circulation.checkout(ctx, actor, BO, item(1)).code is Code.LOANED
    for number, barcode in (
        (ANNE, item(1)),
        (CECILIE, item(20)),
        (INF_USER, item(21)),
        (TEST_CPR, item(22)),
    ):
        assert circulation.request(ctx, actor, number, barcode).code is Code.REQUESTED
    return backend_url


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(["print", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def pdf_text(path: Path) -> tuple[int, str, float]:
    """Page count, all text (whitespace as single spaces), the first page's width in mm."""
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return len(reader.pages), text, float(reader.pages[0].mediabox.width) / mm


def test_q1_picklist_writes_the_a4_list_in_shelf_order(url, tmp_path, capsys):
    out = tmp_path / "pick.pdf"
    code, stdout, stderr = run(capsys, "picklist", "--out", str(out), "--db", url)
    assert code == 0, stderr
    assert stdout == f"Pick list (3 item(s) to fetch) written to {out} (A4, da)\n"
    pages, text, width = pdf_text(out)
    assert pages == 1 and round(width) == 210
    assert "PLUKLISTE" in text and "3 eksemplarer skal hentes" in text
    at = [text.index(call) for call in ("100 Aaa", "530.12", "539.7 Ato")]
    assert at == sorted(at)
    for needed in (
        "Bog <&> æøå",
        "Cecilie Hansen",
        "Gustav Holm",
        "Ida Health",
        "Afhentningshylde",
    ):
        assert needed in text
    assert item(1) not in text  # on loan: not on the shelf
    assert not CPR_DIGITS.search(text) and not CPR_DIGITS.search(out.read_bytes().decode("latin-1"))


def test_q1_picklist_in_english_with_lang(url, tmp_path, capsys):
    out = tmp_path / "pick.pdf"
    code, stdout, stderr = run(capsys, "picklist", "--out", str(out), "--lang", "en", "--db", url)
    assert code == 0, stderr and "(A4, en)" in stdout
    text = pdf_text(out)[1]
    assert "PICK LIST" in text and "3 items to fetch" in text and "Page 1 of 1" in text


def test_q1_the_language_and_desk_default_to_the_settings(url, tmp_path, capsys):
    save_settings(data_dir(), DeskSettings(language="en", desk_name="Nord"))
    out = tmp_path / "pick.pdf"
    code, stdout, _ = run(capsys, "picklist", "--out", str(out), "--db", url)
    assert code == 0 and "(A4, en)" in stdout
    assert "Desk: Nord" in pdf_text(out)[1]
    code, stdout, _ = run(capsys, "picklist", "--out", str(out), "--language", "da", "--db", url)
    assert code == 0 and "(A4, da)" in stdout and "Skranke: Nord" in pdf_text(out)[1]


def test_q1_an_unwritable_out_says_why_and_writes_nothing(url, tmp_path, capsys):
    out = tmp_path / "no-such-folder" / "pick.pdf"
    code, stdout, stderr = run(capsys, "picklist", "--out", str(out), "--db", url)
    assert code != 0 and stdout == ""
    assert stderr.startswith("desk-app print picklist: cannot write") and not out.exists()
    code, _, stderr = run(capsys, "picklist", "--out", str(tmp_path), "--db", url)
    assert code != 0 and "it is a folder" in stderr


def test_receipt_by_card_on_the_roll(url, tmp_path, capsys):
    out = tmp_path / "receipt.pdf"
    code, stdout, stderr = run(capsys, "receipt", "--card", ANNE, "--out", str(out), "--db", url)
    assert code == 0, stderr
    assert stdout == f"Receipt written to {out} (80mm, da)\n"
    pages, text, width = pdf_text(out)
    assert pages == 1 and round(width) == 80
    for needed in ("LÅNEKVITTERING", "Anne Jensen", item(1), "Nummer 1 af 1 i køen", "0 LÅN"):
        assert needed in text, needed


def test_B3_a_health_card_borrowers_receipt_prints_no_cpr(url, tmp_path, capsys):
    out = tmp_path / "receipt.pdf"
    args = ("receipt", "--card", TEST_CPR, "--out", str(out), "--lang", "en", "--db", url)
    code, stdout, stderr = run(capsys, *args)
    assert code == 0, stderr
    text = pdf_text(out)[1]
    assert "Ida Health" in text and "Atomfysik" in text and "Card:" not in text
    assert not CPR_DIGITS.search(text + stdout + stderr)
    assert not CPR_DIGITS.search(out.read_bytes().decode("latin-1"))


def test_no_receipt_for_a_card_that_finds_no_one(url, tmp_path, capsys):
    out = tmp_path / "receipt.pdf"
    for raw, message in (
        (card(999), "not"),  # a valid card number no one has
        (ANNE[:-1] + str((int(ANNE[-1]) + 1) % 10), "check digit"),  # B2 misread
        (item(1), "card"),  # an item where a card belongs
        ("banana", "Scan again"),
    ):
        code, stdout, stderr = run(capsys, "receipt", "--card", raw, "--out", str(out), "--db", url)
        assert code != 0 and stdout == "", raw
        assert stderr.startswith("desk-app print receipt: ") and message in stderr, stderr
        assert "Traceback" not in stderr and not out.exists()
