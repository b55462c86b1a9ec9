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
# Bridged outlines sit a few pixels off the true edge (outside or inside the thickened
# line), so they win only where the plain outline found nothing as good.
METHOD_TRUST = {"edges+": 0.85}
SHARED_SIDE = 0.03  # of the work image's long side: two quads' corners this close meet
DARK_LEVEL = 50  # grey level under which _dark_edges looks
DARK_CANNY = (4, 12)
# A dark part of a card that only the dark edges outline (a black half on a dark table):
# the whole card holds the part found, this many times its area, and is card-shaped.
DARK_REST_AREA = (1.3, 3.5)
DARK_REST_ASPECT = (1.45, 2.1)


@dataclass(frozen=True)
class Quad:
    points: np.ndarray  # 4 x 2 float32, in full-resolution pixel coordinates, TL TR BR BL
    score: float
    method: str


def find_card(rgb: np.ndarray, min_score: float = 0.35) -> Quad | None:
    height, width = rgb.shape[:2]
    scale = WORK_SIDE / max(height, width)
    small = cv2.resize(
        rgb, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
    )
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (5, 5), 0)
    edges = _edges(small, gray)
    support_map = cv2.dilate(edges, np.ones((9, 9), np.uint8))
    candidates: list[Quad] = []
    for method, mask, mode in _masks(small, gray, edges):
        for points, fill in _quads_from_mask(mask, mode):
            score = _score(points, fill, support_map) * METHOD_TRUST.get(method, 1.0)
            candidates.append(Quad(points, score, method))
    if not candidates:
        return None
    best = max(candidates, key=lambda q: q.score)
    if best.score < min_score:
        return None
    whole = _whole_card(best, candidates, min_score, support_map)
    if whole is not None:
        best = whole
    else:
        best = _dark_rest(best, gray, edges, min_score) or best
    return Quad(best.points / scale, best.score, best.method)


def _dark_rest(best: Quad, gray: np.ndarray, edges: np.ndarray, min_score: float) -> Quad | None:
    """The whole card when the part found is a light panel of it and the rest is dark on
    a dark table (a teal panel beside a black half): only the dark edges (_dark_edges)
    outline the rest. The whole must hold the part, share one of its sides (a panel
    runs across the card), be card-shaped and DARK_REST_AREA times the part's area: a
    card lying inside a larger dark outline (a notebook, a mat) shares no side with it."""
    faint = _dark_edges(gray)
    if not faint.any():
        return None
    support_map = cv2.dilate(cv2.bitwise_or(edges, faint), np.ones((9, 9), np.uint8))
    mask = cv2.dilate(faint, np.ones((3, 3), np.uint8), iterations=2)
    tolerance = SHARED_SIDE * max(gray.shape)
    part_area = cv2.contourArea(best.points)
    found: list[Quad] = []
    for points, fill in _quads_from_mask(mask, cv2.RETR_LIST):
        area = cv2.contourArea(points)
        if not DARK_REST_AREA[0] * part_area <= area <= DARK_REST_AREA[1] * part_area:
            continue
        if not DARK_REST_ASPECT[0] <= _aspect(points) <= DARK_REST_ASPECT[1]:
            continue
        inter, _ = cv2.intersectConvexConvex(
            points.astype(np.float32), best.points.astype(np.float32)
        )
        if inter < 0.9 * part_area or not _shares_side(best.points, points, tolerance):
            continue
        score = _score(points, fill, support_map)
        if score >= min_score:
            found.append(Quad(points, score, "dark rest"))
    return max(found, key=lambda q: q.score) if found else None


def _shares_side(a: np.ndarray, b: np.ndarray, tolerance: float) -> bool:
    """Whether two neighbouring corners of a lie within tolerance of two of b's."""
    near = [bool(np.min(np.hypot(*(b - corner).T)) <= tolerance) for corner in a]
    return any(near[i] and near[(i + 1) % 4] for i in range(4))


