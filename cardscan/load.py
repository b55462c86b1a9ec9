"""Load a photo: bytes -> upright RGB pixels, with input limits.

Decoding goes by content (Pillow sniffs the bytes), never by the file's extension, so a
PNG named .jpg or an iPhone HEIC named .jpg reads like any other. Everything that can go
wrong with one file becomes an ImageError naming the file and the fix, which fails that
card only.
"""

from __future__ import annotations

import errno
import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from cardscan.decode_cost import DECODE_BUDGET, decode_bytes
from cardscan.errors import ImageError

pillow_heif.register_heif_opener()

# Pillow's own bomb check warns at ~89 MP; we check the declared size ourselves before
# decoding, so a file declaring 50,000 x 50,000 px is refused without allocating it.
Image.MAX_IMAGE_PIXELS = None

# The only formats ever opened: those the README lists. Pillow knows some forty more,
# and opening any file it recognises would hand an EPS or PostScript file named .jpg to
# Ghostscript (which runs it as a program), and PSD, ICO, PCX, FITS... to decoders that
# nothing here needs. MPO, what many phones' JPEGs are (a JPEG with a preview image), is
# opened by Pillow's JPEG opener, so "JPEG" lets it in (its format then says "MPO").
ALLOWED_FORMATS = ("JPEG", "PNG", "TIFF", "WEBP", "BMP", "HEIF", "GIF")
FORMATS_HINT = "use a JPEG, PNG, TIFF, WebP, BMP, HEIC/HEIF or GIF photo"


@dataclass(frozen=True)
class LoadLimits:
    max_file_bytes: int = 200 * 1024 * 1024
    max_pixels: int = 120_000_000  # declared size; a 48 MP phone photo is 48,000,000
    min_side: int = 64  # smaller cannot hold a readable card
    max_side: int = 3000  # downscale early: bounded memory, and Tesseract gains nothing above
    max_decode_bytes: int = DECODE_BUDGET  # see cardscan.decode_cost


@dataclass
class LoadedPhoto:
    pixels: np.ndarray  # H x W x 3, uint8, RGB, upright per EXIF
    card_id: str  # sha256 of the file's bytes
    original_size: tuple[int, int]  # (width, height) before downscaling, after EXIF turn
    format: str  # what the content is (JPEG, PNG, HEIF...), not what the name says
    taken_on: date | None = None  # the day the photo was taken, from its EXIF (photo_date)


def card_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, limits: LoadLimits = LoadLimits()) -> bytes:
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise ImageError(
                f"{path}: file is {size // (1024 * 1024)} MB, over the "
                f"{limits.max_file_bytes // (1024 * 1024)} MB limit",
                "use a smaller photo",
            )
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise ImageError(f"{path}: is a folder, not a photo") from exc
    except FileNotFoundError as exc:
        raise ImageError(f"{path}: no such file", "check the path") from exc
    except PermissionError as exc:
        raise ImageError(f"{path}: permission denied", "make the file readable") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ImageError(
                f"{path}: is a symbolic link that loops back on itself",
                "point the link at a photo, or remove it",
            ) from exc
        raise ImageError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not data:
        raise ImageError(f"{path}: file is empty (0 bytes)", "copy the photo again")
    return data


def load_photo(path: Path, limits: LoadLimits = LoadLimits()) -> LoadedPhoto:
    data = read_bytes(path, limits)
    return decode_photo(data, str(path), limits)


