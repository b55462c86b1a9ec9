"""What every exporter shares: the function shape and the column order."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from cardscan.book import COLUMNS


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
