"""Line crops stacked on one clean page, so Tesseract reads many lines in one call.

Each line is scaled to one letter height and set on white with room around it;
Tesseract reads the page as a uniform block (psm 6). Its words are mapped back to the
card by the strip they fall in: Tesseract may merge or split lines, the strips are the
truth. Used by the hybrid engine (every detected line) and the Korean reader (the lines
PP-OCR's recogniser cannot read).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cardscan.model import Box, OcrResult, OcrWord

# Tesseract reads letters best at about 30-40 px cap height; a PP-OCR line box is about
# 1.4x the letter height.
LINE_PX = 48
GAP_PX = 24
MARGIN_PX = 32


@dataclass(frozen=True)
class Strip:
    """Where a line sits on the stacked page and how it maps back to the card."""

    top: int  # on the page
    scale: float  # page pixels per card pixel
    box: Box  # on the card
    height: int = LINE_PX  # on the page


def stack(
    gray: np.ndarray, boxes: list[Box], line_px: int = LINE_PX
) -> tuple[np.ndarray, list[Strip]]:
    """The page holding each box's crop of `gray`, in the order given, each scaled to
    `line_px` high."""
    crops = []
    for box in boxes:
        crop = gray[box.top : box.bottom, box.left : box.right]
        scale = line_px / box.height
        size = (max(1, round(box.width * scale)), line_px)
        interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        crops.append((cv2.resize(crop, size, interpolation=interpolation), scale, box))
    page_w = max(c.shape[1] for c, _, _ in crops) + 2 * MARGIN_PX
    page_h = 2 * MARGIN_PX + len(crops) * (line_px + GAP_PX)
    page = np.full((page_h, page_w), 255, dtype=np.uint8)
    strips = []
    y = MARGIN_PX
    for crop, scale, box in crops:
        page[y : y + line_px, MARGIN_PX : MARGIN_PX + crop.shape[1]] = crop
        strips.append(Strip(y, scale, box, line_px))
        y += line_px + GAP_PX
    return page, strips


def unstack(
    reading: OcrResult, strips: list[Strip], by_left: bool = True
) -> dict[int, list[OcrWord]]:
    """Tesseract's words on the stacked page, back in card coordinates, by the index of
    the strip they fall in: left to right, or (by_left False) in the reading's order."""
    by_strip: dict[int, list[OcrWord]] = {}
    for word in (w for line in reading.lines for w in line.words):
        middle = word.box.top + word.box.height / 2
        for index, strip in enumerate(strips):
            if strip.top - GAP_PX / 2 <= middle < strip.top + strip.height + GAP_PX / 2:
                left = strip.box.left + (word.box.left - MARGIN_PX) / strip.scale
                word_top = strip.box.top + (word.box.top - strip.top) / strip.scale
                placed = Box(
                    max(0, round(left)),
                    max(0, round(word_top)),
                    max(1, round(word.box.width / strip.scale)),
                    max(1, round(word.box.height / strip.scale)),
                )
                by_strip.setdefault(index, []).append(OcrWord(word.text, word.conf, placed))
                break
    if not by_left:
        return by_strip
    return {i: sorted(words, key=lambda w: w.box.left) for i, words in by_strip.items()}
