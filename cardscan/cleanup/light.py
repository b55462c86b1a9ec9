"""Light and scale: make the card look like dark print on even white paper, at a size
Tesseract reads well.

Tesseract binarises with one global threshold, so a lamp's gradient or a shadow across
the card loses whole lines; dividing by an estimate of the background evens the light.
Tesseract also expects dark text on light paper, so light-on-dark cards are inverted.
"""

from __future__ import annotations

import cv2
import numpy as np


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """Grayscale that keeps coloured text visible.

    Plain luminance can map a red word on a blue card to the same grey as the card.
    Of luminance and the three channels we keep the one with the most spread between
    text and background (the Otsu between-class variance).
    """
    channels = [cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), rgb[:, :, 0], rgb[:, :, 1], rgb[:, :, 2]]
    best = channels[0]
    best_score = _separation(best) * 1.15  # prefer luminance unless a channel is clearly better
    for channel in channels[1:]:
        score = _separation(channel)
        if score > best_score:
            best, best_score = channel, score
    return np.ascontiguousarray(best)


def _separation(gray: np.ndarray) -> float:
    small = cv2.resize(gray, (256, max(1, round(256 * gray.shape[0] / gray.shape[1]))))
    threshold, _ = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    low, high = small[small <= threshold], small[small > threshold]
    if low.size == 0 or high.size == 0:
        return 0.0
    w0, w1 = low.size / small.size, high.size / small.size
    return float(w0 * w1 * (float(high.mean()) - float(low.mean())) ** 2)


def is_dark_background(gray: np.ndarray) -> bool:
    """True when most of the card is darker than its text: light print on a dark card."""
    _threshold, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(np.count_nonzero(binary)) / binary.size < 0.45


def invert_dark_regions(gray: np.ndarray) -> np.ndarray:
    """Invert dark panels and bands that carry light print on an otherwise light card.

    Many designs put the company name or the contact details on a coloured band. One
    global threshold in Tesseract then loses one of the two: dark-on-light or
    light-on-dark. The local paper tone (a median over a window several letters wide,
    which ignores the thin strokes of print) separates the panels from the rest; only
    large regions whose print is lighter than they are get turned, so a dark logo, a
    photo or a shadow across dark print is left as it is.
    """
    height, width = gray.shape[:2]
    factor = 600 / max(height, width)
    small = cv2.resize(gray, (max(1, round(width * factor)), max(1, round(height * factor))))
    k = max(5, (max(small.shape) // 14) | 1)
    tone = cv2.medianBlur(small, k)
    _, dark = cv2.threshold(tone, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    light_part, dark_part = tone[dark == 0], tone[dark > 0]
    if light_part.size == 0 or dark_part.size == 0:
        return gray
    if float(light_part.mean()) - float(dark_part.mean()) < 60:
        return gray  # no panel clearly darker than the card
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=4)
    keep = np.zeros_like(dark)
    contrast = small.astype(np.int16) - tone.astype(np.int16)
    for i in range(1, count):
        if stats[i, cv2.CC_STAT_AREA] < 0.03 * dark.size:
            continue
        inside = contrast[labels == i]
        # A panel's print is lighter than the panel; in a shadow the print stays darker
        # than its surroundings, and such a region must not be turned.
        if np.count_nonzero(inside > 30) > np.count_nonzero(inside < -30):
            keep[labels == i] = 255
    share = float(np.count_nonzero(keep)) / keep.size
    if not 0.03 <= share <= 0.6:
        return gray  # nothing large, or mostly dark (the whole-card inversion's job)
    mask = cv2.resize(keep, (width, height), interpolation=cv2.INTER_NEAREST) > 0
    out = gray.copy()
    out[mask] = 255 - out[mask]
    return out


MAX_STRETCH = 3.0


def even_light(gray: np.ndarray) -> np.ndarray:
    """Divide by the background (text removed by a closing) so the paper is uniformly white."""
    side = max(gray.shape)
    k = max(15, (side // 25) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (k, k), 0)
    flat = cv2.divide(gray, background, scale=255)
    # Stretch so the darkest print is black: faint text under glare regains contrast.
    # At most MAX_STRETCH times: a card with (almost) no print, such as a blank back,
    # would otherwise have its paper grain blown up into specks that OCR reads as text.
    low = float(np.percentile(flat, 1))
    if low < 250:
        gain = min(255.0 / (255.0 - low), MAX_STRETCH)
        flat = np.clip(255.0 - (255.0 - flat.astype(np.float32)) * gain, 0, 255)
    return flat.astype(np.uint8)


# The share of a card's area above which "ink" is paper grain or a dark area, not print.
MAX_INK = 0.25


def text_height(gray: np.ndarray) -> float | None:
    """Median height in px of character-like blobs, or None when there are too few.

    Used to pick the scale: Tesseract's LSTM reads best with capitals around 30-40 px,
    and both tiny print and huge close-ups lose letters.

    Print covers a few percent of a card. When the dark side of the threshold is over
    MAX_INK of the image, it split the paper's own grain, not print from paper (a blank
    card, such as the back of one): its specks would pass for tiny letters and blow the
    image up for nothing, so there is no text height to go by.
    """
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if np.count_nonzero(binary) > MAX_INK * binary.size:
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    heights = []
    max_h = gray.shape[0] * 0.3
    for i in range(1, count):
        w, h, area = (
            stats[i, cv2.CC_STAT_WIDTH],
            stats[i, cv2.CC_STAT_HEIGHT],
            stats[i, cv2.CC_STAT_AREA],
        )
        if not 6 <= h <= max_h or w > 3 * h or w < 2:
            continue
        if area < 0.1 * w * h:  # lines and frames, not letters
            continue
        heights.append(h)
    if len(heights) < 8:
        return None
    return float(np.median(heights))


def rescale(gray: np.ndarray, target_text_px: float, max_side: int) -> tuple[np.ndarray, float]:
    measured = text_height(gray)
    if measured is None:
        # No measurable text: bring the long side to a typical card scan width.
        factor = 2000 / max(gray.shape)
    else:
        factor = target_text_px / measured
    factor = float(np.clip(factor, 0.4, 4.0))
    factor = min(factor, max_side / max(gray.shape))
    if abs(factor - 1.0) < 0.08:
        return gray, 1.0
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    size = (max(1, round(gray.shape[1] * factor)), max(1, round(gray.shape[0] * factor)))
    return cv2.resize(gray, size, interpolation=interpolation), factor
