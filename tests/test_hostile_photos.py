"""Hostile photos, each built here: formats outside the README's list, and files whose
decoding would not fit a worker. Through the real CLI, and the loader's mechanism.

The memory-hungry ones run in a child process whose address space is capped, so a guard
that fails raises MemoryError there instead of taking the machine.
"""

from __future__ import annotations

import io
import json
import resource
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from conftest import SAMPLES, capped_env, fake_ghostscript, run_cli
from PIL import Image, ImageFile
from PIL.JpegImagePlugin import JpegImageFile

from cardscan.errors import ExitCode, ImageError
from cardscan.load import LoadLimits, decode_photo, load_photo
from cardscan.state.batches import crop_path, load_batches

NOT_READ = (
    "not an image cardscan can read: use a JPEG, PNG, TIFF, WebP, BMP, HEIC/HEIF or GIF photo"
)
EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 400 240\n"
    b"/Helvetica findfont 24 scalefont setfont 40 120 moveto (Jane Roe) show showpage\n%%EOF\n"
)


def psd(width: int = 400, height: int = 240) -> bytes:
    """A Photoshop file (Pillow reads them; it cannot write them): RGB, raw."""
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, height, width, 8, 3)
    sections = struct.pack(">III", 0, 0, 0)  # colour mode data, resources, layers: none
    return header + sections + struct.pack(">H", 0) + bytes(width * height * 3)


def saved(fmt: str) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (256, 240), "white")
    image.paste((0, 0, 0), (20, 100, 236, 120))
    image.save(buffer, fmt)
    return buffer.getvalue()


def test_formats_outside_the_list_are_refused_and_ghostscript_never_starts(
    tmp_path: Path,
) -> None:
    photos = tmp_path / "stack"
    photos.mkdir()
    files = {
        "eps": EPS,
        "psd": psd(),
        "ico": saved("ICO"),
        "pcx": saved("PCX"),
        "ppm": saved("PPM"),
    }
    for name, data in files.items():
        path = photos / f"{name}.jpg"  # named like a photo, as an attacker would
        path.write_bytes(data)
        # Pillow on its own knows each of them: only the allow-list keeps them out.
        with Image.open(path) as image:
            assert image.format == name.upper()
    env, mark = fake_ghostscript(tmp_path)
    # A fresh process: Pillow looks for Ghostscript on PATH once per process.
    done = run_cli(
        "ingest", str(photos), "--book", "people.xlsx", "--jobs", "1", cwd=tmp_path, env=env,
        subprocess=True,
    )  # fmt: skip
    assert done.returncode == ExitCode.CARDS_FAILED, done.stdout + done.stderr
    assert f"{len(files)} failed" in done.stdout
    for name in files:
        assert f"{name}.jpg: {NOT_READ}" in done.stdout, done.stdout
    assert not mark.exists(), mark.read_text()
    assert "Traceback" not in done.stderr


def png(width: int, height: int, color_type: int, bit_depth: int = 8) -> bytes:
    """A valid PNG of zeros, streamed: gigabytes of pixels from a few hundred KB."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row = bytes(1 + width * channels * bit_depth // 8)  # filter byte, then the pixels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def rescan_capped(photo: Path, cap_gb: float) -> tuple[int, dict[str, object]]:
    """`cardscan rescan PHOTO --json` in a child whose address space is capped."""
    cap = int(cap_gb * 1024**3)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = capped_env()
    script = Path(sys.executable).with_name("cardscan")
    done = subprocess.run(
        [str(script), "rescan", str(photo), "--json"],
        cwd=photo.parent,
        env=env,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def only_issue(reading: dict[str, object]) -> str:
    issues = reading["issues"]
    assert isinstance(issues, list) and len(issues) == 1, issues
    return str(issues[0]["message"])


def test_photo_too_costly_to_decode_is_refused_with_its_reason(tmp_path: Path) -> None:
    """An RGBA PNG of 99 MP: under the pixel limit, but about 1 GB to decode."""
    photo = tmp_path / "card.png"
    photo.write_bytes(png(11_000, 9_000, color_type=6))
    assert photo.stat().st_size < 1024 * 1024
    code, reading = rescan_capped(photo, cap_gb=2.5)
    assert code == ExitCode.CARDS_FAILED and reading["status"] == "failed"
    message = only_issue(reading)
    assert message.startswith(f"{photo}: decoding this 11000x9000 px PNG (RGBA) would take about ")
    assert "MB, over the 350 MB a card may use: save it as a JPEG, or at most " in message


def test_refusal_comes_before_any_pixel_is_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = png(11_000, 9_000, color_type=6)

    def decoded(self: ImageFile.ImageFile) -> None:
        raise AssertionError("a photo over the budget was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decoded)
    with pytest.raises(ImageError, match=r"would take about \d+ MB, over the 350 MB"):
        decode_photo(data, "card.png")


def test_the_16_bit_png_of_the_issue_decodes_within_a_worker(tmp_path: Path) -> None:
    """A 260 KB 16-bit PNG just under 120 MP took 2.9 GB; shrunk as decoded, it fits
    (about 300 MB): under a 2 GB cap it is read through to the check for text."""
    photo = tmp_path / "scan.png"
    photo.write_bytes(png(11_900, 10_000, color_type=0, bit_depth=16))
    assert photo.stat().st_size < 512 * 1024
    code, reading = rescan_capped(photo, cap_gb=2.0)
    assert code == ExitCode.CARDS_FAILED
    assert only_issue(reading).startswith(f"{photo}: no text found: the photo is one smooth tone")


def card_like(width: int, height: int) -> np.ndarray:
    """Light card, a dark block at the top left, rows of dark strokes: detail and a side."""
    pixels = np.full((height, width, 3), 230, np.uint8)
    pixels[height // 10 : height // 4, width // 20 : width // 3] = 10
    for y in range(height // 3, height * 9 // 10, max(12, height // 25)):
        pixels[y : y + max(3, height // 120), width // 10 : width * 9 // 10 : 7] = 20
    return pixels


def test_heic_turned_by_exif_reads_upright_like_a_jpeg(tmp_path: Path) -> None:
    """HEIC is shrunk from libheif's buffer, which libheif has already turned."""
    image = Image.fromarray(card_like(1000, 600))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to view"
    pillow_heif.register_heif_opener()
    read = {}
    for fmt in ("HEIF", "JPEG"):
        path = tmp_path / f"card.{fmt.lower()}"
        image.save(path, fmt, exif=exif.tobytes(), quality=90)
        read[fmt] = load_photo(path)
    heic, jpeg = read["HEIF"], read["JPEG"]
    assert heic.format == "HEIF"
    assert heic.pixels.shape == jpeg.pixels.shape == (1000, 600, 3)
    assert heic.original_size == jpeg.original_size == (600, 1000)
    block = (slice(100, 300), slice(460, 530))  # the block, turned to the top right
    assert heic.pixels[block].mean() < 60 and jpeg.pixels[block].mean() < 60


