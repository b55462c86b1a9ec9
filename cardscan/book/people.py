"""Finding the person a command means: `cardscan note "jane acme" ...`.

A PERSON argument is what someone types from memory: a name, part of one, a first
name, an email, a company, with or without accents and in any case. `resolve` turns
it into rows of the book:

1. An email address (the text has an @) matches the rows holding that address, else
   the rows whose emails contain the text ("jane@" finds jane@acme.example).
2. Otherwise every row gets a score, the best of:
   - its name: exact (after folding) 100; else rapidfuzz WRatio on folded text, so a
     first name, a family name, a typo or swapped words still find the person;
   - its company: exact 95 (a company is a weaker pointer than a name); else WRatio
     on the company without its legal form, capped at 90; one word of 4 letters or
     more against each word of the name by plain ratio, less 5, so a slip in a
     family name ("whitfeld") still finds it;
   - "name company" together ("jane acme"), by token_set_ratio;
   - an email's local part or domain equal to the text, 95.
   Rows from MATCH_AT (80) up are candidates.
3. The one best candidate wins when it is clearly ahead: nobody else within CLEAR_BY
   (8) points. Otherwise all close candidates are returned, and the command refuses
   with their list (no prompt: scripts must not hang). Two people at one company
   typed as the company are two candidates, by design.

Folding (`fold`) drops case and accents, so "Jose" finds "José" and "muller" "Müller".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

import cardscan.book.columns as col
from cardscan.book.cells import email_key, split_cell
from cardscan.book.matching import company_key
from cardscan.errors import PersonError

MATCH_AT = 80  # score (0-100) from which a row is a candidate
CLEAR_BY = 8  # the best candidate wins alone when the next is this many points behind
LISTED = 8  # candidates named in the error at most
TYPO_FROM = 4  # words this long or longer may carry a typo


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: how searches compare text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("ß", "ss").replace("ø", "o").replace("ł", "l").split())


@dataclass(frozen=True)
class Candidate:
    index: int  # 0-based data row (the sheet's row index + 2)
    score: float
    label: str  # "Jane Doe (Acme Ltd), row 4"


def label(row: Mapping[str, str], index: int) -> str:
    """A person as commands name them: "Priya Raman (Brightloop Labs), row 12"."""
    name = row.get(col.NAME, "").strip()
    company = row.get(col.COMPANY, "").strip()
    who = f"{name} ({company})" if name and company else name or company or "(no name)"
    return f"{who}, row {index + 2}"


def describe(row: Mapping[str, str], index: int) -> str:
    """A candidate in an error listing several: label() with the first email, which
    tells two people of the same name apart."""
    emails = split_cell(row.get(col.EMAILS, ""))
    who, _, where = label(row, index).rpartition(", ")
    return ", ".join([who, *emails[:1], where])


def score(row: Mapping[str, str], query: str) -> float:
    """How well `query` (already folded) points at this row, 0-100."""
    name = fold(row.get(col.NAME, ""))
    company = fold(row.get(col.COMPANY, ""))
    best = 0.0
    if name:
        best = 100.0 if name == query else max(best, fuzz.WRatio(query, name))
        if len(query) >= TYPO_FROM and " " not in query:
            # One word typed with a slip ("whitfeld"): compare it with each word of the
            # name, a little below an exact word.
            words = [w for w in name.replace("-", " ").split() if len(w) >= TYPO_FROM]
            best = max([best, *(fuzz.ratio(query, w) - 5 for w in words)])
    if company:
        if company == query or company_key(company) == company_key(query):
            best = max(best, 95.0)
        else:
            best = max(best, min(90.0, fuzz.WRatio(company_key(query), company_key(company))))
    if name and company:
        best = max(best, fuzz.token_set_ratio(query, f"{name} {company}") - 2)
    for email in split_cell(row.get(col.EMAILS, "")):
        local, _, domain = email_key(email).partition("@")
        if query in (local, domain, domain.rsplit(".", 1)[0]):
            best = max(best, 95.0)
    return best


def candidates(rows: Sequence[Mapping[str, str]], query: str) -> list[Candidate]:
    """Rows `query` may mean, best first (empty when nobody is close)."""
    text = query.strip()
    if not text:
        return []
    if "@" in text:
        key = email_key(text)
        exact = [i for i, r in enumerate(rows) if key in map(email_key, _emails(r))]
        found = exact or [
            i for i, r in enumerate(rows) if any(key in email_key(e) for e in _emails(r))
        ]
        return [Candidate(i, 100.0, describe(rows[i], i)) for i in found]
    folded = fold(text)
    scored = [(score(r, folded), i) for i, r in enumerate(rows) if _is_person_row(r)]
    ranked = sorted(((s, i) for s, i in scored if s >= MATCH_AT), key=lambda p: (-p[0], p[1]))
    return [Candidate(i, s, describe(rows[i], i)) for s, i in ranked]


def resolve(rows: Sequence[Mapping[str, str]], query: str, book: object) -> int:
    """The one row `query` means, else PersonError naming the candidates or saying none."""
    found = candidates(rows, query)
    if not found:
        raise PersonError(
            f"nobody in {book} matches '{query}'",
            "check the spelling, or use their email address or company "
            "(`cardscan find` searches every column)",
        )
    if len(found) == 1 or found[0].score - found[1].score >= CLEAR_BY:
        return found[0].index
    close = [c for c in found if found[0].score - c.score < CLEAR_BY]
    listed = "; ".join(c.label for c in close[:LISTED])
    more = f" and {len(close) - LISTED} more" if len(close) > LISTED else ""
    raise PersonError(
        f"'{query}' matches {len(close)} people in {book}: {listed}{more}",
        "say which one: use a fuller name, or their email address",
    )


def _emails(row: Mapping[str, str]) -> list[str]:
    return split_cell(row.get(col.EMAILS, ""))


def _is_person_row(row: Mapping[str, str]) -> bool:
    return any(row.get(c, "").strip() for c in (col.NAME, col.COMPANY, col.EMAILS))