def decode_photo(
    data: bytes, name: str, limits: LoadLimits = LoadLimits(), *, card_id: str | None = None
) -> LoadedPhoto:
    """Decode image bytes. Raises ImageError (only) on anything unusable.

    card_id: the bytes' sha256 when the caller took it already (hashing a 12 MP photo
    again costs time for nothing); else it is taken here.
    """
    if data[:5] == b"%PDF-":
        raise ImageError(
            f"{name}: is a PDF, not a photo", "export the page as a JPEG or PNG and scan that"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's EXIF/ICC chatter is not the user's problem
            img = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            fmt = img.format or "unknown"
            width, height = img.size
            _check_size(name, width, height, limits)
            if getattr(img, "n_frames", 1) > 1:
                img.seek(0)  # animated GIF/WebP, multi-page TIFF: the first frame
            if fmt in ("JPEG", "MPO"):  # MPO: the JPEG of many phones, with a preview
                # Let libjpeg decode at a reduced scale: much faster and less memory.
                scale = max(width, height) / limits.max_side
                if scale >= 2:
                    img.draft("RGB", (int(width / scale), int(height / scale)))
            _check_decode_memory(name, img, fmt, (width, height), len(data), limits)
            # Only now: a PNG whose EXIF follows its pixels is decoded to read it.
            turned = img.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # EXIF says sideways
            original_size = (height, width) if turned else (width, height)
            small, taken_on = _decoded_small(img, fmt, data, limits.max_side)
            del img  # the full-size photo: nothing below needs it
            upright: Image.Image = ImageOps.exif_transpose(small) or small
            rgb = _shrink(_to_rgb(upright), limits.max_side)
            pixels = np.array(rgb, dtype=np.uint8)
    except ImageError:
        raise
    except UnidentifiedImageError as exc:
        raise ImageError(f"{name}: not an image cardscan can read", FORMATS_HINT) from exc
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError) as exc:
        # Truncated or corrupt data: Pillow raises any of these depending on the codec.
        raise ImageError(
            f"{name}: image data is corrupt or truncated ({_short(exc)})",
            "copy the photo again from the phone",
        ) from exc
    except MemoryError as exc:
        raise ImageError(f"{name}: image too large to decode", "use a smaller photo") from exc
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ImageError(f"{name}: unexpected pixel layout {pixels.shape}", FORMATS_HINT)
    _check_detail(name, pixels)
    return LoadedPhoto(pixels, card_id or card_id_of(data), original_size, fmt, taken_on)


def _check_decode_memory(
    name: str,
    img: Image.Image,
    fmt: str,
    size: tuple[int, int],
    file_bytes: int,
    limits: LoadLimits,
) -> None:
    """Refuse, before decoding, a photo whose decoding would not fit a worker's budget."""
    needed = decode_bytes(img, fmt, size, file_bytes, limits.max_side)
    if needed <= limits.max_decode_bytes:
        return
    mb = 1024 * 1024
    # The size at which this format and mode would fit, for the fix.
    fits = int(limits.max_decode_bytes / needed * size[0] * size[1] / 1_000_000)
    raise ImageError(
        f"{name}: decoding this {size[0]}x{size[1]} px {fmt} ({img.mode}) would take "
        f"about {needed // mb} MB, over the {limits.max_decode_bytes // mb} MB a card may use",
        f"save it as a JPEG, or at most {max(fits, 1)} MP",
    )


def _decoded_small(
    img: Image.Image, fmt: str, data: bytes, max_side: int
) -> tuple[Image.Image, date | None]:
    """The photo decoded and shrunk to `max_side`, and the day it was taken.

    Each mode takes the path that holds the fewest full-size copies at once (the figures
    are in cardscan.decode_cost): the decoded photo is shrunk before it is turned or
    converted, except where a mode cannot be resized as it is.
    """
    if fmt == "HEIF":
        small = _heif_small(data, max_side)
        if small is not None:
            return small, photo_date(img)
    img.load()
    taken_on = photo_date(img)  # a PNG's EXIF may follow its pixels: read after load
    if img.mode == "1":
        img = img.convert("L")  # bilevel scans: resized as grey, not by nearest pixel
    elif img.mode in ("P", "PA"):
        has_alpha = img.mode == "PA" or "transparency" in img.info
        img = img.convert("RGBA" if has_alpha else "RGB")
    return _shrink(img, max_side), taken_on


