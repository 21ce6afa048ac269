"""The notice letter as plain text: the body of the e-mail that carries the
PDF letter (§5 S6).

Same sentences as the printed letter (the messages in ``labels``), so the
e-mail and the PDF never say different things; mail readers that hide
attachments still show every item, its step and its deadline.
"""

from __future__ import annotations

from datetime import date

from desk_app.i18n import Text, format_date, render
from desk_app.printing import labels
from desk_app.printing.labels import language_of
from desk_app.printing.letter_data import LetterData, LetterLine
from desk_app.printing.letters import NO_DEADLINE, RULE_IDS, SEVERITY, most_severe


def letter_subject(letter: LetterData, language: str = "da") -> str:
    """The subject speaks of the most severe step on the letter."""
    return render(labels.SUBJECTS[most_severe(letter)], language_of(language))


def letter_plain_text(letter: LetterData, language: str = "da") -> str:
    lang = language_of(language)

    def say(text: Text) -> str:
        return render(text, lang)

    def day(value: date) -> str:
        return format_date(value, lang, style="print")

    out = [say(labels.greeting(letter.borrower_name)) + ",", "", say(labels.NO_FEE)]
    by_step: dict[str, list[LetterLine]] = {}
    for line in letter.lines:
        by_step.setdefault(line.step, []).append(line)
    item, loan_date, return_by = say(labels.ITEM), say(labels.LOAN_DATE), say(labels.RETURN_BY)
    for step in SEVERITY:
        lines = by_step.get(step)
        if not lines:
            continue
        heading = say(labels.step_with_rule(labels.HEADINGS[step], RULE_IDS[step]))
        out += ["", heading, "-" * len(heading), say(labels.BODIES[step]), ""]
        for line in lines:
            deadline = day(line.deadline) if line.deadline else NO_DEADLINE
            shelf = f" · {line.call_number}" if line.call_number else ""
            out.append(f"* {line.title}")
            out.append(
                f"  {item}: {line.item_barcode}{shelf} · "
                f"{loan_date}: {day(line.loan_date)} · {return_by}: {deadline}"
            )
    out += [
        "",
        say(labels.CLOSING_RETURN),
        "",
        say(labels.closing_contact(letter.desk)),
        "",
        say(labels.REGARDS),
        letter.sender,
        "",
    ]
    return "\n".join(out)
