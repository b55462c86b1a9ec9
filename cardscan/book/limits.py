"""How big a book cardscan reads, checked before a parser is let at the file.

Anyone can send a spreadsheet, and a book file is parsed whole: openpyxl builds every
cell of every sheet (read_only mode cannot be used, the book is edited in place), the
csv module every row. So the file is measured first and refused (BookError, exit 7,
the file untouched) when parsing it would take more than the largest real book does.

The limits, and why:
- A contacts book is a list of people. 100,000 rows is a very large one (a whole
  career of cards and imports) and must open: with every cardscan column filled it has
  2.8 million cells, a 213 MB sheet inside a 10 MB .xlsx; openpyxl takes 45 s and 1.4 GB
  for it, `cardscan find` two minutes and 1.7 GB (measured 2026-12-06). The limits sit
  above that and far below what costs more: MAX_ROWS rows, MAX_COLUMNS columns (cardscan's
  own included), MAX_CELLS cells.
- .xlsx is a zip of XML parts. Before openpyxl reads it, from the zip's own directory:
  at most MAX_PARTS parts, each at most MAX_PART_BYTES unpacked and all of them
  MAX_UNPACKED_BYTES; a part over 1 MB may not unpack to more than MAX_RATIO times its
  packed size (spreadsheets measure 14-30x; a zip bomb 1000x). Python's zipfile never
  unpacks more than a part declares, so these bound what openpyxl can be fed.
- Then the parts are unpacked once, in pieces, and counted (1-2 s for the
  100,000-row book): XML tags (MAX_TAGS), cells (`<c>` elements) and the cells
  openpyxl would create for merged and hyperlinked ranges ("A1:XFD1048576" is 17
  billion), at most MAX_CELLS in all. A part that declares a DTD is refused: entities
  would let a few bytes expand past every count (no spreadsheet program writes one),
  and so is XML stored as UTF-16 (none writes that either; the counts read UTF-8).
- The sheet's declared <dimension> is not trusted either way: openpyxl does not use it,
  and a file may claim anything there, so refusing on it would only refuse honest files
  whose writer counts formatting. What counts is where the cells with a value are, taken
  from the parsed cells (check_extent; parsing is bounded by the counts above) before
  anything walks the grid: one value in XFD1048576 made a 5 KB file that was walked as
  17 billion cells (3.5 GB, then a crash).
- A CSV book at most MAX_BOOK_BYTES, and the same rows and columns (check_extent).
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path
from typing import IO

import cardscan.book.columns as col
from cardscan.errors import BookError
from cardscan.terminal import visible

MB = 1024 * 1024
MAX_BOOK_BYTES = 100 * MB  # the file on disk, .xlsx or .csv
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
MAX_CELLS = 4_000_000
MAX_PARTS = 10_000
MAX_DIRECTORY_BYTES = 16 * MB  # the zip's list of parts (10,000 names)
MAX_PART_BYTES = 256 * MB
MAX_UNPACKED_BYTES = 512 * MB
MAX_RATIO = 100
MAX_TAGS = 50_000_000  # the 100,000-row book: about 20 million
_RATIO_FROM = 1 * MB

_UNCHANGED = "cardscan has not changed it"
_CHOOSE = f"choose your contacts book with --book; {_UNCHANGED}"


def _refuse(path: Path, why: str, fix: str = _CHOOSE) -> BookError:
    return BookError(f"cannot read the book {path}: {why}", fix)


def check_size(path: Path, size: int) -> None:
    if size > MAX_BOOK_BYTES:
        raise _refuse(
            path,
            f"it is {size // MB} MB, over the {MAX_BOOK_BYTES // MB} MB cardscan reads "
            f"(a book of 100,000 people is about 10 MB)",
        )


def check_extent(
    path: Path, rows: int, headers: Callable[[], list[str]], fix: str = _CHOOSE
) -> None:
    """Refuse a book whose values reach past MAX_ROWS data rows or MAX_COLUMNS columns.

    `rows` are data rows (the header not counted), up to the last one with a value;
    `headers` gives row 1 as wide as the last column with a value. The columns cardscan
    would add (those of its own the book lacks) count too: a book it may write must be
    one it will read again.
    """
    columns = 0
    if rows <= MAX_ROWS:
        row_one = headers()
        columns = len(row_one)
        if columns + _ours_missing(row_one) <= MAX_COLUMNS:
            return
    where = f"row {rows + 1:,}" if rows > MAX_ROWS else f"column {columns:,}"
    raise _refuse(
        path,
        f"it has values as far as {where}, beyond the {MAX_ROWS:,} rows and "
        f"{MAX_COLUMNS:,} columns (cardscan's own included) cardscan reads",
        fix,
    )


def _ours_missing(headers: list[str]) -> int:
    """How many of cardscan's columns the book lacks (it adds them at the right)."""
    present = {col.canonical(header) for header in headers}
    return sum(1 for name in col.COLUMNS if name not in present)


