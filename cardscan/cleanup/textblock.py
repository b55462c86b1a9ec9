"""Fallback when no card outline is found: crop to the block of text, squared up.

A black card on a black table, or a card filling the frame, has no visible outline, but
its print still stands out from its surroundings. Strokes are found with top-hat and
black-hat filters (light and dark print alike), merged into one block, and the block's
tightest rotated rectangle, with a margin, is warped upright. Perspective is not
corrected (there are no corners to go by), but the in-plane turn and the clutter around
the card are gone, which is what Tesseract minds most.
"""

from __future__ import annotations

import cv2
import numpy as np

from cardscan.cleanup.detect import Quad, order_corners

WORK_SIDE = 900
MARGIN = 0.08  # of the block's size, on each side: keeps letters clipped by the fit
MAX_SHARE = 0.6  # a block larger than this share of the photo is not one card's print


def find_text_block(rgb: np.ndarray) -> Quad | None:
    height, width = rgb.shape[:2]
    scale = WORK_SIDE / max(height, width)
    small = cv2.resize(
        rgb, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
    )
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15))
    strokes = np.maximum(
        cv2.morphologyEx(gray, cv2.MORPH_TOPHAT, kernel),
        cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, kernel),
    )
    _, mask = cv2.threshold(strokes, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if float(strokes.max()) < 25:
        return None  # no contrast anywhere: nothing that looks like print
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    # Letters -> words -> lines -> the block: a closing about three letter-gaps wide.
    merged = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (25, 25)))
    count, labels = cv2.connectedComponents(merged, connectivity=8)
    if count < 2:
        return None
    # The block holding the most stroke pixels is the card's print.
    best, best_ink = 0, 0
    for label in range(1, count):
        ink = int(np.count_nonzero(mask[labels == label]))
        if ink > best_ink:
            best, best_ink = label, ink
    points = cv2.findNonZero(((labels == best) & (mask > 0)).astype(np.uint8))
    if points is None or len(points) < 50:
        return None
    (cx, cy), (w, h), angle = cv2.minAreaRect(points)
    if w * h > MAX_SHARE * small.shape[0] * small.shape[1] or min(w, h) < 10:
        return None
    grown = ((cx, cy), (w * (1 + 2 * MARGIN) + 10, h * (1 + 2 * MARGIN) + 10), angle)
    corners = order_corners(cv2.boxPoints(grown).astype(np.float32))
    return Quad(corners / scale, 0.0, "text")
