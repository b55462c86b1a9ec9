"""Ingest as a library call (cardscan.ingest), and the card id that travels with the job.

The library test takes every reading from the result store, stored by hand beforehand, so
no card is read by OCR: what it pins is the run around the readings (plan, events, merge,
save, report), not what OCR makes of a photo.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES

from cardscan import reading
from cardscan.book import Action, Book
from cardscan.config import load_pipeline
from cardscan.errors import InputError
from cardscan.ingest import Begun, IngestOptions, Merged, find_photos, ingest
from cardscan.load import card_id_of
from cardscan.model import CardResult, Contact, Status
from cardscan.pipeline import CardJob, process_card
from cardscan.state.readings import ResultStore, pipeline_key


def _stored(book: Path, photos: dict[Path, Contact]) -> None:
    """Keep a reading of each photo in the book's result store, as an earlier run would."""
    key = pipeline_key(load_pipeline())
    store = ResultStore.open(book.resolve(), warn=pytest.fail)
    assert store is not None
    with store:
        for photo, contact in photos.items():
            card_id = card_id_of(photo.read_bytes())
            store.put(CardResult(str(photo), card_id, Status.OK, contact=contact), key, "US")


def test_ingest_runs_as_a_library_call_with_events_and_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for name, sample in (
        ("a", "us-classic-wood"),
        ("b", "us-held-in-hand"),
        ("c", "us-classic-wood"),
    ):
        shutil.copy(SAMPLES / f"{sample}.jpg", folder / f"{name}.jpg")
    book = tmp_path / "contacts.xlsx"
    ada = Contact(name="Ada Example", company="Example Works", emails=["ada@example.com"])
    bo = Contact(name="Bo Sample", company="Sample Co", emails=["bo@sample.test"])
    _stored(book, {folder / "a.jpg": ada, folder / "b.jpg": bo})
    sent: list[list[CardJob]] = []
    run_batch = reading.run_batch

    def watched(jobs: list[CardJob], *args: object, **kwargs: object) -> object:
        sent.append(list(jobs))
        return run_batch(jobs, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "run_batch", watched)
    events: list[object] = []
    warnings: list[str] = []
    options = IngestOptions(load_pipeline(), region="US", event="Test Fair")
    report = ingest(
        find_photos([folder]), book, options, warn=warnings.append, on_event=events.append
    )

    assert sent == [[]]  # two readings from the store, c.jpg a copy of a.jpg: nothing read
    assert capsys.readouterr() == ("", "")  # the library never prints
    assert not warnings and not report.interrupted and not report.failed
    assert (report.total, report.processed, report.stored) == (3, 3, 2)
    assert report.tally[Action.NEW] == 2
    assert [e for e in events if isinstance(e, Begun)] == [Begun(i, 3) for i in range(3)]
    merged = [e for e in events if isinstance(e, Merged)]
    assert [Path(e.source).name for e in merged] == ["a.jpg", "b.jpg", "c.jpg"]
    assert report.finished.page is not None and report.finished.page.exists()
    with Book.open(book, read_only=True) as contacts:
        rows = [
            contacts.card_outcome(card_id_of((folder / n).read_bytes())) for n in ("a.jpg", "b.jpg")
        ]
    assert [row.name if row else None for row in rows] == ["Ada Example", "Bo Sample"]


def test_a_path_that_holds_no_photo_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no such file or folder: .*nope\.jpg; no photos found"):
        find_photos([tmp_path / "nope.jpg", tmp_path / "empty"])


def test_the_worker_takes_the_card_id_the_job_carries_and_does_not_hash_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    photo = SAMPLES / "us-classic-wood.jpg"
    card_id = card_id_of(photo.read_bytes())

    def no_hash(data: bytes) -> str:
        raise AssertionError("the photo was hashed again")

    monkeypatch.setattr("cardscan.pipeline.card_id_of", no_hash)
    monkeypatch.setattr("cardscan.load.card_id_of", no_hash)
    result = process_card(CardJob(str(photo), load_pipeline(), "US", card_id=card_id))
    assert result.status is not Status.FAILED
    assert result.card_id == card_id
