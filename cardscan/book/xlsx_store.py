"""An .xlsx book, edited in place with openpyxl.

The workbook is loaded whole and only the cells cardscan owns are touched, so the
user's columns, sheets, formatting, widths, frozen panes and formulas are written
back as they were. Limits of openpyxl apply: drawn shapes are not preserved (the
backup keeps them), and formulas lose their cached values until the file is
recalculated, which is why full recalculation on load is requested.
"""

from __future__ import annotations

import zipfile
from copy import copy
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

import cardscan.book.columns as col
from cardscan.book.cells import CellValue, clean, clean_note, text_of
from cardscan.book.limits import STRAY_CELL_FIX, check_extent, check_xlsx
from cardscan.errors import BookError

SHEET_TITLE = "Contacts"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class XlsxStore:
    def __init__(self, workbook: Workbook, sheet: Worksheet) -> None:
        self.workbook = workbook
        self.sheet = sheet
        self._rows, self._cols = _used_extent(sheet)

    @classmethod
    def new(cls) -> XlsxStore:
        """A workbook laid out for reading: bold frozen header, filter, set widths."""
        workbook = Workbook()
        sheet = workbook.active
        assert isinstance(sheet, Worksheet)
        sheet.title = SHEET_TITLE
        store = cls(workbook, sheet)
        store._lay_out()
        return store

    @classmethod
    def load(cls, path: Path) -> XlsxStore:
        try:
            check_xlsx(path)  # sizes and counts first: openpyxl builds the whole file
            workbook = load_workbook(path, rich_text=True)
        except BookError:
            raise
        except PermissionError as exc:
            raise BookError(
                f"cannot read the book {path} ({exc.strerror})",
                "check the file's permissions",
            ) from exc
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise BookError(f"cannot read the book {path}: {_diagnose(path)}", _FIX) from exc
        if not workbook.worksheets:
            raise BookError(f"the book {path} has no worksheet", _FIX)
        _check_pictures(path, workbook)
        store = cls(workbook, workbook.worksheets[0])
        check_extent(path, store._rows, store.headers, STRAY_CELL_FIX)
        if store._cols == 0:  # an empty first sheet: set it up like a new book
            store._lay_out()
        return store

    # --- Store ---------------------------------------------------------------------

    def headers(self) -> list[str]:
        return [text_of(self._cell(1, c).value) for c in range(1, self._cols + 1)]

    def row_count(self) -> int:
        return self._rows

    def get(self, row: int, column: int) -> str:
        # Looked up, not created: reading a sparse sheet must not fill it with empty cells.
        cell = self.sheet._cells.get((row + 2, column + 1))
        return text_of(cell.value) if cell is not None else ""

    def set(self, row: int, column: int, value: CellValue) -> None:
        cell = self._cell(row + 2, column + 1)
        user_format = cell.number_format != "General"  # openpyxl changes it on assignment
        if value is None or value == "":
            cell.value = None
        elif isinstance(value, str):
            cell.value = clean(value)
            cell.data_type = "s"  # text from a card is never a formula, even "=..."
        elif isinstance(value, int):
            cell.value = value
        elif isinstance(value, datetime):
            # Excel has no time zones: store the wall-clock time the user lives in.
            local = value.astimezone() if value.tzinfo else value
            cell.value = local.replace(tzinfo=None)
            if not user_format:
                cell.number_format = col.DATETIME_FORMAT
        else:
            cell.value = value
            if not user_format:
                cell.number_format = col.DATE_FORMAT

    def append_text(self, row: int, column: int, text: str) -> None:
        cell = self._cell(row + 2, column + 1)
        line = clean_note(text)
        old = cell.value
        if cell.data_type == "f":
            return  # the user's formula is theirs: the line stays in Review reasons only
        if isinstance(old, CellRichText):
            old.append(f"\n{line}")  # the user's bold and colours stay on their words
        elif old is None or text_of(old) == "":
            cell.value = line
            cell.data_type = "s"
        else:
            cell.value = f"{text_of(old)}\n{line}"
            cell.data_type = "s"
        if "\n" in text_of(cell.value) and not cell.alignment.wrap_text:
            alignment = copy(cell.alignment)
            alignment.wrap_text = True  # else Excel shows the lines run together
            cell.alignment = alignment

    def append_row(self) -> int:
        self._rows += 1
        return self._rows - 1

    def add_column(self, header: str) -> int:
        self._cols += 1
        cell = self._cell(1, self._cols)
        cell.value = header
        left = self._cell(1, self._cols - 1) if self._cols > 1 else None
        if left is not None and left.has_style:
            cell._style = copy(left._style)  # look like the user's own header row
        else:
            cell.font = Font(bold=True)
        if header in col.WIDTHS and not self._has_width(self._cols):
            self.sheet.column_dimensions[get_column_letter(self._cols)].width = col.WIDTHS[header]
        return self._cols - 1

    def write(self, path: Path) -> None:
        self._extend_ranges()
        # Formulas saved by openpyxl carry no cached result: make Excel/LibreOffice
        # compute them on open instead of showing blanks.
        if self.workbook.calculation is not None:
            self.workbook.calculation.fullCalcOnLoad = True
        self.workbook.save(path)

    # --- helpers -------------------------------------------------------------------

    def _lay_out(self) -> None:
        for name in col.COLUMNS:
            self.add_column(name)
        if self.sheet.freeze_panes is None:
            self.sheet.freeze_panes = "A2"
        if not self.sheet.auto_filter.ref:
            self.sheet.auto_filter.ref = f"A1:{get_column_letter(len(col.COLUMNS))}1"

    def _cell(self, row: int, column: int) -> Cell:
        cell = self.sheet.cell(row=row, column=column)
        assert isinstance(cell, Cell)
        return cell

    def _has_width(self, column: int) -> bool:
        """Whether the user's file already sizes this column (possibly as part of a range)."""
        for key, dim in self.sheet.column_dimensions.items():
            low = dim.min or column_index_from_string(key)
            high = dim.max or low
            if low <= column <= high:
                return True
        return False

    def _extend_ranges(self) -> None:
        """Grow a header-row filter or table over rows and columns we added."""
        last_row = self._rows + 1
        ref = self.sheet.auto_filter.ref
        if ref:
            self.sheet.auto_filter.ref = _grown(ref, last_row, self._cols)
        for table in self.sheet.tables.values():
            grown = _grown(table.ref, last_row, None)
            if grown != table.ref:
                table.ref = grown
                if table.autoFilter is not None and table.autoFilter.ref:
                    table.autoFilter.ref = grown


