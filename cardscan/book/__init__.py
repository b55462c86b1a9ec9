"""The contacts book: the user's own spreadsheet that cardscan merges cards into.

with Book.open(path) as book:
    outcome = book.add_card(result, event="WebSummit", met_on=day, scanned_at=now)
    book.save()

The names below are imported on first use (PEP 562): reading a card needs a few of the
book's small modules (cardscan.book.cells: how emails and websites compare), and
importing the package must not pull in the whole book with openpyxl (0.15-0.2 s of
`cardscan rescan`'s start).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cardscan.book.columns import COLUMNS
    from cardscan.book.core import Action, Book, MergeOutcome

__all__ = ["COLUMNS", "Action", "Book", "MergeOutcome"]

_HOMES = {
    "COLUMNS": "cardscan.book.columns",
    "Action": "cardscan.book.core",
    "Book": "cardscan.book.core",
    "MergeOutcome": "cardscan.book.core",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
