"""`cardscan find`: who in the book matches a word, in any column, best match first."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from cardscan.book import COLUMNS, Book
from cardscan.book import columns as col
from cardscan.book.cells import split_cell
from cardscan.book.people import fold
from cardscan.book.search import NAME_COLUMNS, Hit, column_named, search
from cardscan.cli import tables
from cardscan.cli.options import book_option
from cardscan.cli.output import print_data, print_json, say
from cardscan.cli.people import existing_book
from cardscan.cli.tables import Column, Line, Row, Whole
from cardscan.export.json import to_json
from cardscan.formulas import defuse

# Columns the table shows anyway: when they match, the table names them but does not
# repeat their text.
_SHOWN = frozenset(
    {col.NAME, col.GIVEN_NAME, col.FAMILY_NAME, col.COMPANY, col.EMAILS, *col.PHONE_COLUMNS}
)
_PHONES = (col.MOBILE, col.WORK_PHONE, col.OTHER_PHONES)  # the first found is shown
_ADDRESSES = (f"{col.WEBSITE}: ", f"{col.SOCIAL}: ")  # matched snippets never broken
_MATCHES_SHOWN = 3  # matched columns listed per person in the table
_SNIPPET = 48  # characters of a matched cell shown in the table
# The table on a terminal: the row, the person (name over company), how to reach them
# (email over phone, never broken) and what matched, which goes first when the terminal
# is too narrow. Piped: one tab-separated line per person.
_COLUMNS = (
    Column("Row", right=True, heading=True),
    Column("Person", ("Name", "Company"), min_width=20, heading=True),
    Column("Contact", ("Email", "Phone")),
    Column("Matched", drop=1),
)


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
    else:
        # Piped, the table is data: the sentences about it go to stderr.
        err = not tables.on_terminal()
        if not hits:
            where = f" in its {only} column" if only else ""
            say(f"Nobody in {path} matches '{text}'{where}.", err=err)
            return
        tables.print_table(_COLUMNS, [_row(hit, rows[hit.index], text) for hit in hits])
        plural = "person matches" if len(hits) == 1 else "people match"
        say(f"{len(hits)} {plural} '{text}' in {path}, best match first.", err=err)


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


def _row(hit: Hit, row: Mapping[str, str], query: str) -> Row:
    emails = split_cell(row.get(col.EMAILS, ""))
    phone = next((p for c in _PHONES for p in split_cell(row.get(c, ""))), "")
    return {
        "Row": [str(hit.sheet_row)],
        # A shop's card has no person: its company names it.
        "Name": [row.get(col.NAME, "") or ("" if row.get(col.COMPANY) else "(no name)")],
        "Company": [row.get(col.COMPANY, "")],
        "Email": [Whole(emails[0])] if emails else [],
        "Phone": [Whole(phone)],
        "Matched": _matched(hit, row, query),
    }


def _matched(hit: Hit, row: Mapping[str, str], query: str) -> list[Line]:
    """The matched columns, with the matching text of those the table does not show.

    A web address or a profile is whole: it is never broken or cut in the table.
    """
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
    return [Whole(line) if line.startswith(_ADDRESSES) else line for line in lines]


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
