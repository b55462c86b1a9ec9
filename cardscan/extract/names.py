"""The person's name: a short run of capitalised words, big and near the top.

Every free segment is a candidate if its words look like a name (2-4 words of
letters, hyphens, apostrophes and periods, capitalised or ALL CAPS, none of them a
title, organisation, label or slogan word). Candidates are scored on font size,
position, a job title next to them and, strongest of all, agreement with the local
part of an email address (jane.doe@, jdoe@, janed@ ...).

Decisions: `name` keeps honorifics and degrees as printed ("Dr. Jane Doe, PhD", ALL
CAPS turned into Title Case); `given_name` is the first name only and `family_name`
the last name with its particles ("van der Berg"), both without honorifics/degrees;
in Spanish/Portuguese-speaking regions the last two surnames ("García López"). Middle names
appear only in `name`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from nameparser import HumanName
from rapidfuzz import fuzz

from cardscan.extract.layout import (
    Found,
    Segment,
    above,
    below,
    boxes,
    fold,
    median_height,
    score,
    wordset,
)
from cardscan.extract.lexicon import (
    DEGREES,
    HONORIFICS,
    ORG_WORDS,
    PARTICLES,
    STOPWORDS,
    TITLE_WORDS,
    legal_suffix_end,
    title_score,
)
from cardscan.extract.phones import LABELS
from cardscan.model import Issue, OcrWord

NAME_WORD_RE = re.compile(r"^[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?$")
NOISE = ',;:|*•·"“”()[]{}<>'
DASHES = ("-", "–", "—", "/")
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
MIN_SCORE = 0.5  # below this a candidate is not taken as the name
AMBIGUOUS_MARGIN = 0.1
EMAIL_STRONG = 0.9  # local-part agreement that settles the name on its own
# Countries where people carry two family names (Spanish and Portuguese customs).
TWO_SURNAME_REGIONS = wordset(
    "ES MX AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY PR PT BR AO MZ"
)


@dataclass
class NameResult:
    found: Found[str] | None = None
    given: str | None = None
    family: str | None = None
    segment: Segment | None = None
    tail: list[OcrWord] = field(default_factory=list)  # "CEO" in "Jane Doe, CEO"
    issues: list[Issue] = field(default_factory=list)


@dataclass
class _Cand:
    seg: Segment
    words: list[OcrWord]  # the name's words (honorifics/degrees included)
    core: list[str]  # cleaned words without honorifics/degrees
    display: str
    tail: list[OcrWord]
    score: float = 0.0
    email: float = 0.0


def _clean_word(text: str) -> str:
    """Undo "|" for I/l and strip stray punctuation around a word."""
    t = text.strip(NOISE)
    if "|" in t:
        t = ("I" + t[1:]) if t.startswith("|") else t
        t = t.replace("|", "I" if t.isupper() else "l")
    return t


def _bare(word: str) -> str:
    return fold(word).replace(".", "")


def _smart_case(word: str, first: bool = False) -> str:
    """Title Case one ALL-CAPS word: "MCDONALD" -> "McDonald", "O'BRIEN" -> "O'Brien"."""
    if _bare(word) in PARTICLES and not first:
        return word.lower()
    out = re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word.lower())
    if re.match(r"^Mc[a-z]", out):
        out = "Mc" + out[2].upper() + out[3:]
    return out


def _recase(word: str, first: bool) -> str:
    """ALL-CAPS words ("DOE" in "Jane DOE", every word of "JANE DOE") go Title Case."""
    letters = [c for c in word if c.isalpha()]
    return _smart_case(word, first) if len(letters) > 1 and word.isupper() else word


def _split_tail(words: list[OcrWord]) -> tuple[list[OcrWord], list[OcrWord]]:
    """ "Jane Doe, PhD" / "Jane Doe - CEO" -> (name words, words after the break)."""
    for i, w in enumerate(words):
        if w.text in DASHES:
            return words[:i], words[i + 1 :]
        if w.text.endswith(",") and i < len(words) - 1:
            return words[: i + 1], words[i + 1 :]
    return words, []


def _plausible(core: list[str], lowercase: bool) -> bool:
    """2-4 name words (plus particles), capitalised, none a title/org/label/slogan word."""
    main = [w for w in core if _bare(w) not in PARTICLES]
    if not 2 <= len(main) <= 4 or len(core) > 6 or sum(len(_bare(w)) >= 2 for w in main) < 2:
        return False
    for word in core:
        b = _bare(word)
        if not NAME_WORD_RE.match(word) or b in TITLE_WORDS | ORG_WORDS | STOPWORDS:
            return False
        if len(b) > 1 and b in LABELS:
            return False
        if not lowercase and b not in PARTICLES and not word[:1].isupper():
            return False
    return (lowercase or core[0][:1].isupper()) and title_score(" ".join(core)) == 0


def _candidate(seg: Segment, lowercase: bool = False) -> _Cand | None:
    """A name candidate from a segment; `lowercase` accepts an all-lowercase design
    ("jane doe"), which the caller only keeps when an email confirms it."""
    head, tail = _split_tail(list(seg.words))
    cleaned = [_clean_word(w.text) for w in head]
    if not cleaned or not all(cleaned) or legal_suffix_end(seg.text) is not None:
        return None
    if lowercase:
        if not all(w.islower() for w in cleaned):
            return None
        cleaned = [w.upper() for w in cleaned]  # then Title Case like ALL CAPS
    tail_text = " ".join(_clean_word(w.text) for w in tail)
    tail_degrees = bool(tail) and all(_bare(t) in DEGREES for t in tail_text.split())
    start = 0
    while start < len(cleaned) and _bare(cleaned[start]) in HONORIFICS:
        start += 1
    end = len(cleaned)
    while end > start and _bare(cleaned[end - 1]) in DEGREES and end - start > 2:
        end -= 1
    core = cleaned[start:end]
    if not _plausible(core, lowercase):
        return None
    shown = [
        DEGREES.get(_bare(w), w) if _bare(w) in DEGREES and i >= end else _recase(w, i == 0)
        for i, w in enumerate(cleaned)
    ]
    display = " ".join(shown)
    if tail_degrees:
        display += ", " + " ".join(DEGREES[_bare(t)] for t in tail_text.split())
    name_words = head + tail if tail_degrees else head
    core_shown = [_recase(w, i == 0) for i, w in enumerate(core)]
    return _Cand(seg, name_words, core_shown, display, [] if tail_degrees else tail)


def _spellings(word: str) -> set[str]:
    """ASCII spellings of a name word as it may appear in an email address."""
    low = word.lower().replace("'", "").replace("’", "")
    german = low.translate(UMLAUTS)
    return {v for v in (re.sub(r"[^a-z]", "", fold(x)) for x in (low, german)) if v}


def email_match(core: Sequence[str], local: str) -> float:
    """How well an email local part agrees with a name: 1.0 "jane.doe", 0 unrelated."""
    names = [sp for w in core if _bare(w) not in PARTICLES and (sp := _spellings(w))]
    if len(names) < 2:
        return 0.0
    parts = [p for p in re.split(r"[._\-+]", fold(local)) if p and not p.isdigit()]
    joined = re.sub(r"\d", "", "".join(parts))
    if not joined:
        return 0.0
    best = 0.0
    every = set().union(*names)
    # Family names with particles also appear run together: "vanderberg", "dasilva".
    runs = {"".join(min(_spellings(w), default="") for w in core[k:]) for k in range(1, len(core))}
    runs.discard("")
    for first in names[0]:
        for last in set().union(*names[1:]) | runs:
            if joined in (first + last, last + first) or sorted(parts) == sorted([first, last]):
                return 1.0
            if joined in (first[0] + last, first + last[0], last + first[0]):
                best = max(best, 0.9)
            if max(fuzz.ratio(joined, first + last), fuzz.ratio(joined, last + first)) >= 85:
                best = max(best, 0.8)
            if joined == last:
                best = max(best, 0.6)
        if joined == first:
            best = max(best, 0.6)
    if any(p in every for p in parts if len(p) >= 3):
        best = max(best, 0.5)
    return best


def _score(c: _Cand, segs: Sequence[Segment], heights: list[float], top: int, span: int) -> float:
    s = 0.4
    rank = heights.index(c.seg.height) if c.seg.height in heights else len(heights)
    if rank == 0:
        s += 0.25
    elif rank == 1:
        s += 0.15
    elif c.seg.height < median_height(segs):
        s -= 0.1
    if (c.seg.box.top - top) / span < 0.5:
        s += 0.1
    near = [above(c.seg, segs, 2), below(c.seg, segs, 2)]
    if c.tail or any(n is not None and title_score(n.text) > 0 for n in near):
        s += 0.15
    if c.email >= 0.5:
        s += 0.4 * c.email
    return s


def split_name(core: Sequence[str], region: str = "") -> tuple[str | None, str | None]:
    """(given, family) of a name without honorifics/degrees.

    nameparser handles particles ("van der Berg"); in Spanish- and Portuguese-speaking
    countries the family name is the last two surnames ("García López") when there
    are three or more words.
    """
    parsed = HumanName(" ".join(core))
    given, family = parsed.first or None, parsed.last or None
    main = [i for i, w in enumerate(core) if _bare(w) not in PARTICLES]
    if region in TWO_SURNAME_REGIONS and len(main) >= 3:
        start = main[-2]
        while start > 1 and _bare(core[start - 1]) in PARTICLES:
            start -= 1
        given, family = core[0], " ".join(core[start:])
    return given, family


def find_name(
    segs: Sequence[Segment], claimed: set[int], email_locals: Sequence[str], region: str = ""
) -> NameResult:
    free = [s for s in segs if s.index not in claimed]
    cands = [c for s in free if (c := _candidate(s)) is not None]
    lower = [c for s in free if (c := _candidate(s, lowercase=True)) is not None]
    cands += [
        c for c in lower if max((email_match(c.core, e) for e in email_locals), default=0) >= 0.9
    ]
    result = NameResult()
    if not cands:
        if segs:
            result.issues.append(Issue("no_name", "no person's name found on the card", "name"))
        return result
    heights = sorted({s.height for s in segs}, reverse=True)
    top = min(s.box.top for s in segs)
    span = max(max(s.box.bottom for s in segs) - top, 1)
    for c in cands:
        c.email = max((email_match(c.core, loc) for loc in email_locals), default=0.0)
        c.score = _score(c, segs, heights, top, span)
    cands.sort(key=lambda c: (-c.score, c.seg.index))
    best = cands[0]
    if best.score < MIN_SCORE:
        result.issues.append(Issue("no_name", "no person's name found on the card", "name"))
        return result
    if (
        len(cands) > 1
        and best.email < EMAIL_STRONG
        and cands[1].score >= best.score - AMBIGUOUS_MARGIN
    ):
        result.issues.append(
            Issue(
                "ambiguous_name",
                f"name could be '{best.display}' or '{cands[1].display}'; check it",
                "name",
            )
        )
    rule = 0.95 if best.email >= EMAIL_STRONG else min(0.85, best.score - 0.05)
    result.found = Found(best.display, score(rule, best.words), boxes(best.words), {best.seg.index})
    result.given, result.family = split_name(best.core, region)
    result.segment = best.seg
    result.tail = best.tail
    return result
