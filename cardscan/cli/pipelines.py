"""`cardscan pipelines`: list the named pipeline definitions."""

from __future__ import annotations

import click

from cardscan.cli.output import say
from cardscan.config import available_pipelines, load_pipeline


@click.command("pipelines", short_help="List the built-in pipelines usable with --pipeline NAME")
def command() -> None:
    """List the built-in pipelines usable with --pipeline NAME."""
    for name in available_pipelines():
        definition = load_pipeline(name)
        say(f"{name}: {definition.description}")
