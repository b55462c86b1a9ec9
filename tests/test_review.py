"""The review page and its corrections through the real CLI: what ingest leaves for the
page, `cardscan review`, `cardscan apply` (idempotent, refusing what is not a
corrections file, reporting rows that are gone), corrections surviving `rescan --book`,
and `bench --corrections`.

The samples book (every sample ingested once per session by the real CLI) is shared
with other modules; each test works on its own copy. The page in a real browser is
tests/test_review_browser.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import openpyxl
import pytest
from conftest import ALL_SAMPLES, ROOT, SAMPLES, load_samples, run_cli
from PIL import Image

from cardscan.book import Book
from cardscan.book import columns as col
from cardscan.model import Box, CardResult, Contact, Issue, Status
from cardscan.review.crop import review_crop
from cardscan.state.batches import Batch, Entry, batches_dir, crop_path, load_batches, save_batch
from cardscan.state.corrections import store_path
from cardscan.state.readings import result_from_json

SHOP = "gb-shop-no-person"  # a shop's card: no person's name on it
# The backs of two-sided cards: read with their fronts, one card each (samples/README.md).
BACKS = [s for s in load_samples() if "back_of" in s.truth]
CHLOE = "au-upside-down-wood"


def card_id(stem: str) -> str:
    return hashlib.sha256((SAMPLES / f"{stem}.jpg").read_bytes()).hexdigest()


def row_of(book: Path, stem: str) -> dict[str, str]:
    with Book.open(book, read_only=True) as contacts:
        rows = [r for r in contacts.rows() if card_id(stem) in r[col.CARD_IDS]]
    assert len(rows) == 1
    return rows[0]


def corrections_file(folder: Path, cards: list[dict[str, Any]], name: str = "fixes.json") -> Path:
    """A corrections file as the page's "Save corrections" writes it."""
    path = folder / name
    data = {
        "format": "cardscan-corrections",
        "version": 1,
        "book": "contacts.xlsx",
        "batch": "all",
        "saved_at": "2026-11-22T09:00:00.000Z",
        "cards": cards,
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def change(stem: str, fields: dict[str, tuple[str, str]], checked: bool = False) -> dict[str, Any]:
    """One card of a corrections file: column -> (as shown, as corrected)."""
    return {
        "card_id": card_id(stem),
        "source": str(SAMPLES / f"{stem}.jpg"),
        "checked": checked,
        "fields": {c: {"read": was, "was": was, "value": new} for c, (was, new) in fields.items()},
    }


# --- what an ingest leaves for the page ---------------------------------------------------


def test_ingest_records_the_batch_crops_and_page(samples_book: Path) -> None:
    folder = samples_book.parent
    batches = load_batches(samples_book.resolve())
    assert len(batches) == 1
    batch = batches[0]
    assert batch.event == "Chicago Tech Mixer"
    assert [Path(e.photo).name for e in batch.entries] == [s.photo.name for s in ALL_SAMPLES]
    backs = [Path(e.back_photo).name for e in batch.entries if e.back_photo]
    assert sorted(backs) == sorted(s.photo.name for s in BACKS)
    assert {e.action for e in batch.entries} == {"new"}
    for entry in batch.entries:
        assert entry.card_id == hashlib.sha256(Path(entry.photo).read_bytes()).hexdigest()
        assert entry.reading is not None and entry.reading["evidence"], entry.source
        crop = crop_path(samples_book.resolve(), entry.card_id)
        with Image.open(crop) as image:  # a real JPEG of the card, at most 1000 px
            assert image.format == "JPEG" and max(image.size) <= 1000
            width, height = image.size
        for boxes in entry.reading["evidence"].values():
            for left, top, w, h in boxes:  # evidence lies on the crop
                assert 0 <= left <= left + w <= width and 0 <= top <= top + h <= height
    for entry in batch.entries:  # a card is flagged exactly when it has a reason
        assert entry.reading is not None
        flagged = bool(entry.reading["issues"] or entry.reasons)
        assert entry.status == ("needs_review" if flagged else "ok"), entry.source
    page = (folder / "contacts.review.html").read_text(encoding="utf-8")
    assert page.count('<article id="card-') == len(ALL_SAMPLES)
    # Needs-review cards come first (which samples are flagged rests on the verdict's
    # chances, so the order is checked, not the first card's status).
    shown = re.findall(r'<article [^>]*data-status="([a-z_]+)"', page)
    assert len(shown) == len(ALL_SAMPLES)
    assert shown == sorted(shown, key=lambda status: status != "needs_review")
    # Images are linked beside the page, with every field's words outlined on them.
    assert page.count('src=".cardscan/crops/') == len(ALL_SAMPLES) + len(BACKS)
    assert 'class="box" data-field="emails"' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from the network


def test_ingest_prints_the_page_and_a_dry_run_writes_none(tmp_path: Path) -> None:
    photo = SAMPLES / f"{CHLOE}.jpg"
    dry = run_cli("ingest", str(photo), "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "Review page" not in dry.stdout
    assert not (tmp_path / "contacts.review.html").exists()
    done = run_cli("ingest", str(photo), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "Book: contacts.xlsx"
    assert lines[2].startswith("Review page: contacts.review.html")
    assert "Chloe Nguyen" in (tmp_path / "contacts.review.html").read_text(encoding="utf-8")
    first_page = (tmp_path / "contacts.review.html").read_bytes()
    again = run_cli("ingest", str(photo), cwd=tmp_path)  # already in the book: not read
    assert again.returncode == 0, again.stderr
    # Nothing new: the page of the batch that added Chloe stays, and nothing is recorded.
    assert (tmp_path / "contacts.review.html").read_bytes() == first_page
    assert again.stdout.splitlines()[2] == (
        "Review page: contacts.review.html still shows the last batch that added cards "
        "(this one added none)."
    )
    assert len(list(batches_dir((tmp_path / "contacts.xlsx").resolve()).glob("*.json"))) == 1


# --- cardscan review ----------------------------------------------------------------------


def test_review_command_batches_inline_and_errors(samples_book: Path) -> None:
    folder = samples_book.parent
    batch_id = load_batches(samples_book.resolve())[0].id
    for which in ("last", "all", batch_id):
        done = run_cli("review", "--batch", which, cwd=folder)
        assert done.returncode == 0, done.stderr
        assert done.stdout == "Review page: contacts.review.html\n"
    done = run_cli("review", "--to", "elsewhere/page.html", "--inline", cwd=folder)
    assert done.returncode == 4  # no such folder: an output path that cannot be written
    assert done.stderr.count("\n") == 1 and "elsewhere/page.html" in done.stderr
    (folder / "elsewhere").mkdir()
    done = run_cli("review", "--to", "elsewhere/page.html", "--inline", cwd=folder)
    assert done.returncode == 0, done.stderr
    page = (folder / "elsewhere" / "page.html").read_text(encoding="utf-8")
    assert page.count("data:image/jpeg;base64,") == len(ALL_SAMPLES) + len(BACKS)
    # The photo links are relative to where the page is.
    photo = os.path.relpath(SAMPLES / f"{CHLOE}.jpg", folder / "elsewhere")
    assert f'href="{quote(photo)}"' in page
    wrong = run_cli("review", "--batch", "20990101-000000", cwd=folder)
    assert wrong.returncode == 4
    assert wrong.stderr.count("\n") == 1 and batch_id in wrong.stderr
    empty = run_cli("review", "--book", "other.xlsx", cwd=folder)
    assert empty.returncode == 4 and "cardscan ingest" in empty.stderr


def test_page_escapes_what_the_card_says(tmp_path: Path) -> None:
    """A card could carry markup: it must show as text, never run."""
    evil = '<script>alert("x")</script>'
    result = CardResult(
        source=str(tmp_path / "evil.jpg"),
        card_id="ab" * 32,
        status=Status.NEEDS_REVIEW,
        contact=Contact(name=evil, company='"><img src=x onerror=alert(1)>', emails=["a@b.co"]),
        confidence={"name": 0.3},
        issues=[Issue("low_confidence", f"name {evil} is uncertain", "name")],
        evidence={"name": [Box(1, 2, 3, 4)]},
    )
    batch = Batch(id="", book="contacts.xlsx", started_at=datetime.now())
    batch.entries.append(
        Entry(
            source=f"{evil}.jpg",
            photo=str(tmp_path / "evil.jpg"),
            card_id=result.card_id,
            action="new",
            reasons=[evil],
            reading=result.to_json(),
        )
    )
    save_batch((tmp_path / "contacts.xlsx").resolve(), batch)
    done = run_cli("review", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "contacts.review.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # the page's own, allowed by its hash alone
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and "script-src &#x27;sha256-" in csp.group(1)
    assert "doubtful (30%)" in page  # the low-confidence name is marked, in words


# --- cardscan apply -----------------------------------------------------------------------


@pytest.fixture
def flagged_shop(tmp_path: Path) -> Path:
    """A book of the shop's card read without the verdict (a pipeline without the
    validate stage), so the extractor's "no person's name found" is the card's one
    reason to review: a flag that rests on no borderline chance (with the verdict, a
    shop's card read right is ok). Returns the path of contacts.xlsx."""
    default = (ROOT / "pipelines" / "default.toml").read_text(encoding="utf-8")
    mine = default.replace('"extract", "validate"]', '"extract"]')
    assert mine != default
    pipeline = tmp_path / "no-verdict.toml"
    pipeline.write_text(mine.replace('name = "default"', 'name = "no-verdict"'), "utf-8")
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(SAMPLES / f"{SHOP}.jpg", photos)
    done = run_cli(
        "ingest",
        str(photos),
        "--book",
        "contacts.xlsx",
        "--pipeline",
        str(pipeline),
        "--region",
        "GB",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shop = row_of(tmp_path / "contacts.xlsx", SHOP)
    assert (shop[col.NEEDS_REVIEW], shop[col.NAME]) == ("yes", "")
    assert shop[col.REVIEW_REASONS] == f"no person's name found on the card (card {SHOP}.jpg)"
    return tmp_path / "contacts.xlsx"


def test_a_correction_settles_its_fields_reason_and_with_it_the_flag(flagged_shop: Path) -> None:
    fixes = corrections_file(flagged_shop.parent, [change(SHOP, {col.NAME: ("", "Jo Harrow")})])
    done = run_cli("apply", str(fixes), cwd=flagged_shop.parent)
    assert done.returncode == 0, done.stderr
    shop = row_of(flagged_shop, SHOP)
    assert shop[col.NAME] == "Jo Harrow"
    assert (shop[col.GIVEN_NAME], shop[col.FAMILY_NAME]) == ("Jo", "Harrow")
    # The reason the name settles is gone, and with it the flag.
    assert shop[col.REVIEW_REASONS] == "" and shop[col.NEEDS_REVIEW] == ""


def test_apply_writes_corrections_once_and_keeps_them(samples_book: Path) -> None:
    folder = samples_book.parent
    chloe = row_of(samples_book, CHLOE)
    email = chloe[col.EMAILS]
    fixes = corrections_file(
        folder,
        [
            change(
                CHLOE,
                {
                    col.TITLE: (chloe[col.TITLE], "Principal Engineer"),
                    col.EMAILS: (email, "chloe.n@southerncross.example"),
                },
            ),
        ],
    )
    done = run_cli("apply", str(fixes), cwd=folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Applied fixes.json to contacts.xlsx: ")
    assert "Review page updated: contacts.review.html" in done.stdout
    chloe_after = row_of(samples_book, CHLOE)
    assert chloe_after[col.TITLE] == "Principal Engineer"
    assert chloe_after[col.EMAILS] == "chloe.n@southerncross.example"
    untouched = {k: v for k, v in chloe.items() if k not in (col.TITLE, col.EMAILS)}
    assert {k: chloe_after[k] for k in untouched} == untouched
    kept = json.loads(store_path(samples_book.resolve()).read_text(encoding="utf-8"))
    title = kept["cards"][card_id(CHLOE)]["fields"][col.TITLE]
    assert (title["read"], title["value"]) == (chloe[col.TITLE], "Principal Engineer")
    assert kept["cards"][card_id(CHLOE)]["reading"]["title"] == chloe[col.TITLE]
    page = (folder / "contacts.review.html").read_text(encoding="utf-8")
    assert "corrected (read: Senior Project Engineer)" in page

    before = samples_book.read_bytes(), store_path(samples_book.resolve()).read_bytes()
    again = run_cli("apply", str(fixes), cwd=folder)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Nothing to change: the corrections in fixes.json are ")
    after = samples_book.read_bytes(), store_path(samples_book.resolve()).read_bytes()
    assert after == before


def test_checked_card_leaves_review(flagged_shop: Path) -> None:
    fixes = corrections_file(flagged_shop.parent, [change(SHOP, {}, checked=True)])
    done = run_cli("apply", str(fixes), cwd=flagged_shop.parent)
    assert done.returncode == 0, done.stderr
    shop = row_of(flagged_shop, SHOP)
    assert (shop[col.NEEDS_REVIEW], shop[col.REVIEW_REASONS], shop[col.NAME]) == ("", "", "")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"\x89PNG\r\n", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b'{"cards": []}', 'no "format": "cardscan-corrections"'),
        (
            b'{"format": "cardscan-corrections", "version": 1, "cards": [{"card_id": "x"}]}',
            "card_id",
        ),
        (
            b'{"format": "cardscan-corrections", "version": 1, "cards": [{"card_id": "'
            + b"a" * 64
            + b'", "fields": {"Notes": {"value": "x"}}}]}',
            "'Notes' is not a column the page corrects",
        ),
        (b'{"format": "cardscan-corrections", "version": 9, "cards": []}', "version 9"),
    ],
)
def test_apply_refuses_what_is_not_a_corrections_file(
    samples_book: Path, content: bytes, why: str
) -> None:
    folder = samples_book.parent
    (folder / "fixes.json").write_bytes(content)
    before = samples_book.read_bytes()
    done = run_cli("apply", "fixes.json", cwd=folder)
    assert done.returncode == 4
    assert done.stderr.count("\n") == 1 and why in done.stderr and "fixes.json" in done.stderr
    assert "review page" in done.stderr
    assert samples_book.read_bytes() == before
    assert not store_path(samples_book.resolve()).exists()
    missing = run_cli("apply", "nothing.json", cwd=folder)
    assert missing.returncode == 4 and "no such corrections file" in missing.stderr


def test_apply_reports_rows_that_are_gone(samples_book: Path) -> None:
    folder = samples_book.parent
    workbook = openpyxl.load_workbook(samples_book)
    sheet = workbook.active
    assert sheet is not None
    ids = next(c.column for c in sheet[1] if c.value == col.CARD_IDS)
    gone = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, ids).value == card_id(CHLOE)
    )
    sheet.delete_rows(gone)
    workbook.save(samples_book)
    fixes = corrections_file(folder, [change(CHLOE, {col.TITLE: ("x", "Principal Engineer")})])
    done = run_cli("apply", str(fixes), cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "No row holds these cards any more" in done.stdout
    assert f"  {SAMPLES / CHLOE}.jpg" in done.stdout
    kept = json.loads(store_path(samples_book.resolve()).read_text(encoding="utf-8"))
    assert kept["cards"][card_id(CHLOE)]["fields"][col.TITLE]["value"] == "Principal Engineer"


def test_rescan_keeps_corrections_and_bench_learns_from_them(samples_book: Path) -> None:
    folder = samples_book.parent
    fixes = corrections_file(
        folder, [change(CHLOE, {col.TITLE: ("Senior Project Engineer", "Principal Engineer")})]
    )
    assert run_cli("apply", str(fixes), cwd=folder).returncode == 0
    done = run_cli("rescan", str(SAMPLES / f"{CHLOE}.jpg"), "--book", "contacts.xlsx", cwd=folder)
    assert done.returncode == 0, done.stderr
    after = row_of(samples_book, CHLOE)
    assert after[col.TITLE] == "Principal Engineer"
    assert after[col.NEEDS_REVIEW] == "" and "title" not in after[col.REVIEW_REASONS]
    bench = run_cli("bench", "--corrections", "--json", "--jobs", "1", cwd=folder)
    assert bench.returncode == 0, bench.stderr
    figures = json.loads(bench.stdout)
    assert figures["cards"] == 1
    # The pipeline reads the printed title; the truth is now the corrected one.
    assert figures["exact_match"]["title"] == 0.0 and figures["exact_match"]["name"] == 1.0
    neither = run_cli("bench", cwd=folder)
    assert neither.returncode == 2 and "--corrections" in neither.stderr


def test_bench_corrections_without_any(samples_book: Path) -> None:
    done = run_cli("bench", "--corrections", cwd=samples_book.parent)
    assert done.returncode == 4 and "no corrected cards" in done.stderr


# --- the crop and its evidence --------------------------------------------------------------


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_review_crop_maps_evidence_onto_the_turned_card(rotation: int) -> None:
    """A 1600x800 card read at half scale: a box found by OCR lands on the same spot."""
    card = np.full((800, 1600, 3), 255, np.uint8)
    card[100:200, 300:700] = (200, 0, 0)  # a red word, where the box will say
    gray_shape = (400, 800)  # the OCR image: half the card's size, before turning
    turned = np.rot90(card, k=-rotation // 90 % 4)  # what OCR saw, clockwise
    ys, xs = np.nonzero(turned[:, :, 1] == 0)
    left, top = int(xs.min()), int(ys.min())
    box = Box(left // 2, top // 2, (int(xs.max()) + 1 - left) // 2, (int(ys.max()) + 1 - top) // 2)
    jpeg, mapped = review_crop(card, gray_shape, rotation, {"name": [box]})
    assert jpeg is not None
    image = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"))
    assert max(image.shape[:2]) == 1000
    (got,) = mapped["name"]
    inside = image[got.top + 3 : got.bottom - 3, got.left + 3 : got.right - 3]
    assert inside.size and inside[:, :, 0].mean() > 150 and inside[:, :, 1].mean() < 60
    ring = image[max(0, got.top - 12) : got.top - 6, got.left : got.right]
    assert ring.size == 0 or ring[:, :, 1].mean() > 200  # just outside: paper


def test_evidence_round_trips_through_the_store_json() -> None:
    result = CardResult(
        source="a.jpg",
        card_id="c" * 64,
        status=Status.OK,
        evidence={"name": [Box(1, 2, 3, 4)], "phones": [Box(5, 6, 7, 8), Box(0, 0, 1, 1)]},
        crop=b"jpeg bytes",
    )
    data = result.to_json()
    assert "crop" not in data and data["evidence"]["name"] == [[1, 2, 3, 4]]
    back = result_from_json(json.loads(json.dumps(data)))
    assert back.evidence == result.evidence and back.crop is None


def test_batch_records_skip_a_damaged_one(tmp_path: Path) -> None:
    book = (tmp_path / "contacts.xlsx").resolve()
    folder = batches_dir(book)
    folder.mkdir(parents=True)
    (folder / "20260101-000000.json").write_text("{broken", encoding="utf-8")
    (folder / "20260101-000001.json").write_text("[" * 200_000 + "]" * 200_000)
    warnings: list[str] = []
    assert load_batches(book, warnings.append) == []
    assert len(warnings) == 2 and "20260101-000000.json" in warnings[0]
    assert "20260101-000001.json" in warnings[1]
