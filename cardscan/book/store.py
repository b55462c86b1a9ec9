"""The cell-level interface both book formats offer, and picking one by extension.

Book works on 0-based data rows (row 0 = the sheet's row 2) and 0-based columns, and
never sees openpyxl or csv: that keeps the merge rules identical for both formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from cardscan.book.cells import CellValue
from cardscan.book.limits import check_size
from cardscan.errors import BookError

SUPPORTED = (".xlsx", ".csv")


class Store(Protocol):
    def headers(self) -> list[str]:
        """Row 1 as text, one entry per column up to the last used column."""
        ...

    def row_count(self) -> int:
        """Data rows up to the last one holding any value."""
        ...

    def get(self, row: int, column: int) -> str: ...

    def set(self, row: int, column: int, value: CellValue) -> None: ...

    def append_text(self, row: int, column: int, text: str) -> None:
        """Add a line at the end of a cell, keeping what is there exactly as it is.

        Used only for the user's Notes: their line breaks and (in .xlsx) rich-text
        formatting survive, which get() + set() would flatten.
        """
        ...

    def append_row(self) -> int:
        """Index of a new empty data row below the last used one."""
        ...

    def add_column(self, header: str) -> int:
        """Index of a new column with this header, right of every used column."""
        ...

    def write(self, path: Path) -> None:
        """Write the whole book to `path` (a temp file; the caller swaps it in)."""
        ...


def check_type(path: Path) -> str:
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        shown = ext or "(no extension)"
        raise BookError(
            f"unsupported book type '{shown}'", f"use a .xlsx or .csv file instead of {path}"
        )
    return ext


def load_store(path: Path) -> Store:
    """The book at `path`; a missing or zero-byte file gives a new, empty book."""
    ext = check_type(path)
    from cardscan.book.csv_store import CsvStore
    from cardscan.book.xlsx_store import XlsxStore

    size = path.stat().st_size if path.exists() else 0
    fresh = size == 0
    check_size(path, size)  # before reading a byte: see cardscan.book.limits
    if ext == ".xlsx":
        return XlsxStore.new() if fresh else XlsxStore.load(path)
    return CsvStore.new() if fresh else CsvStore.load(path)
