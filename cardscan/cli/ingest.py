"""`cardscan ingest`: a night's stack of photos into the running spreadsheet."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from cardscan.book import Action, Book
from cardscan.cli.options import (
    book_option,
    default_book,
    jobs_option,
    parse_date,
    pipeline_option,
    region_option,
)
from cardscan.config import load_pipeline
from cardscan.errors import ExitCode, InputError
from cardscan.model import CardResult, Status
from cardscan.pipeline import CardJob, engine_for
from cardscan.runner import PHOTO_EXTENSIONS, collect_photos, default_jobs, run_batch


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
@pipeline_option
@click.pass_context
def command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    book: Path | None,
    event: str | None,
    met_on: date | None,
    region: str,
    jobs: int | None,
    pipeline: str,
) -> None:
    """Read card photos (files or folders, recursively) and merge them into the book.

    A card whose email or phone is already in the book merges into that row; the same
    photo ingested again changes nothing. Exit status 0 when every card went in, 3 when
    some could not be read (the rest are merged all the same).
    """
    book_path = book or default_book()
    definition = load_pipeline(pipeline)
    engine_for(definition).check()  # Tesseract missing: stop before touching anything
    collected = collect_photos(paths)
    if not collected.photos and not collected.problems:
        kinds = ", ".join(sorted(e.lstrip(".") for e in PHOTO_EXTENSIONS))
        raise InputError(
            f"no photos found in {', '.join(map(str, paths))}",
            f"give photo files, or folders holding {kinds} files",
        )
    met = met_on or date.today()
    scanned_at = datetime.now().replace(microsecond=0)
    job_list = [CardJob(str(p), definition, region) for p in collected.photos]
    tally: Counter[str] = Counter()
    failed: list[CardResult] = list(collected.problems)
    review: list[tuple[CardResult, str]] = []
    interrupted = False
    processed = 0
    with Book.open(book_path) as contacts:
        try:
            for result in _with_progress(
                run_batch(job_list, jobs or default_jobs()), len(job_list)
            ):
                processed += 1
                if result.status is Status.FAILED:
                    failed.append(result)
                    continue
                outcome = contacts.add_card(result, event=event, met_on=met, scanned_at=scanned_at)
                tally[outcome.action] += 1
                if result.status is Status.NEEDS_REVIEW or outcome.reasons:
                    reasons = [i.message for i in result.issues] + list(outcome.reasons)
                    review.append((result, "; ".join(reasons)))
        except KeyboardInterrupt:
            interrupted = True  # keep what finished: save below, then report
        if tally[Action.NEW] or tally[Action.MERGED]:
            contacts.save()
    _summary(processed, len(job_list), tally, review, failed, book_path, interrupted)
    if interrupted:
        ctx.exit(ExitCode.INTERRUPTED)
    ctx.exit(ExitCode.CARDS_FAILED if failed else ExitCode.OK)


def _with_progress(results: Iterator[CardResult], total: int) -> Iterator[CardResult]:
    if not sys.stderr.isatty() or total < 2:
        yield from results
        return
    columns = (
        TextColumn("reading cards"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("cards", total=total)
        for result in results:
            progress.advance(task)
            yield result


def _summary(
    processed: int,
    total: int,
    tally: Counter[str],
    review: list[tuple[CardResult, str]],
    failed: list[CardResult],
    book_path: Path,
    interrupted: bool,
) -> None:
    parts = [
        f"{tally[Action.NEW]} new",
        f"{tally[Action.MERGED]} merged into existing contacts",
    ]
    if tally[Action.UNCHANGED]:
        parts.append(f"{tally[Action.UNCHANGED]} already in the book")
    parts += [f"{len(review)} need review", f"{len(failed)} failed"]
    head = f"Interrupted: read {processed} of {total}" if interrupted else f"Read {total}"
    click.echo(f"{head} card photos: {', '.join(parts)}.")
    click.echo(f"Book: {book_path}")
    if review:
        click.echo("Needs review:")
        for result, reasons in review:
            who = result.contact.name or result.contact.company or "(no name)"
            click.echo(f"  {result.source}: {who}: {reasons}")
    if failed:
        click.echo("Failed:")
        for result in failed:
            message = result.issues[0].message if result.issues else "unknown error"
            prefix = "" if message.startswith(result.source) else f"{result.source}: "
            click.echo(f"  {prefix}{message}")
