"""Ingesting into a living book through the real CLI: the user's edits survive, runs
resume after a crash, --dry-run writes nothing, undo steps back one ingest.

OCR is the slow part (about 2 s a card), so one module fixture ingests ten samples once
(their readings taken from the samples ingest) and the tests work on copies of that
folder, book and result store included; photos the store already holds are not read
again, which is itself under test here.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ALL_SAMPLES, BACK_SAMPLES, SAMPLES, SeedReadings, run_cli
from openpyxl.styles import PatternFill

from cardscan.cli.main import cli
from cardscan.state.backups import backups
from cardscan.state.readings import result_from_json, store_path

FIRST = [
    "br-ltda-ramal-270",
    "ca-teal-logo-panel",
    "de-gmbh-small-print",
    "es-two-column-steep",
    "fr-lyon-serif-fabric",
    "pt-shadow-blur",
    "uk-london-band-left",  # Oliver Pembroke: promoted in the second batch
    "us-classic-wood",  # photographed again, same bytes, in the second batch
    "us-cluttered-desk",
    "us-mobile-work-fax-ext",  # Thomas R. Lindqvist: photographed a second time
]
LATER = ["us-held-in-hand", "us-vertical-social"]  # two new people
NEW_TITLE = "Chief Operating Officer"
YELLOW = "FFFFFF00"


def _generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("samples_generate", SAMPLES / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # also puts the repo root on sys.path
    return module


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two new photos rendered by tools/cardgen from the samples' own specs."""
    generate = _generate()
    from tools.cardgen.sample import build_sample

    folder = tmp_path_factory.mktemp("variants")
    oliver = generate.sample_by_stem("uk-london-band-left")
    promoted = dataclasses.replace(oliver, card=dataclasses.replace(oliver.card, title=NEW_TITLE))
    thomas = generate.sample_by_stem("us-mobile-work-fax-ext")
    again = dataclasses.replace(
        thomas,
        seed=thomas.seed + 1000,
        photo=dataclasses.replace(
            thomas.photo, tilt_x=-thomas.photo.tilt_x, roll=thomas.photo.roll + 2
        ),
    )
    out = {}
    for name, sample in (("promoted", promoted), ("again", again)):
        jpeg, _ = build_sample(sample)
        out[name] = folder / f"{name}.jpg"
        out[name].write_bytes(jpeg)
    assert out["again"].read_bytes() != (SAMPLES / "us-mobile-work-fax-ext.jpg").read_bytes()
    return out


