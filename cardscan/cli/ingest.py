"""`cardscan ingest`: a night's stack of photos into the running spreadsheet.

How a run goes, and why:

1. Each photo's card id (sha256 of its bytes) is taken first. A photo already in the
   book (its card id is in a row) changes nothing, so it is not read at all. A photo
   read before under the same pipeline and region is taken from the result store
   (cardscan.state.readings) unless --rescan. A second copy of a photo in the same batch
   is read once. Only the rest go to the OCR workers.
2. Every reading is committed to the store as soon as it arrives, before it is merged:
   a run stopped by Ctrl-C, kill -9 or a power cut loses no photo already read.
3. The book is written once, at the end, atomically (so never half-written), after a
   backup of the old version; the ingest is then recorded in the store's journal with
   that backup, for `cardscan undo`. Ctrl-C still saves the cards read so far.
4. --dry-run reads the book without locking it and writes nothing at all: no book, no
   backup, no store entry. It prints per photo what an ingest would do.

Failed photos are not stored, so the next run tries them again.

Cards photographed on both sides (cardscan.backs): the photos are paired first (by name,
or two at a time with --pairs), and a card is left alone only when all its photos are in
the book. Each photo is read, stored and counted alone, in the same pool; the two
readings are joined (the back filling the front's gaps, its other text for Card notes)
before the book sees the card.

Meetings: --event and --where are stamped on every card of the batch. The meeting date
is --met-on for every card when given; otherwise each card's own photo date (EXIF
DateTimeOriginal, read with the photo and kept with its stored reading), so a folder
spanning two evenings dates each card by its evening; a photo without one is dated
today. A new person's Follow up by is that date plus --follow-up-days
($CARDSCAN_FOLLOW_UP_DAYS, else 1).
"""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import sys
import threading
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import click
from click.core import ParameterSource
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from cardscan.backs import CardPhotos, join_sides, pair_photos
from cardscan.book import Action, Book, MergeOutcome
from cardscan.book import columns as col
from cardscan.book.cells import format_date
from cardscan.book.merge import FOLLOW_UP_DAYS
from cardscan.book.safety import spreadsheet_lock_files
from cardscan.cli.options import (
    book_option,
    default_book,
    executor_options,
    jobs_option,
    parse_date,
    pipeline_option,
    region_option,
    timeout_option,
    with_timeout,
)
from cardscan.cli.output import say, warn
from cardscan.config import LoadSection, load_pipeline
from cardscan.dask_executor import check_cluster
from cardscan.errors import ExitCode, ImageError, InputError
from cardscan.load import card_id_of, read_bytes
from cardscan.model import CardResult, Status
from cardscan.ocr.hangul import unread_note
from cardscan.pipeline import CardJob, engine_for
from cardscan.review.page import write_page
from cardscan.runner import (
    PHOTO_EXTENSIONS,
    Collected,
    collect_photos,
    default_jobs,
    run_batch,
)
from cardscan.state.batches import BatchRecorder, Finished
from cardscan.state.readings import ResultStore, pipeline_key
from cardscan.state.undo import save_ingest

T = TypeVar("T")
FOLLOW_UP_ENV = "CARDSCAN_FOLLOW_UP_DAYS"
MAX_FOLLOW_UP_DAYS = 3650

# Columns every merge touches: bookkeeping, not worth listing in a dry run.
_QUIET = frozenset(
    {col.SOURCE_PHOTOS, col.CARD_IDS, col.SCANNED_AT, col.NEEDS_REVIEW, col.REVIEW_REASONS}
)


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


def _follow_up_days(ctx: click.Context, param: click.Parameter, value: str | None) -> int:
    if value is None:
        return FOLLOW_UP_DAYS
    try:
        days = int(str(value).strip())
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_FOLLOW_UP_DAYS:
        env = ctx.get_parameter_source(param.name or "") is ParameterSource.ENVIRONMENT
        origin = f" (from ${FOLLOW_UP_ENV})" if env else ""
        raise click.BadParameter(
            f"'{value}'{origin} is not a number of days: use a whole number from 0 (the "
            f"same day) to {MAX_FOLLOW_UP_DAYS}"
        )
    return days


