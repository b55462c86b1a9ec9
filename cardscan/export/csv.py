"""CSV export: UTF-8 with a BOM (so Excel shows accents right), comma-separated.

Values are written as text, each through cardscan.formulas.defuse, the one rule for
every CSV cardscan writes: a value a spreadsheet would run as a formula ("=...",
"@...", "+cmd|...") gets a leading apostrophe, so a card or a note cannot execute
anything when the export is opened; phone numbers like "+44 20 7946 0958" and negative
numbers are left as they are. The Google and Outlook exports write through write_table
too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from cardscan.book.safety import atomic_write
from cardscan.export.common import column_order
from cardscan.formulas import defuse


def write_csv(
    rows: list[dict[str, str]], path: Path, *, columns: Sequence[str] | None = None
) -> None:
    header = column_order(rows, columns)
    write_table(path, header, ([row.get(key, "") for key in header] for row in rows))


def write_table(
    path: Path, header: Sequence[str], table: Iterable[Sequence[str]], *, bom: bool = True
) -> None:
    """A header and rows as CSV (CRLF, every cell defused), written atomically.

    UTF-8 with a BOM unless `bom` is false (for importers that do not expect one).
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(defuse(name) for name in header)  # a user's column may be named "=..."
    for cells in table:
        writer.writerow(defuse(value) for value in cells)
    data = buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")
    atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))
