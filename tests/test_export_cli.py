"""`cardscan export` run as a user runs it (a subprocess): formats by extension,
filters, an export of nobody, the book left alone, and every error's one line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
import vobject
from conftest import run_cli
from test_export import build_book

from cardscan.book import COLUMNS


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return build_book(tmp_path / "contacts.xlsx")


def names(path: Path) -> list[str]:
    return [c["name"] for c in json.loads(path.read_text(encoding="utf-8"))]


def test_format_follows_the_extension(book: Path, tmp_path: Path) -> None:
    done = run_cli("export", "--book", str(book), "--to", "phone.vcf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Wrote 3 contacts to phone.vcf (vcard 3.0).\n"
    assert done.stderr == ""
    cards = list(vobject.readComponents((tmp_path / "phone.vcf").read_text(encoding="utf-8")))
    assert [c.version.value for c in cards] == ["3.0"] * 3

    done = run_cli(
        "export", "--book", str(book), "--to", "v4.vcf", "--vcard-version", "4.0", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "v4.vcf").read_text(encoding="utf-8")
    assert [c.version.value for c in vobject.readComponents(text)] == ["4.0"] * 3

    done = run_cli("export", "--book", str(book), "--to", "all.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert names(tmp_path / "all.json") == [
        "Zoë Müller-Lüdenscheidt",
        "Raj Patel",
        "Ana Luísa Ferreira",
    ]

    # A .csv is the book's columns unless --format names Google's or Outlook's.
    for fmt, first in ((None, "Name"), ("google", "First Name"), ("outlook", "Title")):
        extra = ["--format", fmt] if fmt else []
        done = run_cli("export", "--book", str(book), "--to", "c.csv", *extra, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        with open(tmp_path / "c.csv", encoding="utf-8-sig", newline="") as fh:
            assert next(csv.reader(fh))[0] == first, fmt


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--event", "EXPO"], ["Raj Patel", "Ana Luísa Ferreira"]),
        (["--since", "2024-05-01"], ["Zoë Müller-Lüdenscheidt", "Ana Luísa Ferreira"]),
        (["--needs-review"], ["Zoë Müller-Lüdenscheidt", "Raj Patel"]),
        (["--event", "expo", "--since", "2024-05-01"], ["Ana Luísa Ferreira"]),
    ],
)
def test_filters_through_the_cli(
    book: Path, tmp_path: Path, filters: list[str], expected: list[str]
) -> None:
    done = run_cli("export", "--book", str(book), "--to", "out.json", *filters, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert names(tmp_path / "out.json") == expected
    left_out = 3 - len(expected)
    assert done.stdout.startswith(f"Wrote {len(expected)} contact")
    assert f"{left_out} of 3 left out by {filters[0]}" in done.stdout
    assert done.stderr == ""


def _valid_and_empty(path: Path, fmt: str) -> bool:
    """The file parses in its format and holds nobody (a header at most)."""
    if fmt == "vcard":
        return list(vobject.readComponents(path.read_text(encoding="utf-8"))) == []
    if fmt == "json":
        return json.loads(path.read_text(encoding="utf-8")) == []
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(path).worksheets[0]
        return ws.max_row == 1 and [c.value for c in ws[1]][: len(COLUMNS)] == list(COLUMNS)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    return len(table) == 1 and table[0][0] == ("Name" if fmt == "csv" else "First Name")


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("csv", "none.csv"),
        ("xlsx", "none.xlsx"),
        ("vcard", "none.vcf"),
        ("google", "none.csv"),
        ("json", "none.json"),
    ],
)
def test_an_export_of_nobody_is_valid_and_says_so(
    book: Path, tmp_path: Path, fmt: str, name: str
) -> None:
    done = run_cli(
        "export",
        "--book",
        str(book),
        "--to",
        name,
        "--format",
        fmt,
        "--event",
        "Nowhere",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Wrote 0 contacts")
    assert done.stderr.startswith('cardscan: warning: no contacts match --event "Nowhere"; ')
    assert len(done.stderr.splitlines()) == 1
    assert _valid_and_empty(tmp_path / name, fmt)


def test_since_says_how_many_had_no_date(book: Path, tmp_path: Path) -> None:
    from test_export import hand_edit

    hand_edit(book, {"Met on": "last spring"}, row=2)  # Raj
    done = run_cli(
        "export", "--book", str(book), "--to", "o.json", "--since", "2020-01-01", cwd=tmp_path
    )
    assert done.returncode == 0
    assert names(tmp_path / "o.json") == ["Zoë Müller-Lüdenscheidt", "Ana Luísa Ferreira"]
    assert done.stderr == (
        "cardscan: note: 1 contact(s) have no Met on date (YYYY-MM-DD) "
        "and were left out by --since\n"
    )


@pytest.mark.parametrize(
    ("suffix", "formats"), [(".xlsx", ["vcard", "outlook"]), (".csv", ["csv"])]
)
def test_export_never_changes_the_book(tmp_path: Path, suffix: str, formats: list[str]) -> None:
    book = build_book(tmp_path / f"contacts{suffix}")
    before = book.read_bytes()
    stamp = book.stat().st_mtime_ns
    out = tmp_path / "out"
    out.mkdir()
    for fmt in formats:
        done = run_cli(
            "export", "--book", str(book), "--to", str(out / f"x.{fmt}"), "--format", fmt,
            cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert (out / f"x.{fmt}").stat().st_size > 0
    assert book.read_bytes() == before
    assert book.stat().st_mtime_ns == stamp
    assert not (tmp_path / ".cardscan" / "backups").exists()  # nothing was saved


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--book", "missing.xlsx", "--to", "out.csv"],
            4,
            "cardscan: error: the book missing.xlsx does not exist: make it from card photos "
            "with `cardscan ingest PHOTOS --book missing.xlsx`, or pass --book (or set "
            "$CARDSCAN_BOOK) to name your book",
        ),
        (
            ["--to", "out.txt"],
            4,
            "cardscan: error: cannot tell the export format from 'out.txt': "
            "add --format (csv, google, json, outlook, vcard, xlsx), "
            "or name the file .csv/.json/.vcard/.vcf/.xlsx",
        ),
        (
            ["--to", "contacts.xlsx"],
            4,
            "cardscan: error: cannot export onto the book itself (contacts.xlsx): "
            "choose another file name for the export",
        ),
        (
            ["--to", "no/such/folder/out.csv"],
            4,
            "cardscan: error: the folder of the export file no/such/folder/out.csv does not "
            "exist: create the folder, or choose another path",
        ),
    ],
)
def test_errors_are_one_line_with_the_fix(
    book: Path, args: list[str], code: int, message: str
) -> None:
    before = book.read_bytes()
    done = run_cli("export", *args, cwd=book.parent)
    assert done.returncode == code
    assert done.stderr == message + "\n"
    assert done.stdout == ""
    assert book.read_bytes() == before
    assert {p.name for p in book.parent.iterdir()} == {"contacts.xlsx", ".cardscan"}


def test_an_unreadable_book_is_a_book_error(tmp_path: Path) -> None:
    book = tmp_path / "contacts.xlsx"
    book.write_text("Name,Emails\nJane,jane@example.org\n")  # a CSV named .xlsx
    before = book.read_bytes()
    done = run_cli("export", "--book", str(book), "--to", "out.json", cwd=tmp_path)
    assert done.returncode == 7
    assert done.stderr.startswith(f"cardscan: error: cannot read the book {book}: ")
    assert len(done.stderr.splitlines()) == 1
    assert book.read_bytes() == before
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--since", "2024-02-30"],
            "Invalid value for '--since': '2024-02-30' is not a date: use YYYY-MM-DD",
        ),
        (["--since", "1/5/2024"], "'1/5/2024' is not a date: use YYYY-MM-DD, e.g. 2026-11-21"),
        (
            ["--vcard-version", "4.0"],
            "--vcard-version is for vCard exports, not csv: add --format vcard or drop it",
        ),
    ],
)
def test_bad_options_are_usage_errors(book: Path, args: list[str], message: str) -> None:
    done = run_cli("export", "--book", str(book), "--to", "out.csv", *args, cwd=book.parent)
    assert done.returncode == 2
    assert message in done.stderr
    assert not (book.parent / "out.csv").exists()