STRAY_CELL_FIX = (
    "delete what is there (in Excel, Ctrl+End goes to the last cell with anything in it) "
    f"or choose your contacts book with --book; {_UNCHANGED}"
)


# --- .xlsx: the zip and its XML, before openpyxl ------------------------------------


def check_xlsx(path: Path) -> None:
    """Refuse an .xlsx whose parsing would not be bounded (see the module's docstring).

    Reads only; a file that is not a zip passes, for the loader to say what it is.
    Other zip errors (a bad CRC, encryption) are raised as they are.
    """
    with open(path, "rb") as fh:
        directory = _directory_size(fh)
        if directory is None:
            return
        entries, directory_bytes = directory
        if entries > MAX_PARTS or directory_bytes > MAX_DIRECTORY_BYTES:
            raise _refuse(
                path,
                f"its zip lists {entries:,} parts in {directory_bytes // 1024:,} KB, over "
                f"the {MAX_PARTS:,} parts cardscan reads (a workbook has a few dozen)",
            )
        with zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
            _check_declared(path, infos)
            counts = _Counts(path)
            for info in infos:
                with archive.open(info) as part:
                    counts.read(info.filename, part)


def _directory_size(fh: IO[bytes]) -> tuple[int, int] | None:
    """(parts, bytes) of the zip's central directory, from its end record; None: no zip.

    Read before zipfile parses the directory, which it holds whole in memory.
    """
    fh.seek(0, 2)
    size = fh.tell()
    tail_bytes = min(size, 22 + 65535)  # the end record, and a comment of up to 64 KB
    fh.seek(size - tail_bytes)
    tail = fh.read(tail_bytes)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    # A zip64 file writes 0xFFFF / 0xFFFFFFFF here: over every limit, as it should be
    # (a book has no use for more than 65,535 parts or 4 GB).
    _, _, _, _, entries, directory_bytes, _, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
    return int(entries), int(directory_bytes)


