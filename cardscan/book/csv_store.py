"""A .csv book, read and written with the csv module in the user's own dialect.

People keep CSV books because some other tool reads them, so the file must come back
as that tool expects: same delimiter, encoding, byte-order mark, line endings, column
order and extra columns. Only the cells cardscan owns change.

Every cell cardscan writes goes through cardscan.formulas.defuse (a leading apostrophe
before text a spreadsheet would run, such as a name "=HYPERLINK(...)" from a QR code),
and every cell read comes back through undefuse, so the rest of cardscan sees the text
as it was read from the card. Cells cardscan does not write keep their bytes.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from cardscan.book import columns as col
from cardscan.book.cells import CellValue, clean, clean_note, format_date, format_datetime
from cardscan.errors import BookError
from cardscan.formulas import defuse, undefuse

DELIMITERS = ",;\t"
_BOM = b"\xef\xbb\xbf"


class CsvStore:
    def __init__(
        self,
        table: list[list[str]],
        *,
        delimiter: str = ",",
        encoding: str = "utf-8",
        bom: bool = True,
        newline: str = "\r\n",
    ) -> None:
        self.table = table or [[]]  # table[0] is the header row
        self.delimiter = delimiter
        self.encoding = encoding
        self.bom = bom
        self.newline = newline

    @classmethod
    def new(cls) -> CsvStore:
        """UTF-8 with a BOM, so Excel shows accented names correctly."""
        return cls([list(col.COLUMNS)])

    @classmethod
    def load(cls, path: Path) -> CsvStore:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise BookError(
                f"cannot read the book {path} ({exc.strerror})", "check the file's permissions"
            ) from exc
        if b"\0" in raw[:4096]:
            hint = " (an .xlsx renamed to .csv?)" if raw.startswith(b"PK") else ""
            raise BookError(
                f"the book {path} is not a text CSV file{hint}",
                "give the file its real extension, or choose another book file; "
                "cardscan has not changed it",
            )
        bom = raw.startswith(_BOM)
        text, encoding = _decode(raw[len(_BOM) :] if bom else raw, path)
        first_line = text.split("\n", 1)[0]
        delimiter = max(DELIMITERS, key=first_line.count) if first_line else ","
        if first_line.count(delimiter) == 0:
            delimiter = ","
        newline = "\r\n" if "\r\n" in text or "\n" not in text else "\n"
        try:
            table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            raise BookError(
                f"cannot read the book {path} as CSV ({exc})",
                "fix the file in a spreadsheet program, or choose another book file",
            ) from exc
        while table and not any(cell.strip() for cell in table[-1]):
            table.pop()  # trailing blank lines are not rows
        return cls(table, delimiter=delimiter, encoding=encoding, bom=bom, newline=newline)

    # --- Store ---------------------------------------------------------------------

    def headers(self) -> list[str]:
        width = max(len(row) for row in self.table)
        header = self.table[0]
        return [undefuse(c.strip()).strip() for c in header] + [""] * (width - len(header))

    def row_count(self) -> int:
        return len(self.table) - 1

    def get(self, row: int, column: int) -> str:
        cells = self.table[row + 1]
        return undefuse(cells[column].strip()).strip() if column < len(cells) else ""

    def set(self, row: int, column: int, value: CellValue) -> None:
        cells = self.table[row + 1]
        if len(cells) <= column:
            cells.extend([""] * (column + 1 - len(cells)))
        cells[column] = defuse(_text(value))

    def append_text(self, row: int, column: int, text: str) -> None:
        cells = self.table[row + 1]
        if len(cells) <= column:
            cells.extend([""] * (column + 1 - len(cells)))
        old = undefuse(cells[column].rstrip())
        line = clean_note(text)
        # Only the cell's start decides whether it runs: the user's text is kept and
        # the whole cell defused again (a note under a "=..." line gets the apostrophe).
        cells[column] = defuse(f"{old}\n{line}" if old else line)

    def append_row(self) -> int:
        self.table.append([])
        return len(self.table) - 2

    def add_column(self, header: str) -> int:
        column = len(self.headers())
        header_row = self.table[0]
        header_row.extend([""] * (column + 1 - len(header_row)))
        header_row[column] = defuse(header)
        return column

    def write(self, path: Path) -> None:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline)
        width = len(self.headers())  # every row as wide as the header: tools expect it
        writer.writerows(row + [""] * (width - len(row)) for row in self.table)
        text = buffer.getvalue()
        try:
            data = text.encode(self.encoding)
        except UnicodeEncodeError:
            # A name the old encoding cannot hold: UTF-8 with a BOM keeps it and still
            # opens correctly in Excel; losing the name would be worse.
            self.encoding, self.bom = "utf-8", True
            data = text.encode(self.encoding)
        path.write_bytes((_BOM if self.bom else b"") + data)


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise BookError(
        f"cannot read the book {path}: it is neither UTF-8 nor Windows-1252 text",
        "save it from your spreadsheet program as CSV UTF-8",
    )


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone() if value.tzinfo else value
        return format_datetime(local)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int):
        return str(value)
    return clean(value)
