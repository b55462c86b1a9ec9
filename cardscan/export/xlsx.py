"""XLSX export: a fresh, tidy workbook rather than a copy of the book.

Frozen header, filter, widths fitted to the content, real dates, and clickable
mailto:/https: links, so the export is pleasant to open on its own. Line breaks a
person typed in a cell (notes) are kept, with the cell set to wrap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cardscan.book import columns as col
from cardscan.book.cells import split_cell
from cardscan.book.safety import atomic_write
from cardscan.export.common import column_order, web_page

MIN_WIDTH, MAX_WIDTH = 8, 50


def write_xlsx(
    rows: list[dict[str, str]], path: Path, *, columns: Sequence[str] | None = None
) -> None:
    header = column_order(rows, columns)
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Contacts"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, key in enumerate(header, start=1):
            _fill(sheet, r, c, key, row.get(key, ""))
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for c, key in enumerate(header, start=1):
        longest = max([len(key), *(_longest_line(row.get(key, "")) for row in rows)])
        width = min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
        sheet.column_dimensions[get_column_letter(c)].width = width
    atomic_write(Path(path), lambda tmp: workbook.save(tmp))


def _fill(sheet: Worksheet, r: int, c: int, key: str, text: str) -> None:
    cell = sheet.cell(row=r, column=c)
    value = _typed(key, text)
    if isinstance(value, str):
        value = _cell_text(value)
        cell.value = value or None
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    else:
        cell.value = value
        is_datetime = isinstance(value, datetime)
        cell.number_format = col.DATETIME_FORMAT if is_datetime else col.DATE_FORMAT
    link = _link(key, text)
    if link:
        cell.hyperlink = link
        cell.style = "Hyperlink"


def _typed(key: str, text: str) -> str | date | datetime:
    """Our date columns as real dates (sortable, filterable); anything else as text."""
    if not text or key not in col.DATE_COLUMNS | col.DATETIME_COLUMNS:
        return text
    try:
        if key in col.DATETIME_COLUMNS:
            return datetime.fromisoformat(text)
        return date.fromisoformat(text)
    except ValueError:
        return text


def _link(key: str, text: str) -> str | None:
    """mailto:/https: target for the first email/website in the cell."""
    values = split_cell(text)
    if not values:
        return None
    if key == col.EMAILS and "@" in values[0]:
        return f"mailto:{values[0]}"
    if key == col.WEBSITE:
        # Only web pages become links: a "file:" or "smb:" one typed into the book (or
        # left there by an older version) would open a local file or leak the user's
        # Windows login when clicked. The text stays in the cell either way.
        return web_page(values[0])
    return None


def _cell_text(text: str) -> str:
    """The text as a cell can hold it: line breaks kept, control characters dropped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return ILLEGAL_CHARACTERS_RE.sub("", "\n".join(line.rstrip() for line in lines)).strip()


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)
