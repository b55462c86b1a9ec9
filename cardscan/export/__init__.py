"""Exports: a clean copy of the book for other tools, in a format chosen by name.

The book itself carries the user's layout; an export is a fresh file with one row per
person, our columns first, so it imports predictably into a CRM or address book.
Each exporter is a plain function(rows, path, *, columns=None) in EXPORTERS.
"""

from __future__ import annotations

from pathlib import Path

from cardscan.book import COLUMNS, Book
from cardscan.errors import BookError
from cardscan.export.common import Exporter
from cardscan.export.csv import write_csv
from cardscan.export.xlsx import write_xlsx

EXPORTERS: dict[str, Exporter] = {"csv": write_csv, "xlsx": write_xlsx}

__all__ = ["EXPORTERS", "Exporter", "export_book"]


def export_book(book: Book, to: Path, fmt: str) -> int:
    """Write the book's people to `to` as `fmt`; returns how many rows were written."""
    exporter = EXPORTERS.get(fmt.lower())
    if exporter is None:
        choices = ", ".join(sorted(EXPORTERS))
        raise ValueError(f"unknown export format {fmt!r}: choose one of {choices}")
    to = Path(to)
    if _same_file(to, book.file) or _same_file(to, book.path):
        raise BookError(
            f"cannot export onto the book itself ({to})",
            "choose another file name for the export",
        )
    if not to.parent.is_dir():
        raise BookError(
            f"the folder of the export file {to} does not exist",
            "create the folder, or choose another path",
        )
    # Blank spacer rows in the user's sheet are not people.
    rows = [row for row in book.rows() if any(v.strip() for v in row.values())]
    columns = [*COLUMNS, *book.user_columns]
    try:
        exporter(rows, to, columns=columns)
    except OSError as exc:
        raise BookError(
            f"cannot write the export {to} ({exc.strerror or exc})",
            "check free disk space and that you can write in that folder",
        ) from exc
    return len(rows)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False