def _whole_card(
    best: Quad, candidates: list[Quad], min_score: float, support_map: np.ndarray
) -> Quad | None:
    """A two-tone card (a coloured panel beside a white part, a band over the rest) shows
    each part as a card-like quad of its own, and the panel often scores best: when a
    good candidate shares a whole side with the best one and the two together are
    card-shaped, the card is both (its print is on both parts)."""
    tolerance = SHARED_SIDE * max(support_map.shape)
    merged: list[Quad] = []
    for other in candidates:
        if other.score < min_score or other is best:
            continue
        outer = _outer_corners(best.points, other.points, tolerance)
        if outer is None:
            continue
        area = cv2.contourArea(outer)
        parts = cv2.contourArea(best.points) + cv2.contourArea(other.points)
        if not (0.85 * parts <= area <= 1.15 * parts):
            continue  # the two overlap: one holds the other, no neighbours
        if not 1.35 <= _aspect(outer) <= CARD_ASPECTS[1]:
            continue
        # The whole card is often a candidate of its own, its corners truer than the
        # two parts' outer corners (squared up each on its own).
        same = [
            q for q in candidates if q.score >= min_score and polygon_iou(q.points, outer) >= 0.85
        ]
        if same:
            merged.append(max(same, key=lambda q: q.score))
            continue
        score = _score(outer, 1.0, support_map)
        if score >= min_score:
            merged.append(Quad(outer, score, "panels"))
    return max(merged, key=lambda q: q.score) if merged else None


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


def _outer_corners(a: np.ndarray, b: np.ndarray, tolerance: float) -> np.ndarray | None:
    """The corners of the quad a and b make together when they share a side (its two
    ends within tolerance of each other), in order; else None."""
    for i in range(4):
        a1, a2 = a[i], a[(i + 1) % 4]
        for j in range(4):
            b1, b2 = b[j], b[(j + 1) % 4]
            # Neighbours run their shared side in opposite directions (both clockwise).
            if np.hypot(*(a1 - b2)) <= tolerance and np.hypot(*(a2 - b1)) <= tolerance:
                rest = [a[(i + 2) % 4], a[(i + 3) % 4], b[(j + 2) % 4], b[(j + 3) % 4]]
                outer = order_corners(np.array(rest, np.float32))
                if cv2.isContourConvex(outer.astype(np.int32)):
                    return outer
    return None


def _dark_edges(gray: np.ndarray) -> np.ndarray:
    """Edges in the dark: a navy or black card on a dark table differs from it by a few
    grey levels, under the noise of Canny's thresholds. The brightness is blurred (noise
    down), stretched by a square root (a step from 11 to 17 grows 2.4 times) and edged with
    low thresholds, kept only where the photo is dark (elsewhere _edges sees enough)."""
    blurred = cv2.GaussianBlur(gray, (0, 0), 2.0)
    stretched = np.sqrt(blurred.astype(np.float32) / 255.0) * 255.0
    edges = cv2.Canny(stretched.astype(np.uint8), DARK_CANNY[0], DARK_CANNY[1])
    dark = cv2.dilate((blurred < DARK_LEVEL).astype(np.uint8), np.ones((5, 5), np.uint8))
    return np.asarray(edges * dark, np.uint8)


def _edges(small: np.ndarray, gray: np.ndarray) -> np.ndarray:
    """Edges of brightness and of colour: a teal card on a blue table differs mostly in hue."""
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_RGB2LAB)
    edges = cv2.Canny(gray, 20, 60)
    for channel in (1, 2):
        edges = cv2.bitwise_or(edges, cv2.Canny(lab[:, :, channel], 10, 30))
    return edges


