"""Ingest as a library call: a night's stack of photos into the running spreadsheet.

`ingest(find_photos(paths), book, options)` does the whole run and returns an
IngestReport; it never prints. What the user sees on the way (a card begun, a card
merged) reaches the caller as events, and warnings through a callback; `cardscan
ingest` (cardscan.cli.ingest) draws the progress bar and prints the summary.

How a run goes, and why:

1. Each photo's card id (sha256 of its bytes) is taken first, the only time the photo is
   hashed: the job carries the id to the worker. A photo already in the book (its card
   id is in a row) changes nothing, so it is not read at all. A photo read before under
   the same pipeline and region is taken from the result store (cardscan.state.readings)
   unless `rescan`. A second copy of a photo in the same batch is read once. Only the
   rest go to the OCR workers.
2. Every reading is committed to the store as soon as it arrives, before it is merged:
   a run stopped by Ctrl-C, kill -9 or a power cut loses no photo already read.
3. The book is written once, at the end, atomically (so never half-written), after a
   backup of the old version; the ingest is then recorded in the store's journal with
   that backup, for `cardscan undo`. Ctrl-C still saves the cards read so far.
4. A dry run reads the book without locking it and writes nothing at all: no book, no
   backup, no store entry. Its Merged events say per photo what an ingest would do.

Failed photos are not stored, so the next run tries them again.

Cards photographed on both sides (cardscan.backs): the photos are paired first (by name,
or two at a time with `pairs`), and a card is left alone only when all its photos are
in the book. Each photo is read, stored and counted alone, in the same pool; the two
readings are joined (cardscan.reading) before the book sees the card.

A card naming several people is a row per person (cardscan.rows), each matched and
merged on their own.

Meetings: `event` and `where` are stamped on every card of the batch. The meeting date
is `met_on` for every card when given; otherwise each card's own photo date (EXIF
DateTimeOriginal, read with the photo and kept with its stored reading); a photo without
one is dated today. A new person's Follow up by is that date plus `follow_up_days`.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from cardscan.backs import pair_photos
from cardscan.book import Action, Book, MergeOutcome
from cardscan.book.merge import FOLLOW_UP_DAYS
from cardscan.config import Pipeline
from cardscan.errors import InputError
from cardscan.executors import default_jobs
from cardscan.ingest_plan import Origin, Photo, plan_cards, to_read
from cardscan.model import CardResult, Status
from cardscan.photos import PHOTO_EXTENSIONS, collect_photos
from cardscan.pipeline import engine_for
from cardscan.reading import ReadCard, Side, read_cards
from cardscan.review.page import write_page
from cardscan.rows import rows_of
from cardscan.state.batches import BatchRecorder, Finished
from cardscan.state.readings import ResultStore, pipeline_key
from cardscan.state.undo import save_ingest


@dataclass(frozen=True)
class IngestOptions:
    pipeline: Pipeline  # with its per-card time limit
    region: str = "US"
    event: str | None = None
    where: str | None = None
    met_on: date | None = None  # None: each photo's own date, else today
    follow_up_days: int = FOLLOW_UP_DAYS
    jobs: int | None = None  # None: cardscan.executors.default_jobs()
    executor: str = "process"
    scheduler: str | None = None
    dry_run: bool = False
    rescan: bool = False  # read again what the result store has
    pairs: bool = False  # fronts and backs two at a time


@dataclass(frozen=True)
class Begun:
    """A card is about to be handled: `done` of `total` cards are."""

    done: int
    total: int


@dataclass(frozen=True)
class Merged:
    """A card went into the book, or was in it already (`source`: its photos)."""

    source: str
    outcome: MergeOutcome


Event = Begun | Merged


@dataclass
class IngestReport:
    """What a run did, for the summary."""

    book: Path  # as the user named it
    book_exists: bool  # it has content (a dry run on a missing book would create it)
    total: int  # the photos of the batch
    processed: int = 0  # the photos handled (fewer than total when interrupted)
    with_backs: int = 0  # cards photographed on both sides
    tally: Counter[str] = field(default_factory=Counter)  # by Action
    stored: int = 0  # readings taken from the result store
    store_path: Path | None = None
    dated: Counter[date | None] = field(default_factory=Counter)  # added, by photo date
    failed: list[CardResult] = field(default_factory=list)
    review: list[tuple[CardResult, str]] = field(default_factory=list)  # with its reasons
    blank: list[CardResult] = field(default_factory=list)  # sides with nothing on them
    korean_unread: int = 0  # photos with Korean lines left unread (no Korean data)
    several: list[tuple[Path, int]] = field(default_factory=list)  # photos of several cards
    interrupted: bool = False
    today: date = field(default_factory=date.today)
    finished: Finished = field(default_factory=Finished)  # the review page and batch


def find_photos(paths: tuple[Path, ...] | list[Path]) -> list[Path]:
    """The photos of the files and folders given; InputError (exit 4) naming every path
    that does not exist or holds no photo, before anything is read or written: a typo is
    a slip to fix and run again, not a card that failed. A file that exists but cannot
    be read is a failed card of the batch."""
    collected = collect_photos(paths)
    if not collected.missing and not collected.empty:
        return collected.photos
    parts = []
    if collected.missing:
        parts.append(f"no such file or folder: {', '.join(map(str, collected.missing))}")
    if collected.empty:
        parts.append(f"no photos found in {', '.join(map(str, collected.empty))}")
    kinds = ", ".join(sorted(e.lstrip(".") for e in PHOTO_EXTENSIONS))
    raise InputError(
        "; ".join(parts),
        f"give photo files, or folders holding {kinds} files (nothing was read or written)",
    )


def _ignore(event: Event) -> None:
    pass


def ingest(
    photos: list[Path],
    book: Path,
    options: IngestOptions,
    *,
    warn: Callable[[str], None],
    on_event: Callable[[Event], None] = _ignore,
) -> IngestReport:
    """Read `photos` (find_photos gives them) and merge them into `book`.

    Raises before touching anything when the OCR engine or the Dask cluster cannot read
    cards (their own exit codes). Ctrl-C while reading stops the run between cards: the
    cards read so far are saved and the report says `interrupted`.
    """
    definition = options.pipeline
    if options.executor == "dask":
        from cardscan.executors.dask import check_cluster  # optional dependency

        check_cluster(options.scheduler, definition)
    else:
        engine_for(definition).check()
    pairing = pair_photos(photos, consecutive=options.pairs)
    for warning in pairing.warnings:
        warn(warning)
    scanned_at = datetime.now().replace(microsecond=0)
    recorder = BatchRecorder(  # what happened per photo, for the review page
        book,
        started=scanned_at,
        event=options.event,
        where=options.where,
        met_on=options.met_on,
        dry_run=options.dry_run,
        warn=warn,
        write_page=write_page,
    )
    report = IngestReport(book, False, 0, with_backs=pairing.with_backs)
    with Book.open(book, read_only=options.dry_run) as contacts:
        store = ResultStore.open(contacts.file, warn=warn, read_only=options.dry_run)
        key = pipeline_key(definition)
        try:
            plan = plan_cards(
                pairing.cards,
                contacts,
                store,
                key,
                region=options.region,
                load=definition.load,
                rescan=options.rescan,
            )
            report.total = sum(len(card) for card in plan)
            _run(plan, contacts, store, key, options, recorder, report, scanned_at, on_event)
            if not options.dry_run and (report.tally[Action.NEW] or report.tally[Action.MERGED]):
                save_ingest(
                    contacts,
                    store,
                    started=scanned_at,
                    photos=report.processed,
                    new_rows=report.tally[Action.NEW],
                    merged=report.tally[Action.MERGED],
                )
        finally:
            if store is not None:
                store.close()
        report.book, report.book_exists = contacts.path, contacts.exists
    report.store_path = store.path if store is not None else None
    report.finished = recorder.finish(report.failed, interrupted=report.interrupted)
    return report


def _run(
    plan: list[list[Photo]],
    contacts: Book,
    store: ResultStore | None,
    key: str,
    options: IngestOptions,
    recorder: BatchRecorder,
    report: IngestReport,
    scanned_at: datetime,
    on_event: Callable[[Event], None],
) -> None:
    """Read and merge card after card; Ctrl-C ends the loop with what finished kept."""
    region = options.region

    def arrived(side: Side, result: CardResult) -> None:
        if side.to_read and store is not None:
            store.put(result, key, region)  # committed before anything else
        recorder.keep_crop(result)  # the card's picture, to .cardscan/crops/
        report.stored += side.known is not None
        report.korean_unread += result.korean_unread > 0

    def merge(read: ReadCard, card: list[Photo], counted: bool = False) -> None:
        """One card joined from its sides into the book (`counted`: a card of a photo of
        several, whose photo was counted as processed already)."""
        if not counted:
            report.processed += len(card)
        joined = read.joined
        report.failed += joined.failed  # listed under Failed: in the summary
        report.blank += joined.blank
        if joined.card is None:
            return
        for result in rows_of(joined.card):  # a row per person the card names
            outcome = contacts.add_card(
                result,
                event=options.event,
                met_on=options.met_on or result.taken_on or report.today,
                scanned_at=scanned_at,
                where=options.where,
                follow_up_days=options.follow_up_days,
            )
            recorder.card(card[0].path, result, outcome)
            if options.met_on is None and outcome.action is not Action.UNCHANGED:
                report.dated[result.taken_on] += 1
            report.tally[outcome.action] += 1
            on_event(Merged(_sources(result), outcome))
            if result.status is Status.NEEDS_REVIEW or outcome.reasons:
                reasons = [i.message for i in result.issues] + list(outcome.reasons)
                report.review.append((result, "; ".join(reasons)))

    reading = to_read(plan, region)
    plan_of = {id(card): photos for card, photos in zip(reading, _to_read_of(plan), strict=True)}

    def known(card_id: str) -> CardResult | None:
        """A card of a photo of several, read before (not with --rescan)."""
        if options.rescan or store is None:
            return None
        return store.get(card_id, key, region)

    def settled(card_id: str) -> bool:
        return contacts.card_outcome(card_id) is not None

    cards = read_cards(
        reading,
        options.pipeline,
        workers=options.jobs or default_jobs(),
        executor=options.executor,
        scheduler=options.scheduler,
        on_reading=arrived,
        known=known,
        settled=settled,
    )
    total = len(plan)
    pending: dict[int, int] = {}  # photos of several: their cards not yet merged
    try:
        for done, card in enumerate(plan):
            on_event(Begun(done, total))
            if card[0].outcome is not None:  # every photo of it in the book: not read
                report.processed += len(card)
                report.tally[Action.UNCHANGED] += 1
                recorder.unchanged(card[0].path, card[0].card_id or "", card[0].outcome)
                on_event(Merged(" + ".join(str(p.path) for p in card), card[0].outcome))
                continue
            read = next(cards)
            if read.several:  # a photo of several cards: they come after the rest
                pending[id(read.card)] = read.several  # counted once its cards are in
                report.several.append((card[0].path, read.several))
                total += read.several - 1
                continue
            with _whole_card():  # Ctrl-C here waits until this card is merged
                merge(read, card)
        done = len(plan) - len(report.several)
        for read in cards:  # the cards of photos of several
            on_event(Begun(done, total))
            done += 1
            photos = plan_of[id(read.photo)]
            if read.settled:
                side = read.card.sides[0]
                outcome = contacts.card_outcome(side.card_id or "")
                if outcome is not None:
                    report.tally[Action.UNCHANGED] += 1
                    recorder.unchanged(side.path, side.card_id or "", outcome)
                    on_event(Merged(_card_name(read), outcome))
            else:
                with _whole_card():
                    merge(read, photos, counted=True)
            pending[id(read.photo)] -= 1
            if not pending[id(read.photo)]:  # its last card is in: the photo is done
                report.processed += len(photos)
    except KeyboardInterrupt:
        report.interrupted = True  # keep what finished: the caller saves, then reports
    finally:
        cards.close()  # stop the workers however the loop ended


def _to_read_of(plan: list[list[Photo]]) -> list[list[Photo]]:
    """The plan's cards that to_read gives, in its order."""
    return [card for card in plan if card[0].outcome is None]


