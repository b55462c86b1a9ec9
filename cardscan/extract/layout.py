"""Segments: the units every field finder works on.

Tesseract groups words into visual lines, but a card often has two columns whose
lines get merged into one ("Jane Doe        T +1 415 ..."), and designers separate
items on one line with bullets or bars ("Tel 030 1 | Fax 030 2"). A Segment is a run
of words on one line with neither a large horizontal gap nor a separator inside, so
a label stays next to its value and unrelated columns stay apart.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from cardscan.model import Box, OcrLine, OcrResult, OcrWord

# A gap wider than this many line heights splits a line into separate segments.
GAP_FACTOR = 2.5
# Lines further apart than this many line heights (per line step) are not neighbours.
MAX_LINE_GAP = 1.5
# A word of at most this many characters, this many times taller than its neighbours,
# is a logo mark that OCR read as text.
GLYPH_MAX_CHARS = 2
GLYPH_HEIGHT = 1.7
# Words made only of these characters are visual separators, not text.
SEPARATOR_CHARS = frozenset("|·•▪◆●∙⋅◦¦")
# A contact label with its colon after other text on the line starts a segment of its
# own: "Ho Chi Minh City, VIETNAM. Tel: +84 ..." is an address's last line and a phone,
# "NAGOYA, 460-0003, JAPAN F A X: 81-52-..." too (letters spaced out).
LABEL_START_RE = re.compile(
    r"(?:t\s?e\s?l(?:e\s?f\s?o\s?n\s?[eo])?|f\s?a\s?x|phone|mobile|mob|cell|"
    r"e\s?-?\s?mail)\s?[:：]",
    re.IGNORECASE,
)

T = TypeVar("T")


@dataclass
class Segment(OcrLine):
    """Words on one line between gaps/separators, left to right.

    An OcrLine (text, box, height, conf come from there) that knows where it came from.
    """

    line_no: int  # index of the OcrLine it came from
    col: int = 0  # position among the segments of that line
    index: int = 0  # position in reading order over all segments
    # Every segment of the card (set by segment()): which lines lie between two of them
    # in their column (_close).
    peers: tuple[Segment, ...] = field(default=(), repr=False, compare=False)

    def joined(self, transform: Callable[[str], str] | None = None) -> Joined:
        return Joined.build(self.words, transform)


@dataclass
class Joined:
    """Segment text (optionally with each word transformed) plus each word's span.

    Finders match regexes over `text`; `words_in(start, end)` maps a match back to
    the OCR words, for evidence boxes and confidence.
    """

    text: str
    spans: list[tuple[int, int]]
    words: list[OcrWord]

    @classmethod
    def build(
        cls, words: Sequence[OcrWord], transform: Callable[[str], str] | None = None
    ) -> Joined:
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        for i, w in enumerate(words):
            t = transform(w.text) if transform else w.text
            # A lone "+" belongs to the digits after it ("+ 44 20 ...").
            if i > 0 and parts[-1] != "+":
                parts.append(" ")
                pos += 1
            spans.append((pos, pos + len(t)))
            parts.append(t)
            pos += len(t)
        return cls("".join(parts), spans, list(words))

    def words_in(self, start: int, end: int) -> list[OcrWord]:
        pairs = zip(self.words, self.spans, strict=True)
        return [w for w, (a, b) in pairs if a < end and b > start]


@dataclass
class Found(Generic[T]):
    """A field value with its confidence (0..1), evidence boxes and claimed segments."""

    value: T
    conf: float
    boxes: list[Box] = field(default_factory=list)
    segments: set[int] = field(default_factory=set)


def score(rule: float, words: Sequence[OcrWord]) -> float:
    """Blend how strong a rule is with how sure OCR was of the words it used.

    OCR confidence only scales the rule down to 60% at worst: a low Tesseract score
    on a clean rule match is still a decent guess.
    """
    ocr = sum(w.conf for w in words) / len(words) / 100.0 if words else 0.5
    ocr = min(max(ocr, 0.0), 1.0)
    return round(min(max(rule, 0.0), 1.0) * (0.6 + 0.4 * ocr), 3)


def boxes(words: Sequence[OcrWord]) -> list[Box]:
    return [w.box for w in words]


def _is_separator(word: OcrWord) -> bool:
    t = word.text.strip()
    return bool(t) and all(c in SEPARATOR_CHARS for c in t)


def _split_line(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Cut a line's words at separator words and at gaps wider than GAP_FACTOR heights."""
    line_h = max(float(statistics.median(w.box.height for w in words)), 1.0)
    groups: list[list[OcrWord]] = [[]]
    for w in words:
        if _is_separator(w):
            groups.append([])
        elif groups[-1] and w.box.left - groups[-1][-1].box.right > GAP_FACTOR * line_h:
            groups.append([w])
        else:
            groups[-1].append(w)
    return [g for g in groups if g]


