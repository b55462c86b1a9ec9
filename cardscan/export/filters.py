"""Which of the book's people an export includes: --event, --since, --needs-review.

Filters combine (a person must pass all of them). They read the book's text the way a
person reads the sheet: an event matches ignoring case and spacing, against each event
in a multi-event cell; "since" compares the Met on date; "needs review" is any mark in
the Needs review column other than an explicit no.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cardscan.book import columns as col
from cardscan.book.cells import parse_date, same_text
from cardscan.export.common import events, flagged, text


@dataclass(frozen=True)
class RowFilter:
    event: str | None = None
    since: date | None = None
    needs_review: bool = False

    @property
    def active(self) -> bool:
        return bool(self.event is not None or self.since is not None or self.needs_review)

    def matches(self, row: dict[str, str]) -> bool:
        if self.event is not None and not any(same_text(e, self.event) for e in events(row)):
            return False
        if self.since is not None:
            met = met_on(row)
            if met is None or met < self.since:
                return False
        return not self.needs_review or flagged(row)

    def describe(self) -> str:
        """The filters as they were typed, for messages: `--event "Expo" --since 2024-05-01`."""
        parts: list[str] = []
        if self.event is not None:
            parts.append(f'--event "{self.event}"')
        if self.since is not None:
            parts.append(f"--since {self.since.isoformat()}")
        if self.needs_review:
            parts.append("--needs-review")
        return " ".join(parts)


def met_on(row: dict[str, str]) -> date | None:
    """The Met on date, or None when the cell is empty or not a YYYY-MM-DD date."""
    return parse_date(text(row, col.MET_ON))
