"""Every part of a name reaches its slot in each export, and a shop's card exports as a
company: through the real `cardscan export`, read back by vobject and the csv module.

The book is built in the test as ingest would make it: Name as printed on the card
(honorifics and degrees kept), Given and Family name as the name reader splits them
("López García": two surnames, as for a Spanish card).
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import vobject
from click.testing import CliRunner

from cardscan.book import Book
from cardscan.cli.main import cli
from cardscan.model import CardResult, Contact, Status

PEOPLE: list[dict[str, Any]] = [
    {
        "name": "Marcus J. Whitfield",
        "given_name": "Marcus",
        "family_name": "Whitfield",
        "title": "Director of Operations",
        "company": "Northwind Logistics",
        "emails": ["marcus.whitfield@northwindlogistics.com"],
    },
    {
        "name": "Dr. Ana María López García, PhD",
        "given_name": "Ana",
        "family_name": "López García",
        "title": "Directora de Investigación",
        "company": "Grupo Alcázar",
        "emails": ["ana.lopez@grupoalcazar.es"],
    },
    {  # a shop's card: no person on it
        "company": "Harrow & Finch Coffee Roasters",
        "emails": ["info@harrowandfinch.co.uk"],
    },
    {
        "name": "Hans Peter Müller Jr.",
        "given_name": "Hans",
        "family_name": "Müller",
        "company": "Müller & Söhne",
        "emails": ["hans@mueller.example"],
    },
]
# (prefix, given, middle, family, suffix) of each person above; None for the shop.
SLOTS: list[tuple[str, str, str, str, str] | None] = [
    ("", "Marcus", "J.", "Whitfield", ""),
    ("Dr.", "Ana", "María", "López García", "PhD"),
    None,
    ("", "Hans", "Peter", "Müller", "Jr."),
]
SHOP = "Harrow & Finch Coffee Roasters"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.xlsx"
    with Book.open(path) as contacts:
        for number, person in enumerate(PEOPLE):
            contacts.add_card(
                CardResult(
                    source=f"card{number}.jpg",
                    card_id=str(number) * 64,
                    status=Status.OK,
                    contact=Contact(**person),
                ),
                event="Chicago Tech Mixer",
                met_on=date(2026, 11, 21),
                scanned_at=datetime(2026, 11, 22, 9, 0),
            )
        contacts.save()
    return path


def export(book: Path, out: Path, *options: str) -> None:
    result = CliRunner().invoke(cli, ["export", "--book", str(book), "--to", str(out), *options])
    assert result.exit_code == 0, result.output


def read_csv(path: Path, encoding: str) -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_n_has_all_five_parts_and_a_shop_is_an_organisation(
    book: Path, tmp_path: Path, version: str
) -> None:
    out = tmp_path / "contacts.vcf"
    export(book, out, "--vcard-version", version)
    cards = list(vobject.readComponents(out.read_text(encoding="utf-8")))
    assert len(cards) == len(PEOPLE)
    for card, person, slots in zip(cards, PEOPLE, SLOTS, strict=True):
        if slots is None:
            continue
        n = card.n.value
        assert (n.prefix, n.given, n.additional, n.family, n.suffix) == slots
        assert card.fn.value == person["name"]
        assert card.org.value == [person["company"]]
        assert "kind" not in card.contents and "x-abshowas" not in card.contents

    shop = cards[2]
    assert shop.fn.value == SHOP and shop.org.value == [SHOP]
    if version == "4.0":
        assert shop.kind.value == "org"
        assert "n" not in shop.contents  # N is optional in 4.0: a company has none
    else:
        assert shop.contents["x-abshowas"][0].value == "COMPANY"
        assert b"\r\nX-ABShowAs:COMPANY\r\n" in out.read_bytes()  # in Apple's spelling
        n = shop.n.value  # 3.0 requires N: empty, as Apple writes it
        assert (n.prefix, n.given, n.additional, n.family, n.suffix) == ("", "", "", "", "")


def test_google_csv_fills_prefix_middle_and_suffix_and_a_shop_has_only_its_organisation(
    book: Path, tmp_path: Path
) -> None:
    out = tmp_path / "google.csv"
    export(book, out, "--format", "google")
    rows = read_csv(out, "utf-8")
    columns = ("Name Prefix", "First Name", "Middle Name", "Last Name", "Name Suffix")
    for row, person, slots in zip(rows, PEOPLE, SLOTS, strict=True):
        assert tuple(row[c] for c in columns) == (slots or ("",) * 5)
        assert row["Organization Name"] == person["company"]
    assert rows[2]["E-mail 1 - Value"] == "info@harrowandfinch.co.uk"


def test_outlook_csv_fills_title_middle_and_suffix_and_a_shop_is_only_a_company(
    book: Path, tmp_path: Path
) -> None:
    out = tmp_path / "outlook.csv"
    export(book, out, "--format", "outlook")
    rows = read_csv(out, "utf-8-sig")
    columns = ("Title", "First Name", "Middle Name", "Last Name", "Suffix")
    for row, person, slots in zip(rows, PEOPLE, SLOTS, strict=True):
        assert tuple(row[c] for c in columns) == (slots or ("",) * 5)
        assert row["Company"] == person["company"]
    assert rows[0]["Job Title"] == "Director of Operations"  # the job is not Outlook's Title


def test_a_name_typed_by_hand_is_split_into_all_five_parts(book: Path, tmp_path: Path) -> None:
    # A row whose Given and Family name are empty (typed into the sheet by hand, with
    # only a Name): nameparser splits it, the honorific and degree included.
    workbook = openpyxl.load_workbook(book)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = 2 + 3  # Hans
    for column, value in (("Name", "Prof. Hans Peter Müller, MBA"), ("Given name", None),
                          ("Family name", None)):  # fmt: skip
        sheet.cell(row, header.index(column) + 1).value = value
    workbook.save(book)

    export(book, tmp_path / "outlook.csv", "--format", "outlook")
    hans = read_csv(tmp_path / "outlook.csv", "utf-8-sig")[3]
    columns = ("Title", "First Name", "Middle Name", "Last Name", "Suffix")
    assert tuple(hans[c] for c in columns) == ("Prof.", "Hans", "Peter", "Müller", "MBA")

    export(book, tmp_path / "c.vcf")
    n = list(vobject.readComponents((tmp_path / "c.vcf").read_text(encoding="utf-8")))[3].n.value
    assert (n.prefix, n.given, n.additional, n.family, n.suffix) == (
        "Prof.",
        "Hans",
        "Peter",
        "Müller",
        "MBA",
    )
