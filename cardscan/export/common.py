"""What every exporter shares: the function shape, the column order, and reading a row.

A row is the book's own text (Book.rows()): multi-value cells hold "; "-separated
values, dates are ISO text, user columns come under their own headers. The helpers
here turn that text into the pieces a contact format needs, the same way for every
format, so a vCard and a Google CSV never disagree about who a person is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from nameparser import HumanName

from cardscan.book import COLUMNS
from cardscan.book import columns as col
from cardscan.book.cells import parse_social, split_cell

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


def name_parts(row: dict[str, str]) -> tuple[str, str]:
    """(given, family): the book's own columns, else the full name split by nameparser.

    People add contacts by hand with only a Name; an address book still wants it split.
    A single word is taken as the given name.
    """
    given, family = text(row, col.GIVEN_NAME), text(row, col.FAMILY_NAME)
    if given or family:
        return given, family
    name = text(row, col.NAME)
    if not name:
        return "", ""
    human = HumanName(name)
    first = " ".join(p for p in (human.first, human.middle) if p)
    last = " ".join(p for p in (human.last, human.suffix) if p)
    if not first or not last:
        return name, ""
    return first, last


def display_name(row: dict[str, str]) -> str:
    """What an address book shows as the contact: the name, else the company, else contact data."""
    given, family = name_parts(row)
    emails = values(row, col.EMAILS)
    numbers = [number for _, number in phones(row)]
    for candidate in (
        text(row, col.NAME),
        " ".join(p for p in (given, family) if p),
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


def flagged(row: dict[str, str]) -> bool:
    """Whether the row is marked for review (the book writes "yes"; people may type "no")."""
    return text(row, col.NEEDS_REVIEW).casefold() not in NOT_FLAGGED
