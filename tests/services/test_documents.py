"""``services.documents`` (issue 14): the one way the windows and the console
get a slip, a manifest or the day's letters as PDF, each checked against the
role table first (PRINT_SLIP, PRINT_MANIFEST, PRINT_LETTERS) like every
service, a refusal audited."""

from __future__ import annotations

import io
from datetime import date, datetime

import pypdf
import pytest
from sqlalchemy import select

from desk_app.domain.roles import Action, Role
from desk_app.domain.verdict import Code
from desk_app.services import circulation, documents
from desk_app.services.access import NotPermitted
from desk_app.services.context import DeskContext
from desk_app.services.notice_letters import Signature
from desk_app.services.notices import run_notices
from desk_app.store.models import AuditEntry
from tests.helpers.people import ANNE, BO, item, seed_cast
from tests.helpers.staffing import ensure_staff
from tests.printing.render import decode, render_pages

DAY = date(2026, 3, 2)  # the clock fixture's day
SIGN = Signature("KB", "Main desk")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _refusals(ctx: DeskContext, name: str) -> list[str]:
    with ctx.sessions() as session:
        query = select(AuditEntry.action).where(
            AuditEntry.staff == name, AuditEntry.code == Code.NOT_PERMITTED.value
        )
        return list(session.scalars(query))


def test_T4_a_loans_slip_is_the_pdf_with_its_barcodes(ctx, actor):
    seed_cast(ctx)
    loan_id = circulation.checkout(ctx, actor, ANNE, item(1)).data["loan_id"]
    desk = ensure_staff(ctx, "Dorte Desk", Role.DESK)
    made = documents.slip_pdf(ctx, desk, loan_id, documents.PageSize.A6, "en")
    assert made is not None and made.slip.loan_id == loan_id
    found = {code for page in render_pages(made.pdf, 203) for code in decode(page)}
    assert found == {item(1), documents.slip_code(loan_id)}
    assert documents.slip_pdf(ctx, desk, loan_id + 1000, documents.PageSize.A6, "en") is None


def test_T4_an_item_without_a_loan_has_no_slip_but_the_verdict_why(ctx, actor):
    seed_cast(ctx)
    made = documents.slip_pdf_for_item(ctx, actor, item(1), documents.PageSize.A6, "en")
    assert not isinstance(made, documents.SlipPdf)
    assert made.code is Code.NOT_ON_LOAN


def test_T4_a_routes_manifest_is_the_data_and_its_pdf(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, ANNE, item(1))  # DIKU: route NORTH
    made = documents.manifest_pdf(
        ctx, actor, "NORTH", DAY, "Main desk", documents.PageSize.A4, "en"
    )
    assert isinstance(made, documents.ManifestPdf) and made.pdf is not None
    assert made.manifest.deliver_count == 1 and made.problem == ""
    assert item(1) in _text(made.pdf)
    nowhere = documents.manifest_pdf(ctx, actor, "NOWHERE", DAY, "x", documents.PageSize.A4, "en")
    assert not isinstance(nowhere, documents.ManifestPdf) and not nowhere.ok


def test_S6_the_days_letters_are_one_pdf_and_none_is_said(ctx, actor, clock):
    seed_cast(ctx)
    clock.set(datetime(2025, 1, 2, 10, 0))
    for card, barcode in ((ANNE, item(1)), (BO, item(6))):
        assert circulation.checkout(ctx, actor, card, barcode).ok
    run_day = date(2026, 1, 3)
    clock.set(datetime(2026, 1, 3, 8, 0))
    assert run_notices(ctx, actor, run_day).ok
    made = documents.letters_pdf(ctx, actor, run_day, SIGN, "en")
    assert made.count == 2 and made.pdf is not None
    text = _text(made.pdf)
    assert "Anne Jensen" in text and "Bo Nielsen" in text
    assert documents.letters_pdf(ctx, actor, date(2026, 1, 4), SIGN, "en") == (
        documents.LettersPdf(0, None)
    )


@pytest.mark.parametrize(
    ("role", "call", "action"),
    [
        (
            Role.COURIER,
            lambda c, a: documents.letters_pdf(c, a, DAY, SIGN, "da"),
            Action.PRINT_LETTERS,
        ),
        (
            Role.DESK,
            lambda c, a: documents.manifest_pdf(
                c, a, "NORTH", DAY, "x", documents.PageSize.A4, "da"
            ),
            Action.PRINT_MANIFEST,
        ),
    ],
)
def test_a_role_that_may_not_print_it_is_refused_and_audited(ctx, role, call, action):
    seed_cast(ctx)
    someone = ensure_staff(ctx, f"Someone {role.value}", role)
    with pytest.raises(NotPermitted) as refused:
        call(ctx, someone)
    assert refused.value.verdict.code is Code.NOT_PERMITTED
    assert _refusals(ctx, someone.staff) == [action.value]  # once, by the service


def test_every_staff_role_may_print_a_slip(ctx, actor):
    seed_cast(ctx)
    loan_id = circulation.checkout(ctx, actor, ANNE, item(1)).data["loan_id"]
    for role in Role:
        someone = ensure_staff(ctx, f"Someone {role.value}", role)
        made = documents.slip_pdf(ctx, someone, loan_id, documents.PageSize.ROLL_80MM, "da")
        assert made is not None and made.pdf.startswith(b"%PDF")
