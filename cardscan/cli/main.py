"""The `cardscan` command group and the one place errors become exit codes."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator
from typing import Any

import click

from cardscan import __version__
from cardscan.cli import (
    apply,
    bench,
    export,
    find,
    followups,
    ingest,
    introduce,
    people,
    pipelines,
    rescan,
    review,
    undo,
)
from cardscan.cli.output import say, say_lines
from cardscan.errors import CardscanError, ExitCode
from cardscan.terminal import visible


class CardscanGroup(click.Group):
    """Maps every error to one line on stderr and its exit code, in one place.

    Doing it here rather than in `main` means click's test runner and the installed
    script behave the same.

    Error messages quote outside text (a file name, a cell of the book, a template's
    line, a Dask scheduler's reply), so every one is shown with its control characters
    escaped, on one line (cardscan.terminal): click's own usage errors too, which quote
    the argument given (often a file name from a glob).
    """

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _visible_usage_errors():  # errors in the options before the command name
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _visible_usage_errors():
                return super().invoke(ctx)
        except CardscanError as exc:
            say(f"cardscan: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("cardscan: interrupted", err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except BrokenPipeError:
            ctx.exit(ExitCode.OK)  # `cardscan … | head`: the reader left; nothing to report
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception:
            say_lines(traceback.format_exc(), err=True)
            click.echo(
                "cardscan: internal error (a bug): please report it with the lines above", err=True
            )
            ctx.exit(ExitCode.INTERNAL)


@click.group(
    cls=CardscanGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="cardscan")
def cli() -> None:
    """Turn photos of business cards into rows of your contacts spreadsheet, offline.

    \b
    Typical use after an event:
      cardscan ingest ~/Pictures/mixer --event "Chicago Tech Mixer"
      cardscan rescan IMG_0042.jpg --json
      cardscan export --to contacts-for-phone.csv
    """


for module in (ingest, undo, rescan, export, bench, pipelines, followups, introduce):
    cli.add_command(module.command)
for command in (people.note_command, people.tag_command, people.done_command, find.command):
    cli.add_command(command)
for module in (review, apply):  # the review page and its corrections
    cli.add_command(module.command)


@contextlib.contextmanager
def _visible_usage_errors() -> Iterator[None]:
    """Click's errors (shown by click itself) with their quoted arguments made visible."""
    try:
        yield
    except click.ClickException as exc:
        # click types `message` Final, but it is a plain attribute that its show() reads:
        # replacing it keeps click's own layout (usage, hint, "Error: …").
        exc.message = visible(exc.message)  # type: ignore[misc]
        raise


def main() -> None:
    cli(prog_name="cardscan")


if __name__ == "__main__":
    main()
