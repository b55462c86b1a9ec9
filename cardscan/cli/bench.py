"""`cardscan bench`: measure accuracy and speed on photos with truth beside them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from click.core import ParameterSource

from cardscan.bench import MemoryWatch, Truth, find_truths, format_report, score
from cardscan.bench_cards import format_several, score_several
from cardscan.breakdown import BY_COLUMNS, breakdown, format_breakdown
from cardscan.cli.options import (
    book_option,
    default_book,
    jobs_option,
    pipeline_option,
    region_option,
)
from cardscan.cli.output import say, say_lines, warn
from cardscan.config import Pipeline, load_pipeline
from cardscan.errors import InputError
from cardscan.executors import default_jobs
from cardscan.model import CardResult
from cardscan.pipeline import engine_for
from cardscan.reading import CardToRead, Side, read_cards
from cardscan.state import corrections


@click.command(
    "bench", short_help="Measure accuracy and speed on photos with truth JSON beside them"
)
@click.argument(
    "folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--corrections",
    "corrected",
    is_flag=True,
    help="Instead of a FOLDER: the cards you corrected or checked on the review page "
    "(`cardscan apply` keeps them beside --book), with your corrections as their truth.",
)
@book_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@jobs_option
@click.option("--misses", is_flag=True, help="Also list each name/title/company read wrong.")
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(BY_COLUMNS),
    metavar="COLUMN",
    help="Also break the scores down by COLUMN (repeatable): country, layout, background, "
    "rotation (from the truth JSON), field, or confidence (the reading's own confidence in "
    "bands, beside how often the fields in each band were right).",
)
@click.option(
    "--speed",
    is_flag=True,
    help="Also read the photos with one job, to compare its speed with --jobs "
    "(takes about twice as long).",
)
@region_option
@pipeline_option
@click.pass_context
def command(
    ctx: click.Context,
    folder: Path | None,
    corrected: bool,
    book: Path | None,
    as_json: bool,
    jobs: int | None,
    misses: bool,
    by: tuple[str, ...],
    speed: bool,
    region: str,
    pipeline: str,
) -> None:
    """Read every photo in FOLDER that has a truth JSON beside it and print how well it went.

    A card photographed on both sides (X.jpg with X-back.jpg) counts as one card, scored
    against the back's "merged" truth.

    Per field: precision, recall and F1 for emails, phones (as E.164) and websites;
    exact-match accuracy for name, title and company; token F1 for the address; the
    share of cards with every field right; values invented where the card has none;
    seconds per card, cards per second, the share of time inside the OCR engines and the
    peak memory of all processes together. --speed adds a run with one job for
    comparison. The book is not touched.

    The verdict: how many cards marked OK have a wrong field (silent errors), how many
    flagged for review were right, and how often a field read with a given confidence
    was right (always shown, as `by confidence`).

    --by COLUMN adds a table of the scores per value of COLUMN, e.g. `--by country --by
    field`; with --json they are under "by".

    With --corrections instead of FOLDER: the cards corrected or checked on the review
    page, with the corrections as their truth (what the pipeline gets wrong on your
    own cards).
    """
    if corrected == (folder is not None):
        raise click.UsageError("give a FOLDER of photos with truth JSON, or --corrections")
    if folder is None:
        truths = _corrected_truths(book or default_book())
    else:
        truths = find_truths(folder)
    if not truths:
        raise InputError(
            f"no photos with a truth JSON beside them in {folder}",
            'put <name>.json (with a "contact" object) next to each <name>.jpg',
        )
    definition = load_pipeline(pipeline)
    engine_for(definition).check()
    workers = jobs or default_jobs()
    # A truth's own country is the region a user there would have (their locale), for
    # numbers printed without a country code; --region given on the command line wins.
    given = ctx.get_parameter_source("region") is ParameterSource.COMMANDLINE
    regions = job_regions(truths, region, given)
    with MemoryWatch() as memory:
        results, parts, wall = _timed_run(truths, definition, regions, workers)
    report = score(zip(truths, results, strict=True))
    several = [
        (truth, parts.get(i) or [results[i]])
        for i, truth in enumerate(truths)
        if truth.several_cards
    ]
    figures = report.to_json(memory.peak_mb)
    figures["pipeline"] = definition.name
    figures["jobs"] = workers
    # Cards read: a photo of several counts its cards.
    read = len(truths) + sum(len(found) - 1 for found in parts.values())
    figures["cards_per_second"] = round(read / wall, 3) if wall else 0.0
    # The calibration of the fields' confidences (how often a field read with a given
    # confidence was right) is always shown: it is what the verdict rests on.
    figures["by"] = {
        column: breakdown(report.card_rows, report.field_rows, column)
        for column in dict.fromkeys(("confidence", *by))
    }
    if several:
        figures["several_cards"] = score_several(several).to_json()
    if speed and workers > 1:
        with MemoryWatch() as single_memory:
            single, _, single_wall = _timed_run(truths, definition, regions, 1)
        figures["one_job"] = {
            "cards_per_second": round(len(truths) / single_wall, 3) if single_wall else 0.0,
            "peak_memory_mb": round(single_memory.peak_mb, 1),
            # With one worker the wall time is all the batch's work in a row: parent and
            # worker start (models loaded), every card, the results sent back.
            "ocr_share_of_wall": (
                sum(r.ocr_seconds for r in single) / single_wall if single_wall else 0.0
            ),
        }
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    say(f"pipeline: {definition.name}, jobs: {workers}, {figures['cards_per_second']:.2f} cards/s")
    if report.cards or "several_cards" not in figures:
        say_lines(format_report(figures))  # figures and field names only: no outside text
    if "several_cards" in figures:
        say_lines("\n".join(format_several(figures["several_cards"])))
    if "one_job" in figures:
        one = figures["one_job"]
        gain = (
            figures["cards_per_second"] / one["cards_per_second"] if one["cards_per_second"] else 0
        )
        click.echo(
            f"speed: 1 job {one['cards_per_second']:.2f} cards/s, {workers} jobs "
            f"{figures['cards_per_second']:.2f} cards/s ({gain:.1f}x); with 1 job "
            f"{one['ocr_share_of_wall']:.0%} of the wall time is inside the OCR engines, "
            f"and peak memory is {one['peak_memory_mb']:.0f} MB"
        )
    for column, rows in figures.get("by", {}).items():
        click.echo("")
        say_lines(format_breakdown(column, rows))  # its cells made visible where built
    if misses:
        click.echo("")
        for miss in report.misses:  # the photo's name, and what was read from it
            say(miss)


def job_regions(truths: list[Truth], region: str, given: bool) -> list[str]:
    """The region each card is read with: its truth's country (the locale a user there
    has), else `region`; `region` for all when the user gave it on the command line."""
    return [region if given else (t.region or region) for t in truths]


def _corrected_truths(book: Path) -> list[Truth]:
    """The cards corrected on the review page, as truths (cardscan.state.corrections)."""
    cards, skipped = corrections.truths(book.resolve())
    for line in skipped:
        warn(f"left out: {line}")
    if not cards:
        raise InputError(
            f"no corrected cards are kept for {book}",
            "correct or check cards on the review page (`cardscan review`), then "
            "`cardscan apply` the file it saves",
        )
    return [Truth(card.photo, card.contact, card.back) for card in cards]


def _timed_run(
    truths: list[Truth], definition: Pipeline, regions: list[str], workers: int
) -> tuple[list[CardResult], dict[int, list[CardResult]], float]:
    """One result per truth (a photo the reader took for several cards fails a truth of
    one card: ReadCard.result says so), the cards read from each photo of several by the
    truth's index, and the wall time."""
    started = time.perf_counter()
    cards = [CardToRead.of(t.photos, region) for t, region in zip(truths, regions, strict=True)]
    index = {id(card): i for i, card in enumerate(cards)}
    results: list[CardResult] = []
    parts: dict[int, list[CardResult]] = {}
    for card in read_cards(cards, definition, workers=workers, on_reading=_drop_crop):
        if card.photo is None:
            results.append(card.result)
        else:
            parts.setdefault(index[id(card.photo)], []).append(card.result)
    return results, parts, time.perf_counter() - started


def _drop_crop(side: Side, reading: CardResult) -> None:
    """The review crop (some 100 KB a reading) is not needed here: dropped as it comes."""
    reading.crop = None
