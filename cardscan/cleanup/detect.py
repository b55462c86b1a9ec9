"""Find the card in a photo and warp it flat.

A card photographed on a table is a bright (or dark, or coloured) convex quadrilateral
that differs from its surroundings. We look for it in several independent ways, because
each fails on some photos: edges (Canny) fail on busy wood grain, colour distance from the
photo's border fails when the card and table share a colour, brightness thresholds fail on
dark cards. Every way proposes quadrilaterals; the best-scoring one wins. When none is
convincing the caller falls back to the whole photo.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_SIDE = 900  # detection runs on a small copy: fast, and wood grain blurs away
MIN_AREA = 0.08  # a card smaller than this share of the photo is not "the card"
MAX_AREA = 0.97  # a quad this big is the photo's own frame
CARD_ASPECTS = (1.0, 2.3)  # long/short side of real cards, loosened for perspective


@dataclass(frozen=True)
class Quad:
    points: np.ndarray  # 4 x 2 float32, in full-resolution pixel coordinates, TL TR BR BL
    score: float
    method: str


def find_card(rgb: np.ndarray, min_score: float = 0.35) -> Quad | None:
    height, width = rgb.shape[:2]
    scale = WORK_SIDE / max(height, width)
    small = cv2.resize(rgb, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    candidates: list[Quad] = []
    for method, mask in _masks(small):
        candidates.extend(_quads_from_mask(mask, method))
    if not candidates:
        return None
    best = max(candidates, key=lambda q: q.score)
    if best.score < min_score:
        return None
    return Quad(best.points / scale, best.score, best.method)


def _masks(small: np.ndarray) -> list[tuple[str, np.ndarray]]:
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    blurred = cv2.GaussianBlur(gray, (5, 5), 0)
    masks: list[tuple[str, np.ndarray]] = []

    # 1. Edges, closed into outlines.
    median = float(np.median(blurred))
    edges = cv2.Canny(blurred, int(max(0, 0.66 * median)), int(min(255, 1.33 * median)))
    edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8), iterations=2)
    masks.append(("edges", _fill_holes(edges)))

    # 2. Colour distance from the photo's border (the table), in Lab.
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (9, 9), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    border = np.concatenate(
        [lab[:8].reshape(-1, 3), lab[-8:].reshape(-1, 3), lab[:, :8].reshape(-1, 3), lab[:, -8:].reshape(-1, 3)]
    )
    distance = np.linalg.norm(lab - np.median(border, axis=0), axis=2)
    distance = cv2.normalize(distance, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    _, colour = cv2.threshold(distance, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(("colour", _clean(colour)))

    # 3. Brightness, both ways round (light card on dark table and the reverse).
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(("bright", _clean(bright)))
    masks.append(("dark", _clean(cv2.bitwise_not(bright))))
    return masks


def _clean(mask: np.ndarray) -> np.ndarray:
    """Close the text holes inside a card region and drop specks outside it."""
    kernel = np.ones((9, 9), np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    return _fill_holes(mask)


def _fill_holes(mask: np.ndarray) -> np.ndarray:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(mask)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return filled


def _quads_from_mask(mask: np.ndarray, method: str) -> list[Quad]:
    image_area = float(mask.shape[0] * mask.shape[1])
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    quads = []
    for contour in contours:
        area = cv2.contourArea(contour)
        if not MIN_AREA * image_area <= area <= MAX_AREA * image_area:
            continue
        hull = cv2.convexHull(contour)
        points = _four_corners(hull)
        quad_area = cv2.contourArea(points.astype(np.float32))
        if quad_area <= 0 or not cv2.isContourConvex(points.astype(np.int32)):
            continue
        fill = min(area / quad_area, quad_area / area)  # how rectangular the region is
        share = quad_area / image_area
        if share > MAX_AREA:
            continue
        aspect = _aspect(points)
        aspect_ok = 1.0 if CARD_ASPECTS[0] <= aspect <= CARD_ASPECTS[1] else 0.5
        touches = _touches_border(points, mask.shape)
        score = fill * aspect_ok * (0.6 + 0.4 * min(1.0, share / 0.4)) * (0.6 if touches else 1.0)
        quads.append(Quad(order_corners(points), float(score), method))
    return quads


def _four_corners(hull: np.ndarray) -> np.ndarray:
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    # Rounded or occluded corners: the tightest rotated rectangle.
    return cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)


def order_corners(points: np.ndarray) -> np.ndarray:
    """Order 4 points as top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float32)
    sums = pts.sum(axis=1)
    diffs = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(sums)], pts[np.argmin(diffs)], pts[np.argmax(sums)], pts[np.argmax(diffs)]],
        dtype=np.float32,
    )


def _aspect(points: np.ndarray) -> float:
    tl, tr, br, bl = order_corners(points)
    w = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    h = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    short = min(w, h)
    return float(max(w, h) / short) if short > 0 else 99.0


def _touches_border(points: np.ndarray, shape: tuple[int, ...]) -> bool:
    height, width = shape[:2]
    margin = 3
    xs, ys = points[:, 0], points[:, 1]
    return bool(
        (xs <= margin).sum() + (xs >= width - 1 - margin).sum()
        + (ys <= margin).sum() + (ys >= height - 1 - margin).sum() >= 2
    )


def warp(rgb: np.ndarray, quad: Quad) -> np.ndarray:
    """Perspective-correct the quad into an upright rectangle at full resolution."""
    tl, tr, br, bl = quad.points
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(quad.points.astype(np.float32), target)
    return cv2.warpPerspective(rgb, matrix, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
