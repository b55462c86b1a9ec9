"""What every exporter shares: the function shape, the column order, and reading a row.

A row is the book's own text (Book.rows()): multi-value cells hold "; "-separated
values, dates are ISO text, user columns come under their own headers. The helpers
here turn that text into the pieces a contact format needs, the same way for every
format, so a vCard and a Google CSV never disagree about who a person is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from nameparser import HumanName

from cardscan.book import COLUMNS
from cardscan.book import columns as col
from cardscan.book.cells import parse_social, split_cell
from cardscan.book.people import fold

# The phone columns with the kind each stands for, in the order exports list them.
PHONE_KINDS: tuple[tuple[str, str], ...] = (
    (col.MOBILE, "mobile"),
    (col.WORK_PHONE, "work"),
    (col.FAX, "fax"),
    (col.OTHER_PHONES, "other"),
)

# What a person may type in Needs review to clear the flag; anything else keeps it.
NOT_FLAGGED = frozenset({"", "no", "n", "false", "0"})

NO_NAME = "(no name)"

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class Exporter(Protocol):
    def __call__(
        self, rows: list[dict[str, str]], path: Path, *, columns: Sequence[str] | None = None
    ) -> None: ...


def column_order(rows: list[dict[str, str]], columns: Sequence[str] | None) -> list[str]:
    """All our columns, then the user's in the order they first appear.

    `columns` (from the book) keeps the user's headers even when no row has a value.
    """
    order: list[str] = []
    seen: set[str] = set()
    for key in [*(columns or COLUMNS), *(k for row in rows for k in row)]:
        if key not in seen:
            seen.add(key)
            order.append(key)
    return [*COLUMNS, *(c for c in order if c not in set(COLUMNS))]


def text(row: dict[str, str], key: str) -> str:
    return row.get(key, "").strip()


def values(row: dict[str, str], key: str) -> list[str]:
    """The values of a multi-value cell ("a@x.example; b@y.example")."""
    return split_cell(row.get(key, ""))


def events(row: dict[str, str]) -> list[str]:
    return values(row, col.EVENT)


def places(row: dict[str, str]) -> list[str]:
    """Where at the events the person was met (booth, table, city): the Where column."""
    return values(row, col.WHERE)


def where_line(row: dict[str, str]) -> str:
    """The Where column as a line for a format with no field for it (a note), or "".

    "Where met: booth 12; Hall B".
    """
    found = places(row)
    return f"Where met: {'; '.join(found)}" if found else ""


def tags(row: dict[str, str]) -> list[str]:
    """The user's tags: people separate them with ';' or ','."""
    return [t.strip() for t in re.split(r"[;,]", row.get(col.TAGS, "")) if t.strip()]


def labels(row: dict[str, str]) -> list[str]:
    """Events, then tags, each once (ignoring case): the groups an address book files under."""
    out: list[str] = []
    seen: set[str] = set()
    for label in [*events(row), *tags(row)]:
        if label.casefold() not in seen:
            seen.add(label.casefold())
            out.append(label)
    return out


def phones(row: dict[str, str]) -> list[tuple[str, str]]:
    """(kind, number) for every phone in the row: mobile, work, fax, other."""
    return [(kind, number) for column, kind in PHONE_KINDS for number in values(row, column)]


def social(row: dict[str, str]) -> list[tuple[str, str]]:
    """(network, handle) pairs; a part written without "network:" has network ""."""
    return [
        (network, handle) if handle else ("", network)
        for network, handle in parse_social(row.get(col.SOCIAL, "")).items()
    ]


@dataclass(frozen=True)
class NameParts:
    """A person's name in the five slots address books have (vCard's N order aside)."""

    prefix: str = ""  # honorifics: "Dr.", "Prof. Dr."
    given: str = ""
    middle: str = ""  # every word between the given and the family name
    family: str = ""
    suffix: str = ""  # degrees and generations: "PhD", "Jr."


