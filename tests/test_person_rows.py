"""A card naming several people is a row per person in the book (cardscan.rows): each
with their own name, title, emails and phones and the card's company, address and web;
matched and merged on their own; flagged, never silent; an ingest of the same photo
again, and `rescan --book`, touch the same rows.

The card's reading is built from OCR lines (as tests/test_extract_people.py does) and put
in the book's result store, as an earlier ingest of the photo would have left it: what is
tested is the book's side, not the reading, which rests on no borderline OCR here.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, text_rows

from cardscan.book import Book
from cardscan.cli.rescan import _to_book
from cardscan.config import load_pipeline
from cardscan.extract.synth import make_ocr
from cardscan.load import card_id_of
from cardscan.model import Box, CardResult, OcrLine, OcrResult
from cardscan.pipeline import card_result, interpret
from cardscan.rows import card_of_row, person_id, rows_of
from cardscan.state.corrections import CorrectionStore
from cardscan.state.readings import ResultStore, pipeline_key


def _two_people() -> OcrResult:
    left = [("Jane Doe", 36), ("Sales Manager", 20), "jane.doe@acme.com", "M 415 555 2671"]
    right = [("John Roe", 36), ("Engineer", 20), "john.roe@acme.com", "M 415 555 2672"]
    shared = [("Acme Widgets Inc", 24), "Tel 415 555 0000", "www.acme.com", "12 Main Street"]
    a, b = make_ocr(left), make_ocr(right)
    under = make_ocr([("", 20)] * (len(left) + 1) + shared)
    lines: list[OcrLine] = []
    for la, lb in zip(a.lines, b.lines, strict=True):
        moved = [replace(w, box=replace(w.box, left=w.box.left + 540)) for w in lb.words]
        lines += [la, OcrLine(moved)]
    return OcrResult(lines + under.lines, width=1050, height=under.height)


def _read(lines: OcrResult, source: str, card_id: str) -> CardResult:
    extraction, issues = interpret(lines, None, "US", load_pipeline())
    return card_result(source, card_id, lines, extraction, issues, time.perf_counter())


def _photo(folder: Path, name: str, extra: bytes) -> Path:
    """A photo file of its own card id (a sample's bytes with some appended)."""
    path = folder / name
    shutil.copy(SAMPLES / "us-classic-wood.jpg", path)
    with path.open("ab") as out:
        out.write(extra)
    return path


def _store(book: Path, result: CardResult) -> None:
    store = ResultStore.open(book.resolve(), warn=pytest.fail)
    assert store is not None
    with store:
        store.put(result, pipeline_key(load_pipeline()), "US")


def test_the_split_reading_is_a_row_per_person() -> None:
    card = _read(_two_people(), "card.jpg", "ab" * 32)
    assert [p.contact.name for p in card.people] == ["Jane Doe", "John Roe"]
    card.back = dataclasses.replace(card, card_id="cd" * 32, people=[])
    card.evidence["name"] = [Box(1, 2, 3, 4)]
    jane, john = rows_of(card)
    assert (jane.card_id, john.card_id) == ("ab" * 32, "ab" * 32 + "@2")
    assert card_of_row(john.card_id) == card.card_id == person_id(card.card_id, 1)
    assert (jane.contact.emails, john.contact.emails) == (
        ["jane.doe@acme.com"],
        ["john.roe@acme.com"],
    )
    assert john.contact.company == jane.contact.company == "Acme Widgets Inc"
    assert jane.back is card.back and john.back is None  # the back's id: one row only
    assert "name" in jane.evidence and "name" not in john.evidence
    for row in (jane, john):
        assert not row.people
        assert "several_people" in [i.code for i in row.issues]  # flagged, never silent
        assert "a row each" in next(i.message for i in row.issues if i.code == "several_people")
    one = dataclasses.replace(card, people=[])
    assert rows_of(one) == [one]


def test_ingest_writes_a_row_per_person_and_matches_each_on_their_own(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    photo = _photo(tmp_path, "pair.jpg", b"pair")
    _store(book, _read(_two_people(), "pair.jpg", card_id_of(photo.read_bytes())))

    done = run_cli("ingest", "pair.jpg", "--book", "book.xlsx", "--region", "US", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Read 1 card photo: 2 new"), done.stdout
    assert "pair.jpg: Jane Doe: the card names several people" in done.stdout
    assert "pair.jpg: John Roe: the card names several people" in done.stdout
    rows = {r["Name"]: r for r in text_rows(book)}
    assert set(rows) == {"Jane Doe", "John Roe"}
    sha = card_id_of(photo.read_bytes())
    assert (rows["Jane Doe"]["Card IDs"], rows["John Roe"]["Card IDs"]) == (sha, f"{sha}@2")
    assert rows["John Roe"]["Emails"] == "john.roe@acme.com"
    assert "jane" not in rows["John Roe"]["Emails"] and "john" not in rows["Jane Doe"]["Emails"]
    assert rows["John Roe"]["Company"] == rows["Jane Doe"]["Company"] == "Acme Widgets Inc"

    # The same photo again: in the book, nothing changes.
    again = run_cli("ingest", "pair.jpg", "--book", "book.xlsx", "--region", "US", cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 new, 0 merged" in again.stdout and "1 already in the book" in again.stdout
    assert {r["Name"]: r for r in text_rows(book)} == rows

    # John's own card, met again: it joins John's row, not Jane's (matched on his email).
    own = _photo(tmp_path, "john.jpg", b"john")
    lines = make_ocr(
        [("John Roe", 36), ("Lead Engineer", 20), "john.roe@acme.com", ("Acme Widgets Inc", 24)]
    )
    _store(book, _read(lines, "john.jpg", card_id_of(own.read_bytes())))
    met = run_cli("ingest", "john.jpg", "--book", "book.xlsx", "--region", "US", cwd=tmp_path)
    assert met.returncode == 0, met.stdout + met.stderr
    assert "0 new, 1 merged" in met.stdout, met.stdout
    after = {r["Name"]: r for r in text_rows(book)}
    assert len(after) == 2
    assert card_id_of(own.read_bytes()) in after["John Roe"]["Card IDs"]
    assert after["Jane Doe"]["Card IDs"] == sha


def test_rescan_book_updates_each_persons_row_in_place(tmp_path: Path) -> None:
    card = _read(_two_people(), "pair.jpg", "ef" * 32)
    with Book.open(tmp_path / "book.xlsx") as contacts:
        corrections = CorrectionStore.load(contacts.file)
        assert _to_book(contacts, card, corrections) == "row 1 new, row 2 new"
        assert _to_book(contacts, card, corrections) == "row 1 updated, row 2 updated"
        contacts.save()
    assert [r["Name"] for r in text_rows(tmp_path / "book.xlsx")] == ["Jane Doe", "John Roe"]
