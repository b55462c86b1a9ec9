"""The review crop: the straightened card, upright, small enough for a page.

Made in the worker right after reading (the colour crop is still in memory there, and
a worker may be on another machine): the card as cleanup warped it, turned as OCR read
it, scaled to at most CROP_SIDE px on its long side and encoded as JPEG (some 50-150 KB).
The evidence boxes, found in the OCR image (grayscale, rescaled for OCR, turned), are
mapped into the crop's pixels, so the page can outline them without knowing any of this.
"""

from __future__ import annotations

import cv2
import numpy as np

from cardscan.cleanup import rotate
from cardscan.model import Box

CROP_SIDE = 1000
JPEG_QUALITY = 82


def review_crop(
    card: np.ndarray,
    ocr_shape: tuple[int, ...],
    rotation: int,
    evidence: dict[str, list[Box]],
) -> tuple[bytes | None, dict[str, list[Box]]]:
    """(JPEG bytes, evidence in the JPEG's pixels) for the colour card `card` (RGB).

    `ocr_shape` is the shape of the image OCR was given before it was turned by
    `rotation` degrees clockwise (cleanup's grayscale image). Never raises: a crop that
    cannot be made is None (the page then shows the photo link only).
    """
    try:
        upright = rotate(card, rotation)
        height, width = upright.shape[:2]
        factor = min(1.0, CROP_SIDE / max(height, width))
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        small = cv2.resize(upright, size, interpolation=cv2.INTER_AREA) if factor < 1 else upright
        if small.ndim == 2:
            small = cv2.cvtColor(small, cv2.COLOR_GRAY2RGB)
        ok, encoded = cv2.imencode(
            ".jpg",
            cv2.cvtColor(np.ascontiguousarray(small), cv2.COLOR_RGB2BGR),
            [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY],
        )
        if not ok:
            return None, {}
    except (cv2.error, ValueError):
        return None, {}
    ocr_h, ocr_w = ocr_shape[:2]
    if rotation % 180 == 90:
        ocr_h, ocr_w = ocr_w, ocr_h
    fx, fy = size[0] / max(1, ocr_w), size[1] / max(1, ocr_h)
    mapped = {key: [_scaled(box, fx, fy, size) for box in boxes] for key, boxes in evidence.items()}
    return encoded.tobytes(), mapped


def _scaled(box: Box, fx: float, fy: float, size: tuple[int, int]) -> Box:
    left = min(size[0], max(0, round(box.left * fx)))
    top = min(size[1], max(0, round(box.top * fy)))
    right = min(size[0], max(left, round(box.right * fx)))
    bottom = min(size[1], max(top, round(box.bottom * fy)))
    return Box(left, top, right - left, bottom - top)
