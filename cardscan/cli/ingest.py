"""`cardscan ingest`: a night's stack of photos into the running spreadsheet.

How a run goes, and why:

1. Each photo's card id (sha256 of its bytes) is taken first. A photo already in the
   book (its card id is in a row) changes nothing, so it is not read at all. A photo
   read before under the same pipeline and region is taken from the result store
   (cardscan.book.results) unless --rescan. A second copy of a photo in the same batch
   is read once. Only the rest go to the OCR workers.
2. Every reading is committed to the store as soon as it arrives, before it is merged:
   a run stopped by Ctrl-C, kill -9 or a power cut loses no photo already read.
3. The book is written once, at the end, atomically (so never half-written), after a
   backup of the old version; the ingest is then recorded in the store's journal with
   that backup, for `cardscan undo`. Ctrl-C still saves the cards read so far.
4. --dry-run reads the book without locking it and writes nothing at all: no book, no
   backup, no store entry. It prints per photo what an ingest would do.

Failed photos are not stored, so the next run tries them again.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from cardscan.book import Action, Book, MergeOutcome
from cardscan.book import columns as col
from cardscan.book.cells import printable
from cardscan.book.results import ResultStore, pipeline_key
from cardscan.book.safety import spreadsheet_lock_files
from cardscan.book.undo import save_ingest
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
from cardscan.config import LoadSection, load_pipeline
from cardscan.dask_executor import check_cluster
from cardscan.errors import ExitCode, ImageError, InputError
from cardscan.load import card_id_of, read_bytes
from cardscan.model import CardResult, Status
from cardscan.pipeline import CardJob, engine_for
from cardscan.runner import PHOTO_EXTENSIONS, collect_photos, default_jobs, run_batch

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


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@book_option
@click.option(
    "--event", help='Where you met them, e.g. "Chicago Tech Mixer"; stamped on every card.'
)
@click.option(
    "--met-on",
    callback=parse_date,
    metavar="DATE",
    help="The date you met them (YYYY-MM-DD). Default: today.",
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
@click.pass_context
def command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    book: Path | None,
    event: str | None,
    met_on: date | None,
    region: str,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    pipeline: str,
    timeout: float | None,
    dry_run: bool,
    rescan: bool,
) -> None:
    """Read card photos (files or folders, recursively) and merge them into the book.

    A card of someone already in the book (same email or mobile, or the same name at
    the same company) merges into their row; the same photo ingested again changes
    nothing and is not read again. Readings are kept in .cardscan/ beside the book as
    they arrive, so an interrupted run resumes where it stopped. `cardscan undo` puts
    the book back as it was before the last ingest. Exit status 0 when every card went
    in, 3 when some could not be read (the rest are merged all the same).
    """
    book_path = book or default_book()
    definition = with_timeout(load_pipeline(pipeline), timeout)
    # Tesseract missing, or the cluster unusable: stop before touching anything.
    if executor == "dask":
        check_cluster(scheduler, definition)
    else:
        engine_for(definition).check()
    collected = collect_photos(paths)
    if not collected.photos and not collected.problems:
        kinds = ", ".join(sorted(e.lstrip(".") for e in PHOTO_EXTENSIONS))
        raise InputError(
            f"no photos found in {', '.join(map(str, paths))}",
            f"give photo files, or folders holding {kinds} files",
        )
    met = met_on or date.today()
    scanned_at = datetime.now().replace(microsecond=0)
    key = pipeline_key(definition)
    tally: Counter[str] = Counter()
    failed: list[CardResult] = list(collected.problems)
    review: list[tuple[CardResult, str]] = []
    lines: list[str] = []  # the dry run's per-photo report
    interrupted = False
    processed = 0
    with Book.open(book_path, read_only=dry_run) as contacts:
        store = ResultStore.open(contacts.file, warn=_warn, read_only=dry_run)
        readings: Generator[CardResult, None, None] | None = None
        try:
            plan = _plan(collected.photos, contacts, store, key, region, definition.load, rescan)
            to_read = [CardJob(str(p.path), definition, region) for p in plan if _reads(p)]
            readings = run_batch(
                to_read, jobs or default_jobs(), executor=executor, scheduler=scheduler
            )
            try:
                for photo, result in _with_progress(_stream(plan, readings), len(plan)):
                    processed += 1
                    if photo.outcome is not None:  # already in the book: not read
                        tally[Action.UNCHANGED] += 1
                        lines.append(_line(str(photo.path), photo.outcome))
                        continue
                    assert result is not None
                    if result.status is Status.FAILED:
                        failed.append(result)  # listed under Failed: in the summary
                        continue
                    if photo.origin is Origin.READ and store is not None:
                        store.put(result, key, region)  # committed before anything else
                    outcome = contacts.add_card(
                        result, event=event, met_on=met, scanned_at=scanned_at
                    )
                    tally[outcome.action] += 1
                    tally[photo.origin] += 1
                    lines.append(_line(result.source, outcome))
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
    _summary(processed, len(plan), tally, review, failed, book_path, interrupted, dry_run, note)
    if interrupted:
        ctx.exit(ExitCode.INTERRUPTED)
    ctx.exit(ExitCode.CARDS_FAILED if failed else ExitCode.OK)


def _plan(
    photos: list[Path],
    contacts: Book,
    store: ResultStore | None,
    key: str,
    region: str,
    load: LoadSection,
    rescan: bool,
) -> list[Photo]:
    """Decide per photo whether it must be read, before starting any worker."""
    plan: list[Photo] = []
    seen: set[str] = set()
    for path in photos:
        try:
            data = read_bytes(path, load.limits())
        except ImageError:
            plan.append(Photo(path, None, Origin.READ))  # the reader reports why
            continue
        card_id = card_id_of(data)
        outcome = contacts.card_outcome(card_id)
        if outcome is not None:
            plan.append(Photo(path, card_id, Origin.BOOK, outcome=outcome))
        elif card_id in seen:
            plan.append(Photo(path, card_id, Origin.COPY))
        else:
            seen.add(card_id)
            stored = None if rescan or store is None else store.get(card_id, key, region)
            if stored is not None:
                stored = dataclasses.replace(stored, source=str(path))
                plan.append(Photo(path, card_id, Origin.STORE, result=stored))
            else:
                plan.append(Photo(path, card_id, Origin.READ))
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


def _with_progress(
    items: Iterator[tuple[Photo, CardResult | None]], total: int
) -> Iterator[tuple[Photo, CardResult | None]]:
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
    note: str | None,
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
    _echo(f"{head} {photos}: {', '.join(parts)}.")
    _echo(f"Book: {book_path}" + (" (not changed)" if dry_run else ""))
    if note:
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
    """One line of the report on stdout. Photo names that are not valid UTF-8 are shown
    escaped (cells.printable): a strict stdout (a UTF-8 locale) would fail on them."""
    click.echo(printable(text))


def _shown(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _warn(message: str) -> None:
    click.echo(f"cardscan: warning: {message}", err=True)
