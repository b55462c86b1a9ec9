"""`cardscan bench`: measure accuracy and speed on photos with truth beside them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from cardscan.bench import MemoryWatch, Truth, find_truths, format_report, score
from cardscan.cli.options import jobs_option, pipeline_option, region_option
from cardscan.config import Pipeline, load_pipeline
from cardscan.errors import InputError
from cardscan.model import CardResult
from cardscan.pipeline import CardJob, engine_for
from cardscan.runner import default_jobs, run_batch


@click.command("bench")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@jobs_option
@click.option("--misses", is_flag=True, help="Also list each name/title/company read wrong.")
@click.option(
    "--speed",
    is_flag=True,
    help="Also read the photos with one job, to compare its speed with --jobs "
    "(takes about twice as long).",
)
@region_option
@pipeline_option
def command(
    folder: Path,
    as_json: bool,
    jobs: int | None,
    misses: bool,
    speed: bool,
    region: str,
    pipeline: str,
) -> None:
    """Read every photo in FOLDER that has a truth JSON beside it and print how well it went.

    Per field: precision, recall and F1 for emails, phones (as E.164) and websites;
    exact-match accuracy for name, title and company; token F1 for the address; the
    share of cards with every field right; values invented where the card has none;
    seconds per card, cards per second, the share of time inside the OCR engines and the
    peak memory of all processes together. --speed adds a run with one job for
    comparison. The book is not touched.
    """
    truths = find_truths(folder)
    if not truths:
        raise InputError(
            f"no photos with a truth JSON beside them in {folder}",
            'put <name>.json (with a "contact" object) next to each <name>.jpg',
        )
    definition = load_pipeline(pipeline)
    engine_for(definition).check()
    workers = jobs or default_jobs()
    with MemoryWatch() as memory:
        results, wall = _timed_run(truths, definition, region, workers)
    report = score(zip(truths, results, strict=True))
    figures = report.to_json(memory.peak_mb)
    figures["pipeline"] = definition.name
    figures["jobs"] = workers
    figures["cards_per_second"] = round(len(truths) / wall, 3) if wall else 0.0
    if speed and workers > 1:
        with MemoryWatch() as single_memory:
            single, single_wall = _timed_run(truths, definition, region, 1)
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
    click.echo(
        f"pipeline: {definition.name}, jobs: {workers}, {figures['cards_per_second']:.2f} cards/s"
    )
    click.echo(format_report(figures))
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
    if misses:
        click.echo("")
        click.echo("\n".join(report.misses))


def _timed_run(
    truths: list[Truth], definition: Pipeline, region: str, workers: int
) -> tuple[list[CardResult], float]:
    started = time.perf_counter()
    jobs = [CardJob(str(t.photo), definition, region) for t in truths]
    results = list(run_batch(jobs, workers))
    return results, time.perf_counter() - started
