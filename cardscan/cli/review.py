"""`cardscan review`: the review page of a batch, written beside the book."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from cardscan.cli.options import book_option, default_book
from cardscan.cli.output import say, warn
from cardscan.errors import InputError
from cardscan.review.page import default_page, write_page


@click.command("review", short_help="Write the review page: each card beside what was read from it")
@book_option
@click.option(
    "--batch",
    default="last",
    show_default=True,
    metavar="last|all|ID",
    help="Which ingest to show: the last one that added or merged a card, all of them, "
    "or one by its id (the page, the summary of an ingest that only failed, and "
    "`ls .cardscan/<book>.batches/` show the ids).",
)
@click.option(
    "--to",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the page. Default: <book name>.review.html beside the book.",
)
@click.option(
    "--inline",
    is_flag=True,
    help="Put the card images inside the page: one file to move or mail (larger; the "
    "links to the original photos still point at this machine's files).",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in your web browser.")
def command(book: Path | None, batch: str, to: Path | None, inline: bool, open_page: bool) -> None:
    """Write the review page: each card beside the fields read from it, fixable in place.

    Cards that need review come first, doubtful fields are marked, hovering a field
    outlines its words on the card. Corrections made on the page are saved as a JSON
    file that `cardscan apply FILE` puts into the book. An ingest writes the page of its
    own batch by itself; this command writes it again, for another batch, or elsewhere.
    """
    book_path = book or default_book()
    if not book_path.parent.is_dir():
        raise InputError(
            f"the folder of the book {book_path} does not exist", "give the right --book"
        )
    target = to or default_page(book_path)
    try:
        page = write_page(book_path, target, batch=batch, inline=inline, warn=_warn)
    except OSError as exc:  # an output path that cannot be written: exit 4
        raise InputError(
            f"cannot write the review page {target} ({exc.strerror or exc})",
            "choose another place with --to, or check that you can write there",
        ) from exc
    say(f"Review page: {page}")
    if open_page and not webbrowser.open(page.resolve().as_uri()):
        _warn(f"no web browser found here: open {page} in one yourself")


def _warn(message: str) -> None:
    warn(message)
