"""CSV books keep the user's dialect: delimiter, encoding, BOM, extra columns."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import card_result

from cardscan.book import COLUMNS, Action, Book
from cardscan.errors import BookError
from cardscan.model import CardResult, Phone, PhoneKind

BOM = b"\xef\xbb\xbf"
SCANNED = datetime(2024, 5, 1, 22, 15)


ZOE = {
    "name": "Zoë Müller",
    "title": "Head of Sales",
    "emails": ["zoe@firma.example"],
    "phones": [Phone("+4915112345678", PhoneKind.MOBILE, "0151 12345678")],
}


def card(card_id: str, **contact: object) -> CardResult:
    return card_result(card_id, ZOE, contact, region="DE")


def add_and_save(path: Path, *results: CardResult) -> list[Action]:
    with Book.open(path) as book:
        out = [
            book.add_card(r, event="Expo", met_on=date(2024, 5, 1), scanned_at=SCANNED).action
            for r in results
        ]
        book.save()
    return out


def test_new_csv_book_is_utf8_with_bom_and_iso_dates(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    add_and_save(path, card("a"))
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    table = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert table[0] == list(COLUMNS)
    row = dict(zip(table[0], table[1], strict=True))
    assert row["Name"] == "Zoë Müller"
    assert row["Mobile"] == "+49 1511 2345678"
    assert row["Met on"] == "2024-05-01"
    assert row["Follow up by"] == "2024-05-02"
    assert row["Scanned at"] == "2024-05-01 22:15"


def test_semicolon_bom_csv_keeps_dialect_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    text = (
        "Kundennr;Name;Emails;Notes;Wichtig\r\n"
        "K-7;Zoë Müller;zoe@firma.example;sprach über Messe;ja\r\n"
        "K-8;Otto Lang;otto@lang.example;;nein\r\n"
    )
    path.write_bytes(BOM + text.encode("utf-8"))

    second = card("b", emails=["ZOE@firma.example"], title="CEO")
    new = card("c", name="Ana Ruiz", emails=["ana@ruiz.example"], phones=[])
    assert add_and_save(path, second, new) == [Action.MERGED, Action.NEW]

    raw = path.read_bytes()
    assert raw.startswith(BOM)
    lines = raw[3:].decode("utf-8").split("\r\n")
    header = lines[0].split(";")
    assert header[:5] == ["Kundennr", "Name", "Emails", "Notes", "Wichtig"]
    assert header[5:] == [c for c in COLUMNS if c not in {"Name", "Emails", "Notes"}]
    assert lines[1].startswith("K-7;Zoë Müller;zoe@firma.example;sprach über Messe;ja;")
    assert lines[2].startswith("K-8;Otto Lang;otto@lang.example;;nein;")
    assert lines[3].startswith(";Ana Ruiz;ana@ruiz.example;;;")
    assert "," not in lines[0]

    with Book.open(path) as book:
        rows = book.rows()
    assert rows[0]["Kundennr"] == "K-7" and rows[0]["Wichtig"] == "ja"
    assert rows[0]["Title"] == "CEO"  # the column was missing: appended, then filled
    assert rows[0]["Notes"] == "sprach über Messe"
    assert rows[0]["Card IDs"] == "b" * 64
    assert rows[2]["Name"] == "Ana Ruiz"


def test_merge_into_csv_fills_empty_title(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"Name;Emails;Title\nZo\xc3\xab M\xc3\xbcller;zoe@firma.example;\n")
    add_and_save(path, card("b"))
    with Book.open(path) as book:
        (row,) = book.rows()
    assert row["Title"] == "Head of Sales"
    assert row["Needs review"] == ""
    assert not path.read_bytes().startswith(BOM)  # no BOM before, none after
    assert b"\r\n" not in path.read_bytes()  # the file's own line endings


def test_cp1252_csv_stays_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes("Name,Emails\r\nRené Côté,rene@cote.example\r\n".encode("cp1252"))
    add_and_save(path, card("a"))
    raw = path.read_bytes()
    assert raw.decode("cp1252").startswith("Name,Emails,")
    assert "René Côté".encode("cp1252") in raw
    assert "Zoë Müller".encode("cp1252") in raw


def test_tab_separated_book(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("Name\tEmails\tMine\nOtto\totto@lang.example\tx\n", encoding="utf-8")
    add_and_save(path, card("a"))
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("Name\tEmails\tMine\t")


def test_workbook_renamed_to_csv_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    data = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256))
    path.write_bytes(data)
    with pytest.raises(BookError, match="not a text CSV file") as err:
        Book.open(path)
    assert str(path) in err.value.message
    assert path.read_bytes() == data
