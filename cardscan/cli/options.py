"""Options shared by several commands, defined once."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import locale
import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click
import phonenumbers
from click.core import ParameterSource

from cardscan.errors import InputError

if TYPE_CHECKING:  # at run time only the commands that read cards load the pipeline stages
    from cardscan.config import Pipeline

F = TypeVar("F", bound=Callable[..., Any])

BOOK_ENV = "CARDSCAN_BOOK"
DEFAULT_BOOK = "contacts.xlsx"


def default_book() -> Path:
    return Path(os.environ.get(BOOK_ENV) or DEFAULT_BOOK)


def existing_book(book: Path | None) -> Path:
    """The --book path (or the default), which must exist: for every command but those
    that make a book (ingest, rescan --book). A missing book is exit code 4 ("no usable
    input") for all of them alike, with the command that makes it."""
    path = book or default_book()
    if not path.exists():
        raise InputError(
            f"the book {path} does not exist",
            f"make it from card photos with `cardscan ingest PHOTOS --book {path}`, "
            "or pass --book (or set $CARDSCAN_BOOK) to name your book",
        )
    return path


def book_option(func: F) -> F:
    return click.option(
        "--book",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=f"The contacts spreadsheet (.xlsx or .csv). "
        f"Default: ${BOOK_ENV}, else ./{DEFAULT_BOOK}.",
    )(func)


def region_from_locale() -> str:
    """The phone region for numbers printed without +country code.

    From the environment's locale (LC_ALL, LC_CTYPE, LANG: en_GB.UTF-8 -> GB), else US,
    the default phonenumbers users expect when nothing says otherwise.
    """
    candidates = [os.environ.get(v, "") for v in ("LC_ALL", "LC_CTYPE", "LANG")]
    with contextlib.suppress(ValueError):
        candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        territory = value.split(".")[0].split("@")[0]
        if "_" in territory:
            region = territory.split("_")[1].upper()
            if region in phonenumbers.SUPPORTED_REGIONS:
                return region
    return "US"


def _check_region(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value is None:
        return region_from_locale()
    region = value.strip().upper()
    if region == "UK":
        region = "GB"  # what people type; ISO says GB
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise click.BadParameter(
            f"'{value}' is not a country code: use two letters such as US, GB, DE, BR"
        )
    return region


def region_option(func: F) -> F:
    return click.option(
        "--region",
        callback=_check_region,
        default=None,
        metavar="CC",
        help="Country for phone numbers printed without +code (US, GB, DE…). "
        "Default: from the locale, else US; a card's own +code, domain or address wins.",
    )(func)


def pipeline_option(func: F) -> F:
    return click.option(
        "--pipeline",
        default="default",
        metavar="NAME|PATH",
        show_default=True,
        help="A named pipeline (see `cardscan pipelines`) or the path of a pipeline .toml file.",
    )(func)


# Words a DATE option takes besides YYYY-MM-DD. The morning after an event is when
# people ingest its cards, and a photo taken that morning (or copied without its EXIF)
# would date the meeting today: `--met-on yesterday` says when it really was without
# looking up the date. A weekday name means the last such day, today included
# (`friday` on a Friday is today), as GNU date reads it; a meeting, a note or a
# follow-up is in the past, so the last one is the only sensible reading.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DATE_WORDS = "YYYY-MM-DD, e.g. 2026-11-21, or today, yesterday, a weekday (friday: the last one)"


def day_named(text: str, today: date) -> date | None:
    """The day `text` names, counted from `today`: an ISO date, today, yesterday or a
    weekday (full or its first three letters: the last one, today included); else None."""
    word = text.strip().casefold()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    for number, weekday in enumerate(WEEKDAYS):
        if len(word) >= 3 and weekday.startswith(word):
            return today - timedelta(days=(today.weekday() - number) % 7)
    try:
        return date.fromisoformat(word)
    except ValueError:
        return None


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A DATE option: see DATE_WORDS."""
    if value is None:
        return None
    day = day_named(value, date.today())
    if day is None:
        raise click.BadParameter(f"'{value}' is not a date: use {DATE_WORDS}")
    return day


def parse_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """`followups --today`: the day to count from. It may be ahead ("what falls due by
    Friday"), so it takes `tomorrow`; a weekday name is refused, because here it could
    mean this Friday or the last one, and a wrong guess would list the wrong people."""
    if value is None:
        return None
    today = date.today()
    word = value.strip().casefold()
    if word == "tomorrow":
        return today + timedelta(days=1)
    weekday = next((w for w in WEEKDAYS if len(word) >= 3 and w.startswith(word)), None)
    if weekday is not None:
        raise click.BadParameter(
            f"'{value}' could be this {weekday.title()} or the last one: "
            "use YYYY-MM-DD, today, yesterday or tomorrow"
        )
    day = day_named(value, today)
    if day is None:
        raise click.BadParameter(
            f"'{value}' is not a date: use YYYY-MM-DD, e.g. 2026-11-21, or today, yesterday, "
            "tomorrow"
        )
    return day


def jobs_option(func: F) -> F:
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        help="Cards read at once. Default: every core, as many as the free memory holds "
        "(a worker needs about 500 MB).",
    )(func)


def timeout_option(func: F) -> F:
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        metavar="SECONDS",
        help="Fail a card that takes longer than this to read, and go on with the rest. "
        "Default: the pipeline's [ocr] card_timeout (120 s in the shipped pipelines).",
    )(func)


def with_timeout(pipeline: Pipeline, seconds: float | None) -> Pipeline:
    """The pipeline with --timeout, when given, as its per-card time limit."""
    if seconds is None:
        return pipeline
    return dataclasses.replace(
        pipeline, ocr=dataclasses.replace(pipeline.ocr, card_timeout=seconds)
    )


EXECUTORS = ("process", "dask")
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"  # Dask's own variable for its scheduler


def executor_options(func: F) -> F:
    """--executor and --scheduler, checked together before the command runs.

    The command gets `executor` ("process" or "dask") and `scheduler` (the address, or
    None) to pass to cardscan.executors.run_batch.
    """

    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        _check_executor(kwargs["executor"], kwargs["scheduler"], kwargs.get("jobs"))
        return func(*args, **kwargs)

    scheduler = click.option(
        "--scheduler",
        envvar=SCHEDULER_ENV,
        default=None,
        metavar="ADDRESS",
        help="The Dask scheduler to send the cards to, for --executor dask, e.g. "
        f"tcp://10.0.0.5:8786. Default: ${SCHEDULER_ENV} (Dask's own variable).",
    )
    executor = click.option(
        "--executor",
        type=click.Choice(EXECUTORS),
        default="process",
        show_default=True,
        help="Where the cards are read: process = a pool of processes on this machine "
        "(--jobs of them); dask = the workers of the running Dask cluster at --scheduler, "
        "which receive the photos (the book stays here).",
    )
    return cast(F, executor(scheduler(checked)))


def _check_executor(executor: str, scheduler: str | None, jobs: int | None) -> None:
    ctx = click.get_current_context()
    if executor == "dask":
        if not scheduler:
            raise click.UsageError(
                f"--executor dask needs --scheduler ADDRESS (or ${SCHEDULER_ENV}): the "
                "address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786",
                ctx,
            )
        if jobs is not None:
            raise click.UsageError(
                "--jobs sets the size of the local process pool; with --executor dask the "
                "cluster's worker threads decide how many cards are read at once",
                ctx,
            )
    elif ctx.get_parameter_source("scheduler") is not ParameterSource.ENVIRONMENT and scheduler:
        # From $DASK_SCHEDULER_ADDRESS it is only a default, set for other Dask work.
        raise click.UsageError("--scheduler works with --executor dask only", ctx)