def name_parts(row: dict[str, str]) -> NameParts:
    """The name split into prefix, given, middle, family and suffix.

    The book's Given name and Family name columns are the given and family name as
    they are (ingest, a correction or the user set them: an export never disagrees
    with the sheet); the Name column, which keeps the card's honorifics and degrees
    ("Dr. Ana María López García, PhD"), gives the prefix and suffix (nameparser), and
    the middle name is what the Name holds between the given and the family name
    ("María" when Family name is "López García", "María López" when it is "García").
    When Name does not start with the given name and end with the family name (one
    of them was edited), there is no middle name rather than a wrong one.

    A row typed by hand with only a Name is split by nameparser; a single word is
    the given name, or the family name after an honorific ("Dr. Smith").
    """
    name = text(row, col.NAME)
    given, family = text(row, col.GIVEN_NAME), text(row, col.FAMILY_NAME)
    if not name:
        return NameParts(given=given, family=family)
    human = HumanName(name)
    prefix, suffix = str(human.title), str(human.suffix)
    if not (given or family):
        first, middle, last = str(human.first), str(human.middle), str(human.last)
        if not (first and last):
            word = first or last or name
            return NameParts(prefix, "" if prefix else word, "", word if prefix else "", suffix)
        return NameParts(prefix, first, middle, last, suffix)
    core = _core_words(name, prefix, suffix)
    g, f = given.split(), family.split()
    inner = core[len(g) : len(core) - len(f)]
    fits = (
        len(core) > len(g) + len(f)
        and _folded(core[: len(g)]) == _folded(g)
        and _folded(core[len(core) - len(f) :]) == _folded(f)
    )
    return NameParts(prefix, given, " ".join(inner) if fits else "", family, suffix)


def _core_words(name: str, prefix: str, suffix: str) -> list[str]:
    """The words of `name` without its prefix and suffix words, commas dropped."""
    words = [w for w in (w.strip(",") for w in name.replace(",", ", ").split()) if w]
    head, tail = prefix.replace(",", " ").split(), suffix.replace(",", " ").split()
    start = len(head) if _folded(words[: len(head)]) == _folded(head) else 0
    end = len(words)
    if tail and _folded(words[end - len(tail) :]) == _folded(tail):
        end -= len(tail)
    return words[start:end]


def _folded(words: Sequence[str]) -> list[str]:
    return [fold(w.strip(".,")) for w in words]


def is_organisation(row: dict[str, str]) -> bool:
    """A card without a person (a shop's, a firm's): a company, and no name at all.

    Address books show such a contact as the company (vCard KIND:org, Apple's
    X-ABShowAs:COMPANY), not as a person with an empty name.
    """
    names = (col.NAME, col.GIVEN_NAME, col.FAMILY_NAME)
    return bool(text(row, col.COMPANY)) and not any(text(row, c) for c in names)


def display_name(row: dict[str, str]) -> str:
    """What an address book shows as the contact: the name, else the company, else contact data."""
    parts = name_parts(row)
    emails = values(row, col.EMAILS)
    numbers = [number for _, number in phones(row)]
    for candidate in (
        text(row, col.NAME),
        " ".join(p for p in (parts.given, parts.family) if p),
        text(row, col.COMPANY),
        *emails[:1],
        *numbers[:1],
    ):
        if candidate:
            return candidate
    return NO_NAME


def web_link(url: str) -> str:
    """A website as a link: "www.firma.example" -> "https://www.firma.example"."""
    url = url.strip()
    return url if _SCHEME.match(url) else f"https://{url}"


_WEB_PAGE = re.compile(r"(?i)https?://[^@/\s]+(?:/\S*)?")


def web_page(url: str) -> str | None:
    """The website as a link a program may open, or None when it is not a web page.

    Only http and https: a "file:", "smb:" or "javascript:" address typed into the book
    (or left there by an older version, or in a book someone sent) would open a local
    file, leak the user's Windows login or run script when clicked in a contacts app or
    a spreadsheet. Such text is still exported, as text, where the format has room.
    """
    link = web_link(url)
    return link if _WEB_PAGE.fullmatch(link) else None


def flagged(row: dict[str, str]) -> bool:
    """Whether the row is marked for review (the book writes "yes"; people may type "no")."""
    return text(row, col.NEEDS_REVIEW).casefold() not in NOT_FLAGGED
