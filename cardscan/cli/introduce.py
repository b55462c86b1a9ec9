"""`cardscan introduce`: pairs of people in the book worth introducing, with the reason."""

from __future__ import annotations

from pathlib import Path

import click

from cardscan.book import Book
from cardscan.book.people import describe
from cardscan.cli.options import book_option, existing_book
from cardscan.cli.output import print_json, say
from cardscan.introduce import Suggestions, suggest

HOW = "add tags or notes with `cardscan tag` / `cardscan note` to find common ground"


@click.command("introduce", short_help="Suggest people to introduce to each other and say why")
@click.argument("person", required=False)
@book_option
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    metavar="N",
    help="Show at most N pairs, the best ones.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the pairs as a JSON list on stdout.")
def command(person: str | None, book: Path | None, limit: int, as_json: bool) -> None:
    """Suggest people to introduce to each other, best match first, with the reason.

    Common ground, strongest first: tags both have; topics both of your notes about
    them mention (words and two-word phrases, leaving out common words, dates and
    the lines cardscan adds itself); the same industry, read from company, title and
    email domain (law, logistics, real estate, design, software, engineering, food
    and drink, finance, marketing…); and the same event, which only adds to other
    ground since everybody at an event shares it. People at the same company are
    never paired: colleagues already know each other.

    With PERSON (a name, email or company, as for `cardscan note`), only the pairs
    that include that person. The book is only read.

    \b
    Example:
      $ cardscan introduce
      Priya Raman (Brightloop Labs) + Grace Liu (Foxglove Studio): both tagged
      python; both met at Chicago Tech Mixer
    """
    book_path = existing_book(book)
    with Book.open(book_path, read_only=True) as contacts:
        rows = contacts.rows()
        index = contacts.find_person(person) if person is not None else None
    found = suggest(rows, index, limit)
    who = describe(rows[index], index) if index is not None else None
    shown = found.pairs
    if as_json:
        print_json([pair.as_json() for pair in shown])
    else:
        for pair in shown:
            say(pair.line())
    if not shown:
        say(_nothing(found, who), err=as_json)
    elif found.total > len(shown) and not as_json:
        more = found.total - len(shown)
        say(
            f"… and {more} more pair{'s' if more != 1 else ''} (--limit {found.total} "
            "shows them all)."
        )


def _nothing(found: Suggestions, who: str | None) -> str:
    """Why no pair was found, and what would help."""
    if found.people < 2:
        return "Nobody to introduce: the book has fewer than two contacts."
    head = f"No introductions found for {who}" if who else "No introductions found"
    if found.with_ground == 0:
        return f"{head}: nobody has tags or notes yet, and no industry is shared; {HOW}."
    if who:
        return (
            f"{head}: nobody at another company shares a tag, a topic in your notes or an "
            f"industry with them; {HOW}."
        )
    return (
        f"{head}: no two people at different companies share a tag, a topic in your notes "
        f"or an industry; {HOW}."
    )
