"""`cardscan followups`: who to follow up with, as a table, JSON, email drafts or reminders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import click

from cardscan.book import Book
from cardscan.cli import tables
from cardscan.cli.options import book_option, existing_book, parse_as_of
from cardscan.cli.output import print_json, say
from cardscan.cli.tables import Column, Row, Whole
from cardscan.drafts import DEFAULT_TEMPLATE, PLACEHOLDERS, Template, check_folder, write_drafts
from cardscan.followup import FollowUp, FollowUps, pending
from cardscan.reminders import check_path, write_ics


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
    callback=parse_as_of,
    metavar="DATE",
    help="Count lateness as of this day (YYYY-MM-DD, yesterday or tomorrow) instead of "
    "today: for scripts and tests, or to see what will be due by Friday.",
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

    # When stdout carries data (JSON, or the table going to a pipe or a file), the
    # messages go to stderr, so that `cardscan followups > due.tsv` holds only the table.
    tell: Say = _stdout if tables.on_terminal() and not as_json else _stderr
    if as_json:
        print_json([item.as_json() for item in found.listed])
    else:
        _print_table(found, day, due_only, tell)
    now = datetime.now().astimezone()
    if draft_dir is not None:
        _drafts(found, draft_dir, chosen, now, tell, due_only)
    if ics_file is not None:
        written = write_ics(found.listed, ics_file, str(book_path), now)
        undated = len(found.listed) - written
        if written:
            plural = "" if written == 1 else "s"
            tell(f"Wrote {written} reminder{plural} to {ics_file} (iCalendar).")
        else:
            why = "nobody listed has a Follow up by date" if found.listed else "nobody is listed"
            tell(f"No reminders to write: {why}; {ics_file} not written.")
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
    found: FollowUps, folder: Path, template: Template, now: datetime, tell: Say, due_only: bool
) -> None:
    done = write_drafts(found.listed, folder, template, now)
    plural = "" if len(done.written) == 1 else "s"
    tell(f"Wrote {len(done.written)} draft{plural} to {folder}.")
    if done.kept:
        _stderr(
            f"cardscan: note: kept {len(done.kept)} draft(s) already in {folder} as they were "
            f"(e.g. {done.kept[0].name}): delete them to draft again"
        )
    if not found.listed and due_only and (found.not_yet_due or found.undated):
        # The morning after an event, cards dated today are due tomorrow: the user who
        # asked for drafts wants them now, and --all is how.
        waiting = found.not_yet_due + found.undated
        _stderr(
            f"cardscan: note: nobody is due yet, so nothing was drafted: add --all to draft "
            f"the {waiting} not due yet too (cardscan followups --all --draft {folder})"
        )
    for item in done.without_email:
        _stderr(
            f"cardscan: warning: {item.label} (row {item.sheet_row}) has no usable email: "
            f"its draft has no To; fill it in before sending"
        )


# The table on a terminal: the person (name over company), the email whole, the event
# and date last met, the Follow up by date over how late it is, the latest note. When
# the terminal is narrow the note goes first, then the meeting, rather than squeezing
# names into many short lines, and they are shown only with room to be read (an event
# name on one line, a few words of the note). Piped: one tab-separated line per person.
_COLUMNS = (
    Column("Person", ("Name", "Company"), min_width=20),
    Column("Email"),
    Column("Met", ("Event", "Last met"), drop=2, min_width=18),
    Column("Due", ("Follow up by", "Overdue")),
    Column("Latest note", drop=1, max_lines=2, min_width=24),
)
_PLAIN = ("Row", "Name", "Company", "Email", "Event", "Last met", "Follow up by",
         "Days overdue", "Latest note")  # fmt: skip


def _row(item: FollowUp) -> Row:
    return {
        "Row": [str(item.sheet_row)],
        # A shop's card has no person: its company names it.
        "Name": [item.name or ("" if item.company else "(no name)")],
        "Company": [item.company],
        "Email": [Whole(item.email)],
        "Event": [item.event],
        "Last met": [Whole(item.last_met.isoformat())] if item.last_met else [],
        # Text typed there by hand ("after the holidays") may wrap like any text.
        "Follow up by": [Whole(item.due.isoformat())] if item.due else [item.due_text],
        "Overdue": [Whole(_late(item))],  # "2 days late" reads badly on two lines
        "Days overdue": [] if item.days_overdue is None else [str(item.days_overdue)],
        "Latest note": [item.note],
    }


def _print_table(found: FollowUps, day: date, due_only: bool, tell: Say) -> None:
    if not found.listed:
        tell(_nobody(found, day, due_only))
        return
    title = (
        f"Follow-ups due by {day.isoformat()}"
        if due_only
        else f"Not yet followed up (as of {day.isoformat()})"
    )
    tell(title)
    tables.print_table(_COLUMNS, [_row(item) for item in found.listed], plain=_PLAIN)
    due = sum(1 for item in found.listed if item.is_due)
    parts = [f"{due} due"]
    if found.not_yet_due:
        parts.append(f"{found.not_yet_due} not yet due")
    if found.undated:
        parts.append(f"{found.undated} without a Follow up by date")
    parts.append(f"{found.done} already followed up")
    tail = " (--all lists them all)" if due_only and (found.not_yet_due or found.undated) else ""
    tell(f"{', '.join(parts)}{tail}.")


def _late(item: FollowUp) -> str:
    """How late: "12 days late", "due today", "in 3 days", or "" without a date."""
    days = item.days_overdue
    if days is None:
        return ""
    if days == 0:
        return "due today"
    plural = "s" if abs(days) != 1 else ""
    return f"{days} day{plural} late" if days > 0 else f"in {-days} day{plural}"


def _nobody(found: FollowUps, day: date, due_only: bool) -> str:
    if not found.people:
        return "Nobody to follow up: the book has no contacts yet (`cardscan ingest` adds them)."
    if not due_only or not (found.not_yet_due or found.undated):
        return f"Nobody to follow up: all {found.people} contacts are followed up."
    waiting = found.not_yet_due + found.undated
    return (
        f"Nobody due by {day.isoformat()}: {waiting} not due yet, {found.done} followed up. "
        "`cardscan followups --all` lists them, and with --draft DIR drafts their mails now."
    )
