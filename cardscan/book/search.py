"""Searching the book: `cardscan find QUERY`.

Where `book.people.resolve` must pick one person, a search lists everyone a query
could be about, best first, and says which cells matched. Every column is searched,
cardscan's and the user's own, after folding (no case, no accents: "ines" finds
"Inês"). A cell scores, best of:

- EXACT (100): the whole cell is the query;
- WORD_START (90): the query is in the cell, starting a word ("loop labs" in
  "Brightloop Labs" does not start one, "bright" does);
- ALL_WORDS (85): every word of a query of several words starts a word of the cell,
  in any order ("mixer chicago" in "Chicago Tech Mixer");
- INSIDE (75): the query is in the cell, inside a word ("loop" in "Brightloop"),
  except in Card IDs, where only the start of an id counts (a few hex digits are
  inside some photo's hash by chance);
- in the name columns only (Name, Given name, Family name), a typo: every query word
  of FUZZY_MIN_LENGTH (4) letters or more is within rapidfuzz ratio FUZZY_AT (80) of a
  word of the name ("whitfeld" finds Whitfield); the score is 0.9 x their mean ratio,
  so a typo ranks below the name written right;
- in the phone columns, a query of DIGITS_MIN (4) digits or more (spaces, dashes,
  dots, brackets and + ignored) found among the cell's digits, as WORD_START:
  "512 555 0178" finds "+1 512-555-0178".

A row's score is its best cell's. A query of several words that no single cell holds
still finds a row whose cells hold every word between them ("priya brightloop"), at
SPREAD (80). Rows are returned best first, then in sheet order; blank rows are never
returned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

import cardscan.book.columns as col
from cardscan.book.people import fold

EXACT = 100.0
WORD_START = 90.0
ALL_WORDS = 85.0
SPREAD = 80.0
INSIDE = 75.0
FUZZY_AT = 80.0  # rapidfuzz ratio from which a query word matches a name word
FUZZY_WEIGHT = 0.9  # a typo ranks below the same name written right
FUZZY_MIN_LENGTH = 4  # shorter query words are too ambiguous to match with a typo
DIGITS_MIN = 4

NAME_COLUMNS: tuple[str, ...] = (col.NAME, col.GIVEN_NAME, col.FAMILY_NAME)
# Matched only where a word starts: card ids, and Review reasons, cardscan's own
# sentences ("ines" is in "lines of the card", which is no hint of Inês).
PREFIX_ONLY: frozenset[str] = frozenset({col.CARD_IDS, col.REVIEW_REASONS})

_WORD = re.compile(r"\w+")
_PHONE_QUERY = re.compile(r"[\d\s()+./-]+")


@dataclass(frozen=True)
class Hit:
    index: int  # 0-based data row (its sheet row is index + 2)
    score: float  # 0-100, the best matching cell's
    matched: dict[str, float]  # column -> score, best first

    @property
    def sheet_row(self) -> int:
        """The row number a spreadsheet program shows (the header is row 1)."""
        return self.index + 2


def column_named(columns: Sequence[str], name: str) -> str | None:
    """The column among `columns` whose header is `name`, ignoring case and spacing."""
    wanted = col.header_key(name)
    return next((c for c in columns if col.header_key(c) == wanted), None)


def search(rows: Sequence[Mapping[str, str]], query: str, *, field: str | None = None) -> list[Hit]:
    """Rows matching `query`, best first; only column `field` when given (a row key)."""
    q = fold(query)
    if not q:
        return []
    words = _words(q)
    digits = _digits(query)
    hits: list[Hit] = []
    for index, row in enumerate(rows):
        if not any(value.strip() for value in row.values()):
            continue
        cells = {field: row.get(field, "")} if field is not None else row
        matched: dict[str, float] = {}
        for column, text in cells.items():
            found = cell_score(column, text, q, words, digits)
            if found:
                matched[column] = found
        if not matched and len(words) > 1 and field is None:
            matched = _spread(cells, words)
        if matched:
            ranked = dict(sorted(matched.items(), key=lambda item: -item[1]))
            hits.append(Hit(index, max(ranked.values()), ranked))
    return sorted(hits, key=lambda hit: (-hit.score, hit.index))


def cell_score(
    column: str,
    text: str,
    query: str,
    words: Sequence[str] | None = None,
    digits: str | None = None,
) -> float:
    """How well the folded `query` matches one cell (0 when it does not); see above."""
    cell = fold(text)
    if not cell or not query:
        return 0.0
    words = _words(query) if words is None else words
    digits = _digits(query) if digits is None else digits
    if cell == query:
        return EXACT
    best = 0.0
    if _has_word_start(cell, query):
        best = WORD_START
    elif query in cell and column not in PREFIX_ONLY:
        best = INSIDE
    if best < ALL_WORDS and len(words) > 1 and all(_has_word_start(cell, w) for w in words):
        best = ALL_WORDS
    phone = bool(digits) and column in col.PHONE_COLUMNS
    if best < WORD_START and phone and digits in _digits(text, minimum=1):
        best = WORD_START
    if best < WORD_START and column in NAME_COLUMNS:
        best = max(best, _typo_score(cell, words))
    return best


def _spread(cells: Mapping[str, str], words: Sequence[str]) -> dict[str, float]:
    """The columns that between them hold every query word (see _holds); {} when some
    word is in no cell."""
    matched: dict[str, float] = {}
    for word in words:
        holding = [column for column, text in cells.items() if _holds(column, text, word)]
        if not holding:
            return {}
        matched.update(dict.fromkeys(holding, SPREAD))
    return matched


def _holds(column: str, text: str, word: str) -> bool:
    """Whether a cell holds a query word: starting one of its words, or in a name
    column as a typo of one."""
    cell = fold(text)
    if _has_word_start(cell, word):
        return True
    return column in NAME_COLUMNS and _typo_score(cell, [word]) > 0


def _typo_score(cell: str, words: Sequence[str]) -> float:
    """FUZZY_WEIGHT x the mean ratio of each query word to its closest word of the
    cell, when every query word is long enough and close enough; else 0."""
    if not words or any(len(w) < FUZZY_MIN_LENGTH for w in words):
        return 0.0
    cell_words = _words(cell)
    if not cell_words:
        return 0.0
    ratios = [max(fuzz.ratio(w, c) for c in cell_words) for w in words]
    if min(ratios) < FUZZY_AT:
        return 0.0
    return FUZZY_WEIGHT * sum(ratios) / len(ratios)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _starts_word(cell: str, at: int, query: str) -> bool:
    """Whether `query` found at `at` begins a word (or begins with a non-word mark)."""
    return at == 0 or not cell[at - 1].isalnum() or not query[0].isalnum()


def _has_word_start(cell: str, word: str) -> bool:
    found = re.finditer(f"(?={re.escape(word)})", cell)  # overlapping occurrences too
    return any(_starts_word(cell, m.start(), word) for m in found)


def _digits(text: str, minimum: int = DIGITS_MIN) -> str:
    """The digits of `text` when it reads as a phone number (or part of one), else ""."""
    if minimum > 1 and not _PHONE_QUERY.fullmatch(text.strip()):
        return ""
    found = re.sub(r"\D", "", text)
    return found if len(found) >= minimum else ""
