"""`cardscan ingest`: a night's stack of photos into the running spreadsheet.

The run itself is the library call cardscan.ingest.ingest (its module says how a run
goes, and why); this command holds the options, the progress bar, the dry run's
per-photo report, the summary and the exit codes: 0 when every card went in, 3 when
some could not be read (the rest are merged all the same), 4 when a path given does not
exist or holds no photo (then nothing is read or written), 130 on Ctrl-C (the cards read
so far are saved).
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path

import click
from click.core import ParameterSource
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from cardscan.book import Action, MergeOutcome
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
from cardscan.config import load_pipeline
from cardscan.errors import ExitCode
from cardscan.ingest import (
    Begun,
    Event,
    IngestOptions,
    IngestReport,
    Merged,
    find_photos,
    ingest,
)
from cardscan.model import CardResult
from cardscan.ocr.hangul import unread_note
from cardscan.state.batches import Finished

FOLLOW_UP_ENV = "CARDSCAN_FOLLOW_UP_DAYS"
MAX_FOLLOW_UP_DAYS = 3650

# Columns every merge touches: bookkeeping, not worth listing in a dry run.
_QUIET = frozenset(
    {col.SOURCE_PHOTOS, col.CARD_IDS, col.SCANNED_AT, col.NEEDS_REVIEW, col.REVIEW_REASONS}
)


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
    # anything is read or written, even beside good ones (exit 4).
    photos = find_photos(paths)
    options = IngestOptions(
        pipeline=with_timeout(load_pipeline(pipeline), timeout),
        region=region,
        event=event,
        where=where,
        met_on=met_on,
        follow_up_days=follow_up_days,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        dry_run=dry_run,
        rescan=rescan,
        pairs=pairs,
    )
    shown = _Shown()
    try:
        report = ingest(photos, book_path, options, warn=_warn, on_event=shown)
    finally:
        shown.close()
    if dry_run:
        _dry_run_report(shown.lines, report)
    note = None
    if report.store_path is not None and report.stored:
        note = (
            f"Took {report.stored} earlier reading{'s' if report.stored != 1 else ''} from "
            f"{_shown(report.store_path)} (--rescan reads them again)."
        )
    notes = [
        n
        for n in (
            _met_on_note(report.dated, report.today),
            note,
            _blank_note(report.blank),
            unread_note(report.korean_unread),
        )
        if n
    ]
    notes[:0] = _page_notes(report.finished, book)
    _summary(report, dry_run, notes)
    if report.interrupted:
        ctx.exit(ExitCode.INTERRUPTED)
    ctx.exit(ExitCode.CARDS_FAILED if report.failed else ExitCode.OK)


class _Shown:
    """What the run's events show: the progress bar on a terminal (from two cards up),
    and the dry run's line per card."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.progress: Progress | None = None

    def __call__(self, event: Event) -> None:
        if isinstance(event, Merged):
            self.lines.append(_line(event.source, event.outcome))
        elif isinstance(event, Begun) and sys.stderr.isatty() and event.total >= 2:
            if self.progress is None:
                columns = (
                    TextColumn("reading cards"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                )
                self.progress = Progress(*columns, console=Console(stderr=True), transient=True)
                self.progress.start()
                self.progress.add_task("cards", total=event.total)
            task = self.progress.task_ids[0]
            # A photo of several cards adds its cards to the total once it is looked at.
            self.progress.update(task, total=event.total)
            self.progress.advance(task)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


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


def _dry_run_report(lines: list[str], report: IngestReport) -> None:
    _echo("Dry run: nothing was written (no book, no backup, no stored reading).")
    for line in lines:
        _echo(line)
    if not report.book_exists:
        _echo(f"The book {report.book} does not exist yet: an ingest would create it.")
    found = spreadsheet_lock_files(report.book)
    if found:
        _echo(
            f"Note: {report.book} is open in a spreadsheet program ({found[0].name}): "
            "close it before the real ingest."
        )


def _failure(result: CardResult) -> str:
    message = result.issues[0].message if result.issues else "unknown error"
    prefix = "" if message.startswith(result.source) else f"{result.source}: "
    return f"{prefix}{message}"


def _summary(report: IngestReport, dry_run: bool, notes: list[str]) -> None:
    tally, review, failed = report.tally, report.review, report.failed
    total, with_backs = report.total, report.with_backs
    parts = [
        f"{tally[Action.NEW]} new",
        f"{tally[Action.MERGED]} merged into existing contacts",
    ]
    if tally[Action.UNCHANGED]:
        parts.append(f"{tally[Action.UNCHANGED]} already in the book")
    parts += [f"{len(review)} need review", f"{len(failed)} failed"]
    head = (
        f"Interrupted: read {report.processed} of {total}"
        if report.interrupted
        else f"Read {total}"
    )
    if dry_run:
        head = f"Dry run: {head[0].lower()}{head[1:]}"
    photos = "card photo" if total == 1 else "card photos"
    if with_backs:
        photos += f" ({with_backs} card{'s' if with_backs != 1 else ''} with front and back)"
    _echo(f"{head} {photos}: {', '.join(parts)}.")
    if report.several:
        shown = ", ".join(f"{_shown(path).as_posix()} ({n} cards)" for path, n in report.several)
        _echo(f"Photos of several cards, each card read as a card of its own: {shown}.")
    _echo(f"Book: {report.book}" + (" (not changed)" if dry_run else ""))
    for note in notes:
        _echo(note)
    if review:
        _echo("Needs review:")
        for result, reasons in review:
            who = result.contact.name or result.contact.company or "(no name)"
            place = result.position
            where = f" ({place.name})" if place is not None else ""
            _echo(f"  {result.source}{where}: {who}: {reasons}")
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
