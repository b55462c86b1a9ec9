"""Department: the part of the organisation a person works in.

Runs after title and company, on the lines no field took, so it can never take the
company or the title away from them: "Sales" next to the name stays the title, a line
with a legal form stays the company. Of what is left, a line is a department only on
clear evidence, because a wrong department is worse than none (it would go into the
book, the exports and the phone's address book):

- a department word at the line's start or end: "Department of Radiology", "Sales
  Department", "R&D Division", "Faculty of Engineering", "Intensive Care Unit",
  "Marketing Team", "Office of the President", "School of Medicine", "Abteilung
  Vertrieb", "Vertriebsabteilung", "Departamento de Ventas", "営業部", "放射線科";
- or a line made only of two or more business functions: "Sales & Marketing",
  "Research and Development", "Finance / Legal" (one word alone, "Sales" far from the
  name, may as well be a slogan: left in other_text).

The line must also read as a short label: no digits, no "@", at most MAX_WORDS words,
and as sure and as heavy as other_text asks of a line (extract.OTHER_TEXT_MIN...), so
a department is never taken from text that would not even count as a card note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from cardscan.extract.layout import Found, Segment, boxes, score
from cardscan.extract.lexicon import LEGAL_RE
from cardscan.words import tokens, wordset

MAX_WORDS = 7
MAX_CJK_CHARS = 10
RULE_WORD = 0.8  # a department word says so
RULE_FUNCTIONS = 0.6  # business functions only: likely a department, worth a look

# Department words, folded: at the line's start ("Department of ...") or its end
# ("... Department"). "unit" and "team" only at the end ("Unit 5" is an address).
LEADING = wordset(
    """department dept division faculty abteilung departamento departement dipartimento
    afdeling fachbereich servicio"""
)
TRAILING = wordset("department dept division faculty unit team abteilung")
LEADING_PHRASES = frozenset(tuple(p.split()) for p in ("school of", "office of"))
# German compounds end in the word: "Vertriebsabteilung", "Personalabteilung".
COMPOUND_ENDS = ("abteilung",)
# A CJK line ending in one of these: 部 (department, 営業部), 科 (section, clinic
# department, 放射線科), 課 / 课 (section); Korean 부 (영업부) and 팀 (team).
CJK_ENDS = ("部", "科", "課", "课", "부", "팀")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

# Business functions: a line made only of two or more of these is a department.
# Words that are also a trade or a slogan ("Design", "Service", "Logistics") are not
# among them: "Sales & Service" on a dealer's card is its slogan.
FUNCTIONS = wordset(
    """sales marketing finance accounting engineering research development legal
    operations procurement purchasing hr human resources it communications compliance
    administration controlling vertrieb einkauf forschung entwicklung ventas finanzas
    ventes recherche"""
)
CONNECTORS = wordset("and und y et e of")


def find_department(
    segs: Sequence[Segment], claimed: set[int], usable: Callable[[Segment], bool]
) -> Found[str] | None:
    """The first free line that is clearly a department; one with a department word
    wins over one of business functions. `usable`: whether a line is sure and heavy
    enough to be text at all (extract's other_text test)."""
    best: tuple[float, Segment] | None = None
    for seg in segs:
        if seg.index in claimed or not usable(seg):
            continue
        rule = department_rule(seg.text)
        if rule and (best is None or rule > best[0]):
            best = (rule, seg)
    if best is None:
        return None
    rule, seg = best
    text = seg.text.strip(" ,;:|*•·-–—")
    return Found(text, score(rule, seg.words), boxes(seg.words), {seg.index})


def department_rule(text: str) -> float:
    """How strongly a line's own words say it is a department (0: they do not)."""
    line = text.strip()
    if not line or re.search(r"[\d@]", line) or LEGAL_RE.search(line):
        return 0.0
    if _CJK.search(line):
        compact = re.sub(r"\s", "", line)
        return RULE_WORD if len(compact) <= MAX_CJK_CHARS and compact.endswith(CJK_ENDS) else 0.0
    toks = tokens(line.replace("R&D", "research development"))
    if not toks or len(line.split()) > MAX_WORDS:
        return 0.0
    if toks[0] in LEADING or toks[-1] in TRAILING or tuple(toks[:2]) in LEADING_PHRASES:
        return RULE_WORD if len(toks) > 1 else 0.0  # "Department" alone names none
    if toks[-1].endswith(COMPOUND_ENDS) and toks[-1] not in COMPOUND_ENDS:
        return RULE_WORD
    functions = [t for t in toks if t not in CONNECTORS]
    if len(functions) >= 2 and all(t in FUNCTIONS for t in functions):
        return RULE_FUNCTIONS
    return 0.0
