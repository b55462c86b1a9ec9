"""Exports read back with the csv module and openpyxl, field by field.

build_book() makes the book the format tests share (test_export_formats.py,
test_export_cli.py): three people put in through the real Book API, then edited by
hand like a person would (notes, tags, an own column).
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from cardscan.book import COLUMNS, Book
from cardscan.errors import InputError
from cardscan.export import EXPORTERS, Exported, RowFilter, export_book, format_for
from cardscan.model import CardResult, Contact, Issue, Phone, PhoneKind, Status

NOW = datetime(2024, 5, 1, 22, 15)

# Typed by hand into the sheet: commas, a semicolon, quotes, a line break, and long
# enough that a vCard line holding it must be folded.
NOTES = (
    'Met at booth 12, talked about "pricing"; wants a demo of the Lüdenscheid plant\n'
    "Call after 3pm, not before"
)
ZOE = {
    "name": "Zoë Müller-Lüdenscheidt",
    "given_name": "Zoë",
    "family_name": "Müller-Lüdenscheidt",
    "title": "Directrice, R&D; Europe",
    "company": "Société Générale d'Études",
    "emails": ["zoe@firma.example", "zoe.mueller@privat.example"],
    "phones": [
        Phone("+4915112345678", PhoneKind.MOBILE),
        Phone("+493012345678", PhoneKind.WORK, extension="240"),
        Phone("+493012345679", PhoneKind.FAX),
        Phone("+4989123456", PhoneKind.OTHER),
    ],
    "websites": ["www.firma.example"],
    "address": "Friedrichstraße 112, 10117 Berlin, Germany",
    "social": {"linkedin": "linkedin.com/in/zoe"},
}


def card(card_id: str, name: str, email: str, **extra: object) -> CardResult:
    return CardResult(
        source=f"{card_id}.jpg",
        card_id=card_id * 64,
        status=Status.OK,
        contact=Contact(name=name, emails=[email], **extra),  # type: ignore[arg-type]
    )


def result(card_id: str, status: Status = Status.OK, **contact: object) -> CardResult:
    issues = [Issue("phone_invalid", "check the phone")] if status == Status.NEEDS_REVIEW else []
    return CardResult(
        source=f"{card_id}.jpg",
        card_id=card_id * 64,
        status=status,
        contact=Contact(**contact),  # type: ignore[arg-type]
        issues=issues,
        region="DE",
    )


def build_book(path: Path) -> Path:
    """Zoë (two cards, two events, every kind of phone), Raj (needs review), Ana (name only).

    Rows in book order: Zoë, Raj, Ana. Works for .xlsx and .csv books.
    """
    with Book.open(path) as book:
        book.add_card(
            result("a", **ZOE),
            event="Salon du Livre, Paris",
            met_on=date(2024, 5, 1),
            scanned_at=NOW,
            where="booth 12",
        )
        book.add_card(
            result(
                "b",
                Status.NEEDS_REVIEW,
                name="Raj Patel",
                given_name="Raj",
                family_name="Patel",
                emails=["raj@x.example"],
                phones=[Phone("+14155552671", PhoneKind.WORK)],
            ),
            event="Expo",
            met_on=date(2024, 3, 2),
            scanned_at=NOW,
        )
        book.add_card(
            result(
                "c",
                name="Ana Luísa Ferreira",
                company="Ferreira & Filhos",
                emails=["ana@ferreira.example"],
            ),
            event="expo",
            met_on=date(2024, 7, 15),
            scanned_at=NOW,
        )
        # Zoë's card again at another event, with a second mobile: merges into her row.
        second = {**ZOE, "phones": [Phone("+4915199999999", PhoneKind.MOBILE)]}
        book.add_card(
            result("d", **second),
            event="WebSummit",
            met_on=date(2024, 6, 10),
            scanned_at=NOW,
            where="Hall B",
        )
        book.save()
    hand_edit(path, {"Notes": NOTES, "Tags": "vip, investor", "Priority": "high"})
    return path


def hand_edit(path: Path, cells: dict[str, str], row: int = 1) -> None:
    """Type values into data row `row` (1 = first person), adding unknown headers."""
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        header = {c.value: c.column for c in ws[1] if c.value}
        for key, value in cells.items():
            if key not in header:
                header[key] = ws.max_column + 1
                ws.cell(1, header[key], key)
            ws.cell(row + 1, header[key], value)
        wb.save(path)
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    for key, value in cells.items():
        if key not in table[0]:
            table[0].append(key)
            for line in table[1:]:
                line.append("")
        table[row][table[0].index(key)] = value
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(table)


def book_rows(path: Path) -> list[dict[str, str]]:
    with Book.open(path) as book:
        return book.rows()


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    """A book with two people, accents, a user column and a user note."""
    path = tmp_path / "contacts.xlsx"
    with Book.open(path) as book:
        book.add_card(
            card(
                "a",
                "Zoë Müller",
                "zoe@firma.example",
                websites=["www.firma.example"],
                phones=[Phone("+4915112345678", PhoneKind.MOBILE)],
            ),
            event="Expo",
            met_on=date(2024, 5, 1),
            scanned_at=NOW,
        )
        book.add_card(card("b", "Raj Patel", "raj@x.example"), scanned_at=NOW)
        book.save()
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    priority = len(COLUMNS) + 1  # the user's own column, after ours
    ws.cell(1, priority, "Priority")
    ws.cell(2, priority, "high")
    ws.cell(3, COLUMNS.index("Notes") + 1, "=1+1 is not a formula here")
    wb.save(path)
    return path


def test_registry_and_unknown_format(book_path: Path, tmp_path: Path) -> None:
    assert set(EXPORTERS) == {"csv", "xlsx", "vcard", "google", "outlook", "json"}
    with Book.open(book_path) as book, pytest.raises(ValueError, match="csv, google, json"):
        export_book(book, tmp_path / "out.ldif", "ldif")
    assert not (tmp_path / "out.ldif").exists()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.csv", "csv"),
        ("A.XLSX", "xlsx"),
        ("a.vcf", "vcard"),
        ("a.vcard", "vcard"),
        ("a.json", "json"),
        ("a.txt", None),
        ("contacts", None),
    ],
)
def test_format_from_extension(name: str, fmt: str | None) -> None:
    assert format_for(Path(name)) == fmt


def test_csv_export_reads_back_field_by_field(book_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with Book.open(book_path) as book:
        assert export_book(book, out, "csv") == Exported(written=2, total=2)
        expected = book.rows()
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0] == [*COLUMNS, "Priority"]
    got = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert got[0]["Name"] == "Zoë Müller"
    assert got[0]["Mobile"] == "+49 1511 2345678"  # phones are not defused
    assert got[0]["Priority"] == "high"
    assert got[1]["Notes"] == "'=1+1 is not a formula here"
    expected[1]["Notes"] = "'" + expected[1]["Notes"]
    assert got == expected


def test_csv_export_of_the_shared_book_keeps_notes_and_accents(tmp_path: Path) -> None:
    book = build_book(tmp_path / "contacts.xlsx")
    out = tmp_path / "out.csv"
    with Book.open(book) as contacts:
        assert export_book(contacts, out, "csv").written == 3
    with open(out, encoding="utf-8-sig", newline="") as fh:
        got = list(csv.DictReader(fh))
    assert got == book_rows(book)  # every field of every row, user column included
    zoe = got[0]
    assert zoe["Notes"] == NOTES
    assert zoe["Mobile"] == "+49 1511 2345678; +49 1519 9999999"
    assert zoe["Event"] == "Salon du Livre, Paris; WebSummit"
    assert zoe["Where"] == "booth 12; Hall B"
    assert zoe["Title"] == "Directrice, R&D; Europe"


def test_xlsx_export_reads_back_with_links_and_dates(book_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    with Book.open(book_path) as book:
        assert export_book(book, out, "xlsx").written == 2
        expected = book.rows()
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == [*COLUMNS, "Priority"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(COLUMNS) + 1)}3"
    assert all(c.font.bold for c in ws[1])
    assert 8 <= ws.column_dimensions["A"].width <= 50
    assert _sheet_rows(ws) == expected
    emails = ws.cell(2, header.index("Emails") + 1)
    assert emails.hyperlink is not None and emails.hyperlink.target == "mailto:zoe@firma.example"
    site = ws.cell(2, header.index("Website") + 1)
    assert site.hyperlink is not None and site.hyperlink.target == "https://www.firma.example"
    met = ws.cell(2, header.index("Met on") + 1)
    assert isinstance(met.value, datetime) and met.number_format == "yyyy-mm-dd"
    notes = ws.cell(3, header.index("Notes") + 1)
    assert notes.data_type == "s"


def test_xlsx_export_keeps_line_breaks_in_notes(tmp_path: Path) -> None:
    book = build_book(tmp_path / "contacts.xlsx")
    out = tmp_path / "out.xlsx"
    with Book.open(book) as contacts:
        export_book(contacts, out, "xlsx")
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert _sheet_rows(ws) == book_rows(book)
    header = [c.value for c in ws[1]]
    notes = ws.cell(2, header.index("Notes") + 1)
    assert notes.value == NOTES
    assert notes.alignment.wrap_text
    assert ws.cell(2, 1).value == "Zoë Müller-Lüdenscheidt"


def _sheet_rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[dict[str, str]]:
    """The sheet's rows as the book's text (dates back to ISO)."""
    header = [c.value for c in ws[1]]
    rows = []
    for line in ws.iter_rows(min_row=2):
        row = {}
        for key, cell in zip(header, line, strict=True):
            value = cell.value
            if isinstance(value, datetime):
                fmt = "%Y-%m-%d %H:%M" if key == "Scanned at" else "%Y-%m-%d"
                row[key] = value.strftime(fmt)
            else:
                row[key] = "" if value is None else str(value)
        rows.append(row)
    return rows


def test_export_onto_the_book_is_refused(book_path: Path) -> None:
    before = book_path.read_bytes()
    with Book.open(book_path) as book, pytest.raises(InputError, match="onto the book itself"):
        export_book(book, book_path, "xlsx")
    assert book_path.read_bytes() == before


def test_empty_book_exports_a_header(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with Book.open(tmp_path / "contacts.csv") as book:
        assert export_book(book, out, "csv") == Exported(written=0, total=0)
    assert out.read_text(encoding="utf-8-sig").splitlines() == [",".join(COLUMNS)]


def test_filters_pick_rows_and_count_the_undated(tmp_path: Path) -> None:
    book = build_book(tmp_path / "contacts.xlsx")
    hand_edit(book, {"Met on": "sometime in May"}, row=3)  # Ana: not a date any more
    out = tmp_path / "out.csv"
    with Book.open(book) as contacts:
        done = export_book(contacts, out, "csv", where=RowFilter(since=date(2024, 5, 1)))
    assert done == Exported(written=1, total=3, undated=1)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        assert [r["Name"] for r in csv.DictReader(fh)] == ["Zoë Müller-Lüdenscheidt"]
