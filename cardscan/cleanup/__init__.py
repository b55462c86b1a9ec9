"""Cleanup stage: photo -> flat, evenly lit, upright-ready grayscale card at OCR scale."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cardscan.cleanup.detect import Quad, find_card, warp
from cardscan.cleanup.light import (
    even_light,
    invert_dark_regions,
    is_dark_background,
    rescale,
    to_gray,
)
from cardscan.cleanup.textblock import find_text_block


@dataclass(frozen=True)
class CleanupParams:
    detect_card: bool = True
    # Look for several cards in the photo (cardscan.cleanup.cards.cards_in) and read each
    # as a card of its own; only with detect_card.
    several_cards: bool = True
    text_fallback: bool = True  # no outline found: crop to the block of print instead
    min_card_score: float = 0.35
    invert_dark: bool = True
    invert_regions: bool = True  # light print on dark bands/panels of a light card
    even_light: bool = True
    target_text_px: float = 34.0
    max_side: int = 4200


@dataclass
class CleanedCard:
    image: np.ndarray  # grayscale uint8, dark text on light paper
    card: np.ndarray  # colour crop of the card (warped), for review pages and PHOTO exports
    quad: Quad | None  # where the card (or its print, method "text") is; None: whole photo
    inverted: bool
    scale: float


def cleanup(rgb: np.ndarray, params: CleanupParams = CleanupParams()) -> CleanedCard:
    quad = find_card(rgb, params.min_card_score) if params.detect_card else None
    if quad is None and params.detect_card and params.text_fallback:
        quad = find_text_block(rgb)
    card = warp(rgb, quad) if quad is not None else rgb
    gray = to_gray(card)
    inverted = params.invert_dark and is_dark_background(gray)
    if inverted:
        gray = cv2.bitwise_not(gray)
    if params.invert_regions:
        gray = invert_dark_regions(gray)
    if params.even_light:
        gray = even_light(gray)
    gray, scale = rescale(gray, params.target_text_px, params.max_side)
    return CleanedCard(gray, card, quad, inverted, scale)


def rotate(image: np.ndarray, degrees_clockwise: int) -> np.ndarray:
    turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    code = turns.get(degrees_clockwise % 360)
    return image if code is None else cv2.rotate(image, code)


__all__ = ["CleanedCard", "CleanupParams", "Quad", "cleanup", "rotate"]
