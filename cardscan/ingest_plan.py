"""An ingest's plan: per photo, before any worker starts, whether it must be read.

Each photo is read and hashed here once, for its card id (sha256 of its bytes): that id
says whether the card is in the book already, whether the result store has its reading,
and whether the batch holds it twice. The bytes are dropped at once (a batch of 12 MP
photos is not held in memory); a photo to read goes to the worker as its path with the
card id, so the worker does not hash it again (cardscan.reading).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from cardscan.backs import CardPhotos
from cardscan.book import Book, MergeOutcome
from cardscan.config import LoadSection
from cardscan.errors import ImageError
from cardscan.load import card_id_of, read_bytes
from cardscan.model import CardResult
from cardscan.reading import CardToRead, Side
from cardscan.state.readings import ResultStore


class Origin(StrEnum):
    READ = "read"  # read by the OCR pipeline in this run
    STORE = "store"  # taken from the result store
    BOOK = "book"  # already in the book: not read
    COPY = "copy"  # the same bytes as an earlier photo of this batch


@dataclass
class Photo:
    path: Path
    card_id: str | None  # None when the file cannot be read here (the reader says why)
    origin: Origin
    result: CardResult | None = None  # known before reading (STORE)
    outcome: MergeOutcome | None = None  # known before reading (BOOK)
    in_book: bool = False  # its card id is in the book (the card's other photo is not)


def plan_cards(
    cards: list[CardPhotos],
    contacts: Book,
    store: ResultStore | None,
    key: str,
    *,
    region: str,
    load: LoadSection,
    rescan: bool,
) -> list[list[Photo]]:
    """Decide per photo whether it must be read, before starting any worker.

    One list of photos per card (its front, then its back). A card is left alone only
    when all its photos are in the book; a back added later to a front in the book is
    read with that front (taken from the store when it can be). A photo of several
    cards is never in the book as a photo (its cards are, "<photo id>#<place>"): it is
    looked at again (its survey taken from the store when it can be), and each of its
    cards already in the book is left alone then (cardscan.reading's `settled`), so a
    run stopped half-way through a photo's cards reads the rest next time.
    """
    plan: list[list[Photo]] = []
    seen: set[str] = set()
    for card in cards:
        ids: list[str | None] = []
        for path in card.paths:
            try:
                ids.append(card_id_of(read_bytes(path, load.limits())))
            except ImageError:
                ids.append(None)  # the reader reports why
        known = [contacts.card_outcome(i) if i else None for i in ids]
        if all(known):
            plan.append(
                [
                    Photo(p, i, Origin.BOOK, outcome=known[0])
                    for p, i in zip(card.paths, ids, strict=True)
                ]
            )
            continue
        photos: list[Photo] = []
        for path, card_id, outcome in zip(card.paths, ids, known, strict=True):
            if card_id is None:
                photo = Photo(path, None, Origin.READ)
            elif card_id in seen:
                photo = Photo(path, card_id, Origin.COPY)
            else:
                seen.add(card_id)
                stored = None if rescan or store is None else store.get(card_id, key, region)
                if stored is not None:
                    stored = dataclasses.replace(stored, source=str(path))
                    photo = Photo(path, card_id, Origin.STORE, result=stored)
                else:
                    photo = Photo(path, card_id, Origin.READ)
            photo.in_book = outcome is not None
            photos.append(photo)
        plan.append(photos)
    return plan


def to_read(plan: list[list[Photo]], region: str) -> list[CardToRead]:
    """The cards of the plan that are not wholly in the book, as cardscan.reading takes
    them: the stored readings and copies known, the rest to read with their card ids."""
    return [
        CardToRead(
            tuple(
                Side(
                    photo.path,
                    photo.card_id,
                    known=photo.result if photo.origin is Origin.STORE else None,
                    copy=photo.origin is Origin.COPY,
                )
                for photo in card
            ),
            region,
            front_in_book=card[0].in_book,
        )
        for card in plan
        if card[0].outcome is None
    ]
