"""`cardscan bench`: measure accuracy and speed on photos with truth beside them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from cardscan.bench import find_truths, format_report, peak_memory_mb, score
from cardscan.cli.options import jobs_option, pipeline_option, region_option
from cardscan.config import load_pipeline
from cardscan.errors import InputError
from cardscan.pipeline import CardJob, engine_for
from cardscan.runner import default_jobs, run_batch


@click.command("bench")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@jobs_option
@click.option("--misses", is_flag=True, help="Also list each name/title/company read wrong.")
@region_option
@pipeline_option
def command(
    folder: Path, as_json: bool, jobs: int | None, misses: bool, region: str, pipeline: str
) -> None:
    """Read every photo in FOLDER that has a truth JSON beside it and print how well it went.

    Per field: precision, recall and F1 for emails, phones (as E.164) and websites;
    exact-match accuracy for name, title and company; token F1 for the address; the
    share of cards with every field right; values invented where the card has none;
    seconds per card and peak memory. The book is not touched.
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
    started = time.perf_counter()
    jobs_list = [CardJob(str(t.photo), definition, region) for t in truths]
    report = score(zip(truths, run_batch(jobs_list, workers), strict=True))
    wall = time.perf_counter() - started
    figures = report.to_json(peak_memory_mb())
    figures["pipeline"] = definition.name
    figures["jobs"] = workers
    figures["cards_per_second"] = round(len(truths) / wall, 3) if wall else 0.0
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(
        f"pipeline: {definition.name}, jobs: {workers}, {figures['cards_per_second']:.2f} cards/s"
    )
    click.echo(format_report(figures))
    if misses:
        click.echo("")
        click.echo("\n".join(report.misses))
