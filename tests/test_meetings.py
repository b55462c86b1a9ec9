"""Meetings (issue 6, item 1): `ingest --where`, the meeting date taken from the photo's
EXIF when --met-on is not given, and `--follow-up-days` / $CARDSCAN_FOLLOW_UP_DAYS.

The parser, the photo decoder, the result store and the book are tested directly on
real files; the CLI on real photos: one sample card saved three ways (with an EXIF
DateTimeOriginal, without EXIF, with only unusable EXIF dates). OCR is the slow part,
so one module fixture reads the three once and every CLI test starts from a copy of its
result store: which is also how a cached reading is shown to keep its photo's date.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pillow_heif
import pytest
from conftest import SAMPLES, SeedReadings, run_cli
from PIL import Image

from cardscan.book import COLUMNS, Book
from cardscan.load import decode_photo, exif_date, photo_date
from cardscan.model import CardResult, Contact, Phone, PhoneKind, Status
from cardscan.state.readings import ResultStore, result_from_json, store_path

SAMPLE = SAMPLES / "us-classic-wood.jpg"  # Marcus J. Whitfield, Northwind Logistics
TAKEN = "2026:10:03 18:30:00"
TAKEN_ON = date(2026, 10, 3)
EXIF_IFD = 0x8769
ORIGINAL, DIGITIZED, DATETIME = 36867, 36868, 306
SCANNED = datetime(2026, 11, 22, 9, 0)


# --- the EXIF date parser --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026:11:21 19:42:07", date(2026, 11, 21)),
        ("2026:11:21 19:42:07\x00", date(2026, 11, 21)),  # NUL-terminated, as stored
        (b"2026:11:21 19:42:07", date(2026, 11, 21)),
        (" 2026:11:21 19:42:07", date(2026, 11, 21)),
        ("2026-11-21T19:42:07", date(2026, 11, 21)),  # what some editors write
        ("2026:11:21", date(2026, 11, 21)),  # no time
        ("2026:1:5 08:00:00", date(2026, 1, 5)),
        ("2026:11:21 23:59:59", date(2026, 11, 21)),  # today is not the future
        ("0000:00:00 00:00:00", None),  # the "unknown" a camera writes
        ("    :  :     :  :  ", None),  # blanks, also allowed by the standard
        ("2026:02:30 10:00:00", None),  # no such day
        ("2026:13:01 10:00:00", None),
        ("1970:01:01 00:00:00", None),  # a camera clock that was reset
        ("2026:11:22 00:00:01", None),  # tomorrow: a wrong clock
        ("2999:01:01 00:00:00", None),
        ("2026:11:211", None),
        ("21.11.2026", None),
        ("", None),
        (None, None),
        (20261121, None),
    ],
)
def test_exif_date_parses_leniently_and_refuses_nonsense(
    value: object, expected: date | None
) -> None:
    assert exif_date(value, today=date(2026, 11, 21)) == expected


def test_exif_date_defaults_to_refusing_days_after_today() -> None:
    tomorrow = date.today() + timedelta(days=1)
    assert exif_date(tomorrow.strftime("%Y:%m:%d 00:00:00")) is None
    assert exif_date(date.today().strftime("%Y:%m:%d 00:00:00")) == date.today()


# --- reading the date from real photos -------------------------------------------------


def with_exif(path: Path, tags: dict[int, str], exif_tags: dict[int, str], **save: object) -> Path:
    """The sample photo saved at `path` with the given main-IFD and Exif-IFD tags."""
    img = Image.open(SAMPLE)
    exif = img.getexif()
    for tag, value in tags.items():
        exif[tag] = value
    for tag, value in exif_tags.items():
        exif.get_ifd(EXIF_IFD)[tag] = value
    img.save(path, exif=exif, **save)
    return path


@pytest.mark.parametrize(
    ("tags", "exif_tags", "expected"),
    [
        (
            {DATETIME: "2026:10:05 09:00:00"},
            {ORIGINAL: TAKEN, DIGITIZED: "2026:10:04 12:00:00"},
            TAKEN_ON,
        ),
        ({DATETIME: "2026:10:05 09:00:00"}, {DIGITIZED: "2026:10:04 12:00:00"}, date(2026, 10, 4)),
        ({DATETIME: "2026:10:05 09:00:00"}, {}, date(2026, 10, 5)),
        # An unusable date gives way to the next tag.
        ({DATETIME: "2026:10:05 09:00:00"}, {ORIGINAL: "0000:00:00 00:00:00"}, date(2026, 10, 5)),
        ({}, {ORIGINAL: "2999:01:01 00:00:00", DIGITIZED: TAKEN}, TAKEN_ON),
        ({DATETIME: "0000:00:00 00:00:00"}, {ORIGINAL: "    :  :     :  :  "}, None),
        ({}, {}, None),
    ],
)
def test_decoded_jpeg_carries_the_day_it_was_taken(
    tmp_path: Path, tags: dict[int, str], exif_tags: dict[int, str], expected: date | None
) -> None:
    photo = with_exif(tmp_path / "card.jpg", tags, exif_tags, quality=90)
    loaded = decode_photo(photo.read_bytes(), str(photo))
    assert loaded.taken_on == expected
    assert loaded.pixels.shape[2] == 3  # and the photo itself still reads


def test_heic_and_png_photos_carry_their_date_too(tmp_path: Path) -> None:
    pillow_heif.register_heif_opener()
    small = tmp_path / "small.jpg"
    Image.open(SAMPLE).resize((1008, 756)).save(small)
    for fmt in ("HEIF", "PNG", "WEBP"):
        img = Image.open(small)
        exif = img.getexif()
        exif.get_ifd(EXIF_IFD)[ORIGINAL] = TAKEN
        buffer = io.BytesIO()
        img.save(buffer, fmt, exif=exif.tobytes())
        loaded = decode_photo(buffer.getvalue(), f"card.{fmt.lower()}")
        assert (loaded.format, loaded.taken_on) == (fmt, TAKEN_ON)


def test_a_damaged_exif_block_is_no_date_not_a_failure() -> None:
    class Broken:
        def getexif(self) -> None:
            raise SyntaxError("not a TIFF file")

    assert photo_date(Broken()) is None  # type: ignore[arg-type]


# --- the reading and the result store --------------------------------------------------


def reading(card_id: str = "a", taken_on: date | None = TAKEN_ON, **contact: object) -> CardResult:
    fields: dict[str, object] = {
        "name": "Jane Doe",
        "company": "Acme Ltd",
        "emails": ["jane@acme.example"],
        "phones": [Phone("+447911123456", PhoneKind.MOBILE, "07911 123456")],
    }
    fields.update(contact)
    return CardResult(
        source=f"photos/{card_id}.jpg",
        card_id=card_id * 64,
        status=Status.OK,
        contact=Contact(**fields),  # type: ignore[arg-type]
        region="GB",
        taken_on=taken_on,
    )


def test_taken_on_is_in_the_json_and_comes_back_from_it() -> None:
    data = json.loads(json.dumps(reading().to_json()))
    assert data["taken_on"] == "2026-10-03"
    assert result_from_json(data).taken_on == TAKEN_ON
    undated = json.loads(json.dumps(reading(taken_on=None).to_json()))
    assert undated["taken_on"] is None and result_from_json(undated).taken_on is None


def test_the_store_keeps_the_date_and_reads_older_readings_again(tmp_path: Path) -> None:
    book = tmp_path / "contacts.xlsx"
    store = ResultStore.open(book, warn=pytest.fail)
    assert store is not None
    store.put(reading("a"), "default/x", "GB")
    store.put(reading("b", taken_on=None), "default/x", "GB")
    got = store.get("a" * 64, "default/x", "GB")
    assert got is not None and got.taken_on == TAKEN_ON
    got = store.get("b" * 64, "default/x", "GB")
    assert got is not None and got.taken_on is None
    store.close()
    # A reading stored before the key existed cannot say whether its photo had a date:
    # it is not reused (the photo is read again), rather than dated today.
    with sqlite3.connect(store_path(book)) as conn:
        (text,) = conn.execute(
            "SELECT result FROM results WHERE card_id = ?", ("a" * 64,)
        ).fetchone()
        old = json.loads(text)
        del old["taken_on"]
        conn.execute("UPDATE results SET result = ? WHERE card_id = ?", (json.dumps(old), "a" * 64))
    conn.close()
    with ResultStore.open(book, warn=pytest.fail) as again:
        assert again is not None
        assert again.get("a" * 64, "default/x", "GB") is None
        assert again.get("b" * 64, "default/x", "GB") is not None


# --- the book ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_where_accumulates_and_follow_up_is_set_once(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"contacts{suffix}"
    with Book.open(path) as book:
        first = book.add_card(
            reading("a"),
            event="Chicago Tech Mixer",
            met_on=TAKEN_ON,
            scanned_at=SCANNED,
            where="booth 12",
            follow_up_days=3,
        )
        book.save()
    assert first.changed["Where"] == ("", "booth 12")
    with Book.open(path) as book:
        # The same person's other card, somewhere else, another day; and again.
        book.add_card(
            reading("b"),
            event="Design Week",
            met_on=date(2026, 11, 21),
            scanned_at=SCANNED,
            where="Hall B",
            follow_up_days=0,
        )
        book.add_card(
            reading("c"),
            event="Design Week",
            met_on=date(2026, 11, 21),
            scanned_at=SCANNED,
            where="HALL B",
        )
        book.save()
    with Book.open(path) as book:
        (row,) = book.rows()
    assert row["Where"] == "booth 12; Hall B"
    assert row["Event"] == "Chicago Tech Mixer; Design Week"
    assert (row["Met on"], row["Last met"], row["Times met"]) == ("2026-10-03", "2026-11-21", "2")
    assert row["Follow up by"] == "2026-10-06"  # from the first meeting, not reset


@pytest.mark.parametrize(
    ("days", "expected"), [(0, "2026-10-03"), (1, "2026-10-04"), (14, "2026-10-17")]
)
def test_follow_up_days_counts_from_the_meeting(tmp_path: Path, days: int, expected: str) -> None:
    path = tmp_path / "contacts.xlsx"
    with Book.open(path) as book:
        book.add_card(reading(), met_on=TAKEN_ON, scanned_at=SCANNED, follow_up_days=days)
        book.add_card(
            reading("b", emails=["b@other.example"], name="Bo Li", phones=[]),
            met_on=None,
            scanned_at=SCANNED,
            follow_up_days=days,
        )
        book.save()
    with Book.open(path) as book:
        dated, undated = book.rows()
    assert dated["Follow up by"] == expected
    # Without a meeting date the reminder counts from the scan.
    assert undated["Follow up by"] == (SCANNED.date() + timedelta(days=days)).isoformat()


def test_a_book_from_before_the_where_column_gets_it_at_the_right(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    old_columns = [c for c in COLUMNS if c != "Where"]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([*old_columns, "Priority"])
    ws.append(
        [
            {"Name": "Jane Doe", "Emails": "jane@acme.example", "Event": "Expo"}.get(c, "")
            for c in old_columns
        ]
        + ["high"]
    )
    wb.save(path)
    with Book.open(path) as book:
        outcome = book.add_card(
            reading("a"), event="Mixer", met_on=TAKEN_ON, scanned_at=SCANNED, where="booth 12"
        )
        book.save()
    assert outcome.action == "merged"
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    header = [c.value for c in ws[1]]
    assert header == [*old_columns, "Priority", "Where"]  # the user's column stays put
    values = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert (values["Name"], values["Priority"], values["Where"]) == ("Jane Doe", "high", "booth 12")
    assert values["Event"] == "Expo; Mixer"


# --- the CLI, on real photos -------------------------------------------------------------


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample card three ways: with an EXIF date, without EXIF, with unusable dates."""
    folder = tmp_path_factory.mktemp("photos")
    with_exif(folder / "exif.jpg", {}, {ORIGINAL: TAKEN}, quality=92)
    shutil.copy(SAMPLE, folder / "plain.jpg")
    with_exif(
        folder / "bad.jpg",
        {DATETIME: "2999:12:31 23:59:59"},
        {ORIGINAL: "0000:00:00 00:00:00", DIGITIZED: "    :  :     :  :  "},
        quality=92,
    )
    assert Image.open(folder / "plain.jpg").getexif().get_ifd(EXIF_IFD) == {}
    return folder


