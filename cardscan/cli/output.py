"""What the commands print: outside text is shown, never run by the terminal.

A line a command prints for a person quotes outside text: a file name, a name read
from a card or a QR code, a cell of the book (which may come from anyone), a
corrections file, a template. Each such line goes through `say` (or `warn`, `note`),
which shows every control character as an escape (cardscan.terminal.visible): an
escape sequence cannot clear the screen or retitle the window, and a line break in a
company shows as \\n instead of starting a fake "Failed:" line of its own. Text that is
several lines on purpose goes through `say_lines`, which keeps its line breaks; the
code that builds it makes each outside value visible() itself (only it knows which
line breaks are its own). The error handler (cardscan.cli.main) does the same for
every error.

Machine output keeps its data exact: JSON through `print_json` (control characters
as JSON escapes, cardscan.terminal.json_text), CSV through `print_data`.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from cardscan.terminal import json_text, visible, visible_lines


def say(line: object, *, err: bool = False) -> None:
    """One line for a person, on stdout (stderr with err): control characters escaped."""
    click.echo(visible(line), err=err)


def say_lines(text: object, *, err: bool = False) -> None:
    """Several lines on purpose: their breaks kept, every other control character escaped."""
    click.echo(visible_lines(text), err=err)


def warn(message: object) -> None:
    say(f"cardscan: warning: {message}", err=True)


def note(message: object) -> None:
    say(f"cardscan: note: {message}", err=True)


def print_json(value: Any, *, indent: int | None = None) -> None:
    """JSON on stdout: exact data for a program, and safe if it lands on a terminal."""
    click.echo(json_text(value, indent=indent))


def print_data(text: str) -> None:
    """CSV (or other data) on stdout, ending with its own line break.

    Into a file or a pipe it goes exactly as it is: a CSV reader must get every cell
    back as written. On a terminal a person reads it, so control characters are shown
    escaped as in every other line (line breaks kept: a cell of several lines is
    quoted, and the CSV stays readable); redirect it to get the exact cells.
    """
    if sys.stdout.isatty():
        click.echo(visible_lines(text), nl=False)
    else:  # color=True: click would otherwise cut what looks like a colour code from the data
        click.echo(text, nl=False, color=True)
