"""Read cards whole: each card's photos (its front, and its back when it has one) read by
an executor and joined into one reading, card after card in the order given.

The one way `ingest`, `rescan` and `bench` read cards, so that a card photographed on
both sides is read and joined alike everywhere (cardscan.backs says how the two sides
are joined). What a caller knows already is not read again: a side may come with its
reading (ingest's result store) or be a copy of an earlier side of the batch (the same
bytes), and a side whose card id the caller took (ingest hashes every photo to find it
in the book) hands that id to the worker, which then does not hash the photo again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cardscan.backs import Sides, join_sides
from cardscan.config import Pipeline
from cardscan.executors import run_batch
from cardscan.model import CardResult
from cardscan.pipeline import CardJob


@dataclass(frozen=True)
class Side:
    """One photo of a card."""

    path: Path
    card_id: str | None = None  # the sha256 of its bytes, when the caller took it
    known: CardResult | None = None  # its reading, known already: not read again
    copy: bool = False  # the same bytes as an earlier side (same card_id): its reading

    @property
    def to_read(self) -> bool:
        return self.known is None and not self.copy


@dataclass(frozen=True)
class CardToRead:
    """The photos of one card, front first, and how to read and join them."""

    sides: tuple[Side, ...]
    region: str  # for numbers printed without a country code
    front_in_book: bool = False  # its back is new: join only what the back adds

    @classmethod
    def of(cls, paths: Iterable[Path], region: str) -> CardToRead:
        return cls(tuple(Side(path) for path in paths), region)


@dataclass
class ReadCard:
    """One card read: each side's reading (in the card's order) and the two joined."""

    card: CardToRead
    readings: list[CardResult]
    joined: Sides

    @property
    def result(self) -> CardResult:
        """The card when it could be read; else the reading that stands for it (the one
        failure, or the front when both sides failed)."""
        return self.joined.card or (self.joined.failed or [self.readings[0]])[0]


# Called with each side and its reading as soon as it is there, before the card is
# joined: ingest stores the reading at once (a run stopped later keeps it).
OnReading = Callable[[Side, CardResult], None]


def read_cards(
    cards: Sequence[CardToRead],
    pipeline: Pipeline,
    *,
    workers: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
    on_reading: OnReading | None = None,
) -> Generator[ReadCard, None, None]:
    """Yield each card read and joined, in the order of `cards` (fewer only on Ctrl-C,
    which is raised again once the cards read before it are yielded).

    Only the sides to read go to the executor (cardscan.executors.run_batch: "process"
    with `workers`, "dask" at `scheduler`, or "inline"), all in one batch so that the
    workers are kept busy across cards; its workers are stopped however this ends.
    """
    jobs = [
        CardJob(str(side.path), pipeline, card.region, card_id=side.card_id)
        for card in cards
        for side in card.sides
        if side.to_read
    ]
    readings = run_batch(jobs, workers, executor=executor, scheduler=scheduler)
    try:
        yield from join_readings(cards, readings, on_reading)
    finally:
        readings.close()  # stop the workers however the caller's loop ended


def join_readings(
    cards: Iterable[CardToRead],
    readings: Iterator[CardResult],
    on_reading: OnReading | None = None,
) -> Iterator[ReadCard]:
    """The cards from the readings of their sides to read, in order (read_cards without
    the reading, for readings taken elsewhere: tools/ocrcache.py's cache)."""
    by_id: dict[str, CardResult] = {}
    for card in cards:
        results: list[CardResult] = []
        for side in card.sides:
            if side.known is not None:
                result = side.known
            elif side.copy:  # whatever its first photo gave, under its own name
                result = dataclasses.replace(by_id[side.card_id or ""], source=str(side.path))
            else:
                result = next(readings)
            if side.card_id:
                by_id.setdefault(side.card_id, result)
            if on_reading is not None:
                on_reading(side, result)
            results.append(result)
        back = results[1] if len(results) > 1 else None
        joined = join_sides(results[0], back, front_in_book=card.front_in_book)
        yield ReadCard(card, results, joined)
