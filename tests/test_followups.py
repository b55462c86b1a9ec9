"""`cardscan followups`: the list, --json, --draft (.eml) and --ics, on the samples book.

The samples book holds every sample card, met at "Chicago Tech Mixer" on 2026-11-21 (so
Follow up by 2026-11-22); each test edits its own copy with openpyxl to make the cases it
needs. Counts and rows come from the book, so new samples do not break the tests.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import icalendar
import openpyxl
import pytest
from click.testing import CliRunner, Result

from cardscan.book import Book
from cardscan.cli.main import cli
from cardscan.drafts import DEFAULT_TEMPLATE, Template
from tests.conftest import run_cli

TODAY = "2026-12-02"
MARCUS_NOTES = (
    "2026-11-21: two kids\n"
    "2026-11-25: loves fishing.\n"
    "2026-11-28, Design Week: card b.jpg has a new title: CEO (the Title column still "
    "says Director of Operations)"
)


def edit_book(book: Path, changes: dict[str, dict[str, Any]]) -> None:
    """Set cells by person: {"Grace Liu": {"Tags": "python"}}; a nameless row by company."""
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    headers = {cell.value: cell.column for cell in ws[1]}
    by_name: dict[str, int] = {}
    for r in range(2, ws.max_row + 1):
        who = ws.cell(r, headers["Name"]).value or ws.cell(r, headers["Company"]).value
        if who:
            by_name[str(who)] = r
    for who, cells in changes.items():
        for column, value in cells.items():
            ws.cell(by_name[who], headers[column]).value = value
    wb.save(book)


def book_rows(book: Path) -> list[dict[str, str]]:
    with Book.open(book, read_only=True) as contacts:
        return contacts.rows()


def people(book: Path) -> int:
    """Rows naming someone (the samples grow: counts come from the book, not constants)."""
    return sum(1 for row in book_rows(book) if row["Name"] or row["Company"] or row["Emails"])


def row_of(book: Path, name: str) -> int:
    """The sheet row (header = row 1) of the person with this Name."""
    return next(i + 2 for i, row in enumerate(book_rows(book)) if row["Name"] == name)


def varied(book: Path) -> None:
    """Katharina most overdue, Chloe followed up, Sophie not yet due, Inês without a date."""
    edit_book(
        book,
        {
            "Dr. Katharina Vogelsang": {"Follow up by": date(2026, 11, 20)},
            "Chloe Nguyen": {"Followed up on": date(2026, 11, 23)},
            "Sophie Marchand": {"Follow up by": date(2026, 12, 10)},
            "Inês Carvalho Ferreira": {"Follow up by": None},
            "Marcus J. Whitfield": {"Notes": MARCUS_NOTES},
        },
    )


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["followups", *args])


def listed(book: Path, *args: str) -> list[dict[str, Any]]:
    result = invoke("--book", str(book), "--today", TODAY, "--json", *args)
    assert result.exit_code == 0, result.output + result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"] or item["company"] for item in items]


# --- the list ------------------------------------------------------------------------


def test_due_lists_the_most_overdue_first_and_leaves_out_followed_up(samples_book: Path) -> None:
    varied(samples_book)
    items = listed(samples_book)
    assert len(items) == people(samples_book) - 3  # not Chloe, Sophie, Inês
    assert items[0]["name"] == "Dr. Katharina Vogelsang"
    assert items[0]["days_overdue"] == 12
    assert items[0]["follow_up_by"] == "2026-11-20"
    assert {"Chloe Nguyen", "Sophie Marchand", "Inês Carvalho Ferreira"}.isdisjoint(names(items))
    assert all(item["days_overdue"] == 10 for item in items[1:])
    rows = [item["row"] for item in items[1:]]
    assert rows == sorted(rows)  # the same date: in sheet order
    # The shop's card without a person is listed by its company.
    shop = next(item for item in items if item["name"] is None)
    assert shop["company"] == "Harrow & Finch Coffee Roasters"
    assert shop["email"] == "info@harrowandfinch.co.uk"


def test_all_adds_those_not_yet_due_then_those_without_a_date(samples_book: Path) -> None:
    varied(samples_book)
    items = listed(samples_book, "--all")
    assert len(items) == people(samples_book) - 1  # all but Chloe
    assert names(items)[-2:] == ["Sophie Marchand", "Inês Carvalho Ferreira"]
    assert items[-2]["days_overdue"] == -8
    assert items[-1]["days_overdue"] is None and items[-1]["follow_up_by"] is None
    assert "Chloe Nguyen" not in names(items)


def test_each_row_carries_event_dates_and_the_latest_note_of_the_user(samples_book: Path) -> None:
    varied(samples_book)
    marcus = next(i for i in listed(samples_book) if i["name"] == "Marcus J. Whitfield")
    assert marcus["event"] == "Chicago Tech Mixer"
    assert marcus["met_on"] == "2026-11-21"
    assert marcus["email"] == "marcus.whitfield@northwindlogistics.com"
    assert marcus["company"] == "Northwind Logistics"
    # Its last line is cardscan's own (a new title on a card): the user's latest is before.
    assert marcus["note"] == "loves fishing."


def test_due_today_counts_and_nobody_due_says_so(samples_book: Path) -> None:
    items = listed(samples_book, "--today", "2026-11-22")  # the later --today wins
    assert len(items) == people(samples_book) and {i["days_overdue"] for i in items} == {0}

    result = invoke("--book", str(samples_book), "--today", "2026-11-21")
    assert result.exit_code == 0
    # Not on a terminal: stdout is for the table, so the sentence goes to stderr.
    assert result.stdout == ""
    assert "Nobody due by 2026-11-21" in result.stderr
    assert "--all" in result.stderr


def test_table_shows_people_and_a_summary(samples_book: Path) -> None:
    varied(samples_book)
    done = run_cli(
        "followups", "--book", str(samples_book), "--today", TODAY, cwd=samples_book.parent
    )
    assert done.returncode == 0, done.stderr
    # Piped: tab-separated, one line per person; the title and summary on stderr.
    header, *lines = done.stdout.splitlines()
    assert header.split("\t") == [
        "Row", "Name", "Company", "Email", "Event", "Last met", "Follow up by",
        "Days overdue", "Latest note",
    ]  # fmt: skip
    out = done.stdout
    assert out.index("Katharina") < out.index("Marcus")  # most overdue first
    katharina = next(line.split("\t") for line in lines if "Katharina" in line)
    assert katharina[6:8] == ["2026-11-20", "12"]
    assert any(line.endswith("\tloves fishing.") for line in lines)
    assert "Chloe" not in out and "Sophie" not in out
    due = people(samples_book) - 3
    assert len(lines) == due
    assert done.stderr.splitlines() == [
        "Follow-ups due by 2026-12-02",
        f"{due} due, 1 not yet due, 1 without a Follow up by date, 1 already followed up "
        "(--all lists them all).",
    ]


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder`: its sha256 and modification time."""
    return {
        str(f.relative_to(folder)): (
            hashlib.sha256(f.read_bytes()).hexdigest(),
            f.stat().st_mtime_ns,
        )
        for f in folder.rglob("*")
        if f.is_file()
    }


