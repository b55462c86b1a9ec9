"""Read cards whole: each card's photos (its front, and its back when it has one) read by
an executor and joined into one reading, card after card in the order given.

The one way `ingest`, `rescan` and `bench` read cards, so that a card photographed on
both sides is read and joined alike everywhere (cardscan.backs says how the two sides
are joined). What a caller knows already is not read again: a side may come with its
reading (ingest's result store) or be a copy of an earlier side of the batch (the same
bytes), and a side whose card id the caller took (ingest hashes every photo to find it
in the book) hands that id to the worker, which then does not hash the photo again.

A photo of several cards laid out on a table (cardscan.cleanup.cards.cards_in) is found
by its worker, which then reads nothing and says where each card lies
(CardResult.cards). Its cards are read in a second pass, after every other card of
the batch: each card a job of its own, so that every worker shares a photo's cards and
each card has its own time limit. read_cards yields the photo in its place (a ReadCard
with `several` set and nothing to merge) and its cards at the end, each with `photo`
saying which photo it came from. A photo of the cards' backs in the same layout, given
as the back of a photo of several, is paired card by card (pair_by_position).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cardscan.backs import Sides, join_sides
from cardscan.config import Pipeline
from cardscan.executors import run_batch
from cardscan.model import CardResult, Issue, Position, Status
from cardscan.pipeline import CardJob


@dataclass(frozen=True)
class Side:
    """One photo of a card."""

    path: Path
    card_id: str | None = None  # the sha256 of its bytes, when the caller took it
    known: CardResult | None = None  # its reading, known already: not read again
    copy: bool = False  # the same bytes as an earlier side (same card_id): its reading
    # One card of a photo of several: where it lies (card_id is then the card's own,
    # "<photo id>#<place>").
    place: Position | None = None

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
    # A photo of several cards: how many; nothing to merge here, its cards come later.
    several: int = 0
    # A card of a photo of several: that photo's card (the one yielded with `several`).
    photo: CardToRead | None = None
    # A card of a photo of several that the caller's `settled` said is in the book
    # already: not read (readings empty, joined empty).
    settled: bool = False

    @property
    def result(self) -> CardResult:
        """The card when it could be read; else the reading that stands for it (the one
        failure, or the front when both sides failed)."""
        if self.several:  # for a caller that takes one card per photo (bench's truths)
            photo = self.readings[0]
            return dataclasses.replace(
                photo,
                status=Status.FAILED,
                issues=[
                    Issue(
                        "several_cards",
                        f"{photo.source}: holds {self.several} cards, read as cards of their own",
                    )
                ],
            )
        return self.joined.card or (self.joined.failed or [self.readings[0]])[0]


# Called with each side and its reading as soon as it is there, before the card is
# joined: ingest stores the reading at once (a run stopped later keeps it).
OnReading = Callable[[Side, CardResult], None]


# For the cards of a photo of several, found only while reading: a caller's reading of
# a card id known already (the result store), and whether a card id is in the book.
Known = Callable[[str], CardResult | None]
Settled = Callable[[str], bool]


def read_cards(
    cards: Sequence[CardToRead],
    pipeline: Pipeline,
    *,
    workers: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
    on_reading: OnReading | None = None,
    known: Known | None = None,
    settled: Settled | None = None,
) -> Generator[ReadCard, None, None]:
    """Yield each card read and joined, in the order of `cards`, then the cards of its
    photos of several cards (fewer only on Ctrl-C, which is raised again once the cards
    read before it are yielded).

    Only the sides to read go to the executor (cardscan.executors.run_batch: "process"
    with `workers`, "dask" at `scheduler`, or "inline"), all in one batch so that the
    workers are kept busy across cards; its workers are stopped however this ends. The
    cards of photos of several are a second batch of their own.
    """
    several: list[ReadCard] = []
    for read in _read_batch(cards, pipeline, workers, executor, scheduler, on_reading):
        if read.several:
            several.append(read)
        yield read
    if several:
        known_or_none: Known = known or (lambda card_id: None)
        cards_of = [card_of_photo(read, known_or_none, settled) for read in several]
        parts = [card for found in cards_of for card in found]
        to_read = [card for card in parts if not card.settled]
        read_again = _read_batch(
            [card.card for card in to_read], pipeline, workers, executor, scheduler, on_reading
        )
        try:
            for card in parts:
                if card.settled:
                    yield card
                    continue
                done = next(read_again)
                yield dataclasses.replace(done, photo=card.photo)
        finally:
            read_again.close()


def _read_batch(
    cards: Sequence[CardToRead],
    pipeline: Pipeline,
    workers: int,
    executor: str,
    scheduler: str | None,
    on_reading: OnReading | None,
) -> Generator[ReadCard, None, None]:
    jobs = [
        CardJob(
            str(side.path),
            pipeline,
            card.region,
            card_id=photo_id(side.card_id) if side.card_id else None,
            place=side.place,
        )
        for card in cards
        for side in card.sides
        if side.to_read
    ]
    readings = run_batch(jobs, workers, executor=executor, scheduler=scheduler)
    try:
        yield from join_readings(cards, readings, on_reading)
    finally:
        readings.close()  # stop the workers however the caller's loop ended


def photo_id(card_id: str) -> str:
    """The photo's id in a card's id ("<photo id>#<place>" for a card of a photo of
    several, else the photo's own)."""
    return card_id.partition("#")[0]


def _count(readings: list[CardResult]) -> int:
    """How many cards the photos of one card hold once fronts and backs are paired."""
    alone = sum(1 for r in readings if not r.cards)
    if len(readings) > 1 and readings[0].cards and readings[1].cards:
        pairs = pair_by_position(readings[0].cards, readings[1].cards)
        return len(readings[0].cards) + len(readings[1].cards) - len(pairs) + alone
    return sum(len(r.cards) for r in readings) + alone


def card_of_photo(read: ReadCard, known: Known, settled: Settled | None) -> list[ReadCard]:
    """The cards of a photo of several (`read`, yielded with `several`), each as a card to
    read (or settled), its front paired with its back when the photo's back is a photo
    of several too; a back that is a photo of one card is a card of its own."""
    front, back = read.readings[0], (read.readings[1] if len(read.readings) > 1 else None)
    fronts = list(enumerate(front.cards)) if front.cards else []
    sides = read.card.sides
    backs = list(enumerate(back.cards)) if back is not None and back.cards else []
    pairs = pair_by_position([p for _, p in fronts], [p for _, p in backs]) if backs else {}
    out: list[ReadCard] = []
    paired_backs = set(pairs.values())

    def side_of(index: int, reading: CardResult, place: Position) -> Side:
        card_id = f"{reading.card_id}#{place.card}"
        stored = known(card_id)
        if stored is not None:
            stored = dataclasses.replace(stored, source=str(sides[index].path))
        return Side(sides[index].path, card_id, known=stored, place=place)

    for k, place in fronts:
        card_sides = [side_of(0, front, place)]
        if back is not None and k in pairs:
            card_sides.append(side_of(1, back, back.cards[pairs[k]]))
        out.append(_card(read, tuple(card_sides), settled))
    if back is not None:
        for j, place in backs:
            if j not in paired_backs:
                out.append(_card(read, (side_of(1, back, place),), settled))
    # A side that is a photo of one card, given with a photo of several: a card of its own.
    for index, reading in enumerate(read.readings):
        if not reading.cards:
            side = dataclasses.replace(
                sides[index], card_id=reading.card_id or None, known=reading, copy=False
            )
            out.insert(0 if index == 0 else len(out), _card(read, (side,), None))
    return out


def _card(read: ReadCard, sides: tuple[Side, ...], settled: Settled | None) -> ReadCard:
    card = CardToRead(sides, read.card.region)
    if settled is not None and all(side.card_id and settled(side.card_id) for side in sides):
        return ReadCard(card, [], Sides(None), photo=read.card, settled=True)
    return ReadCard(card, [], Sides(None), photo=read.card)


def pair_by_position(fronts: list[Position], backs: list[Position]) -> dict[int, int]:
    """Front index -> back index for two photos of the same cards in the same layout,
    the second taken after turning the whole layout over like a page, left to right:
    the card that lay on the left lies on the right, rows stay where they were.

    Each photo's card centres are put in the frame of that photo's cards (their bounding
    box, 0..1 both ways, so a photo taken closer or further off still matches); the
    backs' are mirrored left to right; then the closest front and back are paired, and
    the next closest, while they lie within half the typical distance between
    neighbouring cards. A card left unpaired (a back not found, an extra card) is read
    as a card of its own.
    """
    if not fronts or not backs:
        return {}
    a, b = _frame(fronts), _frame(backs)
    b[:, 0] = 1.0 - b[:, 0]
    reach = 0.5 * min(_spacing(a), _spacing(b))
    distances = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2)
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for flat in np.argsort(distances, axis=None):
        i, j = divmod(int(flat), len(backs))
        if distances[i, j] > reach:
            break
        if i in pairs or j in used:
            continue
        pairs[i] = j
        used.add(j)
    return pairs


def _frame(places: list[Position]) -> np.ndarray:
    centres = np.array([np.mean(np.asarray(p.corners, float), axis=0) for p in places])
    low, high = centres.min(axis=0), centres.max(axis=0)
    span = np.where(high - low > 1e-6, high - low, 1.0)
    return (centres - low) / span


def _spacing(centres: np.ndarray) -> float:
    """The median distance from each card to its nearest neighbour (1 for a lone card)."""
    if len(centres) < 2:
        return 1.0
    d = np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=2)
    np.fill_diagonal(d, np.inf)
    return float(np.median(d.min(axis=1)))


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
        if any(result.cards for result in results):  # a photo of several: read later
            yield ReadCard(card, results, Sides(None), several=_count(results))
            continue
        back = results[1] if len(results) > 1 else None
        joined = join_sides(results[0], back, front_in_book=card.front_in_book)
        yield ReadCard(card, results, joined)
