"""The contacts book: the user's own spreadsheet that cardscan merges cards into.

with Book.open(path) as book:
    outcome = book.add_card(result, event="WebSummit", met_on=day, scanned_at=now)
    book.save()
"""

from __future__ import annotations

from cardscan.book.columns import COLUMNS
from cardscan.book.core import Action, Book, MergeOutcome

__all__ = ["COLUMNS", "Action", "Book", "MergeOutcome"]
