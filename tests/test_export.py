"""Exports read back with the csv module and openpyxl, field by field."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from cardscan.book import COLUMNS, Book
from cardscan.errors import BookError
from cardscan.export import EXPORTERS, export_book
from cardscan.export.csv import csv_safe
from cardscan.model import CardResult, Contact, Phone, PhoneKind, Status

NOW = datetime(2024, 5, 1, 22, 15)


def card(card_id: str, name: str, email: str, **extra: object) -> CardResult:
    return CardResult(
        source=f"{card_id}.jpg",
        card_id=card_id * 64,
        status=Status.OK,
        contact=Contact(name=name, emails=[email], **extra),  # type: ignore[arg-type]
    )


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
    ws.cell(1, 26, "Priority")
    ws.cell(2, 26, "high")
    ws["P3"] = "=1+1 is not a formula here"
    wb.save(path)
    return path


def test_registry_and_unknown_format(book_path: Path, tmp_path: Path) -> None:
    assert set(EXPORTERS) == {"csv", "xlsx"}
    with Book.open(book_path) as book, pytest.raises(ValueError, match="csv, xlsx"):
        export_book(book, tmp_path / "out.vcf", "vcard")


def test_csv_export_reads_back_field_by_field(book_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with Book.open(book_path) as book:
        assert export_book(book, out, "csv") == 2
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


def test_xlsx_export_reads_back_with_links_and_dates(book_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    with Book.open(book_path) as book:
        assert export_book(book, out, "xlsx") == 2
        expected = book.rows()
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == [*COLUMNS, "Priority"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:Y3"
    assert all(c.font.bold for c in ws[1])
    assert 8 <= ws.column_dimensions["A"].width <= 50
    for r, row in enumerate(expected, start=2):
        for c, key in enumerate(header, start=1):
            value = ws.cell(r, c).value
            if isinstance(value, datetime):
                text = (
                    value.strftime("%Y-%m-%d %H:%M") if key == "Scanned at" else str(value.date())
                )
            else:
                text = "" if value is None else str(value)
            assert text == row[key], (r, key)
    emails = ws.cell(2, header.index("Emails") + 1)
    assert emails.hyperlink is not None and emails.hyperlink.target == "mailto:zoe@firma.example"
    site = ws.cell(2, header.index("Website") + 1)
    assert site.hyperlink is not None and site.hyperlink.target == "https://www.firma.example"
    met = ws.cell(2, header.index("Met on") + 1)
    assert isinstance(met.value, datetime) and met.number_format == "yyyy-mm-dd"
    notes = ws.cell(3, header.index("Notes") + 1)
    assert notes.data_type == "s"


def test_export_onto_the_book_is_refused(book_path: Path) -> None:
    before = book_path.read_bytes()
    with Book.open(book_path) as book, pytest.raises(BookError, match="onto the book itself"):
        export_book(book, book_path, "xlsx")
    assert book_path.read_bytes() == before


def test_empty_book_exports_a_header(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with Book.open(tmp_path / "contacts.csv") as book:
        assert export_book(book, out, "csv") == 0
    assert out.read_text(encoding="utf-8-sig").splitlines() == [",".join(COLUMNS)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+44 20 7946 0958 ext. 240", "+44 20 7946 0958 ext. 240"),
        ("+49 1511 2345678; +49 30 123456", "+49 1511 2345678; +49 30 123456"),
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+cmd|' /C calc'!A0", "'-2+cmd|' /C calc'!A0"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_csv_safe(value: str, expected: str) -> None:
    assert csv_safe(value) == expected
