"""The result store beside the book: readings kept per photo, damage never blocks."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from cardscan.book.results import (
    IngestRecord,
    ResultStore,
    pipeline_key,
    result_from_json,
    store_path,
)
from cardscan.config import load_pipeline
from cardscan.model import CardResult, Contact, Issue, Phone, PhoneKind, Status


def reading(card_id: str = "a", status: Status = Status.NEEDS_REVIEW) -> CardResult:
    return CardResult(
        source=f"photos/{card_id}.jpg",
        card_id=card_id * 64,
        status=status,
        contact=Contact(
            name="Zoë Müller",
            given_name="Zoë",
            family_name="Müller",
            title="Head of Sales",
            company="Firma GmbH",
            emails=["zoe@firma.example"],
            phones=[
                Phone("+4915112345678", PhoneKind.MOBILE, "0151 12345678"),
                Phone("+49301234567", PhoneKind.WORK, "030 1234567", extension="12"),
                Phone("12345", PhoneKind.FAX, "Fax 123-45", valid=False),
            ],
            websites=["www.firma.example"],
            address="Hauptstraße 1, 10115 Berlin",
            social={"linkedin": "linkedin.com/in/zoe"},
        ),
        confidence={"name": 0.875, "emails": 1.0},
        issues=[Issue("phone_invalid", "fax number has too few digits", "phones")],
        text="Zoë Müller\nHead of Sales",
        region="DE",
        rotation=90,
        seconds=1.25,
    )


class Warnings(list[str]):
    def __call__(self, message: str) -> None:
        self.append(message)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return tmp_path / "contacts.xlsx"


def test_reading_round_trips_and_is_keyed_by_pipeline_and_region(book: Path) -> None:
    warn = Warnings()
    store = ResultStore.open(book, warn=warn)
    assert store is not None
    with store:
        store.put(reading(), "default/x", "DE")
        assert store.get("a" * 64, "default/x", "DE") == reading()
        assert store.get("A" * 64, "default/x", "DE") == reading()  # ids compare lowercase
        assert store.get("a" * 64, "default/y", "DE") is None
        assert store.get("a" * 64, "default/x", "US") is None
        assert store.get("b" * 64, "default/x", "DE") is None
    assert warn == []
    assert store_path(book) == book.parent / ".cardscan" / "contacts.xlsx.results.sqlite"
    conn = sqlite3.connect(store_path(book))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    (row,) = conn.execute("SELECT card_id, pipeline, region, source, status FROM results")
    assert row == ("a" * 64, "default/x", "DE", "photos/a.jpg", "needs_review")


def test_a_stored_reading_nested_too_deep_is_read_again(book: Path) -> None:
    warn = Warnings()
    store = ResultStore.open(book, warn=warn)
    assert store is not None
    with store:
        store.put(reading(), "p", "US")
    conn = sqlite3.connect(store_path(book))
    with conn:
        conn.execute("UPDATE results SET result = ?", ("[" * 200_000 + "]" * 200_000,))
    conn.close()
    store = ResultStore.open(book, warn=warn)
    assert store is not None
    with store:
        assert store.get("a" * 64, "p", "US") is None
    assert len(warn) == 1 and "reading that photo again" in warn[0]


def test_failed_readings_are_not_stored(book: Path) -> None:
    store = ResultStore.open(book, warn=Warnings())
    assert store is not None
    with store:
        store.put(reading(status=Status.FAILED), "p", "US")
        store.put(dataclasses.replace(reading(), card_id=""), "p", "US")  # unreadable file
        assert store.count() == 0


def test_result_json_contract_round_trip() -> None:
    data = reading().to_json()
    assert result_from_json(data).to_json() == data


def test_pipeline_key_follows_the_parameters() -> None:
    default = load_pipeline("default")
    assert pipeline_key(default) == pipeline_key(load_pipeline("default"))
    assert pipeline_key(default).startswith("default/")
    tesseract = dataclasses.replace(default.ocr.tesseract, psm=6)
    tuned = dataclasses.replace(default, ocr=dataclasses.replace(default.ocr, tesseract=tesseract))
    assert pipeline_key(tuned) != pipeline_key(default)
    # An engine option added with the [ocr.NAME] tables is part of the key too.
    rapidocr = dataclasses.replace(default.ocr.rapidocr, detect_side=1280)
    wider = dataclasses.replace(default, ocr=dataclasses.replace(default.ocr, rapidocr=rapidocr))
    assert pipeline_key(wider) not in (pipeline_key(default), pipeline_key(tuned))
    moved = dataclasses.replace(default, source="/elsewhere/default.toml", description="x")
    assert pipeline_key(moved) == pipeline_key(default)


@pytest.mark.parametrize(
    "damage",
    [
        b"this is not a database at all, just text" * 100,
        b"SQLite format 3\x00" + b"\xff" * 4000,  # a torn header
    ],
)
def test_damaged_store_is_moved_aside_and_rebuilt(book: Path, damage: bytes) -> None:
    path = store_path(book)
    path.parent.mkdir()
    path.write_bytes(damage)
    warn = Warnings()
    store = ResultStore.open(book, warn=warn)
    assert store is not None
    with store:
        store.put(reading(), "p", "US")
        assert store.count() == 1
    (message,) = warn
    assert message.startswith(f"the result store {path} was damaged")
    assert "a new one is started, photos are read again" in message
    (aside,) = path.parent.glob("contacts.xlsx.results.sqlite.damaged-*")
    assert aside.read_bytes() == damage  # kept for whoever wants to look


def test_a_foreign_database_is_not_used(book: Path) -> None:
    path = store_path(book)
    path.parent.mkdir()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE budget (item TEXT)")
    conn.commit()
    conn.close()
    warn = Warnings()
    store = ResultStore.open(book, warn=warn)
    assert store is not None and store.count() == 0
    store.close()
    assert "not a cardscan result store" in warn[0]


def test_read_only_creates_nothing_and_never_repairs(book: Path) -> None:
    warn = Warnings()
    assert ResultStore.open(book, warn=warn, read_only=True) is None
    assert not (book.parent / ".cardscan").exists()

    path = store_path(book)
    path.parent.mkdir()
    path.write_bytes(b"garbage" * 100)
    assert ResultStore.open(book, warn=warn, read_only=True) is None
    assert "cannot be used" in warn[0] and "without --dry-run replaces it" in warn[0]
    assert path.read_bytes() == b"garbage" * 100
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_store_that_cannot_be_opened_is_left_alone(book: Path) -> None:
    store_path(book).mkdir(parents=True)  # not damaged: just not openable now
    warn = Warnings()
    assert ResultStore.open(book, warn=warn) is None
    (message,) = warn
    assert message.startswith(f"cannot use the result store {store_path(book)} (unable to open")
    assert "check that you can write in the book's folder" in message
    assert store_path(book).is_dir()
    assert sorted(p.name for p in store_path(book).parent.iterdir()) == [store_path(book).name]


def test_read_only_sees_readings_and_writes_none(book: Path) -> None:
    store = ResultStore.open(book, warn=Warnings())
    assert store is not None
    store.put(reading(), "p", "DE")
    store.close()
    before = sorted(p.name for p in store_path(book).parent.iterdir())
    ro = ResultStore.open(book, warn=Warnings(), read_only=True)
    assert ro is not None
    with ro:
        assert ro.get("a" * 64, "p", "DE") == reading()
        ro.put(reading("b"), "p", "DE")
        assert ro.count() == 1
    assert sorted(p.name for p in store_path(book).parent.iterdir()) == before


def test_a_store_that_stops_working_warns_once_and_steps_aside(book: Path) -> None:
    warn = Warnings()
    store = ResultStore.open(book, warn=warn)
    assert store is not None
    store._conn.close()  # type: ignore[union-attr]  # as if the disk went away
    store.put(reading(), "p", "US")
    store.put(reading("b"), "p", "US")
    assert store.get("a" * 64, "p", "US") is None
    assert len(warn) == 1 and "stopped working" in warn[0]


def test_journal_keeps_ingests_and_their_undo(book: Path) -> None:
    store = ResultStore.open(book, warn=Warnings())
    assert store is not None
    first = IngestRecord(
        datetime(2026, 11, 21, 22, 0), datetime(2026, 11, 21, 22, 1), 10, 10, 0, None, "1" * 64
    )
    second = dataclasses.replace(
        first, photos=5, backup="backups/contacts.x.xlsx", book_sha256="2" * 64
    )
    with store:
        assert store.last_ingest() is None
        assert store.record_ingest(first) and store.record_ingest(second)
        last = store.last_ingest()
        assert last is not None and (last.id, last.photos, last.backup) == (
            2,
            5,
            "backups/contacts.x.xlsx",
        )
        store.mark_undone(last.id, datetime(2026, 11, 22, 9, 0), "backups/contacts.y.xlsx")
        again = store.last_ingest()
        assert again is not None and again.id == 1 and again.backup is None
        assert store.ingests()[1].undo_backup == "backups/contacts.y.xlsx"
