"""`cardscan note`, `tag`, `done` and `find` on the real samples book.

The samples book (conftest) holds every sample card, met at "Chicago Tech Mixer" on
2026-11-21. Commands run through click's runner (in-process, fast) and, where the
exit code and stderr of the installed script matter, through `run_cli`. Results are
read back from the file with openpyxl (or the csv module), never from the command's
own output alone.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from cardscan.book import COLUMNS
from cardscan.book import columns as col
from cardscan.cli.main import cli
from tests.conftest import run_cli


def invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def headers(path: Path) -> dict[str, int]:
    ws = load_workbook(path).active
    assert ws is not None
    return {str(c.value): c.column for c in ws[1] if c.value}


def row_of(path: Path, name: str) -> dict[str, Any]:
    """The sheet row whose Name is `name`, header -> raw cell value, plus "_row"."""
    ws = load_workbook(path).active
    assert ws is not None
    heads = [str(c.value) if c.value is not None else "" for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        values = {h: ws.cell(r, i + 1).value for i, h in enumerate(heads) if h}
        if values.get(col.NAME) == name:
            return {**values, "_row": r}
    raise AssertionError(f"{name} not in {path}")


def all_cells(path: Path) -> list[list[Any]]:
    ws = load_workbook(path).active
    assert ws is not None
    return [[c.value for c in row] for row in ws.iter_rows()]


def set_cell(path: Path, name: str, column: str, value: Any) -> None:
    """Write a cell as the user would in their spreadsheet program."""
    where = row_of(path, name)["_row"]
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws.cell(where, headers(path)[column]).value = value
    wb.save(path)


def add_user_column(path: Path, header: str, values: dict[str, str]) -> None:
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    new = ws.max_column + 1
    ws.cell(1, new).value = header
    name_col = headers(path)[col.NAME]
    for r in range(2, ws.max_row + 1):
        name = ws.cell(r, name_col).value
        if name in values:
            ws.cell(r, new).value = values[name]
    wb.save(path)


def changed_cells(before: list[list[Any]], after: list[list[Any]]) -> list[tuple[int, int]]:
    """(sheet row, column) of every cell that differs."""
    out = []
    for r, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        for c, (a, b) in enumerate(zip(old, new, strict=True), start=1):
            if a != b:
                out.append((r, c))
    return out


# --- note ----------------------------------------------------------------------------


def test_note_appends_a_dated_line_and_keeps_the_notes_there(samples_book: Path) -> None:
    set_cell(samples_book, "Priya Raman", col.NOTES, "met at the bar\nasked about hiring")
    before = all_cells(samples_book)

    done = invoke(
        "note",
        "priya raman",
        "two kids,",
        "loves fishing",
        "--book",
        str(samples_book),
        "--on",
        "2026-11-22",
    )

    assert done.exit_code == 0, done.output
    row = row_of(samples_book, "Priya Raman")
    assert done.output == (
        f"Noted for Priya Raman (Brightloop Labs), row {row['_row']}: "
        "2026-11-22: two kids, loves fishing\n"
    )
    assert (
        row[col.NOTES] == "met at the bar\nasked about hiring\n2026-11-22: two kids, loves fishing"
    )
    # Only that one cell changed in the whole sheet.
    notes_col = headers(samples_book)[col.NOTES]
    assert changed_cells(before, all_cells(samples_book)) == [(row["_row"], notes_col)]


def test_note_is_dated_today_by_default_and_finds_a_name_without_its_accents(
    samples_book: Path,
) -> None:
    first_day = date.today()
    done = invoke("note", "ines", "speaks Portuguese and French", "--book", str(samples_book))
    assert done.exit_code == 0, done.output
    assert "Inês Carvalho Ferreira (Atlântico Digital, Lda.)" in done.output
    notes = row_of(samples_book, "Inês Carvalho Ferreira")[col.NOTES]
    assert notes in {
        f"{day.isoformat()}: speaks Portuguese and French" for day in (first_day, date.today())
    }


def test_note_text_from_stdin_is_one_dated_line(samples_book: Path) -> None:
    done = invoke(
        "note",
        "Brightloop",
        "-",
        "--on",
        "2026-11-23",
        "--book",
        str(samples_book),
        input="asked for the deck\n  send it monday \n",
    )
    assert done.exit_code == 0, done.output
    notes = row_of(samples_book, "Priya Raman")[col.NOTES]
    assert notes == "2026-11-23: asked for the deck send it monday"


def test_an_empty_note_is_a_usage_error_and_changes_nothing(samples_book: Path) -> None:
    before = samples_book.read_bytes()
    done = invoke("note", "priya", "   ", "--book", str(samples_book))
    assert done.exit_code == 2
    assert "the note is empty" in done.output
    assert samples_book.read_bytes() == before


def test_an_ambiguous_person_lists_the_candidates_and_leaves_the_book_alone(
    samples_book: Path,
) -> None:
    before = samples_book.read_bytes()
    done = run_cli("note", "studio", "hello", "--book", samples_book.name, cwd=samples_book.parent)
    assert done.returncode == 10
    assert done.stdout == ""
    # Two sample cards have Studio in the company name (more samples may come).
    assert re.match(
        r"cardscan: error: 'studio' matches \d+ people in contacts\.xlsx: ", done.stderr
    )
    assert done.stderr.rstrip().endswith(
        ": say which one: use a fuller name, or their email address"
    )
    assert "Grace Liu (Foxglove Studio)" in done.stderr
    assert "Marisol Vega (Vega Studio)" in done.stderr
    assert done.stderr.count("\n") == 1
    assert samples_book.read_bytes() == before


@pytest.mark.parametrize(
    "command", [["note", "xyzzy", "hi"], ["tag", "xyzzy", "a"], ["done", "xyzzy"]]
)
def test_an_unknown_person_is_exit_10_for_every_command(
    samples_book: Path, command: list[str]
) -> None:
    before = samples_book.read_bytes()
    done = invoke(*command, "--book", str(samples_book))
    assert done.exit_code == 10
    assert "nobody in" in done.stderr and "matches 'xyzzy'" in done.stderr
    assert samples_book.read_bytes() == before


def test_a_missing_book_says_how_to_make_one_and_creates_nothing(tmp_path: Path) -> None:
    for args in (["note", "priya", "hi"], ["tag", "priya", "x"], ["done", "priya"], ["find", "x"]):
        done = run_cli(*args, "--book", "nope.xlsx", cwd=tmp_path)
        assert done.returncode == 4, args
        assert done.stderr == (
            "cardscan: error: the book nope.xlsx does not exist: make it from card photos "
            "with `cardscan ingest PHOTOS --book nope.xlsx`, or pass --book (or set "
            "$CARDSCAN_BOOK) to name your book\n"
        )
    assert list(tmp_path.iterdir()) == []


def test_a_book_open_in_a_spreadsheet_program_is_refused(samples_book: Path) -> None:
    (samples_book.parent / f".~lock.{samples_book.name}#").write_text("someone", encoding="utf-8")
    before = samples_book.read_bytes()
    done = invoke("tag", "priya", "x", "--book", str(samples_book))
    assert done.exit_code == 7
    assert "is open in a spreadsheet program" in done.stderr
    assert samples_book.read_bytes() == before


# --- tag -----------------------------------------------------------------------------


def test_tag_adds_without_duplicates_keeps_order_and_removes(samples_book: Path) -> None:
    book = str(samples_book)
    set_cell(samples_book, "Priya Raman", col.TAGS, "vip, speaker")

    done = invoke("tag", "priya", "python,ml", "--book", book)
    assert done.exit_code == 0, done.output
    assert row_of(samples_book, "Priya Raman")[col.TAGS] == "vip; speaker; python; ml"
    assert "vip; speaker; python; ml (added python, ml)" in done.output

    done = invoke("tag", "priya", "ML; Python", "Speaker", "rust", "rust", "--book", book)
    assert done.exit_code == 0, done.output
    assert row_of(samples_book, "Priya Raman")[col.TAGS] == "vip; speaker; python; ml; rust"

    before = samples_book.read_bytes()
    done = invoke("tag", "priya", "PYTHON", "--book", book)  # nothing new: not written
    assert done.exit_code == 0
    assert "already there" in done.output
    assert samples_book.read_bytes() == before

    done = invoke("tag", "priya", "PYTHON,vip", "golf", "--remove", "--book", book)
    assert done.exit_code == 0, done.output
    assert row_of(samples_book, "Priya Raman")[col.TAGS] == "speaker; ml; rust"
    assert "(removed PYTHON, vip; not there: golf)" in done.output

    done = invoke("tag", "priya", "speaker;ml;rust", "--remove", "--book", book)
    assert done.exit_code == 0
    assert row_of(samples_book, "Priya Raman")[col.TAGS] is None
    assert ": (none) (removed" in done.output


def test_tag_with_only_separators_is_a_usage_error(samples_book: Path) -> None:
    done = invoke("tag", "priya", ",;", "--book", str(samples_book))
    assert done.exit_code == 2
    assert "no tags given" in done.output


# --- done ----------------------------------------------------------------------------


def test_done_records_a_real_date_and_says_what_it_replaced(samples_book: Path) -> None:
    book = str(samples_book)
    day = date.today()
    done = invoke("done", "whitfield", "--book", book)
    assert done.exit_code == 0, done.output
    cell = row_of(samples_book, "Marcus J. Whitfield")[col.FOLLOWED_UP_ON]
    assert isinstance(cell, datetime)  # a date cell, not text
    assert cell.date() in {day, date.today()}
    assert "Followed up with Marcus J. Whitfield (Northwind Logistics)" in done.output

    before = samples_book.read_bytes()
    again = invoke("done", "marcus", "--on", cell.date().isoformat(), "--book", book)
    assert again.exit_code == 0
    assert again.output.startswith("Already recorded: followed up with Marcus J. Whitfield")
    assert samples_book.read_bytes() == before

    other = invoke("done", "northwind", "--on", "2026-11-24", "--book", book)
    assert other.exit_code == 0
    assert f"on 2026-11-24 (it said {cell.date().isoformat()} before)." in other.output
    row = row_of(samples_book, "Marcus J. Whitfield")
    assert row[col.FOLLOWED_UP_ON] == datetime(2026, 11, 24)
    assert row[col.NOTES] is None
    assert row[col.FOLLOW_UP_BY] == datetime(2026, 11, 22)  # left alone


def test_done_keeps_the_users_text_in_followed_up_on_as_a_note(samples_book: Path) -> None:
    set_cell(samples_book, "Grace Liu", col.FOLLOWED_UP_ON, "emailed twice")
    done = invoke("done", "grace liu", "--on", "2026-11-25", "--book", str(samples_book))
    assert done.exit_code == 0, done.output
    assert "(it said 'emailed twice', now kept in Notes)" in done.output
    row = row_of(samples_book, "Grace Liu")
    assert row[col.FOLLOWED_UP_ON] == datetime(2026, 11, 25)
    assert row[col.NOTES].endswith(": earlier in Followed up on: emailed twice")


def test_a_bad_date_is_a_usage_error(samples_book: Path) -> None:
    done = invoke("done", "grace", "--on", "25/11/2026", "--book", str(samples_book))
    assert done.exit_code == 2
    assert "is not a date: use YYYY-MM-DD" in done.output


# --- find ----------------------------------------------------------------------------


def find_json(samples_book: Path, *args: str) -> list[dict[str, Any]]:
    done = invoke("find", *args, "--json", "--book", str(samples_book))
    assert done.exit_code == 0, done.output
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


def test_find_by_company_shows_a_table_with_the_row(samples_book: Path) -> None:
    done = run_cli("find", "northwind", cwd=samples_book.parent)
    assert done.returncode == 0, done.stderr
    row = row_of(samples_book, "Marcus J. Whitfield")["_row"]
    # Piped: tab-separated with a header, one line per person; the summary on stderr.
    assert done.stdout.splitlines() == [
        "Row\tName\tCompany\tEmail\tPhone\tMatched",
        f"{row}\tMarcus J. Whitfield\tNorthwind Logistics\t"
        "marcus.whitfield@northwindlogistics.com\t+1 415-555-0187\tCompany, Emails; "
        "Website: www.northwindlogistics.com",
    ]
    assert done.stderr == "1 person matches 'northwind' in contacts.xlsx, best match first.\n"


def test_find_ignores_accents_and_case_and_forgives_a_typo_in_a_name(samples_book: Path) -> None:
    assert [p["name"] for p in find_json(samples_book, "INES")] == ["Inês Carvalho Ferreira"]
    assert [p["name"] for p in find_json(samples_book, "atlantico")] == ["Inês Carvalho Ferreira"]
    assert [p["name"] for p in find_json(samples_book, "whitfeld")] == ["Marcus J. Whitfield"]
    assert [p["name"] for p in find_json(samples_book, "elenor", "whitaker")] == [
        "Eleanor Whitaker-Hayes"
    ]
    # A company typo is not forgiven: only names are fuzzy.
    assert find_json(samples_book, "northwend") == []


def test_find_orders_by_best_match(samples_book: Path) -> None:
    invoke("note", "priya", "introduce to Marcus at Northwind", "--book", str(samples_book))
    found = find_json(samples_book, "northwind")
    assert [p["name"] for p in found] == ["Marcus J. Whitfield", "Priya Raman"]
    assert found[0]["matched"][0] == col.COMPANY
    assert found[1]["matched"] == [col.NOTES]


def test_find_field_restricts_the_search_to_one_column(samples_book: Path) -> None:
    invoke("note", "priya", "introduce to Marcus at Northwind", "--book", str(samples_book))
    found = find_json(samples_book, "northwind", "--field", "NOTES")
    assert [(p["name"], p["matched"]) for p in found] == [("Priya Raman", [col.NOTES])]
    assert find_json(samples_book, "priya", "--field", "company") == []


def test_find_unknown_field_lists_the_columns(samples_book: Path) -> None:
    add_user_column(samples_book, "Hobby", {})
    done = invoke("find", "x", "--field", "colour", "--book", str(samples_book))
    assert done.exit_code == 2
    assert "has no column 'colour': choose one of Name, Given name," in done.output
    assert ", Review reasons, Hobby" in done.output


def test_find_searches_the_users_own_columns(samples_book: Path) -> None:
    add_user_column(samples_book, "Hobby", {"Grace Liu": "Sailing, bouldering"})
    found = find_json(samples_book, "sailing")
    assert [(p["name"], p["matched"], p["extra"]) for p in found] == [
        ("Grace Liu", ["Hobby"], {"Hobby": "Sailing, bouldering"})
    ]
    assert [p["name"] for p in find_json(samples_book, "boulder", "--field", "hobby")] == [
        "Grace Liu"
    ]
    table = invoke("find", "bouldering", "--book", str(samples_book))
    assert "Hobby: Sailing, bouldering" in table.output


def test_find_json_has_every_column_and_the_row(samples_book: Path) -> None:
    (person,) = find_json(samples_book, "priya@brightlooplabs.io")
    assert person["row"] == row_of(samples_book, "Priya Raman")["_row"]
    assert person["name"] == "Priya Raman"
    assert person["company"] == "Brightloop Labs"
    assert person["events"] == ["Chicago Tech Mixer"]
    assert person["met_on"] == "2026-11-21"
    assert person["matched"] == [col.EMAILS]
    # The same object `export --format json` writes, plus "row" and "matched".
    exported = samples_book.parent / "all.json"
    assert invoke("export", "--to", str(exported), "--book", str(samples_book)).exit_code == 0
    same = [
        p for p in json.loads(exported.read_text(encoding="utf-8")) if p["name"] == "Priya Raman"
    ]
    assert {k: v for k, v in person.items() if k not in ("row", "matched")} == same[0]


def test_find_csv_has_every_column(samples_book: Path) -> None:
    add_user_column(samples_book, "Hobby", {"Marisol Vega": "pottery"})
    done = invoke("find", "studio", "--csv", "--book", str(samples_book))
    assert done.exit_code == 0, done.output
    table = list(csv.reader(done.stdout.splitlines()))
    assert table[0] == ["Row", *COLUMNS, "Hobby"]
    by_name = {line[1]: dict(zip(table[0], line, strict=True)) for line in table[1:]}
    assert {"Grace Liu", "Marisol Vega"} <= set(by_name)
    assert all("studio" in " ".join(line).lower() for line in table[1:])
    assert by_name["Marisol Vega"]["Hobby"] == "pottery"
    assert by_name["Marisol Vega"]["Row"] == str(row_of(samples_book, "Marisol Vega")["_row"])
    assert by_name["Grace Liu"][col.EMAILS] == "grace@foxglove.studio"


def test_find_nobody_says_so_with_exit_0(samples_book: Path) -> None:
    done = invoke("find", "zebra", "crossing", "--book", str(samples_book))
    assert done.exit_code == 0
    assert done.output == "Nobody in " + str(samples_book) + " matches 'zebra crossing'.\n"
    assert invoke("find", "zebra", "--json", "--book", str(samples_book)).stdout == "[]\n"
    header = invoke("find", "zebra", "--csv", "--book", str(samples_book)).stdout
    assert header.splitlines() == [",".join(["Row", *COLUMNS])]


def test_find_json_and_csv_together_is_a_usage_error(samples_book: Path) -> None:
    done = invoke("find", "x", "--json", "--csv", "--book", str(samples_book))
    assert done.exit_code == 2


def test_find_does_not_write_anything(samples_book: Path) -> None:
    before = sorted(p.name for p in samples_book.parent.rglob("*"))
    data = samples_book.read_bytes()
    assert invoke("find", "priya", "--book", str(samples_book)).exit_code == 0
    assert samples_book.read_bytes() == data
    assert sorted(p.name for p in samples_book.parent.rglob("*")) == before


# --- a .csv book ---------------------------------------------------------------------


def test_the_commands_work_on_a_csv_book(samples_book: Path) -> None:
    book = samples_book.parent / "people.csv"
    assert invoke("export", "--to", str(book), "--book", str(samples_book)).exit_code == 0
    args = ("--book", str(book))
    assert invoke("note", "ines", "likes port wine", "--on", "2026-11-22", *args).exit_code == 0
    assert invoke("tag", "Inês", "pt,wine", *args).exit_code == 0
    assert (
        invoke("done", "ines.ferreira@atlanticodigital.pt", "--on", "2026-11-23", *args).exit_code
        == 0
    )

    with book.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    (ines,) = [r for r in rows if r[col.NAME] == "Inês Carvalho Ferreira"]
    assert ines[col.NOTES] == "2026-11-22: likes port wine"
    assert ines[col.TAGS] == "pt; wine"
    assert ines[col.FOLLOWED_UP_ON] == "2026-11-23"
    others = [r for r in rows if r[col.NAME] != "Inês Carvalho Ferreira"]
    assert all(not r[col.NOTES] and not r[col.TAGS] for r in others)

    found = find_json(book, "port")
    assert [p["name"] for p in found] == ["Inês Carvalho Ferreira"]
    assert found[0]["tags"] == ["pt", "wine"]