@pytest.fixture(scope="module")
def first_ingest(tmp_path_factory: pytest.TempPathFactory, seed_readings: SeedReadings) -> Path:
    """A folder with photos/ (ten samples) ingested into contacts.xlsx.

    The ten readings come from the samples ingest (seed_readings): what is under test
    here is the living book and the store, not reading; the store then holds them
    exactly as if this ingest had read them."""
    folder = tmp_path_factory.mktemp("book")
    (folder / "photos").mkdir()
    for stem in FIRST:
        shutil.copy(SAMPLES / f"{stem}.jpg", folder / "photos" / f"{stem}.jpg")
    photos = sorted((folder / "photos").iterdir())
    seeded = seed_readings(folder / "contacts.xlsx", photos)
    done = run_cli(
        "ingest", "photos", "--event", "Chicago Tech Mixer", "--met-on", "2026-11-21", cwd=folder
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Read 10 card photos: 10 new, 0 merged")
    assert seeded == 0 or "Took 10 earlier readings" in done.stdout
    return folder


@pytest.fixture
def book_folder(first_ingest: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    shutil.copytree(first_ingest, folder)
    return folder


@dataclasses.dataclass(frozen=True)
class SecondEvent:
    folder: Path  # photos/, later/, contacts.xlsx and .cardscan/
    edited: bytes  # the book as the user left it before the second ingest
    stdout: str  # what the second ingest printed


@pytest.fixture(scope="module")
def second_event(
    first_ingest: Path,
    variants: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
    seed_readings: SeedReadings,
) -> SecondEvent:
    """The user edits the book, then ingests five photos from a second event: one photo
    already ingested, one promotion, one re-shoot of a known card, two new people."""
    folder = tmp_path_factory.mktemp("second") / "book"
    shutil.copytree(first_ingest, folder)
    batch = folder / "later"
    batch.mkdir()
    shutil.copy(SAMPLES / "us-classic-wood.jpg", batch / "IMG_0101.jpg")  # same photo
    shutil.copy(variants["promoted"], batch / "IMG_0102.jpg")
    shutil.copy(variants["again"], batch / "IMG_0103.jpg")
    for n, stem in enumerate(LATER, start=4):
        shutil.copy(SAMPLES / f"{stem}.jpg", batch / f"IMG_010{n}.jpg")
    book = folder / "contacts.xlsx"
    user_edits(book)
    edited = book.read_bytes()
    # The two new people's readings come from the samples ingest; the promotion and the
    # re-shoot are new photos, read here.
    seed_readings(book, [batch / f"IMG_010{n}.jpg" for n in range(4, 4 + len(LATER))])
    done = run_cli(
        "ingest", "later", "--event", "Design Week", "--met-on", "2026-11-28", cwd=folder
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return SecondEvent(folder, edited, done.stdout)


@pytest.fixture
def after_second(second_event: SecondEvent, tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    shutil.copytree(second_event.folder, folder)
    return folder


def sheet_rows(path: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in r), strict=False)) for r in ws.iter_rows(min_row=2)]


def row_of(rows: list[dict[str, object]], email: str) -> dict[str, object]:
    (row,) = [r for r in rows if email in str(r["Emails"]).lower()]
    return row


def user_edits(book: Path) -> None:
    """What a person does to their book between two events, with Excel or LibreOffice."""
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    header = {c.value: c.column for c in ws[1]}
    priority = ws.max_column + 1
    ws.cell(1, priority, "Priority")
    for r in range(2, ws.max_row + 1):
        emails = str(ws.cell(r, header["Emails"]).value).lower()
        if "fenwickhale" in emails:
            ws.cell(r, header["Notes"], "Wants the Q1 proposal\nask about the Leeds office")
            ws.cell(r, priority, "high")
        elif "cascaderidge" in emails:
            ws.cell(r, header["Notes"], "structural review for the new site")
            ws.cell(r, priority, "medium")
            for c in range(1, priority + 1):
                ws.cell(r, c).fill = PatternFill("solid", start_color=YELLOW, end_color=YELLOW)
    follow = wb.create_sheet("Follow-ups")
    follow["A1"] = "Who"
    follow["B1"] = "When"
    follow["A2"] = "Oliver"
    follow["B2"] = "=TODAY()+7"
    wb.save(book)


def card_ids(rows: list[dict[str, object]]) -> list[str]:
    return [i.strip() for r in rows for i in str(r["Card IDs"]).split(";")]


def test_second_event_keeps_every_edit_and_duplicates_nothing(second_event: SecondEvent) -> None:
    book = second_event.folder / "contacts.xlsx"
    stdout = second_event.stdout
    assert stdout.startswith(
        "Read 5 card photos: 2 new, 2 merged into existing contacts, 1 already in the book"
    )
    (flagged,) = [line for line in stdout.splitlines() if "IMG_0102.jpg: Oliver" in line]
    assert f"new title on card IMG_0102.jpg: {NEW_TITLE}" in flagged

    rows = sheet_rows(book)
    assert len(rows) == 12
    names = [r["Name"] for r in rows]
    assert len(set(names)) == 12, names
    ids = card_ids(rows)
    assert len(ids) == len(set(ids)) == 14  # 10 + 4 new photos; the repeat added nothing

    oliver = row_of(rows, "oliver.pembroke@fenwickhale.co.uk")
    assert oliver["Title"] == "Head of Client Services"  # never overwritten
    assert oliver["Needs review"] == "yes"
    assert f"new title on card IMG_0102.jpg: {NEW_TITLE}" in str(oliver["Review reasons"])
    assert oliver["Notes"] == (
        "Wants the Q1 proposal\nask about the Leeds office\n"
        f"2026-11-28, Design Week: card IMG_0102.jpg has a new title: {NEW_TITLE} "
        "(the Title column still says Head of Client Services)"
    )
    assert oliver["Priority"] == "high"
    assert (oliver["Times met"], oliver["Event"]) == (2, "Chicago Tech Mixer; Design Week")

    thomas = row_of(rows, "tlindqvist@cascaderidge-eng.com")
    assert thomas["Notes"] == "structural review for the new site"
    assert thomas["Priority"] == "medium"
    assert thomas["Source photos"] == "photos/us-mobile-work-fax-ext.jpg; later/IMG_0103.jpg"
    assert str(thomas["Met on"])[:10] == "2026-11-21"
    assert str(thomas["Last met"])[:10] == "2026-11-28"
    assert thomas["Times met"] == 2

    marcus = row_of(rows, "marcus.whitfield@northwindlogistics.com")
    assert (marcus["Times met"], marcus["Event"]) == (1, "Chicago Tech Mixer")

    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Contacts", "Follow-ups"]
    assert wb["Follow-ups"]["B2"].value == "=TODAY()+7"
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    thomas_row = 2 + rows.index(thomas)
    assert ws.cell(thomas_row, 1).fill.start_color.rgb == YELLOW
    assert ws.cell(thomas_row, header.index("Priority") + 1).fill.start_color.rgb == YELLOW
    assert ws.cell(13, 1).fill.fill_type is None  # new people are not coloured


def test_undo_gives_back_the_users_book_and_reingesting_reads_nothing(
    second_event: SecondEvent, after_second: Path
) -> None:
    book = after_second / "contacts.xlsx"
    done = run_cli("undo", cwd=after_second)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        f"Restored contacts.xlsx to its state before the ingest of {_journal_start(book)} "
        "(5 card photos): 2 rows removed, 2 rows changed back."
    )
    assert book.read_bytes() == second_event.edited  # every edit, byte for byte
    # The readings stayed in the store: the same photos again need no reading.
    done = run_cli(
        "ingest", "later", "--event", "Design Week", "--met-on", "2026-11-28", cwd=after_second
    )
    assert done.returncode == 0, done.stderr
    assert "Took 4 earlier readings from .cardscan/contacts.xlsx.results.sqlite" in done.stdout
    assert len(sheet_rows(book)) == 12