def test_mpo_photo_is_reduced_while_decoded_like_a_jpeg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many phones write MPO (a JPEG with a preview): it gets libjpeg's reduced scale."""
    path = tmp_path / "phone.jpg"
    big = Image.fromarray(card_like(6400, 3200))
    big.save(path, "MPO", save_all=True, append_images=[big.resize((640, 320))])
    drafted: list[tuple[int, int] | None] = []
    draft = JpegImageFile.draft

    def recording(self: JpegImageFile, mode: str | None, size: tuple[int, int] | None) -> object:
        drafted.append(size)
        return draft(self, mode, size)

    monkeypatch.setattr(JpegImageFile, "draft", recording)
    photo = load_photo(path)
    assert photo.format == "MPO"
    assert drafted and drafted[0] is not None and max(drafted[0]) <= 3200
    assert max(photo.pixels.shape[:2]) == 3000


@pytest.mark.parametrize(
    "mode", ["1", "P+transparency", "I;16", "LA", "CMYK"], ids=lambda mode: mode
)
def test_every_mode_shrinks_to_rgb(tmp_path: Path, mode: str) -> None:
    """Each mode takes its own shrinking path (cardscan.load._decoded_small)."""
    pixels = card_like(3600, 2400)
    image = Image.fromarray(pixels)
    path = tmp_path / "card.png"
    if mode == "1":
        image.convert("1").save(path)
    elif mode == "P+transparency":
        image.convert("P").save(path, transparency=255)
    elif mode == "I;16":
        Image.fromarray(pixels[:, :, 0].astype(np.uint16) * 257).save(path)
    elif mode == "CMYK":
        path = tmp_path / "card.jpg"
        image.convert("CMYK").save(path, quality=95)
    else:
        image.convert(mode).save(path)
    photo = load_photo(path, LoadLimits(max_side=1500))
    assert photo.pixels.shape == (1000, 1500, 3)
    block = photo.pixels[120:230, 100:450]
    paper = photo.pixels[20:60, 1300:1450]
    assert block.mean() < 80 and paper.mean() > 150, (block.mean(), paper.mean())


def test_review_page_opens_a_kept_crop_only_as_a_jpeg(samples_book: Path) -> None:
    """A crop in .cardscan/crops that is not a JPEG is not opened: the card shows its
    link to the photo instead."""
    folder = samples_book.parent
    [batch] = load_batches(samples_book.resolve())
    entry = next(e for e in batch.entries if e.card_id)
    crop = crop_path(samples_book.resolve(), entry.card_id)
    crop.write_bytes(EPS)
    done = run_cli("review", cwd=folder)
    assert done.returncode == 0, done.stderr
    page = (folder / "contacts.review.html").read_text(encoding="utf-8")
    assert page.count('<figure class="crop none">') == 1
    shutil.copy(SAMPLES / "us-classic-wood.jpg", crop)  # a JPEG there is shown again
    assert run_cli("review", cwd=folder).returncode == 0
    page = (folder / "contacts.review.html").read_text(encoding="utf-8")
    assert page.count('<figure class="crop none">') == 0
