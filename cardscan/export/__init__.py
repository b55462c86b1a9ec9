"""Exports: a clean copy of the book for other tools, in a format chosen by name.

The book itself carries the user's layout; an export is a fresh file with one
contact per person, so it imports predictably into a phone, mail client or CRM:

    csv      the book's columns, UTF-8 with a BOM            (.csv)
    xlsx     the book's columns, a tidy workbook              (.xlsx)
    vcard    one .vcf with a vCard per person, 3.0 or 4.0     (.vcf, .vcard)
    google   Google Contacts' CSV import columns              (--format google)
    outlook  Outlook's CSV import columns                     (--format outlook)
    json     a list of contact objects                        (.json)

Each exporter is a plain function(rows, path, *, columns=None) in EXPORTERS. The
book is only read: exporting never changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from cardscan.book import COLUMNS, Book
from cardscan.errors import InputError
from cardscan.export.common import Exporter
from cardscan.export.csv import write_csv
from cardscan.export.filters import RowFilter, met_on
from cardscan.export.google import write_google
from cardscan.export.json import write_json
from cardscan.export.outlook import write_outlook
from cardscan.export.vcard import DEFAULT_VERSION, VERSIONS, write_vcard
from cardscan.export.xlsx import write_xlsx

EXPORTERS: dict[str, Exporter] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "vcard": write_vcard,
    "google": write_google,
    "outlook": write_outlook,
    "json": write_json,
}

# The format an extension implies; google and outlook are .csv too, so they need --format.
BY_EXTENSION: dict[str, str] = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".vcf": "vcard",
    ".vcard": "vcard",
    ".json": "json",
}

__all__ = [
    "BY_EXTENSION",
    "EXPORTERS",
    "VERSIONS",
    "Exported",
    "Exporter",
    "RowFilter",
    "export_book",
    "format_for",
]


@dataclass(frozen=True)
class Exported:
    written: int  # contacts in the export
    total: int  # contacts in the book
    undated: int = 0  # left out only by --since, because Met on is empty or not a date


def format_for(path: Path) -> str | None:
    """The format the file's extension implies, or None."""
    return BY_EXTENSION.get(Path(path).suffix.lower())


def export_book(
    book: Book,
    to: Path,
    fmt: str,
    *,
    where: RowFilter | None = None,
    vcard_version: str = DEFAULT_VERSION,
) -> Exported:
    """Write the book's people that pass `where` to `to` as `fmt`.

    Nobody passing still writes a valid file (a header, [] or an empty .vcf), so a
    script that imports it never meets a missing file.
    """
    fmt = fmt.lower()
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        choices = ", ".join(sorted(EXPORTERS))
        raise ValueError(f"unknown export format {fmt!r}: choose one of {choices}")
    if fmt == "vcard":
        exporter = partial(write_vcard, version=vcard_version)
    to = Path(to)
    # A --to path that cannot be used is exit 4, as for review --to, followups --draft.
    if _same_file(to, book.file) or _same_file(to, book.path):
        raise InputError(
            f"cannot export onto the book itself ({to})",
            "choose another file name for the export",
        )
    if not to.parent.is_dir():
        raise InputError(
            f"the folder of the export file {to} does not exist",
            "create the folder, or choose another path",
        )
    # Blank spacer rows in the user's sheet are not people.
    people = [row for row in book.rows() if any(v.strip() for v in row.values())]
    where = where or RowFilter()
    rows = [row for row in people if where.matches(row)]
    undated = 0
    if where.since is not None:  # those that only --since left out, for lack of a date
        rest = replace(where, since=None)
        undated = sum(1 for row in people if met_on(row) is None and rest.matches(row))
    columns = [*COLUMNS, *book.user_columns]
    try:
        exporter(rows, to, columns=columns)
    except OSError as exc:
        raise InputError(
            f"cannot write the export {to} ({exc.strerror or exc})",
            "check free disk space and that you can write in that folder",
        ) from exc
    return Exported(written=len(rows), total=len(people), undated=undated)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False
