"""A hand holding the card: a thumb over one corner, fingers and palm under it.

People photograph a card they are holding, so a thumb over a corner is a
common occluder.  The thumb must never hide text, otherwise the truth would
list words nobody can read; placement is therefore checked against a mask of
the card's text boxes and rejected if they touch.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .background import shifted

Array = np.ndarray

SKIN_TONES: tuple[tuple[int, int, int], ...] = (
    (233, 190, 160),
    (214, 160, 122),
    (176, 120, 84),
    (124, 82, 56),
    (92, 60, 42),
)


class HandPlacementError(ValueError):
    """Every corner of this card has text too close for a thumb to rest there."""


@dataclass
class HandLayers:
    """Soft masks (float32, 0-1) for skin drawn under and over the card."""

    under: Array
    over: Array
    nail: Array
    skin: tuple[int, int, int]


def _capsule(mask: Array, a: Array, b: Array, width: float) -> None:
    """Draw a round-ended stroke from a to b, anti-aliased, with 4x subpixel precision."""
    pa = tuple(int(v) for v in np.round(a * 16))
    pb = tuple(int(v) for v in np.round(b * 16))
    cv2.line(mask, pa, pb, 255, int(np.rint(width)), lineType=cv2.LINE_AA, shift=4)


def plan_hand(
    rng: np.random.Generator, frame: tuple[int, int], quad: Array, text_mask: Array
) -> HandLayers:
    """Choose a corner whose thumb misses `text_mask`; raise if no corner works.

    `frame` is (h, w); `quad` the card corners TL, TR, BR, BL in pixels.
    """
    h, w = frame
    center = quad.mean(axis=0)
    card_w = float(np.linalg.norm(quad[1] - quad[0]))
    thumb_w = card_w * float(rng.uniform(0.15, 0.19))
    skin = SKIN_TONES[int(rng.integers(len(SKIN_TONES)))]
    forbidden = cv2.dilate(text_mask.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    order = [int(i) for i in rng.permutation(4)]
    for k in order:
        corner = quad[k]
        out = corner - center
        out /= np.linalg.norm(out)
        # Thumb axis: roughly along the diagonal, swung a little toward one edge.
        swing = float(rng.uniform(-0.35, 0.35))
        axis = np.array(
            [
                out[0] * np.cos(swing) - out[1] * np.sin(swing),
                out[0] * np.sin(swing) + out[1] * np.cos(swing),
            ]
        )
        for inset in (0.16, 0.13, 0.1, 0.07, 0.05):
            tip = corner - out * card_w * inset
            base = tip + axis * card_w * 0.55
            over = np.zeros((h, w), np.uint8)
            _capsule(over, tip, base, thumb_w)
            if (over > 0)[forbidden].any():
                continue
            return _finish(rng, frame, quad, k, tip, base, axis, thumb_w, over, skin)
    raise HandPlacementError("no card corner is free of text for a thumb")


def _finish(
    rng: np.random.Generator,
    frame: tuple[int, int],
    quad: Array,
    k: int,
    tip: Array,
    base: Array,
    axis: Array,
    thumb_w: float,
    over: Array,
    skin: tuple[int, int, int],
) -> HandLayers:
    """Add palm/forearm and the fingers behind the card, and a thumbnail."""
    h, w = frame
    under = np.zeros((h, w), np.uint8)
    # Palm beyond the corner, then a forearm running off the frame.
    palm_c = base + axis * thumb_w * 0.9
    _capsule(under, base, palm_c, thumb_w * 2.6)
    _capsule(under, palm_c, palm_c + axis * max(h, w), thumb_w * 2.2)
    # Fingers behind the card peek out along the edge after corner k.
    nxt = quad[(k + 1) % 4] if rng.random() < 0.5 else quad[(k - 1) % 4]
    edge = nxt - quad[k]
    edge_len = float(np.linalg.norm(edge))
    edge /= edge_len
    normal = quad[k] - quad.mean(axis=0)
    normal -= edge * float(normal @ edge)
    normal /= np.linalg.norm(normal)
    for i in range(int(rng.integers(2, 4))):
        start = quad[k] + edge * (thumb_w * (0.9 + 1.05 * i))
        end = start + normal * thumb_w * float(rng.uniform(0.35, 0.7))
        _capsule(under, start - normal * thumb_w, end, thumb_w * 0.85)
        _capsule(under, start - normal * thumb_w, palm_c, thumb_w * 0.9)
    nail = np.zeros((h, w), np.uint8)
    nc = tip + axis * thumb_w * 0.38
    angle = float(np.degrees(np.arctan2(axis[1], axis[0])))
    axes = (int(thumb_w * 0.3), int(thumb_w * 0.24))
    cv2.ellipse(nail, tuple(int(v) for v in nc), axes, angle, 0, 360, 255, -1, cv2.LINE_AA)
    f = np.float32(1 / 255)
    return HandLayers(
        under.astype(np.float32) * f, over.astype(np.float32) * f, nail.astype(np.float32) * f, skin
    )


def skin_color(rng: np.random.Generator, mask: Array, skin: tuple[int, int, int]) -> Array:
    """Shaded skin: darker toward the outline so the shapes read as round."""
    binary = (mask > 0.5).astype(np.uint8)
    dist = cv2.distanceTransform(binary, cv2.DIST_L2, 5)
    peak = max(1.0, float(dist.max()) * 0.5)
    shade = 0.7 + 0.3 * np.sqrt(np.clip(dist / peak, 0, 1))
    tex = cv2.GaussianBlur(rng.normal(0, 1, mask.shape).astype(np.float32), (0, 0), 2.0)
    shade = shade * (1 + 0.03 * tex)
    return np.asarray(skin, np.float32)[None, None, :] * shade[..., None]


def composite(
    img: Array,
    mask: Array,
    color: Array,
    shadow: float = 0.0,
    shadow_shift: tuple[int, int] = (0, 0),
    shadow_blur: float = 12.0,
) -> None:
    """Lay `color` over `img` through `mask`, first darkening `img` by a soft shadow."""
    if shadow > 0:
        sh = cv2.GaussianBlur(mask, (0, 0), shadow_blur)
        sh = shifted(sh, *shadow_shift)
        img *= (1.0 - shadow * sh)[..., None]
    img[:] = img * (1 - mask[..., None]) + color * mask[..., None]
