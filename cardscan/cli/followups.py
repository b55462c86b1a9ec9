"""`cardscan followups`: who to follow up with, as a table, JSON, email drafts or reminders."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.table import Table

from cardscan.book import Book
from cardscan.book.cells import printable
from cardscan.cli.options import book_option, existing_book, parse_date
from cardscan.cli.output import print_json, say
from cardscan.drafts import DEFAULT_TEMPLATE, PLACEHOLDERS, Template, check_folder, write_drafts
from cardscan.followup import FollowUp, FollowUps, pending
from cardscan.reminders import check_path, write_ics

# Width of the table when stdout is a file or a pipe (a terminal has its own width).
PIPE_WIDTH = 160


def _placeholder_help() -> str:
    return "\n".join(f"      ${name:<11} {text}" for name, text in PLACEHOLDERS.items())


@click.command(
    "followups", short_help="List who is due a follow-up (most overdue first); draft mails"
)
@book_option
@click.option(
    "--due/--all",
    "due_only",
    default=True,
    help="--due (the default): only the people whose Follow up by date is today or "
    "earlier. --all: also those not yet due, and at the end those with no date.",
)
@click.option(
    "--today",
    callback=parse_date,
    metavar="DATE",
    help="Count lateness as of this day (YYYY-MM-DD) instead of today: for scripts and "
    "tests, or to see what will be due by Friday.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON on stdout.")
@click.option(
    "--draft",
    "draft_dir",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="Also write one email draft (.eml) per person listed into DIR (created if "
    "missing). Drafts already there are kept, never replaced.",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path, exists=True),
    default=None,
    metavar="FILE",
    help="The template for --draft (default: the built-in one, see --print-template).",
)
@click.option(
    "--print-template",
    is_flag=True,
    help="Print the default draft template, to start your own: "
    "cardscan followups --print-template > my.txt",
)
@click.option(
    "--ics",
    "ics_file",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Also write the people listed as all-day reminders on their Follow up by "
    "dates to this iCalendar file (replaced if it exists).",
)
def command(
    book: Path | None,
    due_only: bool,
    today: date | None,
    as_json: bool,
    draft_dir: Path | None,
    template: Path | None,
    print_template: bool,
    ics_file: Path | None,
) -> None:
    """List the people you have not followed up with yet, most overdue first.

    Someone counts as followed up once their Followed up on cell holds anything
    (`cardscan done PERSON` writes the date). The rest are listed by their Follow up
    by date, which ingest sets to the day after you met: name, company, email, the
    event where you last met, when, the follow-up date, how late it is, and your
    latest note. The book is only read.

    \b
    --draft DIR writes one email per person as an .eml file (open it in your mail
    program, edit, send): To is their first email (a person without one gets a
    draft with no To, and a warning), Subject and body come from the template.
    --template FILE replaces the built-in template; start from a copy:
      cardscan followups --print-template > my.txt
    A template is header lines (Subject: required; From:, Cc:, Bcc:, Reply-To:
    optional), a blank line, then the body. A line in which a placeholder comes out
    empty is left out; several Subject: lines are alternatives, the first one whose
    placeholders are all filled wins. Placeholders ($$ for a dollar sign):
    """
    if print_template:
        click.echo(DEFAULT_TEMPLATE, nl=False)
        return
    if template is not None and draft_dir is None:
        raise click.UsageError("--template is for --draft DIR: add --draft, or drop --template")
    book_path = existing_book(book)
    # Everything that can be refused is refused before anything is written.
    chosen = Template.load(template) if template else Template.default()
    if draft_dir is not None:
        check_folder(draft_dir)
    if ics_file is not None:
        check_path(ics_file)

    day = today or date.today()
    with Book.open(book_path, read_only=True) as contacts:
        found = pending(contacts.rows(), day, everyone=not due_only)

    if as_json:
        print_json([item.as_json() for item in found.listed])
    else:
        _print_table(found, day, due_only)
    say = _stderr if as_json else _stdout
    now = datetime.now().astimezone()
    if draft_dir is not None:
        _drafts(found.listed, draft_dir, chosen, now, say)
    if ics_file is not None:
        written = write_ics(found.listed, ics_file, str(book_path), now)
        undated = len(found.listed) - written
        if written:
            plural = "" if written == 1 else "s"
            say(f"Wrote {written} reminder{plural} to {ics_file} (iCalendar).")
        else:
            why = "nobody listed has a Follow up by date" if found.listed else "nobody is listed"
            say(f"No reminders to write: {why}; {ics_file} not written.")
        if written and undated:
            _stderr(
                f"cardscan: note: {undated} listed without a Follow up by date "
                "(YYYY-MM-DD) are not in the calendar"
            )


# The placeholders, listed from PLACEHOLDERS, end the help text (indented like the
# docstring, which click dedents as a whole).
command.help = (command.help or "").rstrip() + "\n\n    \b\n" + _placeholder_help()


Say = Callable[[str], None]


def _stdout(text: str) -> None:
    say(text)


def _stderr(text: str) -> None:
    say(text, err=True)


def _drafts(
    items: list[FollowUp], folder: Path, template: Template, now: datetime, say: Say
) -> None:
    done = write_drafts(items, folder, template, now)
    plural = "" if len(done.written) == 1 else "s"
    say(f"Wrote {len(done.written)} draft{plural} to {folder}.")
    if done.kept:
        _stderr(
            f"cardscan: note: kept {len(done.kept)} draft(s) already in {folder} as they were "
            f"(e.g. {done.kept[0].name}): delete them to draft again"
        )
    for item in done.without_email:
        _stderr(
            f"cardscan: warning: {item.label} (row {item.sheet_row}) has no usable email: "
            f"its draft has no To; fill it in before sending"
        )


def _print_table(found: FollowUps, day: date, due_only: bool) -> None:
    if not found.listed:
        say(_nobody(found, day, due_only))
        return
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    console = Console(highlight=False, width=width)
    title = (
        f"Follow-ups due by {day.isoformat()}"
        if due_only
        else f"Not yet followed up (as of {day.isoformat()})"
    )
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("Person", overflow="fold", min_width=12)
    table.add_column("Email", overflow="fold", min_width=12)
    table.add_column("Met", overflow="fold", min_width=10)
    table.add_column("Due", no_wrap=True)
    table.add_column("Overdue", overflow="fold", min_width=7)
    table.add_column("Latest note", overflow="fold", min_width=12)
    for item in found.listed:
        person = "\n".join(x for x in (item.name or "(no name)", item.company) if x)
        met = "\n".join(
            x for x in (item.event, item.last_met.isoformat() if item.last_met else "") if x
        )
        table.add_row(
            printable(person),
            printable(item.email),
            printable(met),
            item.due.isoformat() if item.due else printable(item.due_text),
            _late(item),
            printable(item.note),
        )
    console.print(table)
    due = sum(1 for item in found.listed if item.is_due)
    parts = [f"{due} due"]
    if found.not_yet_due:
        parts.append(f"{found.not_yet_due} not yet due")
    if found.undated:
        parts.append(f"{found.undated} without a Follow up by date")
    parts.append(f"{found.done} already followed up")
    tail = " (--all lists them all)" if due_only and (found.not_yet_due or found.undated) else ""
    say(f"{', '.join(parts)}{tail}.")


def _late(item: FollowUp) -> str:
    """The Overdue column: "12 days", "today", "in 3 days", or "" without a date."""
    days = item.days_overdue
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''}"
    return f"in {-days} day{'s' if days != -1 else ''}"


def _nobody(found: FollowUps, day: date, due_only: bool) -> str:
    if not found.people:
        return "Nobody to follow up: the book has no contacts yet (`cardscan ingest` adds them)."
    if not due_only or not (found.not_yet_due or found.undated):
        return f"Nobody to follow up: all {found.people} contacts are followed up."
    waiting = found.not_yet_due + found.undated
    return (
        f"Nobody due by {day.isoformat()}: {found.done} followed up, {waiting} not due yet "
        "(--all lists them)."
    )
