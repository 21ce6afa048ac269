"""The notice letter as plain text: the body of the e-mail that carries the
PDF letter (§5 S6).

Same sentences as the printed letter (``labels.letter_texts``), so the e-mail
and the PDF never say different things; mail readers that hide attachments
still show every item, its step and its deadline.
"""

from __future__ import annotations

from desk_app.printing.labels import format_date, letter_texts, texts
from desk_app.printing.letter_data import LetterData, LetterLine
from desk_app.printing.letters import NO_DEADLINE, RULE_IDS, SEVERITY, most_severe


def letter_subject(letter: LetterData, language: str = "da") -> str:
    """The subject speaks of the most severe step on the letter."""
    return letter_texts(language)["subject_" + most_severe(letter)]


def letter_plain_text(letter: LetterData, language: str = "da") -> str:
    lt, t = letter_texts(language), texts(language)
    out = [
        lt["greeting"].format(name=letter.borrower_name) + ",",
        "",
        lt["no_fee"],
    ]
    by_step: dict[str, list[LetterLine]] = {}
    for line in letter.lines:
        by_step.setdefault(line.step, []).append(line)
    for step in SEVERITY:
        lines = by_step.get(step)
        if not lines:
            continue
        heading = f"{lt['heading_' + step]} ({lt['rule']} {RULE_IDS[step]})"
        out += ["", heading, "-" * len(heading), lt["body_" + step], ""]
        for line in lines:
            deadline = format_date(line.deadline, language) if line.deadline else NO_DEADLINE
            shelf = f" · {line.call_number}" if line.call_number else ""
            out.append(f"* {line.title}")
            out.append(
                f"  {t['item']}: {line.item_barcode}{shelf} · "
                f"{lt['col_loan_date']}: {format_date(line.loan_date, language)} · "
                f"{lt['col_deadline']}: {deadline}"
            )
    out += [
        "",
        lt["closing_return"],
        "",
        lt["closing_contact"].format(desk=letter.desk),
        "",
        lt["regards"],
        letter.sender,
        "",
    ]
    return "\n".join(out)
