"""Reading the Notes column back: the user's own lines, apart from cardscan's.

Notes hold one line per note. The user's look like "2026-12-02: two kids, loves
fishing" (`cardscan note` dates them) or anything typed in the sheet by hand. The
only lines cardscan writes itself come from ingest when a card shows a new title or
company: "2026-11-28, Design Week: card b.jpg has a new title: CEO (the Title column
still says CTO)" (cardscan.book.merge). Those are news for the user, not things the
person said, so follow-up emails and introductions leave them out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import cardscan.book.columns as col

# "2026-12-02: ", "2026-12-02, Design Week: ", "2026-12-02 - ": a date that starts a line.
_DATED = re.compile(r"^\s*\d{4}-\d{2}-\d{2}(?:,[^:\n]{0,120})?\s*[:\-–]\s*")

# What merge.merge_row appends: "<date>[, <event>]: card <photo> has a new <label>: <value>
# (the <Column> column still says <old>)".
_AUTO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:, .*)?: card .+ has a new [a-z ]+: .* "
    r"\(the [A-Za-z ]+ column still says .*\)$"
)


def lines(row: Mapping[str, str]) -> list[str]:
    """Every non-blank line of the row's Notes, in the order they were added."""
    return [line.strip() for line in row.get(col.NOTES, "").splitlines() if line.strip()]


def is_auto_note(line: str) -> bool:
    """Whether cardscan wrote this line itself (ingest: a card with a new title, company
    or department)."""
    return bool(_AUTO.match(line.strip()))


def undated(line: str) -> str:
    """The note without the date (and event) it starts with."""
    return _DATED.sub("", line.strip(), count=1).strip()


def user_notes(row: Mapping[str, str]) -> list[str]:
    """The user's own notes about the person, oldest first, without their dates."""
    out = []
    for line in lines(row):
        if is_auto_note(line):
            continue
        text = undated(line)
        if text:
            out.append(text)
    return out


def latest_note(row: Mapping[str, str]) -> str:
    """The user's most recent note about the person (the last line added), or ""."""
    notes = user_notes(row)
    return notes[-1] if notes else ""
