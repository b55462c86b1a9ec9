"""A night's batch with every kind of bad and odd file in it, through the real CLI.

Done when (the issue): a batch holding every bad input, the unusual but valid photos
and 20 ordinary ones finishes with every readable card merged, each bad file reported
by name with its reason (one line each under "Failed:"), exit code 3, and no row from
any bad file.

The batch is built and ingested once (module fixture): real OCR is the slow part.
Each unusual photo is made from a sample no ordinary photo shows, so its row exists
only if that very file was read.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pillow_heif
import pytest
from conftest import SAMPLES, Sample, SeedReadings, load_samples, run_cli, text_rows
from PIL import Image

from cardscan.errors import ImageError
from cardscan.load import read_bytes
from cardscan.photos import collect_photos

SAMPLE_BY_NAME = {s.name: s for s in load_samples()}
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0

# The undecodable byte as the summary and the book show it: a backslash escape.
CAFE = b"caf\xe9.jpg"  # Latin-1 "café.jpg": not valid UTF-8
CAFE_SHOWN = "caf\\xe9.jpg"
MENU = b"men\xfc.jpg"  # a bad file with an undecodable name
MENU_SHOWN = "men\\xfc.jpg"


@dataclass(frozen=True)
class Card:
    """A readable photo in the batch: the name the summary and book show, its sample."""

    shown: str
    sample: Sample

    @property
    def email(self) -> str:
        return str(self.sample.contact["emails"][0]).lower()


@dataclass(frozen=True)
class Bad:
    """A file that must fail alone: the name shown, and words its reason must hold."""

    shown: str
    reasons: tuple[str, ...]  # any one of them, case-insensitive


@dataclass
class Batch:
    folder: Path
    book: Path
    cards: list[Card]
    unusual: list[Card]
    bad: list[Bad]
    stdout: str
    stderr: str
    code: int


# --- making the photos ------------------------------------------------------------


def _sample_image(name: str) -> Image.Image:
    with Image.open(SAMPLES / f"{name}.jpg") as img:
        img.load()
        return img.convert("RGB")


def _reencoded(name: str, quality: int) -> bytes:
    """The same card as another phone would save it: a little smaller, other quality."""
    img = _sample_image(name)
    img = img.resize((img.width * 97 // 100, img.height * 97 // 100), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _copied(name: str, n: int) -> bytes:
    """The same photo copied again with bytes after its end (as a transfer can leave
    them): the same pixels, another file and card id."""
    return _jpeg(name) + b"\0" * n


def _save(img: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def _heic(name: str) -> bytes:
    out = io.BytesIO()
    pillow_heif.from_pillow(_sample_image(name)).save(out, quality=85)
    return out.getvalue()


def _cmyk_jpeg(name: str) -> bytes:
    return _save(_sample_image(name).convert("CMYK"), "JPEG", quality=92)


def _sixteen_bit_png(name: str) -> bytes:
    gray = np.asarray(_sample_image(name).convert("L"), dtype=np.uint16) * 257
    img = Image.fromarray(gray)
    assert img.mode.startswith("I;16")
    return _save(img, "PNG")


def _gray_png(name: str) -> bytes:
    return _save(_sample_image(name).convert("L"), "PNG")


def _png(name: str) -> bytes:
    return _save(_sample_image(name), "PNG")


def _sideways_jpeg(name: str) -> bytes:
    """Pixels stored turned a quarter left; EXIF orientation 6 says "turn right to view"."""
    exif = Image.Exif()
    exif[0x0112] = 6
    turned = _sample_image(name).transpose(Image.Transpose.ROTATE_90)
    return _save(turned, "JPEG", quality=92, exif=exif)


def _jpeg(name: str) -> bytes:
    return (SAMPLES / f"{name}.jpg").read_bytes()


def _truncated_jpeg() -> bytes:
    data = _jpeg("us-classic-wood")
    return data[: len(data) * 2 // 5]


def _declared_huge_png() -> bytes:
    """A valid PNG whose IHDR declares 50,000 x 50,000 px; nothing that big is allocated."""
    data = bytearray(_save(Image.new("L", (1, 1)), "PNG"))
    data[16:24] = (50_000).to_bytes(4, "big") * 2  # IHDR width and height
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)


def _gradient_jpeg() -> bytes:
    """A 1000 x 800 photo of nothing: a soft grey gradient, no card, no text."""
    ramp = np.linspace(60, 200, 1000, dtype=np.float64)
    rows = np.linspace(0.9, 1.1, 800, dtype=np.float64)[:, None]
    gray = np.clip(ramp[None, :] * rows, 0, 255).astype(np.uint8)
    return _save(Image.fromarray(gray).convert("RGB"), "JPEG", quality=90)


def _noise_frames(seed: int) -> list[Image.Image]:
    rng = np.random.default_rng(seed)
    return [
        Image.fromarray(rng.integers(0, 256, (600, 800, 3), dtype=np.uint8), "RGB")
        for _ in range(3)
    ]


def _animated(fmt: str, seed: int) -> bytes:
    frames = _noise_frames(seed)
    data = _save(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    with Image.open(io.BytesIO(data)) as check:
        assert getattr(check, "n_frames", 1) == 3  # really animated
    return data


def _pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


# Ordinary photos: ten samples, each as shot and copied again with bytes after its end
# (20 photos, 10 people: the two photos of one person merge into one row).
ORDINARY = [
    "au-upside-down-wood",
    "br-ltda-ramal-270",
    "es-two-column-steep",
    "gb-shop-no-person",
    "pt-shadow-blur",
    "us-mobile-work-fax-ext",
    "us-navy-card-light-table",
    "us-night-tungsten-noisy",
    "us-rotated-90-fabric",
    "us-vertical-social",
]

# Unusual but valid photos: each from a sample of its own, so each is its own row.
UNUSUAL: list[tuple[str | bytes, str, Callable[[str], bytes]]] = [
    ("IMG_0412.HEIC", "ca-teal-logo-panel", _heic),
    ("cmyk.jpg", "uk-london-band-left", _cmyk_jpeg),
    # Not the teal card: in grey, its white-on-teal print is too faint for the OCR.
    ("deep-16bit.png", "us-classic-wood", _sixteen_bit_png),
    ("gray.png", "us-held-in-hand", _gray_png),
    (CAFE, "fr-lyon-serif-fabric", _jpeg),
    ("sideways-exif.jpg", "us-cluttered-desk", _sideways_jpeg),
    ("really-a-png.jpg", "de-gmbh-small-print", _png),
]


def _write(folder: Path, name: str | bytes, data: bytes) -> str:
    """Write a file (a bytes name need not be valid UTF-8); return the name as shown."""
    if isinstance(name, bytes):
        fd = os.open(os.fsencode(folder) + b"/" + name, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        return name.decode("utf-8", "backslashreplace")
    (folder / name).write_bytes(data)
    return name


def _build(folder: Path) -> tuple[list[Card], list[Card], list[Bad]]:
    cards: list[Card] = []
    for i, name in enumerate(ORDINARY):
        sample = SAMPLE_BY_NAME[name]
        cards.append(Card(_write(folder, f"{name}.jpg", _jpeg(name)), sample))
        cards.append(Card(_write(folder, f"{name}-copied.jpg", _copied(name, i + 1)), sample))
    assert len(cards) == 20
    unusual = [
        Card(_write(folder, file, make(sample)), SAMPLE_BY_NAME[sample])
        for file, sample, make in UNUSUAL
    ]
    assert {c.sample.name for c in unusual}.isdisjoint(ORDINARY)

    bad = [
        Bad(_write(folder, "empty.jpg", b""), ("empty",)),
        Bad(_write(folder, "truncated.jpg", _truncated_jpeg()), ("truncated", "corrupt")),
        Bad(_write(folder, "notes.jpg", b"Call Jane re: invoice\n"), ("not an image",)),
        Bad(_write(folder, "scan.pdf", _pdf()), ("pdf",)),
        Bad(_write(folder, "bomb.png", _declared_huge_png()), ("decompression bomb", "mp limit")),
        Bad(
            _write(folder, "tiny.png", _save(Image.new("RGB", (8, 8), "white"), "PNG")),
            ("too small",),
        ),
        Bad(_write(folder, "blank-wall.jpg", _gradient_jpeg()), ("no text",)),
        Bad(_write(folder, "noise.gif", _animated("GIF", 1)), ("no text",)),
        Bad(_write(folder, "noise.webp", _animated("WEBP", 2)), ("no text",)),
        Bad(_write(folder, MENU, b"not a photo either\n"), ("not an image",)),
    ]
    # A symlink that points at itself: reading it loops. And a folder link back up:
    # a walk that followed it would never end.
    os.symlink("loop.jpg", folder / "loop.jpg")
    bad.append(Bad("loop.jpg", ("symbolic link", "symlink")))
    (folder / "nested").mkdir()
    os.symlink("..", folder / "nested" / "back-up")

    # Unreadable: a card photo (of an ordinary sample, bytes of its own) nobody may
    # read. Root reads it anyway, and then it is one more ordinary card.
    locked = _write(folder, "locked.jpg", _reencoded(ORDINARY[0], quality=70))
    (folder / locked).chmod(0)
    if ROOT_USER:
        cards.append(Card(locked, SAMPLE_BY_NAME[ORDINARY[0]]))
    else:
        bad.append(Bad(locked, ("permission denied",)))
    return cards, unusual, bad


# --- the run ----------------------------------------------------------------------

# A terminal with a UTF-8 locale such as en_US.UTF-8 gives Python a strict stdout: a
# name that is not valid UTF-8 must be shown escaped, not crash the summary.
STRICT_STDOUT = {"PYTHONIOENCODING": "utf-8:strict", "PYTHONUTF8": "0"}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, seed_readings: SeedReadings) -> Batch:
    work = tmp_path_factory.mktemp("robust")
    folder = work / "stack"
    folder.mkdir()
    cards, unusual, bad = _build(folder)
    # The ten samples' own photos and their copies (the same pixels) were read by the
    # samples ingest: their readings are taken from it, each under its own card id (the
    # test is of the batch, not of reading them again). The unusual photos, the locked
    # one and the bad files are all read here.
    ordinary = {folder / f"{name}.jpg": folder / f"{name}.jpg" for name in ORDINARY}
    ordinary |= {folder / f"{name}-copied.jpg": folder / f"{name}.jpg" for name in ORDINARY}
    seed_readings(work / "people.xlsx", list(ordinary), same_as=ordinary)
    try:
        done = run_cli(
            "ingest",
            str(folder),
            "--book",
            "people.xlsx",
            "--jobs",
            "2",
            cwd=work,
            env=STRICT_STDOUT,
            timeout=300,
            subprocess=True,  # the encoding is set when Python starts
        )
    finally:
        (folder / "locked.jpg").chmod(0o644)  # so pytest can clean up
    book = work / "people.xlsx"
    return Batch(folder, book, cards, unusual, bad, done.stdout, done.stderr, done.returncode)


def _emails(row: dict[str, str]) -> set[str]:
    return {e.strip().lower() for e in row["Emails"].split(";") if e.strip()}


def _failed_section(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    assert "Failed:" in lines, stdout
    section = lines[lines.index("Failed:") + 1 :]
    return [line for line in section if line.startswith("  ")]


def _names(line: str, names: list[str]) -> list[str]:
    """Which of `names` the summary line is about (the file name ends the path)."""
    return [n for n in names if re.search(rf"(^|[/\\ ]){re.escape(n)}: ", line.strip())]


# --- the acceptance test -------------------------------------------------------------


def test_batch_finishes_with_exit_3_and_no_traceback(batch: Batch) -> None:
    assert "Traceback" not in batch.stderr, batch.stderr
    assert "internal error" not in batch.stderr, batch.stderr
    assert batch.code == 3, batch.stdout + batch.stderr
    total = len(batch.cards) + len(batch.unusual) + len(batch.bad)
    head = batch.stdout.splitlines()[0]
    assert head.startswith(f"Read {total} card photos: "), batch.stdout
    assert head.endswith(f", {len(batch.bad)} failed."), batch.stdout


def test_every_bad_file_is_one_line_with_its_reason(batch: Batch) -> None:
    failed = _failed_section(batch.stdout)
    assert len(failed) == len(batch.bad), "\n".join(failed)
    shown = [b.shown for b in batch.bad]
    for line in failed:
        assert len(_names(line, shown)) == 1, f"not exactly one bad file named: {line}"
    for bad in batch.bad:
        lines = [line for line in failed if _names(line, [bad.shown])]
        assert len(lines) == 1, f"{bad.shown} not listed once under Failed:\n{batch.stdout}"
        assert any(r in lines[0].lower() for r in bad.reasons), lines[0]


def test_every_readable_card_is_merged(batch: Batch) -> None:
    rows = text_rows(batch.book)
    people = {c.email for c in batch.cards + batch.unusual}
    assert len(rows) == len(people)  # two photos of one person make one row
    found = set().union(*(_emails(r) for r in rows))
    assert people <= found, people - found
    sources = "\n".join(r["Source photos"] for r in rows)
    for card in batch.cards + batch.unusual:
        assert f"/{card.shown}" in sources, f"{card.shown} is in no row"


def test_unusual_photos_read_the_right_email(batch: Batch) -> None:
    rows = text_rows(batch.book)
    for card in batch.unusual:
        mine = [r for r in rows if f"/{card.shown}" in r["Source photos"]]
        assert len(mine) == 1, card.shown
        assert card.email in _emails(mine[0]), (card.shown, mine[0]["Emails"])


def test_undecodable_name_is_shown_escaped(batch: Batch) -> None:
    assert "\ufffd" not in batch.stdout
    assert any(MENU_SHOWN in line for line in _failed_section(batch.stdout))
    rows = text_rows(batch.book)
    cafe = [r for r in rows if r["Source photos"].endswith(f"/{CAFE_SHOWN}")]
    assert len(cafe) == 1
    assert "s.marchand@atelier-lumiere.fr" in _emails(cafe[0])


def test_no_row_comes_from_a_bad_file(batch: Batch) -> None:
    rows = text_rows(batch.book)
    for row in rows:
        for bad in batch.bad:
            assert f"/{bad.shown}" not in row["Source photos"], (bad.shown, row)


def test_the_same_batch_again_leaves_the_book_untouched(batch: Batch) -> None:
    """Every card is in the book now: only the bad files are tried, and they change nothing."""
    before = batch.book.read_bytes()
    (batch.folder / "locked.jpg").chmod(0)
    try:
        done = run_cli(
            "ingest",
            str(batch.folder),
            "--book",
            batch.book.name,
            "--jobs",
            "2",
            cwd=batch.book.parent,
            env=STRICT_STDOUT,
            timeout=300,
            subprocess=True,  # the encoding is set when Python starts
        )
    finally:
        (batch.folder / "locked.jpg").chmod(0o644)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 3, done.stdout + done.stderr
    readable = len(batch.cards) + len(batch.unusual)
    assert f"0 new, 0 merged into existing contacts, {readable} already in the book" in (
        done.stdout
    )
    assert len(_failed_section(done.stdout)) == len(batch.bad)
    assert batch.book.read_bytes() == before


# --- the book itself broken (an empty folder and a CSV named .xlsx: test_cli.py) ----


def test_damaged_xlsx_book_is_refused_and_untouched(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Emails"])
    workbook.active.append(["Jane Roe", "jane@example.org"])
    whole = tmp_path / "whole.xlsx"
    workbook.save(whole)
    data = whole.read_bytes()
    book = tmp_path / "people.xlsx"
    book.write_bytes(data[: len(data) // 2])  # cut short, as by a full disk or a bad copy
    assert not zipfile.is_zipfile(book)
    shutil.copy(SAMPLES / "us-classic-wood.jpg", tmp_path / "card.jpg")
    done = run_cli("ingest", "card.jpg", "--book", "people.xlsx", cwd=tmp_path)
    assert done.returncode == 7, done.stdout + done.stderr
    assert re.match(r"cardscan: error: cannot read the book \S*people\.xlsx: it is ", done.stderr)
    assert "Traceback" not in done.stderr
    assert book.read_bytes() == data[: len(data) // 2]


# --- the folder walk (fast; the batch above shows the same end to end) ---------------


def test_walk_takes_pdfs_and_a_looping_link_and_ends(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(_pdf())
    (tmp_path / "notes.txt").write_text("not a card")
    os.symlink("loop.jpg", tmp_path / "loop.jpg")
    os.symlink("b.jpg", tmp_path / "a.jpg")
    os.symlink("a.jpg", tmp_path / "b.jpg")
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "up")
    found = collect_photos([tmp_path, tmp_path / "loop.jpg"])
    names = [p.relative_to(tmp_path).as_posix() for p in found.photos]
    assert names == ["a.jpg", "b.jpg", "loop.jpg", "scan.pdf"]  # loop.jpg once
    assert found.missing == [] and found.empty == []
    with pytest.raises(ImageError, match="symbolic link that loops"):
        read_bytes(tmp_path / "a.jpg")