def _card_name(read: ReadCard) -> str:
    """How a card of a photo of several is named: its photo and its place."""
    side = read.card.sides[0]
    where = f" ({side.place.name})" if side.place is not None else ""
    return f"{side.path}{where}"


def _sources(result: CardResult) -> str:
    """The photos a card was read from, a card of a photo of several with its place."""
    names = []
    for side in result.photos:
        where = side.position
        names.append(side.source + (f" ({where.name})" if where else ""))
    person = result.card_id.partition("@")[2]  # a further person of the card (cardscan.rows)
    return " + ".join(names) + (f" (person {person})" if person else "")


@contextlib.contextmanager
def _whole_card() -> Iterator[None]:
    """Hold Ctrl-C while one card is merged, then act on it.

    Ctrl-C stops an ingest between cards, never in the middle of one: a card counted as
    read is always in the book (the summary's "read N" matches its rows), and a row is
    never saved half-merged. Reading the photos, the slow part, stays interruptible.
    When Ctrl-C is not Python's KeyboardInterrupt here (ignored in a background job, or
    a handler of the caller's), it is left alone.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt


__all__ = [
    "Begun",
    "Event",
    "IngestOptions",
    "IngestReport",
    "Merged",
    "Origin",
    "find_photos",
    "ingest",
]
