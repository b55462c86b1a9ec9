"""Options shared by several commands, defined once."""

from __future__ import annotations

import contextlib
import locale
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
import phonenumbers

F = TypeVar("F", bound=Callable[..., Any])

BOOK_ENV = "CARDSCAN_BOOK"
DEFAULT_BOOK = "contacts.xlsx"


def default_book() -> Path:
    return Path(os.environ.get(BOOK_ENV) or DEFAULT_BOOK)


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


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise click.BadParameter(
            f"'{value}' is not a date: use YYYY-MM-DD, e.g. 2026-11-21"
        ) from exc


def jobs_option(func: F) -> F:
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        help="Cards read at once. Default: every core.",
    )(func)