def _split_labels(group: list[OcrWord]) -> list[list[OcrWord]]:
    """Cut a group before a contact label with a colon that follows other text."""
    for i in range(1, len(group)):
        ahead = " ".join(w.text for w in group[i : i + 4])
        if LABEL_START_RE.match(ahead) and re.search(r"[^\W_]", group[i - 1].text):
            return [group[:i], *_split_labels(group[i:])]
    return [group]


def _is_glyph(word: OcrWord, others: Sequence[OcrWord]) -> bool:
    """A logo mark read as a character or two, much taller than the text beside it."""
    if not others or len(word.text) > GLYPH_MAX_CHARS:
        return False
    return word.box.height > GLYPH_HEIGHT * statistics.median(w.box.height for w in others)


def _split_glyphs(group: list[OcrWord]) -> list[list[OcrWord]]:
    """Move an outsized glyph at either end of a group into a segment of its own, so
    "% Southern Cross Pty Ltd" (a logo left of the company) reads as the company."""
    if len(group) < 3:
        return [group]
    if _is_glyph(group[0], group[1:]):
        return [[group[0]], *_split_glyphs(group[1:])]
    if _is_glyph(group[-1], group[:-1]):
        return [*_split_glyphs(group[:-1]), [group[-1]]]
    return [group]


def segment(ocr: OcrResult) -> list[Segment]:
    """Split every OCR line at large gaps, separators and logo glyphs, in reading order."""
    out: list[Segment] = []
    for line_no, line in enumerate(ocr.lines):
        words = sorted((w for w in line.words if w.text.strip()), key=lambda w: w.box.left)
        if not words:
            continue
        groups = [
            part
            for g in _split_line(words)
            for labelled in _split_labels(g)
            for part in _split_glyphs(labelled)
        ]
        out += [Segment(g, line_no, col) for col, g in enumerate(groups)]
    peers = tuple(out)
    for i, seg in enumerate(out):
        seg.index = i
        seg.peers = peers
    return out


def overlaps_x(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right


def _close(upper: Segment, lower: Segment, max_lines: int) -> bool:
    """Same column, really below, at most max_lines lines apart in that column, and no
    blank band between.

    Lines of other columns in between do not count: on a two-column card the OCR's lines
    alternate between the columns ("260 Patricia Passage" / "www.acme.co.uk" / "Lake
    Emma"), and counting them kept an address's lines apart. The vertical check also
    matters when OCR emits columns as separate blocks: the next OCR line may then be back
    at the top of the card.
    """
    gap = lower.box.top - upper.box.bottom
    size = max(upper.height, lower.height)
    return (
        lower.line_no > upper.line_no
        and _lines_between(upper, lower) < max_lines
        and overlaps_x(upper.box, lower.box)
        and -0.5 * size <= gap <= MAX_LINE_GAP * max_lines * size
    )


def _lines_between(upper: Segment, lower: Segment) -> int:
    """The OCR lines between two segments that reach into their column."""
    if not upper.peers:  # segments made by hand: every line counts
        return lower.line_no - upper.line_no - 1
    return len(
        {
            s.line_no
            for s in upper.peers
            if upper.line_no < s.line_no < lower.line_no
            and (overlaps_x(s.box, upper.box) or overlaps_x(s.box, lower.box))
        }
    )


def below(seg: Segment, segs: Sequence[Segment], max_lines: int = 1) -> Segment | None:
    """The nearest segment under `seg` on a following line that shares its column."""
    for s in segs:
        if _close(seg, s, max_lines):
            return s
    return None


def above(seg: Segment, segs: Sequence[Segment], max_lines: int = 1) -> Segment | None:
    """The nearest segment over `seg` on a preceding line that shares its column."""
    best: Segment | None = None
    for s in segs:
        if _close(s, seg, max_lines) and (best is None or s.line_no > best.line_no):
            best = s
    return best


def median_height(segs: Sequence[Segment]) -> float:
    return float(statistics.median(s.height for s in segs)) if segs else 1.0


def has_phrase(toks: Sequence[str], phrases: frozenset[tuple[str, ...]]) -> bool:
    """True when any phrase (a tuple of folded tokens) occurs contiguously in toks."""
    for i in range(len(toks)):
        for p in phrases:
            if tuple(toks[i : i + len(p)]) == p:
                return True
    return False
