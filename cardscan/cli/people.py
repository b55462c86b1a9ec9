"""`cardscan note`, `tag` and `done`: what you learn and do about a person after the event.

Each names the person the way one remembers them (PERSON: a name, part of one, an
email or a company, fuzzily; see cardscan.book.people), changes only that person's
Notes, Tags or Followed up on, and says in one line what it did. A PERSON that matches
several people about as well is refused with their list (exit 10): the book is not
touched and nothing prompts, so scripts never hang.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import click

from cardscan.book import Action, Book
from cardscan.book import columns as col
from cardscan.book.people import fold
from cardscan.book.people import label as who
from cardscan.cli.options import book_option, existing_book, parse_date
from cardscan.cli.output import say
from cardscan.errors import BookError
from cardscan.export.common import tags as tags_of


def _person(contacts: Book, person: str) -> tuple[int, dict[str, str]]:
    if not person.strip():
        raise click.UsageError("PERSON is empty: give a name, an email address or a company")
    index = contacts.find_person(person)
    return index, contacts.rows()[index]


on_option = click.option(
    "--on",
    "day",
    callback=parse_date,
    metavar="DATE",
    help="The date to record: YYYY-MM-DD, yesterday or a weekday (friday: the last one). "
    "Default: today.",
)


@click.command("note", short_help="Add a dated line about a person to their Notes")
@click.argument("person")
@click.argument("text", nargs=-1, required=True)
@book_option
@on_option
def note_command(person: str, text: tuple[str, ...], book: Path | None, day: date | None) -> None:
    """Add a dated line to a person's Notes: "YYYY-MM-DD: TEXT".

    \b
      cardscan note "priya raman" two kids, loves fishing
      cardscan note priya@brightlooplabs.io "met her co-founder too" --on 2026-11-21
      echo "asked for the deck" | cardscan note "Brightloop" -

    PERSON is a name (or part of one), an email address or a company, matched ignoring
    case and accents and forgiving a typo; quote it when it has spaces. TEXT is the rest
    of the line (quoting is optional), or - to read it from standard input; line breaks
    become spaces, so each note is one dated line. What Notes already hold is never
    changed. When PERSON could mean several people, nothing is written and they are
    listed (exit 10).
    """
    line = " ".join(_note_text(text).split())
    if not line:
        raise click.UsageError("the note is empty: give the text to add after PERSON")
    stamped = f"{(day or date.today()).isoformat()}: {line}"
    path = existing_book(book)
    with Book.open(path) as contacts:
        index, row = _person(contacts, person)
        outcome = contacts.edit(index, note=stamped)
        if outcome.action is Action.UNCHANGED:
            raise BookError(
                f"the Notes cell of {who(row, index)} in {path} holds a formula, which "
                "cardscan does not change",
                "replace the formula with text in your spreadsheet program, or add the note there",
            )
        contacts.save()
    say(f"Noted for {who(row, index)}: {stamped}")


def _note_text(words: tuple[str, ...]) -> str:
    if words == ("-",):
        return sys.stdin.read()
    return " ".join(words)


@click.command("tag", short_help="Add tags to a person or take them off (--remove)")
@click.argument("person")
@click.argument("tags", nargs=-1, required=True)
@book_option
@click.option("--remove", is_flag=True, help="Take these tags off instead of adding them.")
def tag_command(person: str, tags: tuple[str, ...], book: Path | None, remove: bool) -> None:
    """Add tags to a person (or take them off with --remove), and print their tags.

    \b
      cardscan tag "priya raman" python,ml
      cardscan tag whitfield logistics "warm lead"
      cardscan tag whitfield "warm lead" --remove

    TAGS are separated by commas or semicolons, or given as separate arguments. The
    Tags cell keeps its tags and their order; a tag already there (ignoring case and
    accents) is not added twice. The cell is written back with "; " between tags, the
    way cardscan writes every list. PERSON is matched as for `cardscan note`.
    """
    wanted = _split_tags(tags)
    if not wanted:
        raise click.UsageError("no tags given: e.g. `cardscan tag PERSON python,ml`")
    path = existing_book(book)
    with Book.open(path) as contacts:
        index, row = _person(contacts, person)
        before = tags_of(row)
        if remove:
            after, missing = _without(before, wanted)
            done = [t for t in wanted if t not in missing]
        else:
            after = _with(before, wanted)
            done = after[len(before) :]
            missing = []
        if after != before:
            contacts.edit(index, {col.TAGS: "; ".join(after)})
            contacts.save()
    what = "removed" if remove else "added"
    parts = [f"{what} {', '.join(done)}"] if done else []
    if missing:
        parts.append(f"not there: {', '.join(missing)}")
    if not done and not remove:
        parts.append("already there")
    shown = "; ".join(after) if after else "(none)"
    say(f"Tags of {who(row, index)}: {shown} ({'; '.join(parts)}).")


def _split_tags(args: Iterable[str]) -> list[str]:
    """Tags typed as "python,ml", "a; b" or separate arguments, each once, in order."""
    found: list[str] = []
    for arg in args:
        for part in re.split(r"[;,]", arg):
            tag = " ".join(part.split())
            if tag and fold(tag) not in map(fold, found):
                found.append(tag)
    return found


def _with(tags: list[str], new: list[str]) -> list[str]:
    have = {fold(t) for t in tags}
    return tags + [t for t in new if fold(t) not in have]


def _without(tags: list[str], gone: list[str]) -> tuple[list[str], list[str]]:
    """Tags left after removing `gone`, and those of `gone` that were not there."""
    drop = {fold(t) for t in gone}
    have = {fold(t) for t in tags}
    return [t for t in tags if fold(t) not in drop], [t for t in gone if fold(t) not in have]


@click.command("done", short_help="Record that you followed up with a person")
@click.argument("person")
@book_option
@on_option
def done_command(person: str, book: Path | None, day: date | None) -> None:
    """Record that you followed up with a person: today's date (or --on) in Followed up on.

    \b
      cardscan done "priya raman"
      cardscan done whitfield --on 2026-11-24

    The date is written as a real date cell. Follow up by is left as it is. If Followed
    up on already holds the same date, nothing changes; another date is replaced by the
    new one (the latest follow-up is what the column tells), and the message says what
    it was. Text there that is not a date ("emailed twice") is kept: it moves to the end
    of Notes as a dated line before the date replaces it. PERSON is matched as for
    `cardscan note`.
    """
    when = day or date.today()
    path = existing_book(book)
    with Book.open(path) as contacts:
        index, row = _person(contacts, person)
        before = row.get(col.FOLLOWED_UP_ON, "").strip()
        if before == when.isoformat():
            say(f"Already recorded: followed up with {who(row, index)} on {before}.")
            return
        kept = None
        if before and not _is_date(before):
            kept = f"{date.today().isoformat()}: earlier in Followed up on: {before}"
        contacts.edit(index, {col.FOLLOWED_UP_ON: when}, note=kept)
        contacts.save()
    line = f"Followed up with {who(row, index)} on {when.isoformat()}"
    if kept:
        line += f" (it said '{before}', now kept in Notes)"
    elif before:
        line += f" (it said {before} before)"
    say(line + ".")


def _is_date(text: str) -> bool:
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(text)
        except ValueError:
            continue
        return True
    return False