def _grown(ref: str, last_row: int, last_col: int | None) -> str:
    """`ref` extended down to `last_row` (and right to `last_col`) if it starts at row 1."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (TypeError, ValueError):
        return ref
    if min_row != 1 or min_col is None or max_col is None or max_row is None:
        return ref
    if last_col is not None:
        max_col = max(max_col, last_col)
    max_row = max(max_row, last_row)
    return f"{get_column_letter(min_col)}1:{get_column_letter(max_col)}{max_row}"


def _used_extent(sheet: Worksheet) -> tuple[int, int]:
    """(data rows, columns) up to the last cell holding a value.

    max_row/max_column also count cells that only carry formatting (a user colouring
    rows ahead), which would push new people far below the list. Only the cells the
    file holds are visited (iter_rows would create every cell of the rectangle: 17
    billion for one value in XFD1048576).
    """
    last_row, last_col = 1, 0
    for (r, c), cell in sheet._cells.items():
        value = cell.value
        if value is not None and value != "":
            last_row = max(last_row, r)
            last_col = max(last_col, c)
    return last_row - 1, last_col


# Pictures openpyxl writes back byte for byte; any other format it re-encodes to PNG
# when the book is saved, which means decoding it: an EPS picture would be handed to
# Ghostscript, a TIFF of 50,000 x 50,000 px decoded whole. (It drops WMF/EMF itself.)
_KEPT_PICTURES = ("png", "jpeg", "gif", "mpo")


def _check_pictures(path: Path, workbook: Workbook) -> None:
    for sheet in workbook.worksheets:
        for image in getattr(sheet, "_images", []):
            fmt = str(getattr(image, "format", "") or "unknown")
            if fmt.lower() not in _KEPT_PICTURES:
                raise BookError(
                    f"cannot read the book {path}: its sheet {sheet.title!r} holds a picture "
                    f"in {fmt.upper()} format, which cardscan would have to convert to save "
                    "the book",
                    "delete the picture or paste it again as PNG or JPEG, or choose another "
                    "book file; cardscan has not changed it",
                )


_FIX = (
    "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx), "
    "or choose another book file; cardscan has not changed it"
)


def _diagnose(path: Path) -> str:
    """Say what the file is instead, so the user knows which fix applies."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        return exc.strerror or str(exc)
    if head.startswith(_OLE_MAGIC):
        return "it is password-protected or an old .xls workbook, not an .xlsx"
    if not zipfile.is_zipfile(path):
        if b"\0" not in head:
            return "it is a text file (a CSV renamed to .xlsx?), not an .xlsx workbook"
        return "it is not an .xlsx workbook"
    return "it is damaged or not an Excel workbook"
