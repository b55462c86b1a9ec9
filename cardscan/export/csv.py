"""CSV export: UTF-8 with a BOM (so Excel shows accents right), comma-separated.

Values are written as text. A value that a spreadsheet would run as a formula
("=...", "@...", "+"/"-" followed by more than a phone number's characters) gets a
leading apostrophe: a card or a note must not be able to execute anything when the
export is opened. Phone numbers like "+44 20 7946 0958" are left as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from cardscan.book.safety import atomic_write
from cardscan.export.common import column_order

_PHONE_LIKE = re.compile(r"[+\-]?[\d\s().\-/;+]*(?:ext\.?\s*\d+[\d\s().\-/;+]*)*", re.IGNORECASE)


def csv_safe(value: str) -> str:
    """The value, defused if a spreadsheet would treat it as a formula."""
    if not value:
        return value
    first = value[0]
    if first in "=@\t\r" or (first in "+-" and not _PHONE_LIKE.fullmatch(value)):
        return "'" + value
    return value


def write_csv(
    rows: list[dict[str, str]], path: Path, *, columns: Sequence[str] | None = None
) -> None:
    header = column_order(rows, columns)
    write_table(path, header, ([row.get(key, "") for key in header] for row in rows))


def write_table(
    path: Path, header: Sequence[str], table: Iterable[Sequence[str]], *, bom: bool = True
) -> None:
    """A header and rows as CSV (CRLF, values defused by csv_safe), written atomically.

    UTF-8 with a BOM unless `bom` is false (for importers that do not expect one).
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for cells in table:
        writer.writerow(csv_safe(value) for value in cells)
    data = buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")
    atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))