@click.command(
    "ingest", short_help="Read card photos (files or folders) and merge them into the book"
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@book_option
@click.option(
    "--event", help='The event you met them at, e.g. "Chicago Tech Mixer"; stamped on every card.'
)
@click.option(
    "--where",
    metavar="TEXT",
    help='Where exactly you met them, e.g. "booth 12", a table, a city; stamped on every '
    "card (a person met again somewhere else lists both).",
)
@click.option(
    "--met-on",
    callback=parse_date,
    metavar="DATE",
    help="The date you met them, for every card: YYYY-MM-DD, today, yesterday or a "
    "weekday (friday: the last one). Default: the date each photo was taken (its EXIF), "
    "else today.",
)
@click.option(
    "--follow-up-days",
    envvar=FOLLOW_UP_ENV,
    callback=_follow_up_days,
    metavar="N",
    help="Follow up by = met on + N days, for a new contact (0: the same day). "
    f"Default: ${FOLLOW_UP_ENV}, else {FOLLOW_UP_DAYS}.",
)
@region_option
@jobs_option
@executor_options
@pipeline_option
@timeout_option
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show per photo what would be added or changed; write nothing (no book, no "
    "backup, no stored reading).",
)
@click.option(
    "--rescan",
    is_flag=True,
    help="Read photos again instead of taking earlier readings from the result store "
    "(photos already in the book are still left alone: `cardscan rescan PHOTO --book` "
    "re-reads one into its row).",
)
@click.option(
    "--pairs",
    is_flag=True,
    help="Every card was photographed on both sides: take the photos two at a time, front "
    "then back, in the order they are read (sorted by name in each folder). Without it, "
    "a photo named like X-back.jpg, X_back.jpg, 'X back.jpg' or 'X (back).jpg' is the "
    "back of X.jpg.",
)
@click.pass_context
def command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    book: Path | None,
    event: str | None,
    where: str | None,
    met_on: date | None,
    follow_up_days: int,
    region: str,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    pipeline: str,
    timeout: float | None,
    dry_run: bool,
    rescan: bool,
    pairs: bool,
) -> None:
    """Read card photos (files or folders, recursively) and merge them into the book.

    A card of someone already in the book (same email or mobile, or the same name at
    the same company) merges into their row; the same photo ingested again changes
    nothing and is not read again. Readings are kept in .cardscan/ beside the book as
    they arrive, so an interrupted run resumes where it stopped. `cardscan undo` puts
    the book back as it was before the last ingest. Exit status 0 when every card went
    in, 3 when some could not be read (the rest are merged all the same), 4 when a path
    given does not exist or holds no photo (then nothing is read or written).
    """
    book_path = book or default_book()
    # Every path first: one that does not exist or holds no photo stops the run before
    # anything is read or written (no .cardscan/, no page, no book), even beside good
    # ones: a typo is a slip to fix and run again, not a card that failed. A file that
    # exists but cannot be read is a failed card of the batch, as before.
    collected = collect_photos(paths)
    _refuse_slips(collected)
    definition = with_timeout(load_pipeline(pipeline), timeout)
    # Tesseract missing, or the cluster unusable: stop before touching anything.
    if executor == "dask":
        check_cluster(scheduler, definition)
    else:
        engine_for(definition).check()
    pairing = pair_photos(collected.photos, consecutive=pairs)
    for warning in pairing.warnings:
        _warn(warning)
    today = date.today()
    scanned_at = datetime.now().replace(microsecond=0)
    key = pipeline_key(definition)
    tally: Counter[str] = Counter()
    dated: Counter[date | None] = Counter()  # cards added, by their photo's date (no --met-on)
    failed: list[CardResult] = []
    review: list[tuple[CardResult, str]] = []
    blank: list[CardResult] = []  # sides of a two-sided card with nothing on them
    lines: list[str] = []  # the dry run's per-photo report
    interrupted = False
    processed = 0
    korean_unread = 0  # photos with Korean lines left unread (no Korean data)
    recorder = BatchRecorder(  # what happened per photo, for the review page
        book_path,
        started=scanned_at,
        event=event,
        where=where,
        met_on=met_on,
        dry_run=dry_run,
        warn=_warn,
        write_page=write_page,
    )
    with Book.open(book_path, read_only=dry_run) as contacts:
        store = ResultStore.open(contacts.file, warn=_warn, read_only=dry_run)
        readings: Generator[CardResult, None, None] | None = None
        try:
            plan = _plan(pairing.cards, contacts, store, key, region, definition.load, rescan)
            photos = [photo for card in plan for photo in card]
            to_read = [CardJob(str(p.path), definition, region) for p in photos if _reads(p)]
            readings = run_batch(
                to_read, jobs or default_jobs(), executor=executor, scheduler=scheduler
            )
            stream = _stream(photos, readings)
            try:
                for card in _with_progress(iter(plan), len(plan)):
                    if card[0].outcome is not None:  # every photo of it in the book: not read
                        for _ in card:
                            next(stream)
                        processed += len(card)
                        tally[Action.UNCHANGED] += 1
                        recorder.unchanged(card[0].path, card[0].card_id or "", card[0].outcome)
                        lines.append(_line(_paths(card), card[0].outcome))
                        continue
                    sides: list[CardResult] = []
                    for photo in card:
                        result = next(stream)[1]
                        assert result is not None
                        if photo.origin is Origin.READ and store is not None:
                            store.put(result, key, region)  # committed before anything else
                        recorder.keep_crop(result)  # the card's picture, to .cardscan/crops/
                        tally[photo.origin] += photo.origin is Origin.STORE
                        sides.append(result)
                        korean_unread += result.korean_unread > 0
                    with _whole_card():  # Ctrl-C here waits until this card is merged
                        processed += len(card)
                        back = sides[1] if len(sides) > 1 else None
                        joined = join_sides(sides[0], back, front_in_book=card[0].in_book)
                        failed += joined.failed  # listed under Failed: in the summary
                        blank += joined.blank
                        if joined.card is None:
                            continue
                        result = joined.card
                        outcome = contacts.add_card(
                            result,
                            event=event,
                            met_on=met_on or result.taken_on or today,
                            scanned_at=scanned_at,
                            where=where,
                            follow_up_days=follow_up_days,
                        )
                        recorder.card(card[0].path, result, outcome)
                        if met_on is None and outcome.action is not Action.UNCHANGED:
                            dated[result.taken_on] += 1
                        tally[outcome.action] += 1
                        lines.append(_line(" + ".join(r.source for r in result.photos), outcome))
                        if result.status is Status.NEEDS_REVIEW or outcome.reasons:
                            reasons = [i.message for i in result.issues] + list(outcome.reasons)
                            review.append((result, "; ".join(reasons)))
            except KeyboardInterrupt:
                interrupted = True  # keep what finished: save below, then report
            if dry_run:
                _dry_run_report(lines, contacts)
            elif tally[Action.NEW] or tally[Action.MERGED]:
                save_ingest(
                    contacts,
                    store,
                    started=scanned_at,
                    photos=processed,
                    new_rows=tally[Action.NEW],
                    merged=tally[Action.MERGED],
                )
        finally:
            if readings is not None:
                readings.close()  # stop the workers however the loop ended
            if store is not None:
                store.close()
    stored = tally[Origin.STORE]
    note = None
    if store is not None and stored:
        note = (
            f"Took {stored} earlier reading{'s' if stored != 1 else ''} from "
            f"{_shown(store.path)} (--rescan reads them again)."
        )
    notes = [
        n
        for n in (_met_on_note(dated, today), note, _blank_note(blank), unread_note(korean_unread))
        if n
    ]
    notes[:0] = _page_notes(recorder.finish(failed, interrupted=interrupted), book)
    _summary(
        processed,
        len(photos),
        tally,
        review,
        failed,
        book_path,
        interrupted,
        dry_run,
        notes,
        with_backs=pairing.with_backs,
    )
    if interrupted:
        ctx.exit(ExitCode.INTERRUPTED)
    ctx.exit(ExitCode.CARDS_FAILED if failed else ExitCode.OK)


