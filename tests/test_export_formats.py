"""vCard, Google CSV, Outlook CSV and JSON exports, each read back by an independent
parser (vobject, the csv module, json) and compared field by field with the book."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import vobject
from conftest import ALL_SAMPLES
from test_export import NOTES, book_rows, build_book

from cardscan.book import Book
from cardscan.export import export_book
from cardscan.export.address import AddressParts, split_address
from cardscan.export.common import name_parts
from cardscan.export.filters import RowFilter
from cardscan.model import Status

ZOE_PHONES = [
    ("+49 1511 2345678", "mobile"),
    ("+49 1519 9999999", "mobile"),
    ("+49 30 12345678 ext. 240", "work"),
    ("+49 30 12345679", "fax"),
    ("+49 89 123456", "other"),
]
ZOE_LABELS = ["Salon du Livre, Paris", "WebSummit", "vip", "investor"]
MAY_1 = date(2024, 5, 1)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return build_book(tmp_path / "contacts.xlsx")


def export(book: Path, out: Path, fmt: str, **options: Any) -> int:
    with Book.open(book) as contacts:
        return export_book(contacts, out, fmt, **options).written


def split(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(";") if v.strip()]


def book_phones(row: dict[str, str]) -> list[str]:
    return [p for key in ("Mobile", "Work phone", "Fax", "Other phones") for p in split(row[key])]


# --- vCard --------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_reads_back_field_by_field(book: Path, tmp_path: Path, version: str) -> None:
    out = tmp_path / "contacts.vcf"
    assert export(book, out, "vcard", vcard_version=version) == 3
    raw = out.read_bytes()
    cards = list(vobject.readComponents(raw.decode("utf-8")))
    assert len(cards) == 3

    zoe, raj, ana = cards
    assert zoe.version.value == version
    assert zoe.fn.value == "Zoë Müller-Lüdenscheidt"
    assert (zoe.n.value.given, zoe.n.value.family) == ("Zoë", "Müller-Lüdenscheidt")
    assert zoe.org.value == ["Société Générale d'Études"]
    assert zoe.title.value == "Directrice, R&D; Europe"
    tel_types = {
        "mobile": ["cell"],
        "work": ["work", "voice"],
        "fax": ["work", "fax"],
        "other": ["voice"],
    }
    assert [(t.value, [p.lower() for p in t.params["TYPE"]]) for t in zoe.tel_list] == [
        (number, tel_types[kind]) for number, kind in ZOE_PHONES
    ]
    assert [e.value for e in zoe.email_list] == ["zoe@firma.example", "zoe.mueller@privat.example"]
    assert [u.value for u in zoe.url_list] == ["https://www.firma.example"]
    adr = zoe.adr.value
    assert (adr.street, adr.city, adr.region, adr.code, adr.country) == (
        "Friedrichstraße 112",
        "Berlin",
        "",
        "10117",
        "Germany",
    )
    # vCard has no field for where they met: a line after the user's notes.
    assert zoe.note.value == f"{NOTES}\n\nWhere met: booth 12; Hall B"
    assert zoe.categories.value == ZOE_LABELS
    assert zoe.x_socialprofile.value == "linkedin.com/in/zoe"
    assert zoe.x_socialprofile.params["TYPE"] == ["linkedin"]

    assert raj.categories.value == ["Expo"]
    assert not hasattr(raj, "note") and not hasattr(raj, "adr")
    # A book row with only the full name still gets N split, its middle name included.
    n = ana.n.value
    assert (n.prefix, n.given, n.additional, n.family, n.suffix) == (
        "",
        "Ana",
        "Luísa",
        "Ferreira",
        "",
    )
    assert ana.org.value == ["Ferreira & Filhos"]

    # Against the book, row by row.
    for row, got in zip(book_rows(book), cards, strict=True):
        assert got.fn.value == row["Name"]
        assert [e.value for e in got.email_list] == split(row["Emails"])
        assert [t.value for t in getattr(got, "tel_list", [])] == book_phones(row)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_text_is_escaped_folded_utf8(book: Path, tmp_path: Path, version: str) -> None:
    out = tmp_path / "contacts.vcf"
    export(book, out, "vcard", vcard_version=version)
    raw = out.read_bytes()
    assert raw.startswith(b"BEGIN:VCARD\r\nVERSION:" + version.encode() + b"\r\n")
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75  # octets, per both RFCs
    assert any(line.startswith(b" ") for line in lines)  # the long note was folded
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8")
    assert "FN:Zoë Müller-Lüdenscheidt\r\n" in unfolded  # plain UTF-8, no escapes
    assert r"NOTE:Met at booth 12\, talked about" in unfolded
    assert r'"pricing"\; wants a demo' in unfolded and r"plant\nCall after" in unfolded
    assert r"CATEGORIES:Salon du Livre\, Paris,WebSummit,vip,investor" in unfolded
    assert r"TITLE:Directrice\, R&D\; Europe" in unfolded
    cell = "TEL;TYPE=CELL:" if version == "3.0" else "TEL;TYPE=cell:"
    assert f"{cell}+49 1511 2345678\r\n" in unfolded
    assert ("EMAIL;TYPE=INTERNET:" in unfolded) == (version == "3.0")


def test_vcard_of_nobody_is_an_empty_file(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "contacts.vcf"
    assert export(book, out, "vcard", where=RowFilter(event="Nowhere")) == 0
    assert out.read_bytes() == b""
    assert list(vobject.readComponents("")) == []


def test_unknown_vcard_version_is_refused(book: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"3\.0, 4\.0"):
        export(book, tmp_path / "c.vcf", "vcard", vcard_version="2.1")


# --- Google Contacts CSV ------------------------------------------------------------

# The start of the header line of Google Contacts' own "Google CSV" export.
GOOGLE_LINE = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels"
)
GOOGLE_FIXED = GOOGLE_LINE.split(",")


def read_csv(path: Path, encoding: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def test_google_csv_reads_back_field_by_field(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "google.csv"
    assert export(book, out, "google") == 3
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")  # Google's own export has none
    header, (zoe, raj, ana) = read_csv(out, "utf-8")
    assert header[: len(GOOGLE_FIXED)] == GOOGLE_FIXED
    assert header.index("Phone 1 - Label") > header.index("E-mail 2 - Value")
    assert "Phone 5 - Value" in header and "Phone 6 - Value" not in header  # Zoë has five
    assert header.index("Website 1 - Value") > header.index("Address 1 - Formatted")

    assert (zoe["First Name"], zoe["Last Name"]) == ("Zoë", "Müller-Lüdenscheidt")
    assert zoe["Organization Name"] == "Société Générale d'Études"
    assert zoe["Organization Title"] == "Directrice, R&D; Europe"
    assert zoe["Notes"] == NOTES
    assert zoe["Labels"].split(" ::: ") == ZOE_LABELS
    assert [(zoe[f"E-mail {n} - Label"], zoe[f"E-mail {n} - Value"]) for n in (1, 2)] == [
        ("Work", "zoe@firma.example"),
        ("Work", "zoe.mueller@privat.example"),
    ]
    labels = {"mobile": "Mobile", "work": "Work", "fax": "Work Fax", "other": "Other"}
    assert [(zoe[f"Phone {n} - Label"], zoe[f"Phone {n} - Value"]) for n in range(1, 6)] == [
        (labels[kind], number) for number, kind in ZOE_PHONES
    ]
    assert zoe["Address 1 - Formatted"] == "Friedrichstraße 112, 10117 Berlin, Germany"
    assert [
        zoe[f"Address 1 - {part}"] for part in ("Street", "City", "Postal Code", "Country")
    ] == [
        "Friedrichstraße 112",
        "Berlin",
        "10117",
        "Germany",
    ]
    assert zoe["Website 1 - Value"] == "www.firma.example"
    assert (zoe["Custom Field 1 - Label"], zoe["Custom Field 1 - Value"]) == (
        "linkedin",
        "linkedin.com/in/zoe",
    )
    assert [zoe[f"Custom Field {n} - {part}"] for n in (2, 3) for part in ("Label", "Value")] == [
        "Where met",
        "booth 12",
        "Where met",
        "Hall B",
    ]

    assert raj["Labels"] == "Expo"
    assert (raj["Phone 1 - Label"], raj["Phone 1 - Value"]) == ("Work", "+1 415-555-2671")
    assert raj["Phone 2 - Value"] == raj["Address 1 - Formatted"] == ""
    assert (ana["First Name"], ana["Middle Name"], ana["Last Name"]) == ("Ana", "Luísa", "Ferreira")
    assert ana["Labels"] == "expo"

    for row, got in zip(book_rows(book), (zoe, raj, ana), strict=True):
        emails = [got[k] for k in header if k.startswith("E-mail") and k.endswith("Value")]
        assert [e for e in emails if e] == split(row["Emails"])
        numbers = [got[k] for k in header if k.startswith("Phone") and k.endswith("Value")]
        assert [p for p in numbers if p] == book_phones(row)
        assert got["Organization Name"] == row["Company"]


def test_google_csv_of_nobody_has_the_header(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "google.csv"
    assert export(book, out, "google", where=RowFilter(needs_review=True, event="Salon")) == 0
    header, rows = read_csv(out, "utf-8")
    assert rows == []
    assert header[: len(GOOGLE_FIXED)] == GOOGLE_FIXED
    assert {"E-mail 1 - Value", "Phone 1 - Value", "Website 1 - Value"} <= set(header)


# --- Outlook CSV --------------------------------------------------------------------

OUTLOOK_HEADER = [
    "Title",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "E-mail Address",
    "E-mail 2 Address",
    "E-mail 3 Address",
    "Business Phone",
    "Business Phone 2",
    "Mobile Phone",
    "Other Phone",
    "Business Fax",
    "Other Fax",
    "Job Title",
    "Company",
    "Department",
    "Business Street",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Web Page",
    "Notes",
    "Categories",
]


def test_outlook_csv_reads_back_field_by_field(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "outlook.csv"
    assert export(book, out, "outlook") == 3
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    header, (zoe, raj, ana) = read_csv(out, "utf-8-sig")
    assert header == OUTLOOK_HEADER
    assert (zoe["First Name"], zoe["Last Name"]) == ("Zoë", "Müller-Lüdenscheidt")
    assert (zoe["E-mail Address"], zoe["E-mail 2 Address"], zoe["E-mail 3 Address"]) == (
        "zoe@firma.example",
        "zoe.mueller@privat.example",
        "",
    )
    assert zoe["Mobile Phone"] == "+49 1511 2345678"
    assert zoe["Other Phone"] == "+49 1519 9999999"  # the second mobile: Outlook has one slot
    assert zoe["Business Phone"] == "+49 30 12345678 ext. 240"
    assert zoe["Business Fax"] == "+49 30 12345679"
    assert (zoe["Job Title"], zoe["Company"]) == (
        "Directrice, R&D; Europe",
        "Société Générale d'Études",
    )
    assert [zoe[f"Business {p}"] for p in ("Street", "City", "Postal Code", "Country/Region")] == [
        "Friedrichstraße 112",
        "Berlin",
        "10117",
        "Germany",
    ]
    assert zoe["Web Page"] == "https://www.firma.example"
    assert zoe["Categories"].split(";") == ZOE_LABELS
    # The user's notes first, as typed; then where they met; then what Outlook has no
    # field for.
    assert zoe["Notes"] == (
        f"{NOTES}\n\nWhere met: booth 12; Hall B\n\n"
        "More from the card (no Outlook field for these):\n"
        "Other phone: +49 89 123456\nlinkedin: linkedin.com/in/zoe"
    )

    assert raj["Business Phone"] == "+1 415-555-2671"
    assert raj["Notes"] == raj["Mobile Phone"] == ""
    assert (ana["First Name"], ana["Middle Name"], ana["Last Name"], ana["Company"]) == (
        "Ana",
        "Luísa",
        "Ferreira",
        "Ferreira & Filhos",
    )

    phone_columns = [h for h in OUTLOOK_HEADER if "Phone" in h or "Fax" in h]
    for row, got in zip(book_rows(book), (zoe, raj, ana), strict=True):
        emails = [got[k] for k in ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")]
        assert [e for e in emails if e] == split(row["Emails"])
        in_columns = {got[k] for k in phone_columns if got[k]}
        for number in book_phones(row):  # in a phone column, or listed in Notes
            assert number in in_columns or number in got["Notes"], number


def test_outlook_defuses_formulas_but_not_phones(book: Path, tmp_path: Path) -> None:
    from test_export import hand_edit

    hand_edit(book, {"Notes": "=HYPERLINK(1)"}, row=2)
    out = tmp_path / "outlook.csv"
    export(book, out, "outlook")
    _, rows = read_csv(out, "utf-8-sig")
    assert rows[1]["Notes"] == "'=HYPERLINK(1)"
    assert rows[1]["Business Phone"] == "+1 415-555-2671"


# --- JSON ---------------------------------------------------------------------------


def test_json_reads_back_field_by_field(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "contacts.json"
    assert export(book, out, "json") == 3
    text = out.read_text(encoding="utf-8")
    assert "Zoë" in text  # UTF-8, not \u escapes
    zoe, raj, ana = json.loads(text)
    assert zoe == {
        "name": "Zoë Müller-Lüdenscheidt",
        "given_name": "Zoë",
        "family_name": "Müller-Lüdenscheidt",
        "title": "Directrice, R&D; Europe",
        "company": "Société Générale d'Études",
        "department": None,
        "emails": ["zoe@firma.example", "zoe.mueller@privat.example"],
        "phones": [{"number": number, "kind": kind} for number, kind in ZOE_PHONES],
        "websites": ["www.firma.example"],
        "address": "Friedrichstraße 112, 10117 Berlin, Germany",
        "social": {"linkedin": "linkedin.com/in/zoe"},
        "events": ["Salon du Livre, Paris", "WebSummit"],
        "where": ["booth 12", "Hall B"],
        "met_on": "2024-05-01",
        "notes": NOTES,
        "card_notes": [],
        "tags": ["vip", "investor"],
        "follow_up_by": "2024-05-02",
        "followed_up_on": None,
        "source_photos": ["a.jpg", "d.jpg"],
        "card_ids": ["a" * 64, "d" * 64],
        "scanned_at": "2024-05-01 22:15",
        # Her second card brought a second mobile: kept beside the first, and flagged.
        "needs_review": True,
        "review_reasons": ["new mobile on card d.jpg: +49 1519 9999999"],
        "extra": {"Priority": "high"},
    }
    assert raj["needs_review"] is True
    assert raj["review_reasons"] == ["check the phone (card b.jpg)"]
    assert raj["phones"] == [{"number": "+1 415-555-2671", "kind": "work"}]
    assert raj["extra"] == {"Priority": None} and raj["notes"] is None
    assert (ana["given_name"], ana["family_name"], ana["events"]) == (None, None, ["expo"])
    assert raj["where"] == ana["where"] == []

    for row, got in zip(book_rows(book), (zoe, raj, ana), strict=True):
        assert got["name"] == row["Name"] and got["company"] == (row["Company"] or None)
        assert got["emails"] == split(row["Emails"])
        assert [p["number"] for p in got["phones"]] == book_phones(row)


def test_json_of_nobody_is_an_empty_list(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "contacts.json"
    assert export(book, out, "json", where=RowFilter(event="Nowhere")) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == []


# --- a CSV book, and the real samples -----------------------------------------------


def test_a_csv_book_exports_the_same_contacts(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "c").mkdir()
    xlsx = build_book(tmp_path / "x" / "contacts.xlsx")
    csv_book = build_book(tmp_path / "c" / "contacts.csv")
    for fmt, name in (("json", "out.json"), ("vcard", "out.vcf"), ("google", "g.csv")):
        export(xlsx, tmp_path / "x" / name, fmt)
        export(csv_book, tmp_path / "c" / name, fmt)
        assert (tmp_path / "x" / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), fmt


def test_real_sample_cards_survive_every_format(
    sample_results: dict[str, Any], tmp_path: Path
) -> None:
    """Every sample photo read by the real pipeline, into a book, out in each format."""
    from test_export import NOW

    path = tmp_path / "contacts.xlsx"
    with Book.open(path) as contacts:
        for res in sample_results.values():
            if res.status != Status.FAILED:
                contacts.add_card(res, event="Chicago Tech Mixer", scanned_at=NOW)
        contacts.save()
    rows = book_rows(path)
    assert len(rows) >= len(ALL_SAMPLES) - 2  # a failed or merged card at most
    emails = [split(r["Emails"]) for r in rows]
    assert sum(map(len, emails)) >= len(rows) // 2  # the check below is not vacuous

    export(path, tmp_path / "c.vcf", "vcard")
    cards = list(vobject.readComponents((tmp_path / "c.vcf").read_text(encoding="utf-8")))
    assert [[e.value for e in getattr(c, "email_list", [])] for c in cards] == emails
    named = [(r["Name"], c.fn.value) for r, c in zip(rows, cards, strict=True) if r["Name"]]
    assert len(named) >= len(rows) - 2 and all(name == fn for name, fn in named)

    export(path, tmp_path / "c.json", "json")
    assert [c["emails"] for c in json.loads((tmp_path / "c.json").read_text())] == emails

    for fmt, encoding in (("google", "utf-8"), ("outlook", "utf-8-sig")):
        export(path, tmp_path / f"{fmt}.csv", fmt)
        _, got = read_csv(tmp_path / f"{fmt}.csv", encoding)
        assert len(got) == len(rows), fmt
        for row, line in zip(rows, got, strict=True):
            assert set(split(row["Emails"])) <= set(line.values()) | {""}, fmt
            assert all(p in " ".join(line.values()) for p in book_phones(row)), fmt


# --- the pieces ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (
            "1200 Harbor Way, Suite 400, San Francisco, CA 94107",
            AddressParts("1200 Harbor Way, Suite 400", "San Francisco", "CA", "94107"),
        ),
        (
            "Level 12, 530 Collins Street, Melbourne VIC 3000",
            AddressParts("Level 12, 530 Collins Street", "Melbourne", "VIC", "3000"),
        ),
        (
            "1188 Homer Street, Vancouver, BC V6B 2X6, Canada",
            AddressParts("1188 Homer Street", "Vancouver", "BC", "V6B 2X6", "Canada"),
        ),
        (
            "42 Tib Street, Northern Quarter, Manchester M4 1LA",
            AddressParts("42 Tib Street, Northern Quarter", "Manchester", "", "M4 1LA"),
        ),
        (
            "Rua Augusta, 148, 2.º Esq., 1100-053 Lisboa",
            AddressParts("Rua Augusta, 148, 2.º Esq.", "Lisboa", "", "1100-053"),
        ),
        (
            "Av. Paulista, 1578, Bela Vista, São Paulo - SP, CEP 01310-200",
            AddressParts("Av. Paulista, 1578, Bela Vista", "São Paulo", "SP", "01310-200"),
        ),
        (
            "Keizersgracht 123, 1015 CJ Amsterdam",
            AddressParts("Keizersgracht 123", "Amsterdam", "", "1015 CJ"),
        ),
        ("Calle Mayor 5, Madrid, 28001", AddressParts("Calle Mayor 5", "Madrid", "", "28001")),
        (
            "2-4-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005, Japan",
            AddressParts("2-4-1 Marunouchi, Chiyoda-ku", "Tokyo", "", "100-0005", "Japan"),
        ),
        ("Nariman Point, Mumbai 400021", AddressParts("Nariman Point", "Mumbai", "", "400021")),
        # Shapes it does not know stay whole in the street.
        ("1 Infinite Loop, Cupertino", AddressParts("1 Infinite Loop, Cupertino")),
        ("10117 Berlin", AddressParts("10117 Berlin")),
        ("", AddressParts()),
    ],
)
def test_split_address(address: str, expected: AddressParts) -> None:
    assert split_address(address) == expected


@pytest.mark.parametrize(
    "address", sorted({s.contact["address"] for s in ALL_SAMPLES if s.contact.get("address")})
)
def test_split_address_loses_nothing(address: str) -> None:
    parts = split_address(address)
    kept = " ".join([parts.street, parts.city, parts.region, parts.postcode, parts.country]).split()
    words = [w for w in re.split(r"[\s,]+", address) if w and w not in {"CEP", "-"}]
    assert sorted(words) == sorted(w.strip(",") for w in kept if w.strip(",") != "-")
    assert parts.city, address  # every sample address has a recognisable last line


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # Given and Family name edited: Name no longer frames them, so no middle name.
        ({"Given name": "Zoë", "Family name": "Müller", "Name": "Dr. Z. M."},
         ("Dr.", "Zoë", "", "Müller", "")),
        ({"Name": "Ana Luísa Ferreira"}, ("", "Ana", "Luísa", "Ferreira", "")),
        ({"Name": "Madonna"}, ("", "Madonna", "", "", "")),
        ({"Name": "Dr. Smith"}, ("Dr.", "", "", "Smith", "")),
        ({"Name": ""}, ("", "", "", "", "")),
        ({"Name": "Marcus J. Whitfield", "Given name": "Marcus", "Family name": "Whitfield"},
         ("", "Marcus", "J.", "Whitfield", "")),
        # The book's split decides: two surnames (Spanish region) or one.
        ({"Name": "Dr. Ana María López García, PhD", "Given name": "Ana",
          "Family name": "López García"}, ("Dr.", "Ana", "María", "López García", "PhD")),
        ({"Name": "Dr. Ana María López García, PhD", "Given name": "Ana",
          "Family name": "García"}, ("Dr.", "Ana", "María López", "García", "PhD")),
        # Case and accents aside, the Name still frames the columns.
        ({"Name": "INES M. CARVALHO", "Given name": "Inês", "Family name": "Carvalho"},
         ("", "Inês", "M.", "Carvalho", "")),
    ],
)  # fmt: skip
def test_name_parts(row: dict[str, str], expected: tuple[str, ...]) -> None:
    parts = name_parts(row)
    assert (parts.prefix, parts.given, parts.middle, parts.family, parts.suffix) == expected


@pytest.mark.parametrize(
    ("where", "names"),
    [
        (RowFilter(), ["Zoë", "Raj", "Ana"]),
        (RowFilter(event="EXPO"), ["Raj", "Ana"]),  # "Expo" and "expo" alike
        (RowFilter(event="  salon du  livre, paris "), ["Zoë"]),  # spacing too
        (RowFilter(event="websummit"), ["Zoë"]),  # the second event in her cell
        (RowFilter(event="Salon"), []),  # a whole event, not a part of one
        (RowFilter(since=MAY_1), ["Zoë", "Ana"]),  # met on the day counts
        (RowFilter(needs_review=True), ["Zoë", "Raj"]),
        (RowFilter(event="expo", since=MAY_1), ["Ana"]),
        (RowFilter(event="expo", needs_review=True, since=MAY_1), []),
    ],
)
def test_filters_combine(book: Path, where: RowFilter, names: list[str]) -> None:
    got = [row["Name"].split()[0] for row in book_rows(book) if where.matches(row)]
    assert got == names


@pytest.mark.parametrize(
    ("mark", "flagged"), [("yes", True), ("x", True), ("", False), ("No", False), ("0", False)]
)
def test_needs_review_marks(mark: str, flagged: bool) -> None:
    assert RowFilter(needs_review=True).matches({"Needs review": mark}) is flagged