def _masks(
    small: np.ndarray, gray: np.ndarray, edges: np.ndarray
) -> list[tuple[str, np.ndarray, int]]:
    masks: list[tuple[str, np.ndarray, int]] = []
    # 1. Closed edge loops: every loop's inside is a candidate, nested ones included, so a
    #    card lying on a sheet of paper is found inside the paper's outline.
    closed = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    masks.append(("edges", closed, cv2.RETR_LIST))
    # A faint rounded corner leaves a gap in the outline; bridge gaps of a few pixels.
    bridged = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=3)
    masks.append(("edges+", bridged, cv2.RETR_LIST))

    # 2. Colour distance from the photo's border (the table), in Lab.
    masks.append(("colour", _clean(border_colour_mask(small, blur=9, border=8)), cv2.RETR_EXTERNAL))

    # 3. Brightness, both ways round (light card on dark table and the reverse).
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(("bright", _clean(bright), cv2.RETR_EXTERNAL))
    masks.append(("dark", _clean(cv2.bitwise_not(bright)), cv2.RETR_EXTERNAL))
    return masks


def border_colour_mask(small: np.ndarray, blur: int, border: int) -> np.ndarray:
    """What differs in colour (Lab, after a `blur` px blur) from the photo's outer
    `border` px, the table: Otsu's threshold of each pixel's distance from the border's
    median colour."""
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (blur, blur), 0), cv2.COLOR_RGB2LAB)
    lab = lab.astype(np.float32)
    edge = np.concatenate(
        [
            lab[:border].reshape(-1, 3),
            lab[-border:].reshape(-1, 3),
            lab[:, :border].reshape(-1, 3),
            lab[:, -border:].reshape(-1, 3),
        ]
    )
    # The Euclidean norm summed channel by channel: the same float32 operations in the same
    # order as np.linalg.norm(axis=2) (so the same mask, checked bit for bit on samples and
    # generated photos), without its slow strided reduction: half the time of this function.
    diff = lab - np.median(edge, axis=0)
    diff *= diff
    distance = np.sqrt(diff[:, :, 0] + diff[:, :, 1] + diff[:, :, 2])
    distance = (255 * distance / max(float(distance.max()), 1e-6)).astype(np.uint8)
    _, colour = cv2.threshold(distance, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return colour


def _clean(mask: np.ndarray) -> np.ndarray:
    """Close the text holes inside a card region and drop specks outside it."""
    kernel = np.ones((9, 9), np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(mask)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return filled


def _quads_from_mask(mask: np.ndarray, mode: int) -> list[tuple[np.ndarray, float]]:
    """(corners, fill) for every region big enough to be the card."""
    image_area = float(mask.shape[0] * mask.shape[1])
    contours, _ = cv2.findContours(mask, mode, cv2.CHAIN_APPROX_NONE)
    quads = []
    for contour in contours:
        area = cv2.contourArea(contour)
        if not MIN_AREA * image_area <= area <= MAX_AREA * image_area:
            continue
        hull = cv2.convexHull(contour)
        points = _refine(_four_corners(hull), contour.reshape(-1, 2).astype(np.float32))
        quad_area = cv2.contourArea(points.astype(np.float32))
        if quad_area <= 0 or not cv2.isContourConvex(points.astype(np.int32)):
            continue
        if quad_area > MAX_AREA * image_area:
            continue
        fill = min(area / quad_area, quad_area / area)  # how rectangular the region is
        quads.append((order_corners(points), fill))
    return quads


def _score(points: np.ndarray, fill: float, support_map: np.ndarray) -> float:
    """How card-like a quad is: its sides lie on edges, its shape is a card's, it is large.

    Edge support is what separates the card from a region that merely happens to be
    bright: a card's four sides are visible edges, while a blob that swallowed part of
    the table has sides running through nothing.
    """
    height, width = support_map.shape
    image_area = float(height * width)
    share = cv2.contourArea(points) / image_area
    aspect = _aspect(points)
    if 1.35 <= aspect <= 2.05:
        aspect_score = 1.0
    elif CARD_ASPECTS[0] <= aspect <= CARD_ASPECTS[1]:
        aspect_score = 0.75
    else:
        aspect_score = 0.4
    touches = _touches_border(points, support_map.shape)
    size_score = 0.55 + 0.45 * min(1.0, share / 0.3)
    support = _edge_support(points, support_map)
    return float(support**2 * fill * aspect_score * size_score * (0.6 if touches else 1.0))


def _edge_support(points: np.ndarray, support_map: np.ndarray, samples: int = 60) -> float:
    height, width = support_map.shape
    hits = total = 0
    for i in range(4):
        a, b = points[i], points[(i + 1) % 4]
        # The ends of a side are where rounded corners and fingers are: sample the middle.
        for t in np.linspace(0.1, 0.9, samples):
            x, y = (a + (b - a) * t).round().astype(int)
            total += 1
            if 0 <= x < width and 0 <= y < height and support_map[y, x]:
                hits += 1
    return hits / total if total else 0.0


def _four_corners(hull: np.ndarray) -> np.ndarray:
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    # Rounded or occluded corners: the tightest rotated rectangle.
    return cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)


def _refine(corners: np.ndarray, outline: np.ndarray) -> np.ndarray:
    """Fit each side to the outline's points along it and intersect the fitted lines.

    Polygon approximation puts the corners of a rounded-corner card somewhere on the
    arcs, so its sides run a few pixels off the real edges; the straight middle of each
    side is reliable, and the corners are where those lines meet.
    """
    lines = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        side = b - a
        length = float(np.linalg.norm(side))
        if length < 1:
            return corners
        t = ((outline - a) @ side) / (length * length)
        distance = np.abs(_cross(side, outline - a)) / length
        near = outline[(t > 0.15) & (t < 0.85) & (distance < max(4.0, 0.03 * length))]
        if len(near) >= 10:
            vx, vy, x0, y0 = cv2.fitLine(near, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
            lines.append((np.array([x0, y0]), np.array([vx, vy])))
        else:
            lines.append((a, side / length))
    refined = []
    for i in range(4):
        (p1, d1), (p2, d2) = lines[i - 1], lines[i]
        denominator = float(_cross(d1, d2))
        if abs(denominator) < 1e-6:
            return corners  # parallel neighbours: keep the approximation
        along = float(_cross(p2 - p1, d2)) / denominator
        refined.append(p1 + d1 * along)
    result = np.array(refined, dtype=np.float32)
    # A corner under a thumb moves a good way (the hull bulged around the thumb), but one
    # that moves further than a quarter of the card's size is a bad fit: distrust it.
    if np.max(np.linalg.norm(result - corners, axis=1)) > 0.25 * np.sqrt(cv2.contourArea(corners)):
        return corners
    return result


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """z of the 2-D cross product (NumPy 2 deprecates np.cross on 2-vectors)."""
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


def order_corners(points: np.ndarray) -> np.ndarray:
    """Order 4 points as top-left, top-right, bottom-right, bottom-left.

    Points go clockwise around their centre, starting from the one nearest the image's
    top-left; unlike sorting by x+y this stays right for a card turned by 45 degrees.
    """
    pts = points.reshape(4, 2).astype(np.float32)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    clockwise = pts[np.argsort(angles)]  # y points down, so increasing angle is clockwise
    start = int(np.argmin(clockwise.sum(axis=1)))
    return np.roll(clockwise, -start, axis=0)


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
        (xs <= margin).sum()
        + (xs >= width - 1 - margin).sum()
        + (ys <= margin).sum()
        + (ys >= height - 1 - margin).sum()
        >= 2
    )


def warp(rgb: np.ndarray, quad: Quad) -> np.ndarray:
    """Perspective-correct the quad into an upright rectangle at full resolution."""
    tl, tr, br, bl = quad.points
    width = round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32
    )
    matrix = cv2.getPerspectiveTransform(quad.points.astype(np.float32), target)
    return cv2.warpPerspective(
        rgb, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
