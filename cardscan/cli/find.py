"""`cardscan find`: who in the book matches a word, in any column, best match first."""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.table import Table

from cardscan.book import COLUMNS, Book
from cardscan.book import columns as col
from cardscan.book.cells import split_cell
from cardscan.book.people import fold
from cardscan.book.search import NAME_COLUMNS, Hit, column_named, search
from cardscan.cli.options import book_option
from cardscan.cli.output import print_data, print_json, say
from cardscan.cli.people import existing_book
from cardscan.export.json import to_json
from cardscan.formulas import defuse

# Columns the table shows anyway: when they match, the table names them but does not
# repeat their text.
_SHOWN = frozenset(
    {col.NAME, col.GIVEN_NAME, col.FAMILY_NAME, col.COMPANY, col.EMAILS, *col.PHONE_COLUMNS}
)
_PHONES = (col.MOBILE, col.WORK_PHONE, col.OTHER_PHONES)  # the first found is shown
_MATCHES_SHOWN = 3  # matched columns listed per person in the table
_SNIPPET = 48  # characters of a matched cell shown in the table
_PIPE_WIDTH = 160  # table width when stdout is a file or a pipe


@click.command("find", short_help="Search every column of the book; best match first")
@click.argument("query", nargs=-1, required=True)
@book_option
@click.option(
    "--field",
    metavar="COLUMN",
    default=None,
    help="Search only this column (its header, ignoring case), e.g. Notes, Event, "
    "or a column of your own.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON list: each person as `export --format json` writes them, plus "
    '"row" (the sheet row) and "matched" (the columns that matched).',
)
@click.option(
    "--csv",
    "as_csv",
    is_flag=True,
    help="Print CSV: a Row column (the sheet row), then every column of the book.",
)
def command(
    query: tuple[str, ...], book: Path | None, field: str | None, as_json: bool, as_csv: bool
) -> None:
    """Search every column of the book, and list who matches, best match first.

    \b
      cardscan find northwind
      cardscan find ines            (finds Inês: case and accents are ignored)
      cardscan find whitfeld        (a typo in a name still finds Whitfield)
      cardscan find fishing --field notes
      cardscan find "chicago tech mixer" --csv > mixer.csv

    QUERY (several words are one query) is looked for in every column, cardscan's and
    your own: in names forgiving a typo, in phone numbers by their digits, elsewhere as
    text within the cell; a query of several words also finds a person whose cells hold
    all of them ("priya brightloop"). The table shows the row, name, company, first
    email and phone, and the columns that matched. Finding nobody is not an error:
    it says so (--json prints [], --csv only the header) with exit status 0. The book
    is only read.
    """
    text = " ".join(query)
    if not fold(text):
        raise click.UsageError("QUERY is empty: give a word to look for")
    if as_json and as_csv:
        raise click.UsageError("--json and --csv print different formats: choose one")
    path = existing_book(book)
    with Book.open(path, read_only=True) as contacts:
        rows = contacts.rows()
        user_columns = contacts.user_columns
    columns = [*COLUMNS, *user_columns]
    only = None
    if field is not None:
        only = column_named(columns, field)
        if only is None:
            raise click.UsageError(
                f"the book {path} has no column '{field}': choose one of {', '.join(columns)}"
            )
    hits = search(rows, text, field=only)
    if as_json:
        _print_json(hits, rows, user_columns)
    elif as_csv:
        _print_csv(hits, rows, columns)
    elif not hits:
        where = f" in its {only} column" if only else ""
        say(f"Nobody in {path} matches '{text}'{where}.")
    else:
        _print_table(hits, rows, text)
        plural = "person matches" if len(hits) == 1 else "people match"
        say(f"{len(hits)} {plural} '{text}' in {path}, best match first.")


def _print_json(
    hits: Sequence[Hit], rows: Sequence[Mapping[str, str]], user_columns: Sequence[str]
) -> None:
    people = [
        {
            "row": hit.sheet_row,
            **to_json(dict(rows[hit.index]), user_columns),
            "matched": list(hit.matched),
        }
        for hit in hits
    ]
    print_json(people, indent=2)


def _print_csv(
    hits: Sequence[Hit], rows: Sequence[Mapping[str, str]], columns: Sequence[str]
) -> None:
    # Values that a spreadsheet would run as formulas are defused, as in `export`:
    # this output is often redirected into a file and opened.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    row_header = "Row" if column_named(columns, "Row") is None else "Sheet row"
    writer.writerow([row_header, *(defuse(c) for c in columns)])
    for hit in hits:
        row = rows[hit.index]
        writer.writerow([str(hit.sheet_row), *(defuse(row.get(c, "")) for c in columns)])
    print_data(buffer.getvalue())  # exact cells into a file or pipe; escapes shown on a terminal


def _print_table(hits: Sequence[Hit], rows: Sequence[Mapping[str, str]], query: str) -> None:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("row", justify="right")
    table.add_column("name")
    table.add_column("company")
    table.add_column("email", overflow="fold")
    table.add_column("phone", no_wrap=True)
    table.add_column("matched", max_width=_SNIPPET + 16)
    for hit in hits:
        row = rows[hit.index]
        emails = split_cell(row.get(col.EMAILS, ""))
        phone = next((p for c in _PHONES for p in split_cell(row.get(c, ""))), "")
        table.add_row(
            str(hit.sheet_row),
            row.get(col.NAME, "") or "(no name)",
            row.get(col.COMPANY, ""),
            emails[0] if emails else "",
            phone,
            _matched(hit, row, query),
        )
    # A terminal has its own width; in a file or a pipe, one line per person if it fits.
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else _PIPE_WIDTH
    console = Console(highlight=False, width=width)
    with console.capture() as captured:
        console.print(table)
    click.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


def _matched(hit: Hit, row: Mapping[str, str], query: str) -> str:
    """The matched columns, with the matching text of those the table does not show."""
    columns: list[str] = []
    for column in hit.matched:  # a match in Given or Family name is one in the name
        shown = col.NAME if column in NAME_COLUMNS else column
        if shown not in columns:
            columns.append(shown)
    listed = columns[:_MATCHES_SHOWN]
    named = ", ".join(c for c in listed if c in _SHOWN)
    lines = [named] if named else []
    lines += [f"{c}: {snippet(row.get(c, ''), query)}" for c in listed if c not in _SHOWN]
    more = len(columns) - len(listed)
    if more:
        lines[-1] += f" (+{more} more)"
    return "\n".join(lines)


def snippet(text: str, query: str, width: int = _SNIPPET) -> str:
    """The part of a cell that holds the query, shortened to about `width` characters.

    A cell of several lines or "; "-separated values shows the one holding the query
    (or its first word), cut around it when it is long; else the start of the cell.
    """
    parts = [p.strip() for p in text.replace("\n", ";").split(";") if p.strip()] or [""]
    folded_query = fold(query)
    first_word = folded_query.split()[0] if folded_query else ""
    part = next(
        (p for p in parts if folded_query in fold(p)),
        next((p for p in parts if first_word and first_word in fold(p)), parts[0]),
    )
    if len(part) <= width:
        return part
    folded = fold(part)
    at = folded.find(folded_query) if len(folded) == len(part) else -1
    start = max(0, min(at - width // 3, len(part) - width)) if at > 0 else 0
    cut = part[start : start + width - 1].strip()
    return ("…" if start else "") + cut + ("…" if start + width - 1 < len(part) else "")
