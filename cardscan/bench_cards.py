"""Scoring card detection on photos of several cards: found, missed and invented cards.

A found quad matches a truth quad when the two polygons overlap by IoU >= 0.5 (the usual
detection threshold: a quad half off is a card found but badly cut, which the figures of
the reading then show). Matching is one-to-one and greedy by IoU, highest first: two
quads on one card count one found and one invented, never two found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

MATCH_IOU = 0.5


@dataclass(frozen=True)
class DetectionScore:
    """Counts for one photo (or, added up, for many)."""

    truth: int = 0  # cards in the truth
    found: int = 0  # truth cards matched by a found quad
    invented: int = 0  # found quads matching no truth card

    @property
    def missed(self) -> int:
        return self.truth - self.found

    def __add__(self, other: DetectionScore) -> DetectionScore:
        return DetectionScore(
            self.truth + other.truth, self.found + other.found, self.invented + other.invented
        )


def polygon_iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two quads (each 4 x 2), taken as their convex hulls."""
    hull_a = cv2.convexHull(np.asarray(a, np.float32).reshape(-1, 1, 2))
    hull_b = cv2.convexHull(np.asarray(b, np.float32).reshape(-1, 1, 2))
    area_a, area_b = cv2.contourArea(hull_a), cv2.contourArea(hull_b)
    if area_a <= 0 or area_b <= 0:
        return 0.0
    inter, _ = cv2.intersectConvexConvex(hull_a, hull_b)
    inter = max(0.0, float(inter))
    return inter / (area_a + area_b - inter)


def match_quads(
    found: Sequence[np.ndarray], truth: Sequence[np.ndarray], threshold: float = MATCH_IOU
) -> DetectionScore:
    """Match found quads to truth quads one-to-one, greedily by IoU (highest first)."""
    pairs = sorted(
        ((polygon_iou(f, t), i, j) for i, f in enumerate(found) for j, t in enumerate(truth)),
        reverse=True,
    )
    used_found: set[int] = set()
    used_truth: set[int] = set()
    for iou, i, j in pairs:
        if iou < threshold:
            break
        if i in used_found or j in used_truth:
            continue
        used_found.add(i)
        used_truth.add(j)
    return DetectionScore(len(truth), len(used_truth), len(found) - len(used_found))