def _page_notes(done: Finished, book: Path | None) -> list[str]:
    """What the summary says about the review page (see state.batches: it is rewritten
    only by a batch that added or merged a card)."""
    if done.page is not None:
        return [f"Review page: {_shown(done.page)} (open it in a browser to check the cards)"]
    if done.added:
        return []  # its page could not be written: a warning said why
    notes = []
    if done.earlier is not None:
        notes.append(
            f"Review page: {_shown(done.earlier)} still shows the last batch that added "
            "cards (this one added none)."
        )
    if done.batch is not None:
        where = f" --book {book}" if book is not None else ""
        notes.append(f"This batch's failed photos: cardscan review --batch {done.batch}{where}")
    return notes


def _refuse_slips(collected: Collected) -> None:
    """Exit 4 naming every path given that does not exist or holds no photo."""
    if not collected.missing and not collected.empty:
        return
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


@contextlib.contextmanager
def _whole_card() -> Iterator[None]:
    """Hold Ctrl-C while one card is joined and merged, then act on it.

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


def _met_on_note(dated: Counter[date | None], today: date) -> str | None:
    """How the cards added without --met-on were dated: their photos' dates, else today."""
    undated = dated[None]
    days = sorted(d for d in dated if d is not None)
    if not days and not undated:
        return None
    if not days:
        return f"Met on: today, {format_date(today)} (no photo says when it was taken)."
    shown = ", ".join(map(format_date, days))
    if len(days) > 3:
        shown = f"{len(days)} days, {format_date(days[0])} to {format_date(days[-1])}"
    text = f"Met on: the day each photo was taken ({shown})"
    if undated:
        text += f"; today, {format_date(today)}, for {undated} without a date"
    return text + "."


