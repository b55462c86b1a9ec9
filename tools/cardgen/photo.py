"""Turn a flat rendered card into a plausible phone photo of it.

The order of operations follows the physics loosely: the scene (table, hand,
card, shadows) is composed first, then the light falling on it (gradient,
vignette, a cast shadow, glare), then the camera (white balance, defocus,
sensor noise, JPEG), and last the orientation the phone saved it in.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from .background import make_background, shifted, smooth_noise
from .hand import composite, plan_hand, skin_color
from .render import RenderedCard
from .spec import PhotoSpec

Array = np.ndarray

HFOV_DEG = 65.0  # a typical phone main camera


@dataclass
class Photo:
    """The simulated photo (already turned by spec.rotation) and where the card is."""

    image: Image.Image
    card_corners: Array  # (4, 2) TL, TR, BR, BL of the card, in `image` pixels
    quality: int

    def jpeg_bytes(self) -> bytes:
        return encode_jpeg(self.image, self.quality)


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """Baseline JPEG without EXIF, so the orientation is in the pixels only."""
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def _rot(ax: str, deg: float) -> Array:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    if ax == "x":
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    if ax == "y":
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def card_quad(card_size: tuple[int, int], spec: PhotoSpec) -> Array:
    """Project the card's corners through a pinhole camera into the frame.

    The camera distance follows from the wanted `card_extent` and the field of
    view, so the perspective strength is what a phone at that distance gives.
    """
    w, h = spec.size
    cw, ch = card_size
    s = max(cw, ch)
    pts = np.array([[-cw, -ch, 0], [cw, -ch, 0], [cw, ch, 0], [-cw, ch, 0]], float) / (2 * s)
    rot = _rot("z", spec.roll) @ _rot("x", spec.tilt_x) @ _rot("y", spec.tilt_y)
    dist = 0.5 / (spec.card_extent * math.tan(math.radians(HFOV_DEG / 2)))
    cam = pts @ rot.T + np.array([0, 0, dist])
    uv = cam[:, :2] / cam[:, 2:3]
    lo, hi = uv.min(axis=0), uv.max(axis=0)
    scale = spec.card_extent / max((hi[0] - lo[0]) / w, (hi[1] - lo[1]) / h)
    uv = (uv - (lo + hi) / 2) * scale
    center = np.array([w / 2 + spec.offset[0] * w, h / 2 + spec.offset[1] * h])
    quad = uv + center
    # Keep the whole card in the frame (1.5% margin).
    m = 0.015 * np.array([w, h])
    far = np.array([w, h]) - m
    shift = np.maximum(0, m - quad.min(axis=0)) - np.maximum(0, quad.max(axis=0) - far)
    return (quad + shift).astype(np.float32)


def _card_layers(
    card: RenderedCard, quad: Array, frame: tuple[int, int], radius: float, rng: np.random.Generator
) -> tuple[Array, Array, Array]:
    """Warp card RGB and its alpha into the frame; also return the homography."""
    img: Array = np.asarray(card.image, np.float32)
    ih, iw = img.shape[:2]
    # Paper is never perfectly flat in colour: fine grain plus a faint mottling.
    grain = rng.normal(0, 1.6, (ih, iw, 1)).astype(np.float32)
    mottle = smooth_noise(rng, ih, iw, (3, 5))[..., None]
    img = img * (0.985 + 0.03 * mottle) + grain
    alpha: Array = np.zeros((ih, iw), np.uint8)
    r = int(radius * card.scale)
    cv2.rectangle(alpha, (r, 0), (iw - 1 - r, ih - 1), 255, -1)
    cv2.rectangle(alpha, (0, r), (iw - 1, ih - 1 - r), 255, -1)
    if r:
        for cx, cy in ((r, r), (iw - 1 - r, r), (iw - 1 - r, ih - 1 - r), (r, ih - 1 - r)):
            cv2.circle(alpha, (cx, cy), r, 255, -1, cv2.LINE_AA)
    # Pre-shrink with area averaging so the perspective warp does not alias.
    edge = max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[3] - quad[0]) * iw / ih)
    if edge * 1.2 < iw:
        size = (int(edge * 1.2), int(edge * 1.2 * ih / iw))
        img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
        alpha = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
    sh, sw = img.shape[:2]
    src = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
    hom = cv2.getPerspectiveTransform(src, quad)
    h, w = frame
    rgb = cv2.warpPerspective(img, hom, (w, h), flags=cv2.INTER_LINEAR)
    a = cv2.warpPerspective(alpha.astype(np.float32) / 255, hom, (w, h), flags=cv2.INTER_LINEAR)
    a = cv2.GaussianBlur(a, (0, 0), 0.7)  # the warp aliases the 1-px paper edge into dashes
    design = np.diag([sw / card.size[0], sh / card.size[1], 1.0])
    return rgb, a, hom @ design


def _text_mask(card: RenderedCard, hom: Array, frame: tuple[int, int]) -> Array:
    mask = np.zeros(frame, np.uint8)
    for x0, y0, x1, y1 in card.text_boxes():
        pts = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], np.float32)
        poly = cv2.perspectiveTransform(pts, hom)[0]
        cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1)
    return mask


def _light(spec: PhotoSpec, rng: np.random.Generator, frame: tuple[int, int], quad: Array) -> Array:
    """Multiplicative light field: directional gradient, vignette, cast shadow."""
    h, w = frame
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    nx, ny = (xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2)
    a = math.radians(spec.light_angle)
    ramp = (nx * math.cos(a) + ny * math.sin(a)) / 2  # about -0.7..0.7
    gain = 1.0 + spec.light_gradient * ramp - spec.vignette * (nx**2 + ny**2) / 2
    if spec.cast_shadow > 0:
        # A soft, slightly wavy shadow edge crossing the card (an arm, a phone).
        c = quad.mean(axis=0) + rng.uniform(-0.15, 0.15, 2) * (quad.max(0) - quad.min(0))
        t = math.radians(float(rng.uniform(0, 180)))
        wobble = (smooth_noise(rng, h, w, (2, 3)) - 0.5) * 0.08 * w
        d = (xx - c[0]) * math.cos(t) + (yy - c[1]) * math.sin(t) + wobble
        soft = 0.02 * max(h, w)
        gain *= 1.0 - spec.cast_shadow / (1.0 + np.exp(-d / soft))
    return gain


def photograph(card: RenderedCard, spec: PhotoSpec, rng: np.random.Generator) -> Photo:
    """Simulate a phone photo of `card` as described by `spec`."""
    w, h = spec.size
    frame = (h, w)
    quad = card_quad(card.size, spec)
    img = make_background(spec.background, rng, h, w, quad)
    if spec.background_blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), spec.background_blur)
    card_rgb, alpha, hom = _card_layers(card, quad, frame, card.radius, rng)
    a = math.radians(spec.light_angle)
    span = float(np.linalg.norm(quad[1] - quad[0]))
    shift = (int(-math.sin(a) * span * 0.012) + 4, int(-math.cos(a) * span * 0.012))  # (dy, dx)
    hand = plan_hand(rng, frame, quad, _text_mask(card, hom, frame)) if spec.hand else None
    if hand is not None:
        composite(img, hand.under, skin_color(rng, hand.under, hand.skin), 0.35, (14, 18), 16)
    sh = shifted(cv2.GaussianBlur(alpha, (0, 0), span * 0.012), *shift)
    img *= (1.0 - spec.drop_shadow * sh)[..., None]
    img = img * (1 - alpha[..., None]) + card_rgb * alpha[..., None]
    if hand is not None:
        composite(img, hand.over, skin_color(rng, hand.over, hand.skin), 0.4, (16, 22), 14)
        nail = np.asarray(hand.skin, np.float32) * 0.55 + np.array([120, 100, 100], np.float32)
        composite(img, hand.nail * 0.8, np.broadcast_to(nail, img.shape).astype(np.float32))
    out = expose(img, spec, rng, quad)
    k = spec.rotation // 90
    out = np.ascontiguousarray(np.rot90(out, -k))  # clockwise by spec.rotation
    return Photo(
        Image.fromarray(out), rotate_points(quad, (w, h), spec.rotation), spec.jpeg_quality
    )


def expose(img: Array, spec: PhotoSpec, rng: np.random.Generator, quad: Array) -> Array:
    """The light on the composed scene and the camera: float RGB (changed) -> uint8 RGB.

    `quad` is where the card is (a cast shadow and glare fall near it); a photo of several
    cards passes the quad around all of them.
    """
    h, w = img.shape[:2]
    frame = (h, w)
    img *= _light(spec, rng, frame, quad)[..., None]
    if spec.glare > 0:
        g = quad.mean(axis=0) + rng.uniform(-0.3, 0.3, 2) * (quad.max(0) - quad.min(0))
        sigma = 0.07 * max(w, h)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        spot = np.exp(-((xx - g[0]) ** 2 * 0.6 + (yy - g[1]) ** 2) / (2 * sigma**2))
        img += (255 * spec.glare * spot)[..., None]
    img *= np.asarray(spec.white_balance, np.float32)[None, None, :] * spec.exposure
    if spec.blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), spec.blur)
    if spec.noise > 0:
        luma = rng.normal(0, spec.noise, (h, w, 1)).astype(np.float32)
        chroma = rng.normal(0, spec.noise * 0.4, (h, w, 3)).astype(np.float32)
        img += (luma + chroma) * (0.6 + 0.4 * np.sqrt(np.clip(img, 0, 255) / 255))
    out = np.clip(np.round(img), 0, 255).astype(np.uint8)
    return out


def rotate_points(pts: Array, size: tuple[int, int], rotation: int) -> Array:
    """Map (x, y) points of a (w, h) image into the image turned `rotation` deg clockwise."""
    w, h = size
    x, y = pts[:, 0], pts[:, 1]
    if rotation == 90:
        return np.stack([h - y, x], axis=1)
    if rotation == 180:
        return np.stack([w - x, h - y], axis=1)
    if rotation == 270:
        return np.stack([y, w - x], axis=1)
    return pts.copy()
