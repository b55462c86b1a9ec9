"""`cardscan export`: the book's contacts to another file for a phone, mail client or CRM."""

from __future__ import annotations

from pathlib import Path

import click

from cardscan.book import Book
from cardscan.cli.options import book_option, default_book
from cardscan.errors import InputError
from cardscan.export import EXPORTERS, export_book


@click.command("export")
@book_option
@click.option(
    "--to",
    "to",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(EXPORTERS)),
    default=None,
    help="Output format. Default: from the --to file's extension.",
)
def command(book: Path | None, to: Path, fmt: str | None) -> None:
    """Write the book's contacts to a CSV or Excel file (the book itself is not changed)."""
    book_path = book or default_book()
    if not book_path.exists():
        raise InputError(
            f"book {book_path} does not exist", "run `cardscan ingest` first, or pass --book"
        )
    fmt = fmt or to.suffix.lower().lstrip(".")
    if fmt not in EXPORTERS:
        raise InputError(
            f"cannot tell the export format from '{to.name}'",
            f"add --format ({', '.join(sorted(EXPORTERS))})",
        )
    with Book.open(book_path) as contacts:
        count = export_book(contacts, to, fmt)
    click.echo(f"Wrote {count} contacts to {to} ({fmt}).")