def _plan(
    cards: list[CardPhotos],
    contacts: Book,
    store: ResultStore | None,
    key: str,
    region: str,
    load: LoadSection,
    rescan: bool,
) -> list[list[Photo]]:
    """Decide per photo whether it must be read, before starting any worker.

    One list of photos per card (its front, then its back). A card is left alone only
    when all its photos are in the book; a back added later to a front in the book is
    read with that front (taken from the store when it can be).
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


def _reads(photo: Photo) -> bool:
    return photo.origin is Origin.READ


def _stream(
    plan: list[Photo], readings: Iterator[CardResult]
) -> Iterator[tuple[Photo, CardResult | None]]:
    """Every photo with its result, in input order, reading only those that need it."""
    by_id: dict[str, CardResult] = {}
    for photo in plan:
        if photo.origin is Origin.BOOK:
            yield photo, None
            continue
        if photo.origin is Origin.READ:
            result = next(readings)
        elif photo.origin is Origin.STORE:
            assert photo.result is not None
            result = photo.result
        else:  # a copy: whatever its first photo gave, under its own name
            result = dataclasses.replace(by_id[photo.card_id or ""], source=str(photo.path))
        if photo.card_id:
            by_id.setdefault(photo.card_id, result)
        yield photo, result


def _with_progress(items: Iterator[T], total: int) -> Iterator[T]:
    if not sys.stderr.isatty() or total < 2:
        yield from items
        return
    columns = (
        TextColumn("reading cards"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("cards", total=total)
        for item in items:
            progress.advance(task)
            yield item


def _paths(card: list[Photo]) -> str:
    return " + ".join(str(photo.path) for photo in card)


def _blank_note(blank: list[CardResult]) -> str | None:
    """The sides of two-sided cards on which nothing was read (blank, a logo alone)."""
    if not blank:
        return None
    shown = ", ".join(_shown(Path(r.source)).as_posix() for r in blank)
    sides = "side" if len(blank) == 1 else "sides"
    return (
        f"Nothing read on {len(blank)} {sides} of a two-sided card (blank, or a logo "
        f"only; listed with the card): {shown}."
    )


def _line(source: str, outcome: MergeOutcome) -> str:
    """One photo in the dry-run report."""
    who = outcome.name or "(no name)"
    if outcome.action is Action.UNCHANGED:
        return f"  {source}: unchanged: already in row {outcome.sheet_row} ({who})"
    if outcome.action is Action.NEW:
        details = [outcome.changed.get(c, ("", ""))[1] for c in (col.TITLE, col.COMPANY)]
        shown = ", ".join([who, *(d for d in details if d)])
        text = f"  {source}: new row {outcome.sheet_row}: {shown}"
    else:
        changes = [_change(c, old, new) for c, (old, new) in outcome.changed.items()]
        fields = [f for f in changes if f]
        text = f"  {source}: merged into row {outcome.sheet_row} ({who}, {outcome.why})"
        text += f": {'; '.join(fields)}" if fields else ": nothing new (the photo is listed)"
    if outcome.reasons:
        text += f" [flagged: {'; '.join(outcome.reasons)}]"
    return text


def _change(column: str, old: str, new: str) -> str:
    if column in _QUIET:
        return ""  # bookkeeping every merge touches, and the reasons shown as [flagged: ...]
    if column == col.NOTES:
        return f"Notes + {new[len(old) :].strip()!r}"
    if not old:
        return f"{column} {new}"
    if new.startswith(old):
        return f"{column} + {new[len(old) :].lstrip('; ')}"
    return f"{column} {old} -> {new}"


def _dry_run_report(lines: list[str], contacts: Book) -> None:
    _echo("Dry run: nothing was written (no book, no backup, no stored reading).")
    for line in lines:
        _echo(line)
    if not contacts.exists:
        _echo(f"The book {contacts.path} does not exist yet: an ingest would create it.")
    found = spreadsheet_lock_files(contacts.path)
    if found:
        _echo(
            f"Note: {contacts.path} is open in a spreadsheet program ({found[0].name}): "
            "close it before the real ingest."
        )


def _failure(result: CardResult) -> str:
    message = result.issues[0].message if result.issues else "unknown error"
    prefix = "" if message.startswith(result.source) else f"{result.source}: "
    return f"{prefix}{message}"


def _summary(
    processed: int,
    total: int,
    tally: Counter[str],
    review: list[tuple[CardResult, str]],
    failed: list[CardResult],
    book_path: Path,
    interrupted: bool,
    dry_run: bool,
    notes: list[str],
    *,
    with_backs: int = 0,
) -> None:
    parts = [
        f"{tally[Action.NEW]} new",
        f"{tally[Action.MERGED]} merged into existing contacts",
    ]
    if tally[Action.UNCHANGED]:
        parts.append(f"{tally[Action.UNCHANGED]} already in the book")
    parts += [f"{len(review)} need review", f"{len(failed)} failed"]
    head = f"Interrupted: read {processed} of {total}" if interrupted else f"Read {total}"
    if dry_run:
        head = f"Dry run: {head[0].lower()}{head[1:]}"
    photos = "card photo" if total == 1 else "card photos"
    if with_backs:
        photos += f" ({with_backs} card{'s' if with_backs != 1 else ''} with front and back)"
    _echo(f"{head} {photos}: {', '.join(parts)}.")
    _echo(f"Book: {book_path}" + (" (not changed)" if dry_run else ""))
    for note in notes:
        _echo(note)
    if review:
        _echo("Needs review:")
        for result, reasons in review:
            who = result.contact.name or result.contact.company or "(no name)"
            _echo(f"  {result.source}: {who}: {reasons}")
    if failed:
        _echo("Failed:")
        for result in failed:
            _echo(f"  {_failure(result)}")


def _echo(text: str) -> None:
    """One line of the report on stdout. It quotes file names and what cards say, so
    control characters are shown escaped (a line break in a name too: one line stays
    one line), and so are photo names that are not valid UTF-8 (a strict stdout would
    fail on them)."""
    say(text)


def _shown(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _warn(message: str) -> None:
    warn(message)
