"""`cardscan undo`: put the book back as it was before the last ingest."""

from __future__ import annotations

from pathlib import Path

import click

from cardscan.cli.options import book_option, default_book
from cardscan.cli.output import say_lines, warn
from cardscan.state.undo import undo_last_ingest


@click.command("undo", short_help="Put the book back as it was before the last ingest")
@book_option
@click.option(
    "--force",
    is_flag=True,
    help="Undo even if the book changed since that ingest (those changes are lost from "
    "the book, but the current version is kept in .cardscan/backups/).",
)
def command(book: Path | None, force: bool) -> None:
    """Put the book back as it was before the last ingest, and say what that undid.

    Each undo steps back one more ingest. It refuses when the book changed since that
    ingest (your edits would be lost too) unless --force. The version undone is kept in
    .cardscan/backups/ beside the book, so an undo can itself be undone by copying it back.
    """
    book_path = book or default_book()
    report = undo_last_ingest(book_path, force=force, warn=warn)
    say_lines(report.message())  # its outside values are made visible() where it is built
