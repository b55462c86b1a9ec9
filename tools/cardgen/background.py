"""Procedural table-top backgrounds for the simulated photos.

Card detection is the step most sensitive to what is around the card, so the
backgrounds cover the usual cases: textured wood, woven fabric, a dark table,
a light table where a white card barely stands out, and a cluttered desk with
paper (bearing unrelated text), a pen, a phone, a mug and a sticky note.
All randomness comes from the caller's numpy Generator.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .fonts import load_font

Array = np.ndarray


def smooth_noise(
    rng: np.random.Generator, h: int, w: int, cells: tuple[int, int], octaves: int = 1
) -> Array:
    """Value noise in [0, 1] of shape (h, w); `cells` = (rows, cols) of the coarsest grid."""
    out = np.zeros((h, w), np.float32)
    total = 0.0
    for o in range(octaves):
        cy, cx = cells[0] * 2**o, cells[1] * 2**o
        grid = rng.random((cy + 1, cx + 1)).astype(np.float32)
        amp = 0.5**o
        out += amp * cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
        total += amp
    return np.clip(out / total, 0.0, 1.0)


def shifted(a: Array, dy: int, dx: int) -> Array:
    """`a` moved by (dy, dx) with zeros shifted in (np.roll would wrap shadows around)."""
    out = np.zeros_like(a)
    h, w = a.shape[:2]
    if abs(dy) >= h or abs(dx) >= w:
        return out
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[yd, xd] = a[ys, xs]
    return out


def _rgb(c: tuple[float, float, float]) -> Array:
    return np.array(c, np.float32)


def wood(rng: np.random.Generator, h: int, w: int) -> Array:
    """Horizontal planks with streaky grain, growth rings and dark seams."""
    palettes = [(188, 146, 102), (118, 78, 48), (152, 92, 60), (170, 160, 146), (205, 170, 125)]
    base = _rgb(palettes[int(rng.integers(len(palettes)))])
    out = np.empty((h, w, 3), np.float32)
    y = 0
    while y < h:
        ph = int(rng.integers(h // 5, h // 3))
        y1 = min(h, y + ph)
        n = y1 - y
        streak = smooth_noise(rng, n, w, (max(2, n // 6), 3), octaves=4)
        warp = smooth_noise(rng, n, w, (2, 3), octaves=2)
        yy = np.arange(n, dtype=np.float32)[:, None]
        xx = np.arange(w, dtype=np.float32)[None, :]
        period = float(rng.uniform(28, 70))
        slope = float(rng.uniform(-0.03, 0.03))
        rings = 0.5 + 0.5 * np.sin(2 * np.pi * (yy + 45 * warp + slope * xx) / period)
        pores = rng.random((n, w)).astype(np.float32)
        g = 0.62 * streak + 0.26 * rings**5 + 0.12 * pores
        tone = float(rng.uniform(0.9, 1.08))
        dark, light = base * 0.68 * tone, base * 1.1 * tone
        out[y:y1] = dark + (light - dark) * g[..., None]
        out[y : min(h, y + 3)] *= 0.45  # seam between planks
        y = y1
    return np.clip(out, 0, 255)


def fabric(rng: np.random.Generator, h: int, w: int) -> Array:
    """A woven cloth: per-thread brightness in a twill pattern, with soft folds."""
    palettes = [(62, 84, 118), (120, 120, 124), (196, 184, 160), (56, 86, 70), (140, 52, 56)]
    base = _rgb(palettes[int(rng.integers(len(palettes)))])
    p = int(rng.integers(4, 7))
    rows = np.repeat(rng.normal(0, 1, h // p + 2).astype(np.float32), p)[:h]
    cols = np.repeat(rng.normal(0, 1, w // p + 2).astype(np.float32), p)[:w]
    yy, xx = np.mgrid[0:h, 0:w]
    over = ((xx // p + yy // p) % 3) == 0
    threads = np.where(over, rows[:, None], cols[None, :]) * 0.05
    edge = np.minimum(xx % p, yy % p) == 0
    threads = threads - 0.06 * edge
    folds = smooth_noise(rng, h, w, (3, 4), octaves=2)
    shade = 0.82 + 0.3 * folds + threads
    out = base[None, None, :] * shade[..., None]
    return np.clip(cv2.GaussianBlur(out, (0, 0), 0.6), 0, 255)


def dark_table(rng: np.random.Generator, h: int, w: int) -> Array:
    """Near-black matte surface with faint blotches and speckle."""
    base = _rgb((30, 29, 31)) * float(rng.uniform(0.8, 1.3))
    blot = smooth_noise(rng, h, w, (4, 5), octaves=3)
    speck = rng.normal(0, 1, (h, w)).astype(np.float32)
    shade = 0.85 + 0.35 * blot + 0.04 * speck
    return np.clip(base[None, None, :] * shade[..., None], 0, 255)


def light_table(rng: np.random.Generator, h: int, w: int) -> Array:
    """Pale laminate (white, light grey or beige) with a subtle fleck."""
    palettes = [(222, 221, 216), (206, 208, 210), (226, 214, 192)]
    base = _rgb(palettes[int(rng.integers(len(palettes)))])
    blot = smooth_noise(rng, h, w, (3, 4), octaves=3)
    dots = (rng.random((h, w)) > 0.997).astype(np.float32)
    fleck = cv2.GaussianBlur(dots, (0, 0), 0.8) * 4
    shade = 0.95 + 0.07 * blot - 0.05 * fleck
    return np.clip(base[None, None, :] * shade[..., None], 0, 255)


# -- clutter ----------------------------------------------------------------

WORDS = (
    "Agenda",
    "Q3 planning",
    "Budget review",
    "Action items",
    "Notes",
    "Draft",
    "Minutes",
    "Roadmap",
    "Follow up",
    "Summary",
)


def _paper(rng: np.random.Generator, w: int, h: int) -> Image.Image:
    """A sheet with a real heading and grey lines standing in for body text."""
    tint = [(250, 250, 246), (246, 241, 226), (238, 242, 248)][int(rng.integers(3))]
    img = Image.new("RGBA", (w, h), (*tint, 255))
    d = ImageDraw.Draw(img)
    m = w // 10
    head = WORDS[int(rng.integers(len(WORDS)))]
    d.text(
        (m, m),
        head,
        font=load_font("liberation-serif-bold", max(12, w // 16)),
        fill=(40, 40, 40, 255),
    )
    y = m + w // 9
    while y < h - m:
        length = int(rng.uniform(0.5, 1.0) * (w - 2 * m))
        d.rectangle((m, y, m + length, y + max(2, w // 110)), fill=(150, 150, 155, 255))
        y += max(6, w // 36) * (2 if rng.random() < 0.12 else 1)
    return img


def _sticky(rng: np.random.Generator, s: int) -> Image.Image:
    color = [(250, 232, 110), (255, 180, 200), (170, 225, 160)][int(rng.integers(3))]
    img = Image.new("RGBA", (s, s), (*color, 255))
    d = ImageDraw.Draw(img)
    for k in range(3):
        y0 = s * (0.25 + 0.2 * k)
        pts = [
            (s * 0.12 + s * 0.76 * t / 20, y0 + s * 0.03 * np.sin(t * 1.7 + k)) for t in range(21)
        ]
        d.line(pts, fill=(30, 50, 140, 255), width=max(2, s // 60))
    return img


def _pen(rng: np.random.Generator, length: int) -> Image.Image:
    w = max(10, length // 14)
    img = Image.new("RGBA", (length, w), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    body = [(20, 40, 120), (25, 25, 28), (170, 30, 30), (230, 230, 232)][int(rng.integers(4))]
    d.polygon([(0, w / 2), (w * 1.2, 2), (w * 1.2, w - 2)], fill=(190, 190, 195, 255))
    d.rounded_rectangle((w * 1.1, 0, length - 1, w - 1), radius=w // 2, fill=(*body, 255))
    d.rectangle((length * 0.62, w * 0.2, length * 0.9, w * 0.35), fill=(200, 200, 205, 255))
    return img


def _phone(rng: np.random.Generator, h: int) -> Image.Image:
    w = int(h * 0.48)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, w - 1, h - 1), radius=w // 7, fill=(22, 22, 26, 255))
    d.rounded_rectangle(
        (w * 0.05, h * 0.03, w * 0.95, h * 0.97), radius=w // 9, fill=(38, 42, 52, 255)
    )
    d.polygon(
        [(w * 0.05, h * 0.4), (w * 0.95, h * 0.15), (w * 0.95, h * 0.3), (w * 0.05, h * 0.55)],
        fill=(58, 62, 74, 255),
    )
    return img


def _mug(rng: np.random.Generator, s: int) -> Image.Image:
    img = Image.new("RGBA", (int(s * 1.35), s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    rim = [(236, 236, 232), (40, 90, 150), (200, 70, 50)][int(rng.integers(3))]
    d.rounded_rectangle((s * 0.8, s * 0.4, s * 1.34, s * 0.6), radius=s // 12, fill=(*rim, 255))
    d.ellipse((0, 0, s - 1, s - 1), fill=(*rim, 255))
    d.ellipse((s * 0.08, s * 0.08, s * 0.92, s * 0.92), fill=(70, 42, 24, 255))
    d.ellipse((s * 0.25, s * 0.2, s * 0.45, s * 0.32), fill=(120, 88, 60, 255))
    return img


def stamp(
    dst: Array, patch: Image.Image, center: tuple[float, float], angle: float, shadow: float = 0.3
) -> None:
    """Rotate `patch` (RGBA) about its centre, place it at `center`, with a soft shadow."""
    src = np.asarray(patch, np.float32)
    ph, pw = src.shape[:2]
    h, w = dst.shape[:2]
    m = cv2.getRotationMatrix2D((pw / 2, ph / 2), angle, 1.0)
    m[:, 2] += (center[0] - pw / 2, center[1] - ph / 2)
    warped = cv2.warpAffine(src, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0))
    alpha: Array = warped[..., 3:] / np.float32(255.0)
    if shadow > 0:
        sh = cv2.GaussianBlur(alpha[..., 0], (0, 0), max(3.0, pw / 60))
        sh = shifted(sh, max(3, ph // 60), max(3, pw // 60))
        dst *= (1.0 - shadow * sh)[..., None]
    dst[:] = dst * (1 - alpha) + warped[..., :3] * alpha


def cluttered_desk(
    rng: np.random.Generator, h: int, w: int, keep_out: Array | None = None
) -> Array:
    """A wood or light table strewn with office things, mostly outside `keep_out`.

    `keep_out` is the card's quad; items centred inside it would be hidden
    under the card, so their centres are drawn from the rest of the frame.
    """
    out = wood(rng, h, w) if rng.random() < 0.5 else light_table(rng, h, w)
    makers = [
        lambda: _paper(rng, int(w * rng.uniform(0.32, 0.45)), int(h * rng.uniform(0.6, 0.8))),
        lambda: _paper(rng, int(w * rng.uniform(0.3, 0.4)), int(h * rng.uniform(0.5, 0.7))),
        lambda: _sticky(rng, int(h * rng.uniform(0.14, 0.2))),
        lambda: _pen(rng, int(w * rng.uniform(0.28, 0.38))),
        lambda: _phone(rng, int(h * rng.uniform(0.45, 0.6))),
        lambda: _mug(rng, int(h * rng.uniform(0.22, 0.3))),
    ]
    for make in makers:
        patch = make()
        for _ in range(50):
            cx, cy = float(rng.uniform(-0.05, 1.05) * w), float(rng.uniform(-0.05, 1.05) * h)
            if (
                keep_out is None
                or cv2.pointPolygonTest(keep_out.astype(np.float32), (cx, cy), True)
                < -min(h, w) * 0.06
            ):
                break
        stamp(out, patch, (cx, cy), float(rng.uniform(-40, 40)))
    return out


BACKGROUND_FUNCS = {
    "wood": wood,
    "fabric": fabric,
    "dark_table": dark_table,
    "light_table": light_table,
}


def make_background(
    kind: str, rng: np.random.Generator, h: int, w: int, keep_out: Array | None = None
) -> Array:
    """Float32 RGB background of shape (h, w, 3), values 0-255."""
    if kind == "cluttered_desk":
        return cluttered_desk(rng, h, w, keep_out)
    return BACKGROUND_FUNCS[kind](rng, h, w).astype(np.float32)