def test_the_book_is_only_read(samples_book: Path, tmp_path: Path) -> None:
    varied(samples_book)
    before = snapshot(samples_book.parent)
    result = invoke(
        "--book", str(samples_book), "--today", TODAY, "--all",
        "--draft", str(tmp_path / "drafts"), "--ics", str(tmp_path / "f.ics"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert snapshot(samples_book.parent) == before  # the book, its .cardscan folder: untouched


def test_a_missing_book_is_refused(tmp_path: Path) -> None:
    result = invoke("--book", str(tmp_path / "none.xlsx"))
    assert result.exit_code == 4
    assert "none.xlsx does not exist" in result.stderr


# --- drafts --------------------------------------------------------------------------


def read_eml(path: Path) -> Any:
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def body_of(path: Path) -> str:
    """The draft's text, its CRLF line ends (RFC 5322) read as newlines."""
    return str(read_eml(path).get_content()).replace("\r\n", "\n")


def test_drafts_one_email_per_person_with_event_and_latest_note(
    samples_book: Path, tmp_path: Path
) -> None:
    varied(samples_book)
    drafts = tmp_path / "out" / "drafts"
    result = invoke("--book", str(samples_book), "--today", TODAY, "--draft", str(drafts))
    assert result.exit_code == 0, result.output
    files = sorted(drafts.iterdir())
    assert len(files) == people(samples_book) - 3
    assert f"Wrote {len(files)} drafts to" in result.stderr
    assert all(re.fullmatch(r"[a-z0-9-]+-row\d+\.eml", f.name) for f in files)

    marcus_eml = drafts / f"marcus-j-whitfield-row{row_of(samples_book, 'Marcus J. Whitfield')}.eml"
    marcus = read_eml(marcus_eml)
    assert getaddresses([str(marcus["To"])]) == [
        ("Marcus J. Whitfield", "marcus.whitfield@northwindlogistics.com")
    ]
    assert marcus["Subject"] == "Good to meet you at Chicago Tech Mixer"
    assert marcus["Date"] is not None and marcus["X-Unsent"] == "1"
    body = body_of(marcus_eml)
    assert body.startswith("Hi Marcus,\n")
    assert "meet you at Chicago Tech Mixer." in body
    assert "I enjoyed hearing about loves fishing." in body  # the note's own "." dropped
    assert "CEO" not in body and "two kids" not in body
    raw = marcus_eml.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF throughout

    # Without a note there is no sentence about it; without a name, no empty greeting.
    grace = body_of(next(f for f in files if f.name.startswith("grace-liu-")))
    assert "hearing about" not in grace and "Hi Grace," in grace
    shop = body_of(next(f for f in files if f.name.startswith("harrow-finch")))
    assert shop.startswith("It was good to meet you at Chicago Tech Mixer.")
    # Accented names are encoded in the header and decode back.
    katharina = read_eml(next(f for f in files if "katharina" in f.name))
    assert katharina["To"].addresses[0].display_name == "Dr. Katharina Vogelsang"
    assert katharina.get_content().startswith("Hi Katharina,")  # Given name, not "Dr."


def test_a_draft_without_email_has_no_to_and_a_warning(samples_book: Path, tmp_path: Path) -> None:
    edit_book(samples_book, {"Grace Liu": {"Emails": None}})
    result = invoke("--book", str(samples_book), "--today", TODAY, "--draft", str(tmp_path / "d"))
    assert result.exit_code == 0
    grace = read_eml(next((tmp_path / "d").glob("grace-liu-*.eml")))
    assert grace["To"] is None
    assert grace["Subject"] == "Good to meet you at Chicago Tech Mixer"
    assert "Grace Liu (Foxglove Studio)" in result.stderr and "no To" in result.stderr


def test_existing_drafts_are_never_overwritten(samples_book: Path, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    args = ["--book", str(samples_book), "--today", TODAY, "--draft", str(drafts)]
    assert invoke(*args).exit_code == 0
    mine = next(drafts.glob("priya-raman-*.eml"))
    mine.write_text("my own edits", encoding="utf-8")
    again = invoke(*args)
    assert again.exit_code == 0
    assert mine.read_text(encoding="utf-8") == "my own edits"
    assert len(list(drafts.iterdir())) == people(samples_book)
    assert "Wrote 0 drafts" in again.stderr
    assert f"kept {people(samples_book)} draft(s)" in again.stderr


def test_a_custom_template(samples_book: Path, tmp_path: Path) -> None:
    varied(samples_book)
    template = tmp_path / "mine.txt"
    template.write_text(
        "Subject: $first_name, about $company\n"
        "From: Alex Doe <alex@example.org>\n"
        "\n"
        "Dear $name ($title),\n"
        "we met on $met_on at $event. Costs: $$5.\n"
        "Your note: ${note}!\n",
        encoding="utf-8",
    )
    drafts = tmp_path / "d"
    result = invoke(
        "--book", str(samples_book), "--today", TODAY,
        "--draft", str(drafts), "--template", str(template),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    marcus_eml = next(drafts.glob("marcus-j-whitfield-row*.eml"))
    marcus = read_eml(marcus_eml)
    assert marcus["Subject"] == "Marcus, about Northwind Logistics"
    assert marcus["From"] == "Alex Doe <alex@example.org>"
    assert body_of(marcus_eml) == (
        "Dear Marcus J. Whitfield (Director of Operations),\n"
        "we met on 21 November 2026 at Chicago Tech Mixer. Costs: $5.\n"
        "Your note: loves fishing!\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Subject: Hi $nmae\n\nBody\n",
            "line 1: unknown placeholder $nmae: use one of $first_name",
        ),
        ("Subject: Hi\n\nIt costs $ 5\n", "line 3: '$' is not a placeholder"),
        ("Subject: Hi\n\nDear ${name,\n", "line 3: '${name,' is not a placeholder"),
        ("Hi $name,\n\nBody\n", "has no Subject: line"),
        ("Subject: Hi\nX-Mailer: me\n\nBody\n", "line 2 is not a header line"),
        ("Subject: Hi\n\n\n", "has no body"),
    ],
)
def test_a_bad_template_is_refused_before_anything_is_written(
    samples_book: Path, tmp_path: Path, text: str, message: str
) -> None:
    template = tmp_path / "bad.txt"
    template.write_text(text, encoding="utf-8")
    drafts = tmp_path / "drafts"
    result = invoke(
        "--book", str(samples_book), "--draft", str(drafts), "--template", str(template)
    )
    assert result.exit_code == 4
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"cardscan: error: the template {template} ")
    assert message in lines[0]
    assert not drafts.exists()


def test_draft_dir_that_is_a_file_is_refused(samples_book: Path, tmp_path: Path) -> None:
    target = tmp_path / "drafts"
    target.write_text("not a folder", encoding="utf-8")
    result = invoke("--book", str(samples_book), "--draft", str(target))
    assert result.exit_code == 4
    assert result.stderr.strip() == (
        f"cardscan: error: --draft {target} is a file, not a folder: give a folder for the "
        "drafts (it is created if missing)"
    )


def test_template_needs_draft(samples_book: Path, tmp_path: Path) -> None:
    template = tmp_path / "t.txt"
    template.write_text(DEFAULT_TEMPLATE, encoding="utf-8")
    result = invoke("--book", str(samples_book), "--template", str(template))
    assert result.exit_code == 2
    assert "--template is for --draft" in result.stderr


def test_print_template_gives_the_default_which_works_as_a_template(
    samples_book: Path, tmp_path: Path
) -> None:
    printed = invoke("--print-template")
    assert printed.exit_code == 0
    assert printed.stdout == DEFAULT_TEMPLATE
    assert Template.parse(printed.stdout, "x").headers  # parses: it is a valid template
    mine = tmp_path / "my.txt"
    mine.write_text(printed.stdout.replace("Best regards,", "Cheers, Alex"), encoding="utf-8")
    result = invoke(
        "--book", str(samples_book), "--today", TODAY,
        "--draft", str(tmp_path / "d"), "--template", str(mine),
    )  # fmt: skip
    assert result.exit_code == 0
    body = body_of(next((tmp_path / "d").glob("grace-liu-*.eml")))
    assert body.endswith("Cheers, Alex\n")


# --- calendar --------------------------------------------------------------------------


def read_ics(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_ics_one_all_day_event_per_person_parsed_back(samples_book: Path, tmp_path: Path) -> None:
    varied(samples_book)
    ics = tmp_path / "followups.ics"
    result = invoke("--book", str(samples_book), "--today", TODAY, "--all", "--ics", str(ics))
    assert result.exit_code == 0, result.output
    dated = people(samples_book) - 2  # not Chloe (done) nor Inês (no date)
    assert f"Wrote {dated} reminders to" in result.stderr
    assert "1 listed without a Follow up by date" in result.stderr  # Inês

    raw = ics.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75  # folded (RFC 5545 3.1)

    cal = read_ics(ics)
    assert str(cal["VERSION"]) == "2.0" and "cardscan" in str(cal["PRODID"])
    events = list(cal.walk("VEVENT"))
    assert len(events) == dated
    by_summary = {str(e["SUMMARY"]): e for e in events}
    marcus = by_summary["Follow up: Marcus J. Whitfield (Northwind Logistics)"]
    assert marcus.decoded("DTSTART") == date(2026, 11, 22)  # all day: a date, not a time
    assert marcus.decoded("DTEND") == date(2026, 11, 23)
    assert marcus["DTSTAMP"] is not None
    description = str(marcus["DESCRIPTION"])
    assert "marcus.whitfield@northwindlogistics.com" in description
    assert "Chicago Tech Mixer" in description and "loves fishing." in description
    sophie = by_summary["Follow up: Sophie Marchand (Atelier Lumière SARL)"]
    assert sophie.decoded("DTSTART") == date(2026, 12, 10)
    assert "Follow up: Harrow & Finch Coffee Roasters" in by_summary
    assert len({str(e["UID"]) for e in events}) == dated


def test_ics_uids_are_stable_across_runs_and_row_moves(samples_book: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert invoke("--book", str(samples_book), "--all", "--ics", str(first)).exit_code == 0
    # The user deletes a row above Marcus: he moves up a row, his reminder stays his.
    wb = openpyxl.load_workbook(samples_book)
    wb.worksheets[0].delete_rows(2)
    wb.save(samples_book)
    assert invoke("--book", str(samples_book), "--all", "--ics", str(second)).exit_code == 0

    def uids(path: Path) -> dict[str, str]:
        return {str(e["SUMMARY"]): str(e["UID"]) for e in read_ics(path).walk("VEVENT")}

    before, after = uids(first), uids(second)
    assert len(after) == len(before) - 1
    assert all(before[summary] == uid for summary, uid in after.items())


def test_ics_with_nobody_listed_writes_nothing(samples_book: Path, tmp_path: Path) -> None:
    ics = tmp_path / "f.ics"
    result = invoke("--book", str(samples_book), "--today", "2026-11-01", "--ics", str(ics))
    assert result.exit_code == 0
    assert not ics.exists()
    assert "not written" in result.stderr


def test_ics_path_that_is_a_folder_is_refused(samples_book: Path, tmp_path: Path) -> None:
    result = invoke("--book", str(samples_book), "--ics", str(tmp_path))
    assert result.exit_code == 4
    assert f"--ics {tmp_path} is a folder" in result.stderr


def test_a_csv_book_with_hand_typed_follow_up_cells(tmp_path: Path) -> None:
    book = tmp_path / "c.csv"
    book.write_text(
        "Name,Emails,Follow up by,Followed up on,Notes\r\n"
        "Ann Lee,ann@lee.example,2026-11-30,yes,\r\n"
        'Bo Chen,bo@chen.example,2026-11-29,no,"2026-11-28: sails\n2026-11-29: runs a bakery"\r\n'
        "Cy Diaz,cy@diaz.example,next week,,\r\n"
        ",,,,\r\n"
        "Di Eto,,2026-12-01,not yet,\r\n",
        encoding="utf-8",
    )
    due = listed(book)
    assert names(due) == ["Bo Chen", "Di Eto"]  # "yes" is followed up; "no", "not yet" are not
    assert due[0]["note"] == "runs a bakery"
    assert due[0]["days_overdue"] == 3 and due[1]["days_overdue"] == 1
    everyone = listed(book, "--all")
    assert names(everyone) == ["Bo Chen", "Di Eto", "Cy Diaz"]  # the blank row is no one
    assert everyone[-1]["follow_up_by"] == "next week" and everyone[-1]["days_overdue"] is None
