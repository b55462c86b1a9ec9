"""The first morning: the README's walkthrough, followed literally, drafts the mails.

The walkthrough's commands are taken from the README itself and run in order by the
installed script, on sample photos without EXIF (as photos taken this morning, or
copied without their dates, come in). Then the pieces it rests on, each through the
real CLI: DATE options that take `today`, `yesterday` and weekday names, and a
`followups` that says how to draft the people not yet due.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from PIL import Image

from cardscan.book import Book
from cardscan.cli.main import cli
from cardscan.cli.options import day_named
from cardscan.model import CardResult, Contact, Status
from tests.conftest import ROOT, SAMPLES, run_cli

# Last night's stack: Priya and Marcus (the README's notes and tags name them) and a
# shop's card; none of the photos carries EXIF.
MIXER = ("us-cluttered-desk.jpg", "us-classic-wood.jpg", "gb-shop-no-person.jpg")


def walkthrough() -> list[list[str]]:
    """The commands of the README's "The morning after the event", in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The morning after the event\n", 1)[1].split("\n## ", 1)[0]
    lines = re.findall(r"^    (cardscan .*)$", section, flags=re.MULTILINE)
    return [shlex.split(line, comments=True)[1:] for line in lines]


def book_rows(book: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(book).worksheets[0]
    header = [c.value for c in ws[1]]
    rows = []
    for cells in ws.iter_rows(min_row=2, values_only=True):
        row = {}
        for key, value in zip(header, cells, strict=True):
            row[str(key)] = value.date() if isinstance(value, datetime) else value
        rows.append(row)
    return rows


def test_the_walkthrough_drafts_a_mail_for_everyone_the_morning_after(tmp_path: Path) -> None:
    home = tmp_path / "home"
    mixer = home / "Pictures" / "mixer"
    mixer.mkdir(parents=True)
    for name in MIXER:
        shutil.copy(SAMPLES / name, mixer / name)
        assert not Image.open(mixer / name).getexif()  # no date: it would be "today"
    commands = walkthrough()
    names = [c[0] for c in commands]
    assert names[:2] == ["ingest", "note"] and ["followups", "--draft", "drafts/"] in commands
    ingest = commands[0]
    assert ingest[ingest.index("--met-on") + 1] == "yesterday"  # the cards are last night's

    env = {"HOME": str(home), "LANG": "en_US.UTF-8"}  # phone numbers read as US ones
    before = date.today()
    for args in commands:
        args = [str(home / a[2:]) if a.startswith("~/") else a for a in args]  # as a shell
        done = run_cli(*args, cwd=home, env=env)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        if args[:2] == ["followups", "--draft"]:
            drafted = done.stderr  # piped: stdout holds the table
    after = date.today()

    rows = book_rows(home / "contacts.xlsx")
    assert len(rows) == len(MIXER)
    for row in rows:  # met last night, so due this morning
        assert row["Met on"] in {before - timedelta(days=1), after - timedelta(days=1)}
        assert row["Follow up by"] in {before, after}
    with_email = {str(row["Emails"]).split(";")[0].strip() for row in rows if row["Emails"]}
    assert len(with_email) == len(MIXER)  # each card's email was read

    drafts = sorted((home / "drafts").glob("*.eml"))
    recipients = {
        BytesParser(policy=policy.default).parsebytes(d.read_bytes())["To"].addresses[0].addr_spec
        for d in drafts
    }
    assert len(drafts) == len(with_email) and recipients == with_email, drafted
    assert f"Wrote {len(drafts)} drafts to drafts." in drafted


# --- DATE options ----------------------------------------------------------------------

# 2026-11-26 is a Thursday.
THURSDAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", THURSDAY),
        ("Yesterday", date(2026, 11, 25)),
        ("2026-11-21", date(2026, 11, 21)),
        ("thursday", THURSDAY),  # the last Thursday is today
        ("wed", date(2026, 11, 25)),
        ("Friday", date(2026, 11, 20)),  # the last one: a meeting is in the past
        ("mon", date(2026, 11, 23)),
        ("tomorrow", None),
        ("fr", None),  # too short to name a day
        ("21/11/2026", None),
        ("2026-02-30", None),
    ],
)
def test_a_day_is_named_by_date_or_word(text: str, day: date | None) -> None:
    assert day_named(text, THURSDAY) == day


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """Two people met today, so due tomorrow (Priya with an email, a shop without)."""
    path = tmp_path / "contacts.xlsx"
    with Book.open(path) as contacts:
        for n, contact in enumerate(
            (
                Contact(name="Priya Raman", given_name="Priya", family_name="Raman",
                        emails=["priya@brightlooplabs.io"]),
                Contact(company="Harrow & Finch Coffee Roasters"),
            )
        ):  # fmt: skip
            result = CardResult(
                source=f"{n}.jpg", card_id=str(n) * 64, status=Status.OK, contact=contact
            )
            contacts.add_card(
                result,
                event="Chicago Tech Mixer",
                met_on=date.today(),
                scanned_at=datetime.now().replace(microsecond=0),
            )
        contacts.save()
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_done_and_note_take_yesterday_and_a_weekday(book: Path) -> None:
    before = date.today()
    done = invoke("done", "priya", "--on", "yesterday", "--book", str(book))
    assert done.exit_code == 0, done.output
    noted = invoke("note", "priya", "runs", "marathons", "--on", "mon", "--book", str(book))
    assert noted.exit_code == 0, noted.output
    after = date.today()
    (priya, _) = book_rows(book)
    assert priya["Followed up on"] in {before - timedelta(days=1), after - timedelta(days=1)}
    mondays = {
        (d - timedelta(days=d.weekday())).isoformat() for d in (before, after)
    }  # the last Monday, today included
    assert any(priya["Notes"] == f"{monday}: runs marathons" for monday in mondays)


