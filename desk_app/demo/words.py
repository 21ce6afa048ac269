"""The words a Copenhagen research library's records are made of: names,
titles, shelf marks. Shared by every scale, so the demo and the benchmark
library read alike (``people`` makes names of them, ``catalogue`` titles).
"""

from __future__ import annotations

import unicodedata

FEMALE = (
    "Anne", "Mette", "Kirsten", "Hanne", "Helle", "Susanne", "Lene", "Camilla", "Louise",
    "Maria", "Marianne", "Pia", "Tina", "Line", "Ida", "Sofie", "Emma", "Freja", "Karen",
    "Inge", "Birgitte", "Signe", "Astrid", "Sidsel", "Maja", "Nanna", "Rikke", "Trine",
    "Dorthe", "Åse", "Bodil", "Gry", "Ulla", "Ellen", "Johanne", "Cecilie",
)  # fmt: skip
MALE = (
    "Jens", "Peter", "Lars", "Michael", "Henrik", "Søren", "Thomas", "Niels", "Morten",
    "Jesper", "Anders", "Rasmus", "Mads", "Christian", "Martin", "Jørgen", "Poul", "Ole",
    "Bjørn", "Frederik", "Kasper", "Mikkel", "Kristian", "Asger", "Troels", "Torben",
    "Esben", "Halfdan", "Steffen", "Ebbe", "Knud", "Aksel", "Jakob", "Emil", "Gustav",
)  # fmt: skip
SURNAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
    "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen",
    "Jakobsen", "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund",
    "Holm", "Schmidt", "Eriksen", "Nørgaard", "Østergaard", "Kjær", "Bech", "Dahl", "Skov",
    "Friis", "Bak", "Vestergaard", "Lauridsen", "Brøndum", "Søndergaard", "Damgaard",
    "Bøgh", "Krogh", "Høj", "Aagaard", "Ærenlund", "Winther",
)  # fmt: skip
MIDDLE = ("Holm", "Skov", "Lund", "Kjær", "Dam", "Bech", "Juul", "Vind", "Krag", "Høeg")
INTERNATIONAL_FIRST = (
    "Wei", "Li", "Ana", "Giulia", "Luca", "Sophie", "Lukas", "Priya", "Arjun", "Elena",
    "Mehmet", "Ayşe", "Tomás", "Zofia", "Olga", "Yuki", "Kenji", "Siobhán", "Jonas",
)  # fmt: skip
INTERNATIONAL_LAST = (
    "Zhang", "Wang", "García", "Rossi", "Müller", "Schneider", "Kowalski", "Nowak",
    "Novák", "Patel", "Sharma", "Yılmaz", "Ivanova", "Tanaka", "Silva", "Dubois",
    "O'Connor", "Smith", "Johansson", "Virtanen",
)  # fmt: skip

