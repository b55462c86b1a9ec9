"""The command catalogue, and a group that imports a command only when it is used.

Importing every command at start-up made `cardscan --help` take 0.7-1.7 s: ingest,
rescan and bench bring in OpenCV, the OCR engines and onnxruntime. So the group knows
each command by name, module and one-line summary, lists and completes them from this
table, and imports a command's module only when it runs or its own --help is asked.
A summary is written here and in its command's `short_help`; tests/test_cli_help.py
checks the two agree, and that every command module's command is in the table.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem


@dataclass(frozen=True)
class Entry:
    name: str
    module: str  # imported when the command is first needed
    attribute: str  # the click command in that module
    # The command's purpose in one line: at most 64 characters, so that the listing
    # fits an 80-column terminal without wrapping or cutting it.
    summary: str


def _cli(name: str, summary: str, module: str | None = None, attribute: str = "command") -> Entry:
    return Entry(name, f"cardscan.cli.{module or name}", attribute, summary)


# The user's commands, in the order of a night's work: read the stack, check it, write
# down what you remember, follow up; later find, introduce, export; and the repairs.
USER_COMMANDS: tuple[Entry, ...] = (
    _cli("ingest", "Read card photos (files or folders) and merge them into the book"),
    _cli("review", "Write the review page: each card beside what was read from it"),
    _cli("apply", "Put the corrections saved on the review page into the book"),
    _cli("note", "Add a dated line about a person to their Notes", "people", "note_command"),
    _cli("tag", "Add tags to a person or take them off (--remove)", "people", "tag_command"),
    _cli("done", "Record that you followed up with a person", "people", "done_command"),
    _cli("followups", "List who is due a follow-up (most overdue first); draft mails"),
    _cli("find", "Search every column of the book; best match first"),
    _cli("introduce", "Suggest people to introduce to each other and say why"),
    _cli("export", "Write the contacts to a file that a phone or a CRM can import"),
    _cli("rescan", "Read one card photo and show the fields; --book updates its row"),
    _cli("undo", "Put the book back as it was before the last ingest"),
)
# Measuring the pipeline and listing its definitions: for whoever develops cardscan.
DEVELOPER_COMMANDS: tuple[Entry, ...] = (
    _cli("bench", "Measure accuracy and speed on photos with truth JSON beside them"),
    _cli("pipelines", "List the built-in pipelines usable with --pipeline NAME"),
)
SECTIONS: tuple[tuple[str, tuple[Entry, ...]], ...] = (
    ("Commands", USER_COMMANDS),
    ("Developer commands", DEVELOPER_COMMANDS),
)
CATALOGUE: dict[str, Entry] = {e.name: e for _, entries in SECTIONS for e in entries}


class LazyGroup(click.Group):
    """A click group whose commands are CATALOGUE's, each imported on first use.

    The catalogue is the one list of commands: a new command is a row there (the
    tests fail for a command module whose command is not in it).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(CATALOGUE)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = CATALOGUE.get(cmd_name)
        if cmd_name not in self.commands and entry is not None:
            command = getattr(importlib.import_module(entry.module), entry.attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            # click suggests close names ("Did you mean 'followups'?") from
            # self.commands, which holds only the commands loaded so far.
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands in their sections, with whole summaries, importing none."""
        for title, entries in SECTIONS:
            with formatter.section(title):
                formatter.write_dl([(e.name, e.summary) for e in entries])

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Command names (with their summaries, which zsh and fish show) from the
        catalogue, so a Tab press imports no command; then the group's own options."""
        from click.shell_completion import CompletionItem

        names = [
            CompletionItem(name, help=entry.summary)
            for name, entry in CATALOGUE.items()
            if name.startswith(incomplete)
        ]
        return names + click.Command.shell_complete(self, ctx, incomplete)