def test_export_since_today_and_followups_as_of_tomorrow(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "today.json"
    done = invoke("export", "--book", str(book), "--to", str(out), "--since", "today")
    assert done.exit_code == 0, done.output
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 2

    due = invoke("followups", "--book", str(book), "--today", "tomorrow", "--json")
    assert due.exit_code == 0, due.output
    assert [p["days_overdue"] for p in json.loads(due.stdout)] == [0, 0]  # due tomorrow


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["followups", "--today", "friday"], "'friday' could be this Friday or the last one"),
        (["ingest", "x.jpg", "--met-on", "last night"], "'last night' is not a date: use"),
        (["done", "priya", "--on", "tomorrow"], "'tomorrow' is not a date: use YYYY-MM-DD"),
    ],
)
def test_a_day_that_cannot_be_meant_is_a_usage_error(
    book: Path, args: list[str], message: str
) -> None:
    before = book.read_bytes()
    done = invoke(*args, "--book", str(book))
    assert done.exit_code == 2
    assert message in done.stderr
    assert book.read_bytes() == before


def test_met_today_says_how_to_draft_them_now(book: Path, tmp_path: Path) -> None:
    listed = invoke("followups", "--book", str(book))
    assert listed.exit_code == 0
    today = date.today().isoformat()
    assert f"Nobody due by {today}: 2 not due yet, 0 followed up." in listed.stderr
    assert "`cardscan followups --all` lists them, and with --draft DIR drafts" in listed.stderr

    drafts = tmp_path / "drafts"
    none = invoke("followups", "--book", str(book), "--draft", str(drafts))
    assert none.exit_code == 0
    assert list(drafts.glob("*.eml")) == []
    assert (
        "nobody is due yet, so nothing was drafted: add --all to draft the 2 not due yet "
        f"too (cardscan followups --all --draft {drafts})" in none.stderr
    )

    everyone = invoke("followups", "--book", str(book), "--all", "--draft", str(drafts))
    assert everyone.exit_code == 0, everyone.output
    assert sorted(d.name for d in drafts.glob("*.eml")) == [
        "harrow-finch-coffee-roasters-row3.eml",
        "priya-raman-row2.eml",
    ]
    assert "Wrote 2 drafts" in everyone.stderr