def test_ingesting_the_same_photos_again_changes_nothing(book_folder: Path) -> None:
    book = book_folder / "contacts.xlsx"
    before = book.read_bytes()
    store_before = _store_rows(book)
    read_before = _read_at(book)
    done = run_cli("ingest", "photos", "--event", "Other", cwd=book_folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "Read 10 card photos: 0 new, 0 merged into existing contacts, 10 already in the book"
    )
    assert book.read_bytes() == before
    assert backups(book) == []
    assert _store_rows(book) == store_before
    assert _journal(book) == 1
    done = run_cli("ingest", "photos", "--rescan", cwd=book_folder)
    assert "10 already in the book" in done.stdout
    assert _read_at(book) == read_before  # photos already in the book are never read again
    assert book.read_bytes() == before
    for (text,) in _query(book, "SELECT result FROM results"):  # real readings read back
        data = json.loads(str(text))
        assert result_from_json(data).to_json() == data


def test_dry_run_shows_each_card_and_writes_nothing(after_second: Path) -> None:
    book = after_second / "contacts.xlsx"
    assert run_cli("undo", cwd=after_second).returncode == 0  # back to the edited book
    state = after_second / ".cardscan"
    before = {p: p.read_bytes() for p in state.rglob("*") if p.is_file()} | {
        book: book.read_bytes()
    }
    done = run_cli(
        "ingest", "later", "--dry-run", "--event", "Design Week", "--met-on", "2026-11-28",
        cwd=after_second,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Dry run: nothing was written (no book, no backup, no stored reading)."
    assert lines[1] == "  later/IMG_0101.jpg: unchanged: already in row 9 (Marcus J. Whitfield)"
    assert lines[2].startswith(
        "  later/IMG_0102.jpg: merged into row 8 (Oliver Pembroke, same email "
        "oliver.pembroke@fenwickhale.co.uk): Event + Design Week; Last met 2026-11-21 -> "
        "2026-11-28; Times met 1 -> 2; Notes + '"
    )
    assert lines[2].endswith(f"[flagged: new title on card IMG_0102.jpg: {NEW_TITLE}]")
    assert lines[3].startswith("  later/IMG_0103.jpg: merged into row 11 (Thomas R. Lindqvist")
    assert lines[4].startswith("  later/IMG_0104.jpg: new row 12: Grace Liu, ")
    assert lines[5].startswith("  later/IMG_0105.jpg: new row 13: Marisol Vega, ")
    assert lines[6].startswith(
        "Dry run: read 5 card photos: 2 new, 2 merged into existing contacts, 1 already in the book"
    )
    assert lines[7:9] == [
        "Book: contacts.xlsx (not changed)",
        "Took 4 earlier readings from .cardscan/contacts.xlsx.results.sqlite "
        "(--rescan reads them again).",
    ]
    after = {p: p.read_bytes() for p in state.rglob("*") if p.is_file()} | {book: book.read_bytes()}
    assert after == before


def test_dry_run_without_a_book_creates_no_files(tmp_path: Path) -> None:
    done = run_cli("ingest", str(SAMPLES / "us-classic-wood.jpg"), "--dry-run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "  " + str(SAMPLES / "us-classic-wood.jpg") + ": new row 2: Marcus J. Whitfield" in (
        done.stdout
    )
    assert "The book contacts.xlsx does not exist yet: an ingest would create it." in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_killed_run_loses_nothing_and_the_next_run_resumes(
    book_folder: Path, seed_readings: SeedReadings
) -> None:
    """kill -9 in the middle of 20 photos: the ten already in the book, seven samples not
    yet in it, and three of those photographed again (other bytes, the same people)."""
    stack = book_folder / "stack"
    shutil.copytree(book_folder / "photos", stack)
    two_sided = {s.name for s in BACK_SAMPLES} | {s.truth["back_of"] for s in BACK_SAMPLES}
    rest = sorted(
        p for p in SAMPLES.glob("*.jpg") if p.stem not in FIRST and p.stem not in two_sided
    )
    for sample in rest:
        shutil.copy(sample, stack / sample.name)
    for n, sample in enumerate(rest[:3]):
        data = sample.read_bytes() + b"\0" * (n + 1)  # still a valid JPEG, other card id
        (stack / f"zz-{sample.stem}-again.jpg").write_bytes(data)
    assert len(list(stack.iterdir())) == 20
    book = book_folder / "contacts.xlsx"
    user_edits(book)
    before = book.read_bytes()
    stored = _store_rows(book)  # the first ingest's ten readings

    process = _start_ingest(book_folder, "stack", "--jobs", "1")
    kept = _kill_when_stored(process, book, at_least=stored + 1) - stored

    assert book.read_bytes() == before  # the book is only written at the end
    assert len(sheet_rows(book)) == 10  # and it opens
    assert [p.name for p in book_folder.iterdir() if p.suffix == ".tmp"] == []

    # The readings of the seven samples are taken from the samples ingest (those the
    # killed run stored are the same); the three photographed again, named to come
    # last, are read by the next run.
    seed_readings(book, [stack / p.name for p in rest])
    took = _store_rows(book) - stored
    assert took >= kept
    done = run_cli("ingest", "stack", "--jobs", "2", cwd=book_folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Took {took} earlier readings from .cardscan/contacts.xlsx.results.sqlite" in (
        done.stdout
    )
    assert done.stdout.startswith(
        "Read 20 card photos: 7 new, 3 merged into existing contacts, 10 already in the book"
    )
    rows = sheet_rows(book)
    assert len(rows) == 17
    assert len({r["Name"] for r in rows}) == 17
    ids = card_ids(rows)
    assert len(ids) == len(set(ids)) == 20
    oliver = row_of(rows, "oliver.pembroke@fenwickhale.co.uk")
    assert oliver["Notes"] == "Wants the Q1 proposal\nask about the Leeds office"
    assert _store_rows(book) == stored + 10


def test_killed_run_without_a_book_leaves_no_book(tmp_path: Path) -> None:
    for stem in ["us-held-in-hand", "us-cluttered-desk", "uk-london-band-left"]:
        shutil.copy(SAMPLES / f"{stem}.jpg", tmp_path / f"{stem}.jpg")
    book = tmp_path / "contacts.xlsx"
    process = _start_ingest(tmp_path, ".", "--jobs", "1")
    _kill_when_stored(process, book, at_least=1)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".jpg")) == [
        ".cardscan"
    ]
    done = run_cli("undo", cwd=tmp_path)  # nothing was saved, so nothing to undo
    assert done.returncode == 4 and "nothing to undo" in done.stderr