def _heif_small(data: bytes, max_side: int) -> Image.Image | None:
    """A HEIC/HEIF photo decoded by libheif and shrunk straight from libheif's buffer.

    Through Pillow a 48 MP HEIC took 336 MB (libheif's RGB buffer, then Pillow's copy at
    4 bytes a pixel); shrinking the buffer itself takes 220 MB. libheif has already
    turned the image upright (pillow_heif resets the EXIF orientation to match), so the
    small image carries no orientation. None for a layout this path does not know
    (Pillow's own path reads it).
    """
    import cv2  # here, not at the top: commands that only read settings import this module

    try:
        heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
        channels = {"L": 1, "RGB": 3, "RGBA": 4}.get(heif.mode)
        if channels is None:
            return None
        width, height = heif.size
        buffer = heif.data
    except RuntimeError as exc:
        # libheif refuses damaged data with a RuntimeError (an image inside larger than
        # its header says trips its security limit): corrupt data, as any codec's error.
        raise ValueError(str(exc)) from exc
    rows = np.frombuffer(buffer, dtype=np.uint8).reshape(height, heif.stride)
    full = rows[:, : width * channels].reshape(height, width, channels)
    scale = min(1.0, max_side / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = cv2.resize(full, size, interpolation=cv2.INTER_AREA) if scale < 1 else full.copy()
    mode = heif.mode
    del full, rows, buffer, heif  # libheif's full-size buffer is freed here
    if channels == 1:
        small = small.reshape(size[1], size[0])  # cv2 drops a single channel's axis anyway
    return Image.fromarray(small, mode)


# EXIF tags holding a date, best first: when the shutter fired (DateTimeOriginal), when
# the picture was digitized (DateTimeDigitized; the same on a phone), when the file was
# last changed (DateTime, in the main IFD: an editing app may have moved it).
EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 36867
DATE_TIME_DIGITIZED = 36868
DATE_TIME = 306
# EXIF writes "2026:11:21 19:42:07"; editors also write "2026-11-21T19:42:07" or drop
# the time. Only the date is used: the camera's own local day, which is the meeting's.
_EXIF_DATE = re.compile(r"\s*(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})(?:$|[\sT\x00])")
# Before digital cameras wrote EXIF: a camera whose clock was reset (1970, 1980).
_EARLIEST = date(1990, 1, 1)


def photo_date(img: Image.Image, today: date | None = None) -> date | None:
    """The day a photo was taken, from its EXIF (JPEG, HEIC, PNG, WebP, TIFF), or None.

    DateTimeOriginal, else DateTimeDigitized, else DateTime; a tag that is missing or
    does not hold a usable date (see exif_date) gives way to the next. Never raises: a
    damaged EXIF block only means no date.
    """
    try:
        exif = img.getexif()
        sub = exif.get_ifd(EXIF_IFD)
        candidates = [
            sub.get(DATE_TIME_ORIGINAL),
            exif.get(DATE_TIME_ORIGINAL),  # a few writers put it in the main IFD
            sub.get(DATE_TIME_DIGITIZED),
            exif.get(DATE_TIME_DIGITIZED),
            exif.get(DATE_TIME),
        ]
    except Exception:  # any malformed EXIF: no date, and the photo still reads
        return None
    for value in candidates:
        found = exif_date(value, today)
        if found is not None:
            return found
    return None


def exif_date(value: object, today: date | None = None) -> date | None:
    """The date in an EXIF date-time value ("2026:11:21 19:42:07"), or None.

    Lenient about the separators, a missing time and trailing NULs; None for what is not
    a real day ("0000:00:00 00:00:00", blanks, "2026:02:30"), for a day before 1990 (a
    reset camera clock) and for a day after `today` (default: today; a wrong clock).
    """
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    match = _EXIF_DATE.match(value)
    if match is None:
        return None
    try:
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    if day < _EARLIEST or day > (today or date.today()):
        return None
    return day


def _check_size(name: str, width: int, height: int, limits: LoadLimits) -> None:
    if width * height > limits.max_pixels:
        raise ImageError(
            f"{name}: image declares {width}x{height} px, over the "
            f"{limits.max_pixels // 1_000_000} MP limit (a decompression bomb?)",
            "use an ordinary photo",
        )
    if min(width, height) < limits.min_side:
        raise ImageError(
            f"{name}: image is only {width}x{height} px, too small to read a card",
            f"use a photo at least {limits.min_side} px on each side",
        )


# A photo with nothing in it fails here, as "no text found", before any OCR: a smooth
# tone (a wall, a lens cap, a plain gradient) or random noise (a failed capture, an
# animated GIF of static). OCR would not come back empty on them: cleanup stretches a
# smooth gradient's faint banding into stripes and PP-OCR reads static as hundreds of
# short "words", taking a minute, and the batch would get a row of made-up text. The
# issue wants them failed with a reason; the thresholds sit far from every card photo
# measured (samples/, also as HEIC, CMYK, grayscale and 16-bit):
# - strong edges (grey level changing by 32+ over 3 px; less in a dim photo, below) in
#   at least 1.2% of the sampled pixel pairs of every sample; 0 in a gradient or a dark
#   frame;
# - correlation of neighbouring pixels 0.98 or more in every sample; about 0 in noise.
_MIN_STRONG_EDGES = 0.0001  # fraction of pixel pairs: one word on a bare wall has more
_MIN_NEIGHBOUR_CORRELATION = 0.4
_NO_TEXT_FIX = "photograph the card closer, flat and in even light"
_MEAN_OF_RGB = np.full((1, 3), 1 / 3, dtype=np.float32)


def _check_detail(name: str, pixels: np.ndarray) -> None:
    height, width = pixels.shape[:2]
    if min(height, width) < 8:  # a sliver: a strip 10 x 5000 px scaled down to max_side
        raise ImageError(
            f"{name}: image is {width}x{height} px once scaled down, too thin to read a card",
            "use an ordinary photo of the card",
        )
    # The mean of R, G and B, of every other row (fast, and enough): cv2.transform on
    # float32 gives numpy's mean(axis=2) to 1e-4 grey levels, eight times faster
    # (2026-12-07: 32 → 3.7 ms on a 1800 x 1350 photo). On float32: on 8-bit pixels it
    # would round to whole levels.
    import cv2  # here: cardscan.config imports this module, and light commands skip cv2

    gray = cv2.transform(pixels[::2].astype(np.float32), _MEAN_OF_RGB)
    left, right = gray[:, :-3], gray[:, 3:]
    # "Strong" is relative to the photo's own contrast (a quarter of its tonal range,
    # between 8 and 32 grey levels), so a dim or underexposed photo of a card, whose
    # print differs from the card by only 20 levels, still counts as having text.
    low, high = np.percentile(gray[::4, ::4], [1, 99])
    step = min(32.0, max(8.0, 0.25 * float(high - low)))
    if float((np.abs(right - left) >= step).mean()) < _MIN_STRONG_EDGES:
        raise ImageError(
            f"{name}: no text found: the photo is one smooth tone, with no card in it",
            _NO_TEXT_FIX,
        )
    a, b = gray[:, :-1].ravel(), gray[:, 1:].ravel()
    a, b = a - a.mean(), b - b.mean()
    # Sums of products as dot products: float32 sums, within 1e-3 of the means of
    # products before (measured on the samples and 20 held-out photos), ample for 0.4.
    spread = float(np.sqrt(np.dot(a, a) * np.dot(b, b)))
    if spread > 0 and float(np.dot(a, b)) / spread < _MIN_NEIGHBOUR_CORRELATION:
        raise ImageError(
            f"{name}: no text found: the photo is random noise, with no card in it",
            _NO_TEXT_FIX,
        )


def _shrink(img: Image.Image, max_side: int) -> Image.Image:
    """`img` at most `max_side` px a side (the same image when it is already)."""
    if max(img.size) <= max_side:
        return img
    if img.mode in _TWO_BYTE_MODES:
        # Pillow cannot reduce() 16-bit grey, which thumbnail() does first: resize in one
        # two-pass resampling instead (its intermediate is one row band, small).
        scale = max_side / max(img.size)
        size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
        return img.resize(size, Image.Resampling.LANCZOS)
    img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return img


_TWO_BYTE_MODES = ("I;16", "I;16B", "I;16L", "I;16N")


def _to_rgb(img: Image.Image) -> Image.Image:
    """Any mode (CMYK, 16-bit, palette, alpha, grayscale) -> 8-bit RGB."""
    # Called on the shrunk photo (at most max_side a side), so float32 copies are small.
    if img.mode in (*_TWO_BYTE_MODES, "I"):
        # 16/32-bit grayscale: stretch to 8 bits instead of clipping at 255.
        arr = np.asarray(img, dtype=np.float32)
        lo, hi = float(arr.min()), float(arr.max())
        scaled = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
        img = Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), "L")
    elif img.mode == "F":
        arr = np.asarray(img, dtype=np.float32)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        # Transparent areas become white, as on paper.
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    return img if img.mode == "RGB" else img.convert("RGB")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
