"""What decoding a photo will cost in memory, known from its header before any pixel is.

A card is read in a worker that budgets about 500 MB (cardscan.executors.process.WORKER_MB). Pillow
can shrink only JPEGs while decoding them (libjpeg's 1/2, 1/4 and 1/8 scales); every
other format is decoded whole first, so a small file can declare a size that takes
gigabytes to hold: a 260 KB 16-bit PNG of 119 MP took 2.9 GB before this check (now
300 MB), a 48 MP WebP takes 770 MB. The loader asks decode_bytes() before decoding and
refuses the photo, with the reason, when the answer is over DECODE_BUDGET.

The estimate: the full-size image as Pillow stores it (1, 2 or 4 bytes a pixel by mode),
what the codec holds beside it, the copy a mode needs before it can be shrunk, and the
resizing pass. Every figure was measured (peak resident memory of a fresh process over
its baseline, /proc/self/status VmHWM, 2026-12-06, Pillow 13, pillow-heif 1.9); the
estimate was above the measured peak for each of 25 format/mode cases at 48 MP.

The worst accepted case of each format, whole decode_photo() peak (the small photo's
later steps included), MiB:

    JPEG baseline, 120 MP (any size: reduced while decoded)   140
    JPEG progressive 4:2:0, 64 MP                              248
    HEIC 54 MP (a phone's 48 MP HEIC, 48.8 MP, 17 MB: 273)     282
    PNG RGB 58 MP / palette 50 MP / RGBA 32 MP                 325 / 333 / 331
    PNG 16-bit grey 120 MP / 8-bit grey 120 MP                 298 / 164
    TIFF RGB 57 MP, BMP RGB 57 MP, GIF 50 MP                   321, 317, 333
    WebP 18 MP                                                 282

An ordinary 12 MP phone photo takes about 140 (JPEG) or 190 (HEIC), most of it the
small photo's later steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

# The decoding peak a photo may have. Set by the largest photo a phone writes in a
# format that cannot be reduced while decoding: a 48-50 MP HEIC ("HEIF Max" on an
# iPhone, 50 MP on Android) takes up to 330 MB, and refusing it would fail every photo of
# such a phone. Decoding comes before the OCR models' peak, not on top of it.
DECODE_BUDGET = 350 * 1024 * 1024

# Bytes Pillow stores per pixel: one byte for bilevel, grey and palette images, two for
# 16-bit grey, four for every other mode (RGB is stored as RGBX).
_ONE_BYTE = frozenset({"1", "L", "P"})
_TWO_BYTES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})
# Modes made into another before they are shrunk (cardscan.load._decoded_small), at
# four bytes a pixel: a palette becomes RGB or RGBA, bilevel becomes grey (one byte);
# alpha is premultiplied by Pillow's resize, one more copy.
_CONVERTED = {"1": 1, "P": 4, "PA": 4 + 4, "LA": 4, "RGBA": 4, "La": 4, "RGBa": 4}
# libheif holds the decoded picture's planes, its RGB buffer and copies of the file at
# once (measured: 5.5-5.7 bytes a pixel and about three times the file).
_HEIF_BYTES_PER_PIXEL = 5.8
_HEIF_FILE_COPIES = 3
# Pillow's WebP decoder keeps libwebp's canvas and a copy of the frame beside the image.
_WEBP_EXTRA_PER_PIXEL = 11
# Allocator slack. (Pillow's decoders read the file in small pieces: no copy of it.)
_SLACK = 16_000_000


def stored_bytes_per_pixel(mode: str) -> int:
    if mode in _ONE_BYTE:
        return 1
    if mode in _TWO_BYTES:
        return 2
    return 4


def decode_bytes(
    img: Image.Image, fmt: str, full_size: tuple[int, int], file_bytes: int, max_side: int
) -> int:
    """Peak bytes to decode `img` (opened, not loaded; a JPEG already drafted) and shrink
    it to `max_side`.

    `full_size` is the size the file declares; img.size is what will be decoded (smaller
    after a JPEG draft). The small photo's later steps (turning, RGB, the pixel array)
    come after the full-size buffers are freed and are not counted.
    """
    width, height = img.size
    pixels = width * height
    full_pixels = full_size[0] * full_size[1]
    if fmt == "HEIF":
        return int(full_pixels * _HEIF_BYTES_PER_PIXEL) + _HEIF_FILE_COPIES * file_bytes
    mode = img.mode
    if mode == "P" and "transparency" in img.info:
        mode = "PA"  # becomes RGBA, then premultiplied
    stored = stored_bytes_per_pixel(mode)
    working = 4 if mode in _CONVERTED and mode != "1" else stored  # what is resized
    scale = min(1.0, max_side / max(width, height))
    total = pixels * (stored + _CONVERTED.get(mode, 0))
    # Resizing goes across first, into a band as tall as the photo and as wide as the
    # result; the result itself is alive at the end.
    total += int(pixels * (scale + scale * scale) * working)
    if fmt in ("JPEG", "MPO") and _progressive(img):
        # A progressive JPEG keeps every DCT coefficient of the whole image (2 bytes
        # each) until its last scan, whatever scale it is drafted to.
        total += int(full_pixels * 2 * _coefficients_per_pixel(img))
    elif fmt == "WEBP":
        total += pixels * _WEBP_EXTRA_PER_PIXEL
    elif fmt == "TIFF" and _tiff_rgba_path(img):
        total += pixels * 4
    return total + _SLACK


def _progressive(img: Image.Image) -> bool:
    return bool(img.info.get("progressive") or img.info.get("progression"))


def _coefficients_per_pixel(img: Image.Image) -> float:
    """DCT coefficients per pixel: 1.5 for 4:2:0 colour, 3 for 4:4:4, 1 for grey."""
    layers = getattr(img, "layer", None) or []
    if not layers:
        return 3.0  # unknown: as if every component were at full resolution
    h_max = max(h for _, h, _, _ in layers) or 1
    v_max = max(v for _, _, v, _ in layers) or 1
    return float(sum(h * v for _, h, v, _ in layers)) / (h_max * v_max)


# TIFFs Pillow hands to libtiff's RGBA reader, which fills a buffer of its own: old-style
# JPEG, and YCbCr pixels not compressed as JPEG.
_COMPRESSION, _PHOTOMETRIC = 259, 262
_OJPEG, _JPEG, _YCBCR = 6, 7, 6


def _tiff_rgba_path(img: Image.Image) -> bool:
    tags = getattr(img, "tag_v2", None)
    if tags is None:
        return False
    compression = tags.get(_COMPRESSION, 1)
    return compression == _OJPEG or (tags.get(_PHOTOMETRIC) == _YCBCR and compression != _JPEG)