def _check_declared(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    total = 0
    for info in infos:
        unpacked, packed = info.file_size, max(info.compress_size, 1)
        total += unpacked
        if unpacked > MAX_PART_BYTES:
            raise _refuse(
                path,
                f"its part {visible(info.filename)} unpacks to {unpacked // MB:,} MB, over the "
                f"{MAX_PART_BYTES // MB} MB cardscan reads",
            )
        if unpacked > _RATIO_FROM and unpacked / packed > MAX_RATIO:
            raise _refuse(
                path,
                f"its part {visible(info.filename)} unpacks {unpacked // packed:,} times over "
                f"({packed // 1024:,} KB to {unpacked // MB:,} MB), which no spreadsheet "
                f"program writes (a zip bomb?)",
            )
    if total > MAX_UNPACKED_BYTES:
        raise _refuse(
            path,
            f"it unpacks to {total // MB:,} MB, over the {MAX_UNPACKED_BYTES // MB} MB "
            "cardscan reads",
        )


# A cell is a `<c` element, with or without a namespace prefix. Counted as bytes, in
# one pass each (a second for a prefixed "x:c"): `<col`, `<cfRule` and a ":c" in text
# are counted too, which only over-counts, by little.
_CELL_STARTS = (b"<c", b":c")
# The elements openpyxl expands into one cell per covered position, and their ref.
_RANGE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(?:mergeCell|hyperlink)\b([^>]*)>")
_REF = re.compile(rb"""(?:^|\s)ref\s*=\s*(["'])(.*?)\1""", re.S)
_A1 = re.compile(r"\$?([A-Za-z]*)\$?(\d*)")
_EXCEL_ROWS, _EXCEL_COLUMNS = 1_048_576, 16_384
_CHUNK = 1 * MB
_LONGEST_TAG = 1 * MB  # a tag longer than this is not from a spreadsheet program


class _Counts:
    """Tags and cells over every part of one workbook."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tags = 0  # start and end tags: about twice the elements
        self.cells = 0

    def read(self, name: str, part: IO[bytes]) -> None:
        name = visible(name)  # a part's name is the sender's text: shown, never run
        first = True
        for piece in _whole_tags(part, self.path, name):
            if first:
                self._check_encoding(name, piece[:4])
                first = False
            if b"<!" in piece and (b"<!DOCTYPE" in piece or b"<!ENTITY" in piece):
                raise _refuse(
                    self.path,
                    f"its part {name} declares XML entities, which no spreadsheet program "
                    "writes (they can make a few bytes expand to gigabytes)",
                )
            self.tags += piece.count(b"<")
            self.cells += sum(piece.count(start) for start in _CELL_STARTS)
            if b"mergeCell" in piece or b"hyperlink" in piece:
                self.cells += _range_cells(piece)
            self._check(name)

    def _check_encoding(self, name: str, head: bytes) -> None:
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\0" in head and b"<" in head)
        if utf16:
            raise _refuse(
                self.path,
                f"its part {name} is XML stored as UTF-16, which cardscan does not read "
                "(Excel and LibreOffice write UTF-8)",
                f"open it in Excel or LibreOffice and save it again; {_UNCHANGED}",
            )

    def _check(self, name: str) -> None:
        if self.cells > MAX_CELLS:
            raise _refuse(
                self.path,
                f"it holds more than {MAX_CELLS:,} cells (counted up to {name}), over what "
                "cardscan reads (a book of 100,000 people has under 3,000,000)",
            )
        if self.tags > MAX_TAGS:
            raise _refuse(
                self.path,
                f"it holds more than {MAX_TAGS:,} XML tags (counted up to {name}), over "
                "what cardscan reads",
            )


def _whole_tags(part: IO[bytes], path: Path, name: str) -> Iterator[bytes]:
    """The part in pieces of about _CHUNK bytes, none of which ends inside a tag."""
    carry = b""
    while True:
        chunk = part.read(_CHUNK)
        if not chunk:
            if carry:
                yield carry
            return
        data = carry + chunk
        cut = data.rfind(b"<")
        if cut >= 0 and data.find(b">", cut) < 0:
            data, carry = data[:cut], data[cut:]
            if len(carry) > _LONGEST_TAG:
                raise _refuse(
                    path, f"its part {name} has a tag over 1 MB long, which no spreadsheet has"
                )
        else:
            carry = b""
        if data:
            yield data


def _range_cells(piece: bytes) -> int:
    """Cells covered by the merged and hyperlinked ranges whose tags are in `piece`."""
    total = 0
    for tag in _RANGE_TAG.finditer(piece):
        ref = _REF.search(tag.group(1))
        if ref is None:
            continue
        text = unescape(ref.group(2).decode("latin-1"))  # "A1&#58;B2" is "A1:B2" to XML
        for one in text.split():
            total += _area(one)
    return total


def _area(ref: str) -> int:
    """Cells in one A1-style range; a whole row or column counts as Excel's full length."""
    corners = ref.split(":")
    if len(corners) > 2:
        return 1  # not a range openpyxl reads: it fails on it without expanding anything
    points = [_A1.fullmatch(corner) for corner in corners]
    if any(p is None for p in points):
        return 1
    # Ten letters or digits are already past any sheet: longer ones are not read whole.
    columns = [_column(p.group(1)[:10]) for p in points if p is not None]
    rows = [int(p.group(2)[:10]) if p.group(2) else None for p in points if p is not None]
    if len(points) == 1:
        return 1
    width = _span(columns[0], columns[1], _EXCEL_COLUMNS)
    height = _span(rows[0], rows[1], _EXCEL_ROWS)
    return width * height


def _span(low: int | None, high: int | None, whole: int) -> int:
    if low is None or high is None:
        return whole
    return abs(high - low) + 1


def _column(letters: str) -> int | None:
    if not letters:
        return None
    number = 0
    for letter in letters.upper():
        number = number * 26 + (ord(letter) - ord("A") + 1)
    return number
