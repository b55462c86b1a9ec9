"""Shared fixtures: the sample photos with their truth, and the real CLI."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from clirun import run_cli

if TYPE_CHECKING:
    from cardscan.model import CardResult

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# The contact keys of the `rescan --json` contract (README), spelled out here rather
# than taken from cardscan.model so that a change to the model cannot silently move it.
CONTACT_KEYS = {
    "name",
    "given_name",
    "family_name",
    "title",
    "company",
    "department",
    "emails",
    "phones",
    "websites",
    "address",
    "social",
}


@dataclass(frozen=True)
class Sample:
    photo: Path
    truth: dict[str, Any]

    @property
    def name(self) -> str:
        return self.photo.stem

    @property
    def contact(self) -> dict[str, Any]:
        return dict(self.truth["contact"])


def load_samples() -> list[Sample]:
    """Every sample photo with its truth, the backs of two-sided cards included."""
    return [
        Sample(photo, json.loads(photo.with_suffix(".json").read_text(encoding="utf-8")))
        for photo in sorted(SAMPLES.glob("*.jpg"))
    ]


# One photo per card: a card's only side or its front, each a contact of its own. The
# backs of two-sided cards (their truth has "back_of", samples/README.md) are apart:
# ingesting samples/ gives one row per ALL_SAMPLES card, from len(load_samples()) photos.
ALL_SAMPLES = [s for s in load_samples() if "back_of" not in s.truth]
BACK_SAMPLES = [s for s in load_samples() if "back_of" in s.truth]


def card_result(
    card_id: str,
    defaults: dict[str, Any],
    changes: dict[str, Any],
    *,
    source: str | None = None,
    region: str | None = None,
) -> CardResult:
    """A hand-built CardResult for book tests: `defaults` contact fields, overridden by
    `changes`; the card id is the given id repeated to a sha256's length."""
    from cardscan.model import CardResult, Contact, Status

    return CardResult(
        source=source or f"{card_id}.jpg",
        card_id=card_id * 64,
        status=Status.OK,
        contact=Contact(**{**defaults, **changes}),
        region=region,
    )


def capped_env() -> dict[str, str]:
    """The environment for a child run under an address-space cap (RLIMIT_AS).

    An address-space cap counts what is reserved, not used: every thread's stack and
    each glibc malloc arena (64 MB reserved) add to it, and onnxruntime starts a thread
    per core. So the child reads with one thread (cardscan's OMP_THREAD_LIMIT) and two
    arenas, and its address space is the same on a 2-core laptop and a 64-core server.
    """
    env = {k: v for k, v in os.environ.items() if k != "CARDSCAN_BOOK"}
    env.update(OMP_THREAD_LIMIT="1", MALLOC_ARENA_MAX="2")
    return env


