"""§1 Enrolment: who may borrow under the scheme (E1) and e-resources (E3)."""

from __future__ import annotations

from desk_app.domain.facts import Category
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, tx

ELIGIBLE_CATEGORIES = frozenset({Category.RESEARCHER, Category.PHD_STUDENT, Category.TEACHER})

# The category as E1's refusal names it ("a {category} cannot borrow ...").
_CATEGORY_NAME: dict[Category, Text] = {
    Category.RESEARCHER: tx("researcher"),
    Category.PHD_STUDENT: tx("phd student"),
    Category.TEACHER: tx("teacher"),
    Category.EMERITUS: tx("emeritus"),
    Category.STUDENT: tx("student"),
    Category.EXTERNAL: tx("external"),
}


def check_eligible(category: Category, own_office: bool) -> Verdict | None:
    """E1: researchers, PhD students and teachers at a KU institute or centre,
    and emeriti with an own office. None when eligible."""
    if category in ELIGIBLE_CATEGORIES:
        return None
    if category is Category.EMERITUS:
        if own_office:
            return None
        return verdict(
            Code.NOT_ELIGIBLE,
            "E1",
            tx(
                "Not eligible: an emeritus needs an own office at the institute to join the scheme."
            ),
        )
    return verdict(
        Code.NOT_ELIGIBLE,
        "E1",
        tx(
            "Not eligible: a {category} cannot borrow under the institute scheme "
            "(lend in private capacity instead).",
            category=_CATEGORY_NAME[category],
        ),
    )


def has_e_resources(declared: bool, cpr_given: bool) -> bool:
    """E3: a CPR number given at enrolment brings access to e-resources."""
    return declared or cpr_given
