"""Simple vector logos drawn with PIL.

Real cards nearly always carry a mark next to the company name; it is a
non-text blob the OCR stage must ignore (or read as stray letters, in the
monogram kinds), so a few distinct geometric shapes are enough.
"""

from __future__ import annotations

import math

from PIL import ImageDraw

from .fonts import load_font

LOGOS: tuple[str, ...] = (
    "circle_initials",
    "square_monogram",
    "mountain",
    "hexagon",
    "rings",
    "leaf",
    "bars",
    "diamond",
    "wave",
)


def _poly(cx: float, cy: float, r: float, n: int, start: float = 0.0) -> list[tuple[float, float]]:
    angles = [start + 2 * math.pi * i / n for i in range(n)]
    return [(cx + r * math.cos(a), cy + r * math.sin(a)) for a in angles]


def draw_logo(
    draw: ImageDraw.ImageDraw,
    kind: str,
    box: tuple[float, float, float],
    colors: tuple[str, ...],
    initials: str = "",
    background: str = "#ffffff",
) -> None:
    """Draw logo `kind` into the square `box` = (left, top, side) in pixels.

    `colors` needs at least one entry; a second is used as a highlight.
    `background` is the card colour, used to cut shapes out of filled areas.
    """
    if kind not in LOGOS:
        raise ValueError(f"unknown logo {kind!r}; choose from {LOGOS}")
    x, y, s = box
    c1 = colors[0]
    c2 = colors[1] if len(colors) > 1 else colors[0]
    cx, cy, r = x + s / 2, y + s / 2, s / 2
    w = max(2, round(s * 0.09))
    if kind in ("circle_initials", "square_monogram"):
        if kind == "circle_initials":
            draw.ellipse((x, y, x + s, y + s), fill=c1)
        else:
            draw.rounded_rectangle((x, y, x + s, y + s), radius=s * 0.18, fill=c1)
        text = initials[:2] if kind == "circle_initials" else initials[:1]
        size = round(s * (0.42 if len(text) > 1 else 0.58))
        font = load_font("dejavu-serif-bold" if kind == "square_monogram" else "lato-bold", size)
        draw.text((cx, cy), text, font=font, fill=background, anchor="mm")
    elif kind == "mountain":
        draw.ellipse((x + s * 0.58, y + s * 0.08, x + s * 0.86, y + s * 0.36), fill=c2)
        draw.polygon([(x, y + s), (x + s * 0.38, y + s * 0.25), (x + s * 0.76, y + s)], fill=c1)
        draw.polygon([(x + s * 0.4, y + s), (x + s * 0.7, y + s * 0.45), (x + s, y + s)], fill=c2)
    elif kind == "hexagon":
        draw.polygon(_poly(cx, cy, r, 6, math.pi / 6), outline=c1, width=w)
        draw.polygon(_poly(cx, cy, r * 0.45, 6, math.pi / 6), fill=c2)
    elif kind == "rings":
        rr = s * 0.26
        for i, (dx, dy) in enumerate(((-0.2, 0.12), (0.2, 0.12), (0.0, -0.2))):
            ox, oy = cx + dx * s, cy + dy * s
            draw.ellipse((ox - rr, oy - rr, ox + rr, oy + rr), outline=(c1, c2)[i % 2], width=w)
    elif kind == "leaf":
        pts = []
        for i in range(40):
            t = math.pi * i / 39
            pts.append((cx + r * 0.95 * math.cos(t + math.pi / 4), cy - r * 0.5 * math.sin(t)))
        for i in range(40):
            t = math.pi * i / 39
            pts.append((cx - r * 0.95 * math.cos(t + math.pi / 4), cy + r * 0.5 * math.sin(t)))
        leaf = [
            (cx + (px - cx) * 0.8 - (py - cy) * 0.6, cy + (px - cx) * 0.6 + (py - cy) * 0.8)
            for px, py in pts
        ]
        draw.polygon(leaf, fill=c1)
        draw.line(
            [(x + s * 0.2, y + s * 0.85), (x + s * 0.78, y + s * 0.22)],
            fill=background,
            width=max(1, w // 2),
        )
    elif kind == "bars":
        n = 4
        bw = s / (n * 1.5)
        for i in range(n):
            h = s * (0.35 + 0.65 * (i + 1) / n)
            left = x + i * bw * 1.5
            draw.rectangle((left, y + s - h, left + bw, y + s), fill=(c1, c2)[i % 2])
    elif kind == "diamond":
        draw.polygon(_poly(cx, cy, r, 4, 0), fill=c1)
        draw.polygon(_poly(cx, cy, r * 0.5, 4, 0), fill=background)
        draw.polygon(_poly(cx, cy, r * 0.25, 4, 0), fill=c2)
    elif kind == "wave":
        for i in range(3):
            rr = r * (1.0 - i * 0.28)
            draw.arc((cx - rr, cy - rr, cx + rr, cy + rr), 200, 340, fill=(c1, c2)[i % 2], width=w)
        draw.ellipse((cx - r * 0.14, cy - r * 0.14, cx + r * 0.14, cy + r * 0.14), fill=c1)