TOPICS_EN = (
    "quantum field theory", "climate adaptation", "medieval Scandinavia", "protein folding",
    "welfare state reform", "Old Norse poetry", "Bayesian inference", "urban sociology",
    "public health policy", "plant genetics", "labour economics", "comparative law",
    "Reformation theology", "marine ecology", "graph algorithms", "cognitive development",
    "colonial trade", "European integration", "drug metabolism", "glacial geology",
    "Arctic governance", "Renaissance art", "language acquisition", "migration law",
    "sustainable agriculture", "veterinary epidemiology", "number theory",
    "statistical mechanics", "Kierkegaard's ethics", "Danish cinema", "food microbiology",
    "organic synthesis", "human rights", "behavioural economics", "early modern science",
)  # fmt: skip
PATTERNS_EN = (
    "An introduction to {t}", "Studies in {t}", "{T} and {u}", "Essays on {t}",
    "Handbook of {t}", "{T}: theory and practice", "{T}: a reader", "Perspectives on {t}",
    "The history of {t}", "{T} in the Nordic countries", "Advances in {t}",
    "Rethinking {t}", "{T}, {y1}–{y2}", "{T} & {u}: new approaches",
)  # fmt: skip
TOPICS_DA = (
    "dansk retshistorie", "kvantemekanik", "velfærdsstatens udvikling",
    "nordisk sprogvidenskab", "Grønlands geologi", "reformationen i Danmark",
    "folkesundhed", "økologisk jordbrug", "Københavns byhistorie", "sønderjyske dialekter",
    "æstetik og erkendelse", "børns sprogtilegnelse", "færøsk litteratur", "skatteret",
    "dansk kirkehistorie", "ølbrygning i middelalderen", "arbejdsmarkedets økonomi",
    "forvaltningsret", "dansk guldalder", "fødevaresikkerhed", "klimaforandringer",
    "husdyrenes sundhed", "matematikkens grundlag", "Holbergs komedier",
    "kolonitidens handel", "socialpsykologi", "tandsundhed", "lægemidlers virkning",
    "H.C. Ørsteds fysik", "Vadehavets økologi",
)  # fmt: skip
PATTERNS_DA = (
    "{T}: en indføring", "Studier i {t}", "Bidrag til {t}", "Håndbog i {t}", "{T} og {u}",
    "Om {t}", "{T} {y1}–{y2}", "Nye perspektiver på {t}", "Grundbog i {t}",
    "Tekster om {t}", "{T}: teori og praksis", "{T} & {u}",
)  # fmt: skip
PLACES_OLD = (
    "Sjælland", "Fyen", "Jylland", "Bornholm", "Island", "Norge", "Kiøbenhavn",
    "Ribe Stift", "Lolland og Falster", "Grønland", "Færøerne", "Slesvig",
)  # fmt: skip
PATTERNS_OLD = (
    "Forsøg til en Beskrivelse over {p}", "Samlinger til {p}s Historie",
    "Efterretninger om {p}", "Historisk Beretning om {p}",
    "Topographisk Beskrivelse af {p}", "Physisk-oeconomisk Beskrivelse over {p}",
)  # fmt: skip
PATTERNS_JOURNAL = (
    "Tidsskrift for {t}", "Journal of {e}", "Nordisk tidsskrift for {t}", "{E} Review",
    "Scandinavian Journal of {e}",
)  # fmt: skip
PATTERNS_MAP = ("Kort over {p}", "Generalstabens kort: {p}", "Geologisk kort over {p}")
SCORES = (
    "Carl Nielsen: Symfoni nr. {n}", "Niels W. Gade: Efterklange af Ossian",
    "C.E.F. Weyse: Morgen- og aftensange", "Rued Langgaard: Sfærernes musik",
    "J.P.E. Hartmann: Guldhornene", "Carl Nielsen: Strygekvartet nr. {n}",
)  # fmt: skip
PATTERNS_AV = ("{T} (videooptagelse)", "Forelæsninger om {t} (lydoptagelse)")
# Titles that break naive HTML, CSV and slip code: the GUI and printing must cope.
SPECIAL_TITLES = (
    "Ørsted & Ampère: <elektromagnetisme> i København, 1820–1850",
    'Æbler & pærer: "<sortsnavne>" i danske haver',
)
LC = ("QA", "QC", "QH", "QD", "HB", "HM", "JN", "KJC", "BR", "PT", "DL", "RA", "RM", "SB")
DK5 = ("30.1", "32.4", "33.1", "34.2", "46.4", "51.2", "55.1", "61.1", "79.3", "86.1", "99.4")
OLD_SHELVES = ("Hielmst.", "Dan.", "Bibl. Dan.", "Thott")
SETTLEMENT_NOTES = (
    "Låner ringede: på feltarbejde, afleverer ved hjemkomst.",
    "Henvendelse i skranken; bogen ligger på kontoret i Odense.",
    "E-mail fra låner: syg, afleverer snarest.",
)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def ascii_of(text: str) -> str:
    """Lower-case letters and digits only, Danish letters spelt out: for e-mail
    addresses and shelf marks."""
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("Æ", "Ae"), ("Ø", "Oe"), ("Å", "Aa")):
        text = text.replace(a, b)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())
