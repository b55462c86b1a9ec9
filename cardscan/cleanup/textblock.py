"""Fallback when no card outline is found: crop to the block of text, squared up.

A black card on a black table, or a card filling the frame, has no visible outline, but
its print still stands out from its surroundings. Strokes are found with top-hat and
black-hat filters (light and dark print alike) and merged into blocks; every block with a
share of the ink (a card's name, logo and contact lines are often blocks apart) is kept,
and their tightest rotated rectangle, with a margin, is warped upright. Print covering
most of the photo means the card fills the frame: the whole photo is read. Perspective is not
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
SHARE_OF_BEST = 0.05  # a block with this share of the inkiest block's ink is print too
MIN_INK = 50  # stroke pixels (at WORK_SIDE) below which a block is a speck


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
    # Every block of print with a share of the ink: a card's name, its logo and its
    # contact lines are often blocks apart (SHARE_OF_BEST), and taking the inkiest alone
    # cut the rest away. Specks and a stray word of clutter stay out.
    inks = np.bincount(labels[mask > 0].ravel(), minlength=count)
    inks[0] = 0
    keep = inks >= max(MIN_INK, SHARE_OF_BEST * int(inks.max()))
    block = keep[labels]
    points = cv2.findNonZero((block & (mask > 0)).astype(np.uint8))
    if points is None or len(points) < 50:
        return None
    pts = points.reshape(-1, 2).astype(np.float32)
    theta = _text_direction(mask, block)
    along = np.array([np.cos(theta), np.sin(theta)], np.float32)
    across = np.array([-along[1], along[0]], np.float32)
    u, v = pts @ along, pts @ across
    u0, u1, v0, v1 = float(u.min()), float(u.max()), float(v.min()), float(v.max())
    w, h = u1 - u0, v1 - v0
    if w * h > MAX_SHARE * small.shape[0] * small.shape[1] or min(w, h) < 10:
        return None
    pad_u, pad_v = MARGIN * w + 5, MARGIN * h + 5
    corners = [
        along * uu + across * vv
        for uu, vv in (
            (u0 - pad_u, v0 - pad_v),
            (u1 + pad_u, v0 - pad_v),
            (u1 + pad_u, v1 + pad_v),
            (u0 - pad_u, v1 + pad_v),
        )
    ]
    return Quad(order_corners(np.array(corners, np.float32)) / scale, 0.0, "text")


def _text_direction(mask: np.ndarray, block: np.ndarray) -> float:
    """The angle (radians) of the text lines: the commonest long axis of word blobs.

    A centred layout makes the block's outline a poor guide to its slant, but every word
    is a blob longer than it is tall, lying along the line.
    """
    words = cv2.bitwise_and(
        cv2.dilate(mask, np.ones((5, 5), np.uint8)), block.astype(np.uint8) * 255
    )
    count, labels, stats, _ = cv2.connectedComponentsWithStats(words, connectivity=8)
    votes = np.zeros(180)
    for label in range(1, count):
        if stats[label, cv2.CC_STAT_AREA] < 30:
            continue
        blob = cv2.findNonZero((labels == label).astype(np.uint8))
        (_, _), (bw, bh), angle = cv2.minAreaRect(blob)
        long_side, short_side = max(bw, bh), min(bw, bh)
        if short_side == 0 or long_side < 2.5 * short_side:
            continue
        axis = angle if bw >= bh else angle + 90  # degrees of the long side
        votes[round(axis) % 180] += long_side
    if not votes.any():
        return 0.0
    smoothed = np.convolve(np.concatenate([votes[-3:], votes, votes[:3]]), np.ones(7), "valid")
    degrees = int(np.argmax(smoothed))
    # Lines closer to vertical than horizontal are sideways text: the orientation step
    # turns them by 90; here we only square them up.
    return float(np.deg2rad(degrees if degrees < 90 else degrees - 180))
