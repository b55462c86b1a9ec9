"""`cardscan export`: the book's contacts to another file for a phone, mail client or CRM."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cardscan.book import Book
from cardscan.cli.options import book_option, existing_book, parse_date
from cardscan.cli.output import note, say, warn
from cardscan.errors import InputError
from cardscan.export import BY_EXTENSION, EXPORTERS, VERSIONS, RowFilter, export_book, format_for

# What an export of nobody holds, for the message that says so.
_EMPTY = {
    "csv": "only the header row",
    "xlsx": "only the header row",
    "google": "only the header row",
    "outlook": "only the header row",
    "vcard": "no vCards (an empty file)",
    "json": "an empty list",
}


@click.command("export", short_help="Write the contacts to a file that a phone or a CRM can import")
@book_option
@click.option(
    "--to",
    "to",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (replaced if it exists).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(EXPORTERS)),
    default=None,
    help="Output format. Default: from the --to file's extension "
    "(.csv, .xlsx, .vcf, .json); google and outlook are CSV files, so name them.",
)
@click.option(
    "--vcard-version",
    type=click.Choice(VERSIONS),
    default=None,
    help="vCard version for --format vcard. Default: 3.0, which every phone and "
    "address book imports.",
)
@click.option(
    "--event",
    metavar="TEXT",
    default=None,
    help="Only the contacts met at this event (ignoring case).",
)
@click.option(
    "--since",
    callback=parse_date,
    metavar="DATE",
    help="Only the contacts met on or after this date (the Met on column): YYYY-MM-DD, "
    "today, yesterday or a weekday (friday: the last one).",
)
@click.option(
    "--needs-review",
    is_flag=True,
    help="Only the contacts flagged in the Needs review column.",
)
def command(
    book: Path | None,
    to: Path,
    fmt: str | None,
    vcard_version: str | None,
    event: str | None,
    since: date | None,
    needs_review: bool,
) -> None:
    """Write the book's contacts to a file for a phone, mail client or CRM.

    \b
    Formats:
      csv      every column of the book, UTF-8 with a BOM (Excel shows accents right)
      xlsx     every column, frozen header, filters, clickable mail and web links
      vcard    one .vcf with a vCard per contact (3.0, or 4.0 with --vcard-version):
               name, company and department, title, phones by kind, emails,
               websites, address, your notes, and the events and tags as
               categories; no photo, as the book does not keep card images
      google   Google Contacts' import CSV; events and tags become labels
      outlook  Outlook's import CSV; events and tags become categories
      json     a list of contact objects with every field of the book

    Filters combine: --event "Expo" --since 2026-11-01 --needs-review exports only the
    contacts passing all three. When none match, the file is still written, empty but
    valid (a header, [] or an empty .vcf), and a warning says so. The book itself is
    never changed.
    """
    book_path = existing_book(book)
    fmt = fmt or format_for(to)
    if fmt is None:
        raise InputError(
            f"cannot tell the export format from '{to.name}'",
            f"add --format ({', '.join(sorted(EXPORTERS))}), or name the file "
            f"{'/'.join(sorted(BY_EXTENSION))}",
        )
    if vcard_version is not None and fmt != "vcard":
        raise click.UsageError(
            f"--vcard-version is for vCard exports, not {fmt}: add --format vcard or drop it"
        )
    version = vcard_version or VERSIONS[0]
    where = RowFilter(event=event, since=since, needs_review=needs_review)
    # Only read: no lock, so it works while a spreadsheet program has the book open
    # (on the version last saved), like find and followups.
    with Book.open(book_path, read_only=True) as contacts:
        done = export_book(contacts, to, fmt, where=where, vcard_version=version)

    label = f"vcard {version}" if fmt == "vcard" else fmt
    plural = "" if done.written == 1 else "s"
    line = f"Wrote {done.written} contact{plural} to {to} ({label})."
    if where.active:
        line += f" {done.total - done.written} of {done.total} left out by {where.describe()}."
    say(line)
    if done.undated:
        note(
            f"{done.undated} contact(s) have no Met on date (YYYY-MM-DD) "
            "and were left out by --since"
        )
    if done.written == 0:
        why = f"no contacts match {where.describe()}" if done.total else "the book has no contacts"
        warn(f"{why}; {to} holds {_EMPTY[fmt]}")
