"""Cell text round trips: what cardscan writes must read back as the same thing."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import phonenumbers
import pytest
from conftest import card_result
from hypothesis import given, settings
from hypothesis import strategies as st

from cardscan.book import Book
from cardscan.book.cells import format_phone, parse_social, phone_key, website_key
from cardscan.book.columns import SOURCE_PHOTOS
from cardscan.book.csv_store import CsvStore
from cardscan.book.matching import names_conflict
from cardscan.model import Phone
from cardscan.terminal import printable

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
NOW = datetime(2026, 11, 21, 22, 30)


@pytest.mark.parametrize("region", REGIONS)
def test_written_phone_parses_back_to_the_same_number(region: str) -> None:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        pytest.skip("no example number")
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    text = format_phone(Phone(e164, extension="12"))
    assert text.endswith(" ext. 12")
    assert phone_key(text) == e164


def test_social_and_website_keys() -> None:
    assert parse_social("linkedin: linkedin.com/in/x; twitter: @x") == {
        "linkedin": "linkedin.com/in/x",
        "twitter": "@x",
    }
    assert website_key("HTTPS://www.Acme.example/") == website_key("acme.example")


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("Jane Doe", "Raj Patel", True),
        ("Jane Doe", "JANE DOE", False),
        ("Jane Doe", "Doe, Jane", False),
        ("J. Doe", "Jane Doe", False),
        ("Jane Doe", "", False),
    ],
)
def test_names_conflict(a: str, b: str, conflict: bool) -> None:
    assert names_conflict(a, b) is conflict


cell_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\0\r"),
    max_size=20,
).map(str.strip)


@settings(max_examples=60, deadline=None)
@given(
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
    body=st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=6).filter(
        lambda rows: any(any(c for c in row) for row in rows[-1:])
    ),
)
def test_csv_store_round_trips_any_cell_text(
    tmp_path_factory: pytest.TempPathFactory, delimiter: str, bom: bool, body: list[list[str]]
) -> None:
    """Quotes, delimiters, line breaks and accents in the user's cells come back intact."""
    path = tmp_path_factory.mktemp("csv") / "book.csv"
    table = [["Name", "Emails", "Mine"], *body]
    store = CsvStore([list(r) for r in table], delimiter=delimiter, bom=bom, newline="\n")
    store.write(path)
    again = CsvStore.load(path)
    assert again.delimiter == delimiter
    assert again.bom == bom
    assert again.table == table
    again.write(path)
    assert CsvStore.load(path).table == table


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("photos/caf\udce9.jpg", "photos/caf\\xe9.jpg"),  # os.fsdecode(b"photos/caf\xe9.jpg")
        ("b\u00e4r/caf\udce9 \udcff.jpg", "b\u00e4r/caf\\xe9 \\xff.jpg"),  # good UTF-8 kept
        ("caf\ud800.jpg", "caf\\ud800.jpg"),  # a surrogate that is no byte of a name
        ("Zo\u00eb M\u00fcller \u5f20", "Zo\u00eb M\u00fcller \u5f20"),
    ],
)
def test_printable_escapes_only_what_utf8_cannot_hold(text: str, shown: str) -> None:
    assert printable(text) == shown
    shown.encode("utf-8")  # what any file, database or terminal takes


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_photo_name_that_is_not_utf8_is_written_escaped(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"book{suffix}"
    source = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.jpg")
    with Book.open(path) as book:
        book.add_card(card_result("a", {"name": "Jane Roe"}, {}, source=source), scanned_at=NOW)
        book.save()
    with Book.open(path, read_only=True) as book:
        assert book.rows()[0][SOURCE_PHOTOS] == f"{tmp_path}/caf\\xe9.jpg"


def test_the_characters_a_cell_refuses_are_openpyxls() -> None:
    # cells.py writes openpyxl's rule out so that reading a card does not import openpyxl.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as theirs

    from cardscan.book.cells import ILLEGAL_CHARACTERS_RE as ours

    for code in range(0x10000):
        char = chr(code)
        assert bool(ours.fullmatch(char)) == bool(theirs.fullmatch(char)), hex(code)