def test_failed_photo_is_not_stored_and_is_tried_again(tmp_path: Path) -> None:
    photo = tmp_path / "card.jpg"
    good = (SAMPLES / "us-held-in-hand.jpg").read_bytes()
    photo.write_bytes(good[:500])  # still copying from the phone
    done = run_cli("ingest", "card.jpg", cwd=tmp_path)
    assert done.returncode == 3
    assert "card.jpg: image data is corrupt or truncated" in done.stdout
    assert _store_rows(tmp_path / "contacts.xlsx") == 0
    photo.write_bytes(good)
    done = run_cli("ingest", "card.jpg", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("Read 1 card photo: 1 new")
    assert "Took" not in done.stdout
    assert _store_rows(tmp_path / "contacts.xlsx") == 1


def test_damaged_store_warns_is_rebuilt_and_never_blocks_the_book(book_folder: Path) -> None:
    book = book_folder / "contacts.xlsx"
    store = store_path(book)
    store.write_bytes(b"not a database" * 1000)
    for extra in store.parent.glob(store.name + "-*"):
        extra.unlink()
    shutil.copy(SAMPLES / "us-night-tungsten-noisy.jpg", book_folder / "photos" / "new.jpg")
    done = run_cli("ingest", "photos", cwd=book_folder)
    assert done.returncode == 0, done.stdout + done.stderr
    (warning,) = done.stderr.splitlines()
    assert warning.startswith(f"cardscan: warning: the result store {store} was damaged")
    assert "Read 11 card photos: 1 new" in done.stdout
    assert len(sheet_rows(book)) == 11
    assert _store_rows(book) == 1 and _journal(book) == 1
    assert len(list(store.parent.glob("contacts.xlsx.results.sqlite.damaged-*"))) == 1


def test_rescan_reads_stored_photos_again(book_folder: Path) -> None:
    done = run_cli("undo", cwd=book_folder)  # the first ingest made the book: it goes
    assert done.returncode == 0 and done.stdout.startswith("Removed contacts.xlsx")
    stored = _read_at(book_folder / "contacts.xlsx")
    done = run_cli("ingest", "photos/es-two-column-steep.jpg", "--rescan", cwd=book_folder)
    assert done.returncode == 0, done.stderr
    assert "Took" not in done.stdout and "1 new" in done.stdout
    again = _read_at(book_folder / "contacts.xlsx")
    changed = {k for k in stored if stored[k] != again[k]}
    assert changed == {"photos/es-two-column-steep.jpg"}


# --- helpers ---------------------------------------------------------------------------


def _start_ingest(folder: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "CARDSCAN_BOOK"}
    script = Path(sys.executable).with_name("cardscan")
    return subprocess.Popen(
        [str(script), "ingest", *args],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _kill_when_stored(process: subprocess.Popen[str], book: Path, at_least: int) -> int:
    """SIGKILL the run once the store holds `at_least` readings; returns how many it has."""
    deadline = time.monotonic() + 60
    try:
        while _store_rows(book) < at_least:
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no readings stored within 60 s"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    assert process.returncode == -signal.SIGKILL
    return _store_rows(book)


def _query(book: Path, sql: str) -> list[tuple[object, ...]]:
    path = store_path(book)
    if not path.exists():
        return []
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        conn.close()


def _store_rows(book: Path) -> int:
    rows = _query(book, "SELECT count(*) FROM results")
    return int(str(rows[0][0])) if rows else 0


def _journal(book: Path) -> int:
    rows = _query(book, "SELECT count(*) FROM ingests")
    return int(str(rows[0][0])) if rows else 0


def _journal_start(book: Path) -> str:
    rows = _query(book, "SELECT started_at FROM ingests ORDER BY id DESC LIMIT 1")
    return str(rows[0][0]).replace("T", " ")[:16]


def _read_at(book: Path) -> dict[str, object]:
    return {str(s): t for s, t in _query(book, "SELECT source, read_at FROM results")}


# --- no input, no change --------------------------------------------------------------

KINDS = "bmp, gif, heic, heif, jpe, jpeg, jpg, png, tif, tiff, webp"


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path below `folder` with its size and mtime (0 for folders)."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        if p.is_file()
        else (0, 0)
        for p in folder.rglob("*")
    }


def test_a_typo_is_exit_4_and_writes_nothing(tmp_path: Path) -> None:
    """`cardscan ingest /typo` as a user types it: no Book: line, no .cardscan/, no page."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("call priya")  # not a photo
    typo = tmp_path / "typo"
    done = run_cli("ingest", str(typo), cwd=tmp_path)
    assert done.returncode == 4, done.stdout + done.stderr
    assert done.stdout == ""
    assert done.stderr == (
        f"cardscan: error: no such file or folder: {typo}: give photo files, or folders "
        f"holding {KINDS} files (nothing was read or written)\n"
    )
    done = run_cli("ingest", "empty", "notes", cwd=tmp_path)
    assert done.returncode == 4
    assert done.stderr.startswith("cardscan: error: no photos found in empty, notes: give")
    assert sorted(_tree(tmp_path)) == ["empty", "notes", "notes/todo.txt"]


def test_one_typo_among_good_paths_stops_the_batch_naming_every_bad_one(
    samples_book: Path,
) -> None:
    """A typo is a slip to fix, not a card that failed: nothing is read, the book, its
    store, batches and review page stay as they were."""
    folder = samples_book.parent
    (folder / "photos").mkdir()
    shutil.copy(SAMPLES / "us-classic-wood.jpg", folder / "photos" / "card.jpg")
    (folder / "empty").mkdir()
    before = _tree(folder)
    typo, empty = folder / "phtos", folder / "empty"
    done = CliRunner().invoke(
        cli,
        ["ingest", str(folder / "photos"), str(typo), str(empty), "--book", str(samples_book)],
    )
    assert done.exit_code == 4, done.output
    assert done.stdout == ""
    assert done.stderr == (
        f"cardscan: error: no such file or folder: {typo}; no photos found in {empty}: "
        f"give photo files, or folders holding {KINDS} files (nothing was read or written)\n"
    )
    assert _tree(folder) == before


def test_a_batch_that_adds_nothing_keeps_the_review_page(samples_book: Path) -> None:
    """A batch that only failed leaves the page of the last batch that added cards, and
    is recorded so that `cardscan review --batch ID` shows it."""
    folder = samples_book.parent
    page = folder / "contacts.review.html"
    before = page.read_bytes()
    (folder / "bad.jpg").write_text("not a photo")
    done = run_cli("ingest", "bad.jpg", cwd=folder)
    assert done.returncode == 3, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "Book: contacts.xlsx"
    assert lines[2] == (
        "Review page: contacts.review.html still shows the last batch that added cards "
        "(this one added none)."
    )
    found = re.fullmatch(r"This batch's failed photos: cardscan review --batch (\S+)", lines[3])
    assert found is not None, lines
    assert page.read_bytes() == before
    runner = CliRunner()
    book = str(samples_book)
    shown = runner.invoke(
        cli, ["review", "--batch", found.group(1), "--to", str(folder / "f.html"), "--book", book]
    )
    assert shown.exit_code == 0, shown.output
    failed = (folder / "f.html").read_text(encoding="utf-8")
    assert failed.count('<article id="card-') == 1 and "bad.jpg" in failed
    # `review` (the last batch) rewrites the page of the batch with cards, not this one.
    assert runner.invoke(cli, ["review", "--book", book]).exit_code == 0
    again = page.read_text(encoding="utf-8")
    assert again.count('<article id="card-') == len(ALL_SAMPLES) and "bad.jpg" not in again
