"""`cardscan rescan`: read one card again, print it, optionally fix its row in the book."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cardscan import fields as contact_fields
from cardscan.backs import card_of
from cardscan.cli import tables
from cardscan.cli.options import book_option, pipeline_option, region_option
from cardscan.cli.output import note as note_
from cardscan.cli.output import print_json, say, warn
from cardscan.cli.tables import Column, Line, Row, Whole
from cardscan.config import load_pipeline
from cardscan.errors import ExitCode, InputError
from cardscan.fields import Shape
from cardscan.model import CardResult, Phone, Status
from cardscan.ocr.hangul import unread_note
from cardscan.pipeline import CardJob, engine_for, process_card, survey
from cardscan.reading import CardToRead, read_cards
from cardscan.rows import rows_of
from cardscan.state.corrections import CorrectionStore, for_book

if TYPE_CHECKING:
    from cardscan.book import Book


@click.command(
    "rescan", short_help="Read one card photo and show the fields; --book updates its row"
)
@click.argument("photo", type=click.Path(path_type=Path))
@book_option
@region_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print exactly one JSON object on stdout (see README: the JSON contract).",
)
@click.option(
    "--several",
    is_flag=True,
    help="The photo shows several cards laid out on a table: read every card found, even "
    "one with little print (without it, a photo where two or more cards with print are "
    "found is read card by card all the same).",
)
@click.option(
    "--card",
    "number",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Of a photo of several cards, read only card N (numbered in reading order: "
    "rows top to bottom, each left to right); implies --several.",
)
@pipeline_option
@click.pass_context
def command(
    ctx: click.Context,
    photo: Path,
    book: Path | None,
    region: str,
    as_json: bool,
    several: bool,
    number: int | None,
    pipeline: str,
) -> None:
    """Read one card photo and show what was found.

    A card photographed on both sides is read whole: the photo's back (X-back.jpg beside
    X.jpg, as `ingest` pairs them), or its front when PHOTO is the back, is read with it.
    A photo of several cards laid out on a table gives every card, each with its place
    (--json: a list of objects, each with "position"); --card N reads one of them;
    --several reads every card found, even one with little print on it.
    With --book, the row that came from this same photo is updated in place (your notes,
    tags and own columns are kept); a photo not yet in the book is added like `ingest`
    (each card of a photo of several is a row of its own).
    Exit status 3 when the photo (or the other side of its card) could not be read.
    """
    if not photo.exists() and not photo.is_symlink():  # a looping link "does not exist"
        # A typo is a slip, as for ingest (exit 4); a file that cannot be read is a
        # failed card (exit 3, and --json still prints its object).
        raise InputError(
            f"no such file or folder: {photo}", "check the path (nothing was read or written)"
        )
    definition = load_pipeline(pipeline)
    engine_for(definition).check()
    note = None
    with contextlib.ExitStack() as stack:
        # With --book the book is opened (checked, read, locked) before the card is
        # read: a book that cannot take the card is refused before any work.
        contacts = None
        if book is not None:  # the book (and openpyxl) imported only when asked for
            from cardscan.book import Book

            contacts = stack.enter_context(Book.open(book))
        pairing = card_of(photo)
        for warning in pairing.warnings:
            warn(warning)
        [card] = pairing.cards
        # Asked for (--several, --card N): every card find_cards sees, each read in this
        # process as ingest's workers read it (process_card with its place). Otherwise a
        # photo the worker finds several cards on (cards_in, which checks that they bear
        # print) is read card by card all the same, below.
        surveyed = (
            survey(CardJob(str(photo), definition, region), force=True)
            if (several or number is not None) and len(card.paths) == 1
            else None
        )
        if surveyed is not None:
            count = len(surveyed.cards)
            if number is not None and number > count:
                raise InputError(
                    f"{photo} holds {count} cards: there is no card {number}",
                    f"choose --card 1 to {count}",
                )
            engine = engine_for(definition)
            chosen = [surveyed.cards[number - 1]] if number else surveyed.cards
            # Each card read as ingest reads it: the same job, card by card, here.
            cards = [
                process_card(
                    CardJob(str(photo), definition, region, card_id=surveyed.card_id, place=place),
                    engine,
                )
                for place in chosen
            ]
            _several(ctx, cards, number is not None, contacts, book, as_json)
            return
        if several and len(card.paths) > 1:
            note_(f"{photo}: its card's other side is beside it: read as one two-sided card")
        elif several:
            note_(f"{photo}: one card found in the photo; it is read as one card")
        if number not in (None, 1):
            raise InputError(
                f"{photo} holds one card: there is no card {number} on it", "leave --card out"
            )
        # In this process, side after side: one card is not worth starting a pool.
        [read, *parts] = read_cards(
            [CardToRead.of(card.paths, region)], definition, executor="inline"
        )
        if read.several:
            _several(ctx, [p.result for p in parts], False, contacts, book, as_json)
            return
        sides, joined = read.readings, read.joined
        # The card when it could be read; else this photo's own failed reading.
        mine = next(r for r in sides if Path(r.source).name == photo.name)
        result = joined.card or (joined.failed[0] if len(joined.failed) == 1 else mine)
        for other in joined.failed:
            if other is not result:
                warn(other.issues[0].message)
        if contacts is not None and result.status is not Status.FAILED:
            rows = _to_book(contacts, result, CorrectionStore.load(contacts.file))
            contacts.save()
            note = f"Book {book}: {rows}"
    if as_json:
        print_json(result.to_json())
    else:
        _print_table(result)
    if note:
        say(note, err=as_json or not tables.on_terminal())  # not into the data
    korean = unread_note(sum(r.korean_unread > 0 for r in sides))
    if korean:
        say(korean, err=True)
    failed = result.status is Status.FAILED or bool(joined.failed)
    ctx.exit(ExitCode.CARDS_FAILED if failed else ExitCode.OK)


def _to_book(contacts: Book, result: CardResult, corrections: CorrectionStore) -> str:
    """Put a re-read card into the book, a row per person it names (cardscan.rows): each
    person's row from this photo updated in place, a person not in it yet added. Cells
    the user corrected on the review page stay as they made them. Says which rows."""
    done = []
    for row in rows_of(result):
        taken, keep = for_book(row, corrections)
        outcome = contacts.update_card(
            taken, scanned_at=datetime.now().replace(microsecond=0), keep=keep
        )
        done.append(f"row {outcome.row} {outcome.action}")
    return ", ".join(done)


def _several(
    ctx: click.Context,
    results: list[CardResult],
    one: bool,
    contacts: Book | None,
    book: Path | None,
    as_json: bool,
) -> None:
    """The cards of a photo of several, read: each shown, and with a book put in its own
    row (`one`: the card --card N asked for, shown as an object, not a list). Called
    with the book open and locked."""
    notes = []
    if contacts is not None:
        corrections = CorrectionStore.load(contacts.file)
        for result in results:
            if result.status is Status.FAILED:
                continue
            rows = _to_book(contacts, result, corrections)
            place = result.position.card if result.position is not None else "?"
            notes.append(f"Book {book}: card {place}: {rows}")
        contacts.save()
    if as_json:
        print_json(results[0].to_json() if one else [r.to_json() for r in results])
    else:
        for result in results:
            _print_table(result)
    for note in notes:
        say(note, err=as_json or not tables.on_terminal())
    korean = unread_note(sum(r.korean_unread > 0 for r in results))
    if korean:
        say(korean, err=True)
    failed = any(r.status is Status.FAILED for r in results)
    ctx.exit(ExitCode.CARDS_FAILED if failed else ExitCode.OK)


# The fields as a table: field, value (emails, phones, web addresses and profiles never
# broken), how sure; the last goes first on a narrow terminal. Piped: tab-separated.
_COLUMNS = (
    Column("field", heading=True),
    Column("value", min_width=20, label=False),
    Column("sure", right=True, drop=1, heading=True),
)


def _phone(p: Phone) -> Line:
    return Whole(
        f"{p.number} ({p.kind}{'' if p.valid else ', invalid'})"
        + (f" ext. {p.extension}" if p.extension else "")
    )


def _print_table(result: CardResult) -> None:
    # Piped, the table is data: the photo's name and the issues go to stderr.
    err = not tables.on_terminal()
    shown = " + ".join(r.source for r in result.photos)
    if result.position is not None:
        shown += f", {result.position.name}"
    say(f"{shown} ({result.status})", err=err)
    contact = result.contact

    def row(name: str, values: list[Line], confidence: str | None = None) -> Row:
        value = result.confidence.get(confidence) if confidence else None
        return {
            "field": [name],
            "value": values,
            "sure": [] if value is None else [f"{value:.0%}"],
        }

    rows: list[Row] = []
    for f in contact_fields.FIELDS:  # one row per field, in the table's order
        value = getattr(contact, f.name)
        if f.shape is Shape.PHONES:
            rows.append(row(f.name, [_phone(p) for p in value], f.name))
        elif f.shape is Shape.LIST:
            rows.append(row(f.name, [Whole(v) for v in value], f.name))
        elif f.shape is Shape.SOCIAL:
            rows.append(row(f.name, [Whole(f"{k}: {v}") for k, v in value.items()], f.name))
        else:
            rows.append(row(f.name, [value or ""], f.name))
        if f.parts:  # the name's parts, on one line
            parts = [getattr(contact, part) for part in f.parts]
            rows.append(row("given / family", [" / ".join(filter(None, parts))]))
    if result.card_notes:
        rows.append(row("card notes", list(result.card_notes)))
    tables.print_table(_COLUMNS, rows, spaced=False)
    for issue in result.issues:
        say(f"! {issue.message}", err=err)  # plain text: no markup read in it, escapes shown