def fake_ghostscript(folder: Path) -> tuple[dict[str, str], Path]:
    """A `gs` first on PATH that leaves a mark when started; (env, the mark)."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    mark = folder / "gs-was-started"
    gs = bin_dir / "gs"
    gs.write_text(f'#!/bin/sh\necho "$@" >> "{mark}"\nexit 0\n')
    gs.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}, mark


@dataclass(frozen=True)
class Ingested:
    folder: Path  # holds contacts.xlsx and its .cardscan/ (readings, crops, batches)
    stdout: str
    stderr: str
    returncode: int


def _shared_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every test process of this run sees: pytest-xdist's workers (./dev test
    runs two) each have their own base temp, inside one shared for the run."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def samples_ingest(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    """samples/ ingested once by the installed console script, shared by every test that
    needs it, in every test process of the run (the first to ask ingests, under a file
    lock; the others wait and take its folder).

    Met at "Chicago Tech Mixer" on 2026-11-21, phone region US. OCR is the slow part of
    the suite, so the book, the summary and each photo's stored reading all come from
    this one run. Tests must not change the folder: take `samples_book` (a fresh copy).
    """
    from filelock import FileLock

    shared = _shared_temp(tmp_path_factory)
    folder = shared / "samples-book"
    record = shared / "samples-book.json"
    with FileLock(str(shared / "samples-book.lock")):
        if not record.exists():
            shutil.rmtree(folder, ignore_errors=True)  # left by a process that crashed
            folder.mkdir()
            done = run_cli(
                "ingest",
                str(SAMPLES),
                "--book",
                "contacts.xlsx",
                "--event",
                "Chicago Tech Mixer",
                "--met-on",
                "2026-11-21",
                "--region",
                "US",
                cwd=folder,
                subprocess=True,  # the one real ingest of samples/: console script, process pool
            )
            outcome = {"stdout": done.stdout, "stderr": done.stderr, "code": done.returncode}
            record.write_text(json.dumps(outcome))
    outcome = json.loads(record.read_text())
    return Ingested(folder, outcome["stdout"], outcome["stderr"], outcome["code"])


@pytest.fixture(scope="session")
def samples_book_master(samples_ingest: Ingested) -> Path:
    """The folder of the samples book (see samples_ingest); never change it."""
    assert samples_ingest.returncode == 0, samples_ingest.stdout + samples_ingest.stderr
    return samples_ingest.folder


@pytest.fixture(scope="session")
def sample_results(samples_ingest: Ingested) -> dict[str, CardResult]:
    """Every sample's own reading by the real pipeline (a front without its back), as
    the samples ingest stored it: the same CardResult a worker returned for the photo."""
    from cardscan.config import load_pipeline
    from cardscan.load import card_id_of
    from cardscan.state.readings import ResultStore, pipeline_key

    key = pipeline_key(load_pipeline())
    store = ResultStore.open(
        (samples_ingest.folder / "contacts.xlsx").resolve(), warn=pytest.fail, read_only=True
    )
    assert store is not None, samples_ingest.stdout + samples_ingest.stderr
    with store:
        found = {
            s.name: store.get(card_id_of(s.photo.read_bytes()), key, "US") for s in ALL_SAMPLES
        }
    missing = [name for name, result in found.items() if result is None]
    assert not missing, f"no stored reading of {missing}: {samples_ingest.stdout}"
    return {name: result for name, result in found.items() if result is not None}


@pytest.fixture
def samples_book(samples_book_master: Path, tmp_path: Path) -> Path:
    """A private copy of the samples book folder; returns the path of contacts.xlsx."""

    folder = tmp_path / "book"
    shutil.copytree(samples_book_master, folder)
    return folder / "contacts.xlsx"


# Seeds a fresh book's result store with the samples ingest's readings of some photos:
# (the book, the photos[, same pixels as]) -> how many readings were stored.
SeedReadings = Callable[..., int]


@pytest.fixture(scope="session")
def seed_readings(samples_book_master: Path) -> SeedReadings:
    """For tests that ingest sample photos into a fresh book to test the book, not the
    reading: the readings the samples ingest stored (default pipeline, region US) are
    put in the new book's result store, as an earlier ingest of those photos would
    have left them, so the ingest takes them instead of reading the photos again.

    A photo is matched by its bytes (a renamed copy is found too); one the samples
    ingest did not read is left to be read. Stored readings carry no crop: a test of
    the review page's pictures reads its photos itself. They are the readings of region
    US: under a locale of another country (an ingest's default region) nothing is
    seeded and the ingest reads, as it would without this fixture.
    """
    import dataclasses

    from cardscan.cli.options import region_from_locale
    from cardscan.config import load_pipeline
    from cardscan.load import card_id_of
    from cardscan.state.readings import ResultStore, pipeline_key

    key = pipeline_key(load_pipeline())
    master_book = (samples_book_master / "contacts.xlsx").resolve()

    def seed(book: Path, photos: Iterable[Path], same_as: dict[Path, Path] | None = None) -> int:
        """`same_as`: a photo whose pixels are those of a sample photo (the same JPEG with
        bytes appended after its end, so another card id) takes that photo's reading
        under its own card id: decoding gives the same pixels, so reading would too."""
        if region_from_locale() != "US":
            return 0
        master = ResultStore.open(master_book, warn=pytest.fail, read_only=True)
        store = ResultStore.open(book.resolve(), warn=pytest.fail)
        assert master is not None and store is not None
        stored = 0
        with master, store:
            for photo in photos:
                like = (same_as or {}).get(photo, photo)
                reading = master.get(card_id_of(like.read_bytes()), key, "US")
                if reading is not None:
                    mine = dataclasses.replace(
                        reading, source=_named(photo, book), card_id=card_id_of(photo.read_bytes())
                    )
                    store.put(mine, key, "US")
                    stored += 1
        return stored

    return seed


def _named(photo: Path, book: Path) -> str:
    """The photo's path as an ingest run in the book's folder names it (photos/x.jpg)."""
    if photo.is_relative_to(book.parent):
        return str(photo.relative_to(book.parent))
    return str(photo)


def text_rows(book: Path) -> list[dict[str, str]]:
    """The book's first sheet as openpyxl reads it (independent of cardscan): a dict per
    row, header to text ("" for an empty cell)."""
    import openpyxl

    sheet = openpyxl.load_workbook(book).worksheets[0]
    header = [str(c.value) for c in sheet[1]]
    return [
        {h: "" if v is None else str(v) for h, v in zip(header, row, strict=False)}
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
