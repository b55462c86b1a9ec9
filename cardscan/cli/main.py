"""The `cardscan` command group and the one place errors become exit codes."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator
from typing import Any

import click

from cardscan import __version__
from cardscan.cli.lazy import LazyGroup
from cardscan.cli.output import say, say_lines
from cardscan.errors import CardscanError, ExitCode
from cardscan.terminal import visible


class CardscanGroup(LazyGroup):
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
    """Turn business-card photos into rows of your contacts spreadsheet, offline.

    \b
    The morning after an event:
      cardscan ingest ~/Pictures/mixer --event "Chicago Tech Mixer"
      cardscan review --open              each card beside what was read
      cardscan note priya "two kids; training for the marathon"
      cardscan tag priya python,ml
      cardscan followups --draft drafts/  a mail to edit for each one due
      cardscan done priya                 once you have written to her
    Weeks later:
      cardscan find logistics
      cardscan introduce priya
      cardscan export --to contacts.vcf

    The book is ./contacts.xlsx unless --book FILE or $CARDSCAN_BOOK names another.
    `cardscan COMMAND --help` shows a command's options.

    \b
    Tab completion of commands and options: add to ~/.bashrc
      eval "$(_CARDSCAN_COMPLETE=bash_source cardscan)"
    or to ~/.zshrc (after compinit)
      eval "$(_CARDSCAN_COMPLETE=zsh_source cardscan)"
    or to ~/.config/fish/config.fish
      _CARDSCAN_COMPLETE=fish_source cardscan | source
    """


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
