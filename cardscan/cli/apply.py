"""`cardscan apply`: corrections saved from the review page, into the book."""

from __future__ import annotations

from pathlib import Path

import click

from cardscan.cli.options import book_option, existing_book
from cardscan.cli.output import say, say_lines, warn
from cardscan.errors import CardscanError, InputError
from cardscan.review.page import default_page, write_page
from cardscan.state.corrections import apply_file, read_file


@click.command("apply", short_help="Put the corrections saved on the review page into the book")
@click.argument("file", type=click.Path(path_type=Path))
@book_option
def command(file: Path, book: Path | None) -> None:
    """Put the corrections in FILE (saved by the review page) into the book.

    Each corrected field is written to the row holding its card, as your own edit:
    cardscan never writes over it later (not even `rescan --book`). The card's reasons
    to review about the corrected fields are cleared. Applying the same file again
    changes nothing. The corrections are also kept in .cardscan/ beside the book, where
    `cardscan bench --corrections` uses them as truth.
    """
    book_path = existing_book(book)  # missing: exit 4, as for every command reading it
    report = apply_file(book_path, file)
    say_lines(report.message())  # its outside values are made visible() where it is built
    page = default_page(book_path)
    if report.written and page.is_file():
        # The page of the batch the corrections came from, now showing them; the last
        # batch's when that batch is no longer recorded.
        batch = read_file(file).batch or "last"
        try:
            try:
                write_page(book_path, page, batch=batch)
            except InputError:
                write_page(book_path, page)
        except (CardscanError, OSError) as exc:
            warn(f"the review page was not updated ({exc})")
            return
        say(f"Review page updated: {page}")
