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

import cardscan.book.columns as col
from cardscan.book.cells import CellValue, clean, clean_note, format_date, format_datetime
from cardscan.book.limits import check_extent
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
        table = _parse(text, delimiter, path)
        while table and not any(cell.strip() for cell in table[-1]):
            table.pop()  # trailing blank lines are not rows
        store = cls(table, delimiter=delimiter, encoding=encoding, bom=bom, newline=newline)
        check_extent(path, store.row_count(), store.headers)
        return store

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


_CSV_FIX = (
    'close the quote (a quote inside a quoted cell is written twice: ""), or open the '
    "file in a spreadsheet program and save it again as CSV; cardscan has not changed it"
)


def _parse(text: str, delimiter: str, path: Path) -> list[list[str]]:
    """The rows of a CSV book; BookError naming the line when it does not parse cleanly.

    A book that parses wrongly would be written back wrongly, so doubt is refusal.
    `strict` makes the csv module fail where it would otherwise guess: a quote left open
    at the end of the file (it would swallow every row after it into one cell) and a
    stray quote after a quoted cell. A quote left open that a later quote happens to
    close is caught by its shape (_swallowed): quoted cells with line breaks are fine
    (Notes have them), but not a record whose cell count no one-line row has, nor a
    cell holding a line that is a whole row of the book.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: list[list[str]] = []
    spanning: list[tuple[int, int]] = []  # (index in table, its first line)
    last_line = 0
    try:
        for row in reader:
            first, last_line = last_line + 1, reader.line_num
            if last_line > first:
                spanning.append((len(table), first))
            table.append(row)
    except csv.Error as exc:
        raise BookError(
            f"cannot read the book {path} as CSV: {_problem(str(exc), last_line + 1)}",
            _CSV_FIX,
        ) from exc
    if spanning:
        multiline = {index for index, _ in spanning}
        widths = {len(row) for i, row in enumerate(table) if row and i not in multiline}
        for index, first in spanning:
            why = _swallowed(table[index], first, widths, len(table[0]), delimiter)
            if why:
                raise BookError(f"cannot read the book {path} as CSV: {why}", _CSV_FIX)
    return table


def _swallowed(row: list[str], first: int, widths: set[int], header: int, delimiter: str) -> str:
    """Why the record `row` (starting on line `first`) looks like rows swallowed by a
    quote left open, or "" when it looks like a row whose cells hold line breaks."""
    if len(row) not in widths:
        return (
            f"the row starting on line {first} runs over several lines and has {len(row)} "
            f"cells, where the header has {header}: a quote opened on line {first} is "
            "probably not closed where it should be"
        )
    # A whole row of the book inside a cell: as many delimiters as a row has, less one.
    # Only for books of 4 columns or more, where no note line has that many by chance.
    enough = header - 1
    line = first
    for cell in row:
        for number, text in enumerate(cell.splitlines()):
            if number and enough >= 3 and text.count(delimiter) >= enough:
                return (
                    f"line {line + number} reads as a whole row inside a cell of the row "
                    f"starting on line {first}: a quote opened there is probably not closed "
                    "where it should be"
                )
        line += cell.count("\n")
    return ""


def _problem(error: str, line: int) -> str:
    """The csv module's complaint, said for a person, with the line it starts on."""
    if "unexpected end of data" in error:
        return f"a quote opened on line {line} is never closed"
    if "field larger than field limit" in error:
        return (
            f"the row starting on line {line} has a cell over {csv.field_size_limit():,} "
            "characters (a quote that is never closed?)"
        )
    if "expected after" in error:
        return f"line {line} and after: a quote ends a cell but the cell goes on ({error})"
    return f"the row starting on line {line}: {error}"


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
