"""§1 Enrolment: who may borrow under the scheme (E1) and e-resources (E3)."""

from __future__ import annotations

from desk_app.domain.facts import Category
from desk_app.domain.verdict import Code, Verdict, verdict

ELIGIBLE_CATEGORIES = frozenset({Category.RESEARCHER, Category.PHD_STUDENT, Category.TEACHER})

_CATEGORY_DA = {
    Category.RESEARCHER: "forsker",
    Category.PHD_STUDENT: "ph.d.-studerende",
    Category.TEACHER: "underviser",
    Category.EMERITUS: "emeritus",
    Category.STUDENT: "studerende",
    Category.EXTERNAL: "ekstern",
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
            "Not eligible: an emeritus needs an own office at the institute to join the scheme.",
            "Ikke omfattet: en emeritus skal have eget kontor på instituttet.",
        )
    name = category.value.replace("_", " ")
    return verdict(
        Code.NOT_ELIGIBLE,
        "E1",
        f"Not eligible: a {name} cannot borrow under the institute scheme "
        "(lend in private capacity instead).",
        f"Ikke omfattet: {_CATEGORY_DA[category]} kan ikke låne via institutordningen "
        "(lån som privatperson i stedet).",
    )


def has_e_resources(declared: bool, cpr_given: bool) -> bool:
    """E3: a CPR number given at enrolment brings access to e-resources."""
    return declared or cpr_given