@pytest.fixture(scope="module")
def seed(
    photos: Path, tmp_path_factory: pytest.TempPathFactory, seed_readings: SeedReadings
) -> Path:
    """The three photos read once, by one ingest: its folder (book and result store)."""
    folder = tmp_path_factory.mktemp("seed")
    for photo in photos.iterdir():
        shutil.copy(photo, folder / photo.name)
    # plain.jpg is the sample itself: its reading comes from the samples ingest. The
    # two re-encoded photos are read here.
    seed_readings(folder / "contacts.xlsx", [folder / "plain.jpg"])
    before = date.today()
    done = run_cli(
        "ingest", "exif.jpg", "plain.jpg", "bad.jpg", "--jobs", "1", "--where", "booth 12",
        cwd=folder,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    # Three photos of one person: each dated by its own photo, merged into one row.
    today = _today(before)
    assert (
        f"Met on: the day each photo was taken (2026-10-03); today, {today}, for 2 without a date."
        in done.stdout.splitlines()
    ), done.stdout
    (row,) = book_rows(folder / "contacts.xlsx")
    assert row["Name"] == "Marcus J. Whitfield"
    assert (row["Met on"], row["Last met"], row["Times met"]) == ("2026-10-03", today, 2)
    assert row["Follow up by"] == "2026-10-04"
    assert row["Where"] == "booth 12"
    return folder


def _today(before: date) -> str:
    """Today as the CLI saw it (a run that crossed midnight: either day)."""
    after = date.today()
    return before.isoformat() if before == after else after.isoformat()


def book_rows(book: Path) -> list[dict[str, object]]:
    """The sheet as openpyxl reads it (independent of cardscan); dates as ISO text."""
    ws = openpyxl.load_workbook(book).worksheets[0]
    header = [c.value for c in ws[1]]
    out = []
    for cells in ws.iter_rows(min_row=2, values_only=True):
        row = {}
        for key, value in zip(header, cells, strict=True):
            if isinstance(value, datetime):
                value = value.date().isoformat() if key != "Scanned at" else value.isoformat()
            row[str(key)] = "" if value is None else value
        out.append(row)
    return out


def from_seed(seed: Path, tmp_path: Path, *names: str) -> Path:
    """A new folder holding `names` and the seed's result store, as contacts.xlsx's store."""
    folder = tmp_path / "run"
    folder.mkdir()
    for name in names:
        shutil.copy(seed / name, folder / name)
    source = store_path(seed / "contacts.xlsx")
    target = store_path((folder / "contacts.xlsx").resolve())
    target.parent.mkdir()
    shutil.copy(source, target)
    return folder


def ingest(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = run_cli("ingest", *args, "--jobs", "1", cwd=folder, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Took 1 earlier reading" in done.stdout  # not read again: from the store
    return done.stdout


def test_the_store_keeps_each_photo_date(seed: Path) -> None:
    conn = sqlite3.connect(store_path(seed / "contacts.xlsx"))
    stored = {
        Path(source).name: json.loads(result)["taken_on"]
        for source, result in conn.execute("SELECT source, result FROM results")
    }
    conn.close()
    assert stored == {"exif.jpg": "2026-10-03", "plain.jpg": None, "bad.jpg": None}


def test_a_cached_reading_keeps_the_photo_date(seed: Path, tmp_path: Path) -> None:
    folder = from_seed(seed, tmp_path, "exif.jpg")
    stdout = ingest(folder, "exif.jpg")
    assert "Met on: the day each photo was taken (2026-10-03)." in stdout.splitlines()
    (row,) = book_rows(folder / "contacts.xlsx")
    assert (row["Met on"], row["Last met"], row["Follow up by"]) == (
        "2026-10-03",
        "2026-10-03",
        "2026-10-04",
    )
    assert row["Where"] == ""


def test_met_on_wins_over_the_photo_date(seed: Path, tmp_path: Path) -> None:
    folder = from_seed(seed, tmp_path, "exif.jpg")
    stdout = ingest(folder, "exif.jpg", "--met-on", "2026-11-21", "--follow-up-days", "3")
    assert "Met on:" not in stdout  # nothing to explain: the user said
    (row,) = book_rows(folder / "contacts.xlsx")
    assert (row["Met on"], row["Follow up by"]) == ("2026-11-21", "2026-11-24")


@pytest.mark.parametrize("photo", ["plain.jpg", "bad.jpg"])
def test_a_photo_without_a_usable_date_is_met_today(seed: Path, tmp_path: Path, photo: str) -> None:
    folder = from_seed(seed, tmp_path, photo)
    before = date.today()
    stdout = ingest(folder, photo)
    today = _today(before)
    assert f"Met on: today, {today} (no photo says when it was taken)." in stdout.splitlines()
    (row,) = book_rows(folder / "contacts.xlsx")
    assert row["Met on"] == today
    assert row["Follow up by"] == (date.fromisoformat(today) + timedelta(days=1)).isoformat()


def test_where_accumulates_over_meetings(seed: Path, tmp_path: Path) -> None:
    folder = from_seed(seed, tmp_path, "exif.jpg", "plain.jpg")
    ingest(folder, "exif.jpg", "--event", "Chicago Tech Mixer", "--where", "booth 12")
    before = date.today()
    # Met again (another photo of his card) at another event and place; a longer
    # follow-up setting does not move the reminder of someone already in the book.
    ingest(
        folder, "plain.jpg", "--event", "Design Week", "--where", "Hall B",
        "--follow-up-days", "5",
    )  # fmt: skip
    (row,) = book_rows(folder / "contacts.xlsx")
    assert row["Where"] == "booth 12; Hall B"
    assert row["Event"] == "Chicago Tech Mixer; Design Week"
    assert (row["Met on"], row["Last met"], row["Times met"]) == ("2026-10-03", _today(before), 2)
    assert row["Follow up by"] == "2026-10-04"
    header = list(row)
    assert header.index("Where") == header.index("Event") + 1


def test_follow_up_days_from_the_environment(seed: Path, tmp_path: Path) -> None:
    folder = from_seed(seed, tmp_path, "exif.jpg")
    ingest(folder, "exif.jpg", env={"CARDSCAN_FOLLOW_UP_DAYS": "0"})
    (row,) = book_rows(folder / "contacts.xlsx")
    assert row["Follow up by"] == "2026-10-03"  # the same day


def test_the_option_beats_the_environment_and_nonsense_is_refused(
    seed: Path, tmp_path: Path
) -> None:
    folder = from_seed(seed, tmp_path, "exif.jpg")
    ingest(folder, "exif.jpg", "--follow-up-days", "2", env={"CARDSCAN_FOLLOW_UP_DAYS": "9"})
    (row,) = book_rows(folder / "contacts.xlsx")
    assert row["Follow up by"] == "2026-10-05"
    for env, args, shown in (
        (
            {"CARDSCAN_FOLLOW_UP_DAYS": "next week"},
            (),
            "'next week' (from $CARDSCAN_FOLLOW_UP_DAYS)",
        ),
        ({}, ("--follow-up-days", "-1"), "'-1' is not a number of days"),
    ):
        done = run_cli("ingest", "exif.jpg", *args, cwd=folder, env=env)
        assert done.returncode == 2, done.stdout + done.stderr
        assert shown in done.stderr and "whole number from 0" in done.stderr
    # Refused before anything was read or written.
    assert book_rows(folder / "contacts.xlsx") == [row]
