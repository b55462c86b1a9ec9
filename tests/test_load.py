"""The load stage on real files: formats by content, EXIF turns, odd modes, bad input."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from conftest import SAMPLES
from PIL import Image

from cardscan.errors import ImageError
from cardscan.load import LoadLimits, _check_detail, card_id_of, load_photo


def _photo(width: int = 400, height: int = 240) -> Image.Image:
    """A left-dark/right-light gradient: orientation and colour are checkable after loading.

    A band of dark strokes in the middle stands for print: a bare gradient is a photo of
    nothing, which the loader refuses (test_a_photo_of_nothing_is_no_text).
    """
    ramp = np.tile(np.linspace(0, 255, width, dtype=np.uint8), (height, 1))
    pixels = np.stack([ramp, ramp // 2, 255 - ramp], axis=2)
    _print_strokes(pixels, (width * 3 // 10, width * 7 // 10))
    return Image.fromarray(pixels, "RGB")


def _print_strokes(pixels: np.ndarray, columns: tuple[int, int]) -> None:
    """Dark 3 px strokes every 9 px across the middle fifth of the rows, in place."""
    height = pixels.shape[0]
    cols = np.arange(*columns)
    pixels[height * 2 // 5 : height * 3 // 5, cols[(cols // 3) % 3 == 0]] = 0


@pytest.mark.parametrize(
    "fmt,ext",
    [("JPEG", ".jpg"), ("PNG", ".png"), ("TIFF", ".tif"), ("WEBP", ".webp"), ("BMP", ".bmp")],
)
def test_common_formats_load_as_rgb(tmp_path: Path, fmt: str, ext: str) -> None:
    path = tmp_path / f"card{ext}"
    _photo().save(path, fmt)
    photo = load_photo(path)
    assert photo.pixels.shape == (240, 400, 3)
    assert photo.pixels.dtype == np.uint8
    assert photo.format == fmt
    assert photo.card_id == card_id_of(path.read_bytes())
    assert photo.pixels[:, :20, 0].mean() < 40 and photo.pixels[:, -20:, 0].mean() > 210


def test_heic_loads(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0001.HEIC"
    heif = pillow_heif.from_pillow(_photo())
    heif.save(str(path), quality=90)
    photo = load_photo(path)
    assert photo.pixels.shape == (240, 400, 3)
    assert photo.format == "HEIF"


def test_decodes_by_content_not_extension(tmp_path: Path) -> None:
    path = tmp_path / "really-a-png.jpg"
    _photo().save(path, "PNG")
    assert load_photo(path).format == "PNG"


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "sideways.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to view"
    _photo().save(path, "JPEG", exif=exif)
    photo = load_photo(path)
    assert photo.pixels.shape == (400, 240, 3)
    # The dark left edge is now at the top.
    assert photo.pixels[:20, :, 0].mean() < 40 and photo.pixels[-20:, :, 0].mean() > 210


@pytest.mark.parametrize("mode", ["CMYK", "L", "P", "RGBA", "LA"])
def test_unusual_modes_become_rgb(tmp_path: Path, mode: str) -> None:
    path = tmp_path / f"card-{mode}.{'jpg' if mode in ('CMYK', 'L') else 'png'}"
    _photo().convert(mode).save(path)
    assert load_photo(path).pixels.shape == (240, 400, 3)


def test_sixteen_bit_png_is_stretched_not_clipped(tmp_path: Path) -> None:
    ramp = np.tile(np.linspace(0, 65535, 400).astype(np.uint16), (240, 1))
    _print_strokes(ramp, (300, 380))  # away from column 200; 0 is the ramp's minimum anyway
    path = tmp_path / "deep.png"
    Image.fromarray(ramp).save(path)
    pixels = load_photo(path).pixels
    assert pixels[:, 200, 0].mean() == pytest.approx(127, abs=3)


def test_large_photo_is_downscaled_early(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    _photo(4000, 3000).save(path, "JPEG")
    photo = load_photo(path, LoadLimits(max_side=1500))
    assert max(photo.pixels.shape[:2]) == 1500
    assert photo.original_size == (4000, 3000)


def test_animated_gif_uses_first_frame(tmp_path: Path) -> None:
    path = tmp_path / "noise.gif"
    frames = [_photo(), Image.new("RGB", (400, 240), "white")]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert load_photo(path).pixels.shape == (240, 400, 3)


def _noise(width: int = 800, height: int = 600) -> Image.Image:
    rng = np.random.default_rng(5)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8), "RGB")


def _bare_gradient(width: int = 1000, height: int = 800) -> Image.Image:
    ramp = np.tile(np.linspace(40, 220, width, dtype=np.uint8), (height, 1))
    return Image.fromarray(ramp).convert("RGB")


@pytest.mark.parametrize(
    "name,make,expected",
    [
        ("wall.jpg", _bare_gradient, "one smooth tone"),
        ("dark.png", lambda: Image.new("RGB", (1000, 800), (6, 6, 8)), "one smooth tone"),
        ("static.png", _noise, "random noise"),
        ("static.webp", _noise, "random noise"),
    ],
)
def test_a_photo_of_nothing_is_no_text(
    tmp_path: Path, name: str, make: Callable[[], Image.Image], expected: str
) -> None:
    path = tmp_path / name
    make().save(path)
    with pytest.raises(ImageError) as error:
        load_photo(path)
    assert str(error.value).startswith(f"{path}: no text found: the photo is {expected}")


def test_animated_noise_is_no_text(tmp_path: Path) -> None:
    """The first frame is read (test_animated_gif_uses_first_frame): static fails."""
    path = tmp_path / "static.gif"
    _noise().save(path, save_all=True, append_images=[_photo(800, 600)])
    with pytest.raises(ImageError, match="random noise"):
        load_photo(path)


def test_every_sample_has_detail() -> None:
    """The nothing-in-it check keeps far from real card photos, whatever their mode."""
    for photo in sorted(SAMPLES.glob("*.jpg")):
        with Image.open(photo) as img:
            gray = np.asarray(img.convert("L"))
        pixels = np.repeat(gray[:, :, None], 3, axis=2)
        _check_detail(photo.name, pixels)  # raises ImageError if it would be refused
        # Half the contrast, twice the noise: still a card photo.
        rng = np.random.default_rng(1)
        faint = gray // 2 + 64 + rng.normal(0, 8, gray.shape)
        faint_rgb = np.repeat(np.clip(faint, 0, 255).astype(np.uint8)[:, :, None], 3, axis=2)
        _check_detail(photo.name, faint_rgb)
        # Badly underexposed: the whole photo within 28 grey levels (cleanup's light
        # evening can still read such a card, so it must not be refused here).
        dim = np.repeat((gray.astype(np.float32) * 28 / 255).astype(np.uint8)[:, :, None], 3, 2)
        _check_detail(photo.name, dim)


def _declared_huge_png() -> bytes:
    """A valid PNG header that declares 50,000 x 50,000 px (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = (50_000).to_bytes(4, "big") * 2  # IHDR width and height
    import zlib

    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("empty.jpg", b"", "file is empty"),
        ("notes.jpg", b"just some text, not an image\n", "not an image"),
        ("doc.pdf", b"%PDF-1.7\n%...", "is a PDF"),
        ("bomb.png", _declared_huge_png(), "decompression bomb"),
    ],
)
def test_bad_input_is_one_clear_error(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImageError) as error:
        load_photo(path)
    assert expected in str(error.value)
    assert str(path) in str(error.value)


def test_truncated_jpeg(tmp_path: Path) -> None:
    full = io.BytesIO()
    _photo().save(full, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(full.getvalue()[:600])
    with pytest.raises(ImageError, match="corrupt or truncated"):
        load_photo(path)


def test_tiny_image(tmp_path: Path) -> None:
    path = tmp_path / "tiny.png"
    Image.new("RGB", (8, 8), "white").save(path)
    with pytest.raises(ImageError, match="too small"):
        load_photo(path)


def test_a_strip_too_thin_once_scaled_is_one_clear_error(tmp_path: Path) -> None:
    # 80 x 20000 px passes the size check (64 px a side at least), and scaled to
    # max_side (1500) it is 6 px wide: nothing a card could be read from (it once gave a
    # NumPy warning and no error).
    path = tmp_path / "strip.png"
    Image.new("RGB", (80, 20000), "white").save(path)
    with pytest.raises(ImageError, match=r"strip\.png: image is 6x1500 px once scaled down, too"):
        load_photo(path, LoadLimits(max_side=1500))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="no such file"):
        load_photo(tmp_path / "nope.jpg")
